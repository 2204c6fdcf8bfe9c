/** Policy documents as trailscraper printed them. */
import type { PolicyDocument } from "../core/policy/policy.ts";
import { pythonJson, pythonJsonPieces } from "./python_json.ts";

/** `json.dumps(policy, indent=4, sort_keys=True)` plus a newline. */
export function renderPolicy(policy: PolicyDocument): string {
  return pythonJson(policy, { indent: 4, sortKeys: true }) + "\n";
}

/** {@link renderPolicy} in pieces of about 64 KiB, for writing a large policy without holding its text. */
export function* renderPolicyPieces(policy: PolicyDocument): Generator<string> {
  let buffer = "";
  for (const piece of pythonJsonPieces(policy, { indent: 4, sortKeys: true })) {
    buffer += piece;
    if (buffer.length >= 65536) {
      yield buffer;
      buffer = "";
    }
  }
  yield buffer + "\n";
}
