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
 * V8 flags the binary embeds: a 6 MB young generation (semi-space) per isolate, and
 * `gc()` for the select workers, which collect every ~32 MB of input (each file's
 * parsed records outlive a scavenge and would otherwise pile up in every worker's old
 * generation). Measured with two workers on 1M records (scripts/bench_select.ts):
 * semi-space 4 MB 8.4-9.1 s; 6 MB 6.3-6.6 s, 212-242 MB; 8 MB 5.7-7.5 s, 218-282 MB;
 * 12-16 MB over 300 MB. Without the collections: 287-410 MB; V8's defaults: ~500 MB.
 */
export const V8_FLAGS = ["--v8-flags=--max-semi-space-size=6,--expose-gc"];

/** Modules loaded as Web Workers: `deno compile` must be told to include them. */
export const WORKERS = ["src/pool/step_worker.ts", "src/sources/hash_worker.ts"];

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
