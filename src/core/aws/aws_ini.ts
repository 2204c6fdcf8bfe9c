/** Reads a setting of one profile from the text of an AWS shared config or credentials file (INI). */

/** Which file the text comes from: the config file names profiles `[profile NAME]` (but `[default]`). */
export type AwsIniKind = "config" | "credentials";

function sectionName(line: string, kind: AwsIniKind): string | undefined {
  const m = /^\[\s*([^\]]*?)\s*\]/.exec(line);
  if (!m) return undefined;
  const name = m[1]!;
  if (kind === "credentials") return name;
  if (name === "default") return "default";
  const profile = /^profile\s+(.+)$/.exec(name);
  return profile ? profile[1]!.trim() : `\u0000${name}`; // sso-session, services...: never a profile
}

/**
 * The value of `key` in the section of `profile`, as the SDK reads it (the last one
 * wins, comments start with `#` or `;`), or undefined when there is none.
 */
export function iniProfileValue(
  text: string,
  options: { kind: AwsIniKind; profile: string; key: string },
): string | undefined {
  let section: string | undefined;
  let value: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) {
      section = sectionName(line, options.kind);
      continue;
    }
    if (section !== options.profile || /^\s/.test(raw)) continue; // an indented line belongs to a sub-section
    const eq = line.indexOf("=");
    if (eq < 0 || line.slice(0, eq).trim() !== options.key) continue;
    value = line.slice(eq + 1).replace(/\s[#;].*$/, "").trim();
  }
  return value || undefined;
}
