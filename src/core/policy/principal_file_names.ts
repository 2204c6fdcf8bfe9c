/** File names for `generate --per-principal --out-dir`: readable, and one file per principal (never two on one name). */
import { textHash } from "../util/text_hash.ts";

const MAX_BASE = 180; // with a hash, a counter and `.json`, well below the 255 bytes of a file name

/**
 * A principal's readable base name: its ARN with every run of characters outside `[A-Za-z0-9._-]` as `_`
 * (and a `_` first where it would be empty, hidden or look like an option).
 */
function baseName(principal: string): string {
  const base = principal.replace(/^arn:aws[a-z-]*:/, "").replace(/[^A-Za-z0-9._-]+/g, "_");
  return base === "" || /^[.-]/.test(base) ? `_${base}` : base;
}

/** A principal's file name; `plain` when it is the readable name alone (no hash or counter). */
export interface PrincipalFileName {
  name: string;
  plain: boolean;
}

/**
 * A file name per principal (`iam_111122223333_role_ci-deploy.json`). Principals whose
 * readable names would meet (`role/deploy+prod`, `role/deploy@prod`; or only in letter
 * case, for case-insensitive file systems), or that are too long, get a short hash of
 * the whole principal (`iam_..._deploy_prod-1f0c9a2e.json`); a name still taken gets a
 * counter. The result is injective, case-insensitively, whatever the input.
 */
export function principalFileNames(principals: readonly string[]): Map<string, PrincipalFileName> {
  const unique = [...new Set(principals)].sort();
  const bases = new Map(unique.map((p) => [p, baseName(p)]));
  const sharing = new Map<string, number>();
  for (const base of bases.values()) sharing.set(base.toLowerCase(), (sharing.get(base.toLowerCase()) ?? 0) + 1);
  const names = new Map<string, PrincipalFileName>();
  const taken = new Set<string>();
  for (const principal of unique) {
    const base = bases.get(principal) ?? "";
    const hashed = (sharing.get(base.toLowerCase()) ?? 0) > 1 || base.length > MAX_BASE;
    let stem = hashed ? `${base.slice(0, MAX_BASE)}-${textHash(principal).slice(0, 8)}` : base;
    for (let n = 2; taken.has(`${stem}.json`.toLowerCase()); n++) stem = `${stem.replace(/~\d+$/, "")}~${n}`;
    taken.add(`${stem}.json`.toLowerCase());
    names.set(principal, { name: `${stem}.json`, plain: stem === base });
  }
  return names;
}
