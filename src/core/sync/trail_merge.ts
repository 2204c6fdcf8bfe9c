/** The trails of a sync config, each place once: trails that name one bucket and prefix are merged, with a note. */
import { normalizePrefix } from "../aws/s3_layout.ts";
import type { SyncTrail } from "./sync_config.ts";

/** Trails with their prefixes normalised (`a` and `a/` are one place), each place once, and a note per merge. */
export function mergeTrails(trails: SyncTrail[]): { trails: SyncTrail[]; notes: string[] } {
  const byPlace = new Map<string, SyncTrail>();
  const notes: string[] = [];
  for (const trail of trails) {
    const prefix = normalizePrefix(trail.prefix).prefix;
    const place = `s3://${trail.bucket}/${prefix}`;
    const known = byPlace.get(place);
    if (known) {
      notes.push(`trails "${known.name}" and "${trail.name}" both read ${place}: it is synced once`);
      continue;
    }
    byPlace.set(place, { ...trail, prefix });
  }
  return { trails: [...byPlace.values()], notes };
}
