/** The account/region folders of a local copy: `<log-dir>/<prefix>AWSLogs/[<o-id>/]<account>/CloudTrail{,-Digest}/<region>/`. */
import { join } from "node:path";
import type { DigestUnit } from "../core/digest/digest_key.ts";

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

async function folders(dir: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) if (e.isDirectory) names.push(e.name);
    return names.sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return [];
    throw e;
  }
}

/** Every account and region below the log dir that has log files or digests, account and organization layouts. */
export async function localUnits(logDir: string, prefix: string): Promise<DigestUnit[]> {
  const root = join(logDir, prefix, "AWSLogs");
  const units: DigestUnit[] = [];
  const regionsOf = async (dir: string, account: string, orgId?: string) => {
    const regions = new Set<string>();
    for (const kind of ["CloudTrail", "CloudTrail-Digest"]) {
      for (const r of await folders(join(dir, account, kind))) if (REGION.test(r)) regions.add(r);
    }
    for (const region of [...regions].sort()) units.push({ prefix, ...(orgId ? { orgId } : {}), account, region });
  };
  for (const name of await folders(root)) {
    if (ACCOUNT.test(name)) await regionsOf(root, name);
    else if (ORG.test(name)) {
      for (const account of await folders(join(root, name))) {
        if (ACCOUNT.test(account)) await regionsOf(join(root, name), account, name);
      }
    }
  }
  return units;
}
