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
 * The narrowest flags the shipped commands need. generate, guess and completions
 * read stdin and write stdout only, which needs no permission. Commands that read
 * log directories or call AWS add their flags here when they land.
 */
export const PERMISSIONS: string[] = [];

/** The `deno compile` arguments for one target. */
export function compileArgs(target: (typeof TARGETS)[number], outDir = "dist"): string[] {
  return [
    "compile",
    "--frozen",
    "--no-prompt",
    ...PERMISSIONS,
    "--target",
    target.target,
    "--output",
    `${outDir}/trailscraper-${target.suffix}`,
    "main.ts",
  ];
}
