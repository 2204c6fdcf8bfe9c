// deno-lint-ignore-file no-console
/**
 * The container image, offline: assembles a rootfs with nothing but the program (the
 * Deno runtime from npm, the bundle, the C libraries `ldd` lists, CA certificates, a
 * non-root user), builds a `FROM scratch` image of it with podman, exports the image's
 * filesystem and runs `generate` and `select` inside it with `unshare` + `chroot`
 * (`podman run` cannot set rlimits in this sandbox). Prints `ok image:` / `FAILED image:`
 * lines and the image size. A networked release builds `Containerfile` instead (the
 * compiled binary on distroless), see .github/workflows/release.yml.
 *
 * Run: deno task image-check   (needs root, podman, unshare and chroot; Linux)
 */
import { dirname, join } from "node:path";
import { PERMISSIONS, V8_FLAGS } from "./build_plan.ts";
import { buildBundle } from "./bundle_build.ts";
import { runCommand } from "./run_command.ts";

const root = new URL("..", import.meta.url).pathname;
const UID = 65532;
let failures = 0;

function check(name: string, ok: boolean, detail = "") {
  console.log(`${ok ? "ok" : "FAILED"} image: ${name}${ok ? "" : `\n${detail}`}`);
  if (!ok) failures++;
}

const sh = runCommand;

async function copyInto(rootfs: string, path: string) {
  const target = join(rootfs, path);
  await Deno.mkdir(dirname(target), { recursive: true });
  await Deno.copyFile(await Deno.realPath(path), target);
}

/** The image's entry point: the runtime with the binary's flags, running the bundle. */
export const ENTRYPOINT = [
  "/usr/bin/deno",
  "run",
  "--quiet",
  "--no-config",
  "--no-lock",
  "--no-prompt",
  ...PERMISSIONS,
  ...V8_FLAGS,
  "/app/main.js",
];

const context = await Deno.makeTempDir({ prefix: "trailscraper-image-" });
const rootfs = join(context, "rootfs");
try {
  // The program: the bundle and its worker, and the runtime that runs them.
  await Deno.mkdir(join(rootfs, "app"), { recursive: true });
  await buildBundle(join(rootfs, "app"));
  const deno = await Deno.realPath(Deno.execPath());
  await Deno.mkdir(join(rootfs, "usr/bin"), { recursive: true });
  await Deno.copyFile(deno, join(rootfs, "usr/bin/deno"));
  // The C libraries the runtime links, and the loader.
  const ldd = await sh("ldd", [deno]);
  for (const path of ldd.stdout.matchAll(/(\/[^\s]+\.so[^\s]*)/g)) await copyInto(rootfs, path[1]!);
  // CA certificates for TLS, a non-root user, a writable /tmp and home.
  await copyInto(rootfs, "/etc/ssl/certs/ca-certificates.crt");
  await Deno.mkdir(join(rootfs, "etc"), { recursive: true });
  await Deno.writeTextFile(
    join(rootfs, "etc/passwd"),
    `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${UID}:${UID}:nonroot:/home/nonroot:/sbin/nologin\n`,
  );
  await Deno.writeTextFile(join(rootfs, "etc/group"), `root:x:0:\nnonroot:x:${UID}:\n`);
  for (const dir of ["tmp", "home/nonroot", "proc", "data"]) await Deno.mkdir(join(rootfs, dir), { recursive: true });
  await Deno.chmod(join(rootfs, "tmp"), 0o1777);
  await sh("chown", ["-R", `${UID}:${UID}`, join(rootfs, "home/nonroot")]);
  await Deno.writeTextFile(
    join(context, "Containerfile"),
    `FROM scratch\nCOPY rootfs/ /\nUSER ${UID}:${UID}\nENV HOME=/home/nonroot DENO_DIR=/tmp/deno NO_COLOR=1\n` +
      `WORKDIR /data\nENTRYPOINT ${JSON.stringify(ENTRYPOINT)}\n`,
  );

  const build = await sh("podman", [
    "build",
    "--quiet",
    "-t",
    "localhost/trailscraper:check",
    "-f",
    "Containerfile",
    ".",
  ], {
    cwd: context,
  });
  check(
    "podman build FROM scratch (runtime, bundle, C libraries, CA certificates, non-root user)",
    build.code === 0,
    build.stderr,
  );
  const size = await sh("podman", ["image", "inspect", "--format", "{{.Size}}", "localhost/trailscraper:check"]);
  console.log(`image size: ${(Number(size.stdout.trim()) / 1e6).toFixed(1)} MB`);
  const config = await sh("podman", [
    "image",
    "inspect",
    "--format",
    "{{json .Config}}",
    "localhost/trailscraper:check",
  ]);
  const imageConfig = JSON.parse(config.stdout || "{}") as { User?: string; Entrypoint?: string[] };
  check(
    "the image runs as a non-root user with the binary's flags in its entry point",
    imageConfig.User === `${UID}:${UID}` && JSON.stringify(imageConfig.Entrypoint) === JSON.stringify(ENTRYPOINT),
    config.stdout,
  );

  // Run the image's own filesystem: export it, then chroot into it as the image's user, in new mount and PID namespaces.
  const exported = join(context, "exported");
  await Deno.mkdir(exported);
  const container = (await sh("podman", ["create", "localhost/trailscraper:check"])).stdout.trim();
  const tar = join(context, "image.tar");
  await sh("podman", ["export", "-o", tar, container]);
  await sh("podman", ["rm", container]);
  await sh("tar", ["-xf", tar, "-C", exported]);
  await sh("cp", ["-r", join(root, "data/sample/logs"), join(exported, "data/logs")]);
  await sh("chown", ["-R", `${UID}:${UID}`, join(exported, "data")]);
  const inImage = (args: string[], stdin?: string) =>
    sh("unshare", [
      "--mount",
      "--pid",
      "--fork",
      "sh",
      "-c",
      `mount -t proc proc "${exported}/proc" && exec env -i HOME=/home/nonroot DENO_DIR=/tmp/deno NO_COLOR=1 ` +
      `/usr/sbin/chroot --userspec=${UID}:${UID} "${exported}" ` + [...ENTRYPOINT, ...args].map((a) =>
        `'${a}'`
      ).join(" "),
    ], stdin === undefined ? {} : { stdin });
  const fixture = join(root, "tests/fixtures/generate/trailscraper_special_cases");
  const generated = await inImage(["generate"], await Deno.readTextFile(`${fixture}.records.json`));
  check(
    "generate inside the image matches the golden policy",
    generated.code === 0 && generated.stdout === await Deno.readTextFile(`${fixture}.policy.json`),
    generated.stderr,
  );
  const selected = await inImage([
    "select",
    "--log-dir",
    "/data/logs",
    "--filter-assumed-role-arn",
    "arn:aws:iam::111122223333:role/ci-deploy",
  ]);
  check(
    "select with workers inside the image, as the non-root user",
    selected.code === 0 && JSON.parse(selected.stdout || "{}").Records?.length === 44,
    selected.stderr,
  );
} finally {
  await sh("podman", ["rmi", "-f", "localhost/trailscraper:check"]);
  await Deno.remove(context, { recursive: true }).catch(() => {});
}
console.log(failures === 0 ? "image check passed" : `image check: ${failures} failed`);
Deno.exit(failures === 0 ? 0 : 1);
