/** Text from input made safe to echo on a terminal, one line. */

// C0 controls (tab and newline too: a warning is one line), DEL, C1 controls, and the
// Unicode line separators and bidirectional overrides that rearrange what a terminal shows.
// deno-lint-ignore no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** `text` with control and bidi characters as escapes (`\x00`, `\n`, `\u202e`); everything else as it is. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`);
  });
}

/** The warning for a folder reached again through a symlink, with both paths escaped. */
export function revisitWarning(path: string, real: string): string {
  const [from, to] = [escapeControl(path), escapeControl(real)];
  return `warning: skipped "${from}": it leads to "${to}", which is read once already (a symlink loop?)\n`;
}
