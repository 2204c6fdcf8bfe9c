/**
 * What a release builds: the `deno compile` targets and the permission flags every
 * binary carries. The bundle check runs the bundle with exactly these flags.
 */

/** `deno compile --target` values and the file name suffix of each binary. */
export const TARGETS = [
  { target: "x86_64-unknown-linux-gnu", suffix: "linux-x64" },
  { target: "aarch64-unknown-linux-gnu", suffix: "linux-arm64" },
  { target: "x86_64-apple-darwin", suffix: "macos-x64" },
  { target: "aarch64-apple-darwin", suffix: "macos-arm64" },
  { target: "x86_64-pc-windows-msvc", suffix: "windows-x64.exe" },
] as const;

/**
 * The narrowest flags that cover every shipped command (one binary carries one set):
 * generate, guess and completions need none; select and last-event-timestamp read
 * the log dir the user names; download also writes there, and the AWS SDK reads its
 * environment and config files (`--allow-env`, `--allow-read`), connects to AWS or
 * the endpoint given (`--allow-net`), reads the OS release for its user agent
 * (`--allow-sys=osRelease`) and runs `credential_process` helpers (`--allow-run`).
 */
export const PERMISSIONS: string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net",
  "--allow-sys=osRelease",
  "--allow-run",
];

/**
 * V8 flags the binary embeds. A 4 MB young generation (semi-space) per isolate, and
 * `gc()` for the select workers, which collect every ~32 MB of input: each file's
 * parsed records outlive a scavenge and would otherwise pile up in every worker's
 * old generation. Measured on 1M records with two workers (scripts/bench_select.ts):
 * peak RSS 230-257 MB with both, 287-410 MB with the semi-space limit alone, ~500 MB
 * with neither, at about the same speed.
 */
export const V8_FLAGS = ["--v8-flags=--max-semi-space-size=4,--expose-gc"];

/** Modules loaded as Web Workers: `deno compile` must be told to include them. */
export const WORKERS = ["src/sources/select_worker.ts"];

/** The `deno compile` arguments for one target. */
export function compileArgs(target: (typeof TARGETS)[number], outDir = "dist"): string[] {
  return [
    "compile",
    "--frozen",
    "--no-prompt",
    ...PERMISSIONS,
    ...V8_FLAGS,
    ...WORKERS.flatMap((w) => ["--include", w]),
    "--target",
    target.target,
    "--output",
    `${outDir}/trailscraper-${target.suffix}`,
    "main.ts",
  ];
}
