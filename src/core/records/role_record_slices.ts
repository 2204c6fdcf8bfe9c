/**
 * A fast path for role filters: cut a CloudTrail log file's text into records
 * without parsing it, and keep only the records in which a wanted role ARN occurs.
 *
 * CloudTrail writes `{"Records":[{"eventVersion":...},{"eventVersion":...}]}`,
 * so records are separated by the literal `},{"eventVersion":`. That sequence
 * cannot occur inside a JSON string (its quotes would be escaped); where it occurs
 * inside a record (a nested object), the cut pieces are unbalanced, so a document
 * rebuilt from them either reproduces the record exactly (both pieces kept) or does
 * not parse. The caller parses the kept records and falls back to the whole file
 * when they do not parse.
 */

const HEAD = '{"Records":[';
const FIRST = '{"eventVersion":';
const SEPARATOR = '},{"eventVersion":';

/**
 * True when the text uses escapes (`\/`, `\u00XX`) that could spell an ARN other than
 * literally, so searching for the ARN's text could miss it. CloudTrail writes neither.
 */
export function mayEscapeArns(text: string): boolean {
  return text.includes("\\/") || text.includes("\\u00");
}

/** The texts of the records that contain `"<arn>"` for any wanted ARN, in file order; undefined when the file is not laid out as CloudTrail writes it. */
export function roleRecordSlices(text: string, roleArns: string[]): string[] | undefined {
  if (!text.startsWith(HEAD + FIRST) || mayEscapeArns(text)) return undefined;
  const end = text.lastIndexOf("]}");
  if (end < HEAD.length || text.slice(end + 2).trim() !== "") return undefined;
  const starts = [HEAD.length];
  for (let i = text.indexOf(SEPARATOR, HEAD.length); i !== -1 && i < end; i = text.indexOf(SEPARATOR, i + 1)) {
    starts.push(i + 2);
  }
  const wanted = new Set<number>();
  for (const arn of roleArns) {
    const needle = `"${arn}"`;
    for (let p = text.indexOf(needle); p !== -1 && p < end; p = text.indexOf(needle, p + needle.length)) {
      wanted.add(recordAt(starts, p));
    }
  }
  return [...wanted].sort((a, b) => a - b).map((k) =>
    text.slice(starts[k]!, k + 1 < starts.length ? starts[k + 1]! - 1 : end)
  );
}

/** The index of the record that holds position `p`: the last start at or before it. */
function recordAt(starts: number[], p: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where the text of each record of a CloudTrail log file starts and ends (character offsets, end exclusive), in file
 * order, or undefined when the file is not laid out as CloudTrail writes it. A slice is only trustworthy once it
 * parses on its own (see the module comment): callers parse each.
 */
export function recordBounds(text: string): [number, number][] | undefined {
  if (!text.startsWith(HEAD + FIRST)) return undefined;
  const end = text.lastIndexOf("]}");
  if (end < HEAD.length || text.slice(end + 2).trim() !== "") return undefined;
  const bounds: [number, number][] = [];
  let start = HEAD.length;
  for (let i = text.indexOf(SEPARATOR, start); i !== -1 && i < end; i = text.indexOf(SEPARATOR, i + 1)) {
    bounds.push([start, i + 1]);
    start = i + 2;
  }
  bounds.push([start, end]);
  return bounds;
}
