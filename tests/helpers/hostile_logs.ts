/** Log dirs with hostile content for tests: a record nested 100,000 deep, a file that is not gzip. */
import { gzipSync } from "node:zlib";
import { dayDir, logName, record, writeLog } from "./log_tree.ts";

/** The role of every record in {@link deepLogDir}. */
export const HOSTILE_ROLE = "arn:aws:iam::111122223333:role/app";

/** A record of {@link HOSTILE_ROLE} at `time` whose requestParameters nest `depth` arrays deep, as JSON text. */
export function deepRecordText(time: string, depth = 100_000): string {
  return `{"eventTime":"${time}","eventName":"X","eventSource":"s3.amazonaws.com","eventID":"deep-${time}",` +
    `"userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"arn":"${HOSTILE_ROLE}"}}},` +
    `"requestParameters":${"[".repeat(depth)}${"]".repeat(depth)}}`;
}

/**
 * A log dir of 2024-03-01: a good file (09:50), a file with a good record (09:55) and one nested 100,000 deep
 * (09:56), another good file (10:05), and with `corrupt` a `.json.gz` file that is not gzip.
 */
export async function deepLogDir(options: { corrupt?: boolean } = {}): Promise<string> {
  const dir = await Deno.makeTempDir();
  const day = dayDir("2024-03-01");
  writeLog(dir, `${day}/${logName("20240301T1000Z", "a")}`, [record("2024-03-01T09:50:00Z", HOSTILE_ROLE)]);
  const good = JSON.stringify(record("2024-03-01T09:55:00Z", HOSTILE_ROLE));
  const text = `{"Records":[${good},${deepRecordText("2024-03-01T09:56:00Z")}]}`;
  Deno.writeFileSync(`${dir}/${day}/${logName("20240301T1005Z", "b")}`, gzipSync(new TextEncoder().encode(text)));
  writeLog(dir, `${day}/${logName("20240301T1010Z", "c")}`, [record("2024-03-01T10:05:00Z", HOSTILE_ROLE)]);
  if (options.corrupt) Deno.writeTextFileSync(`${dir}/${day}/${logName("20240301T1015Z", "d")}`, "not gzip");
  return dir;
}
