/** Trails from DescribeTrails answers of many regions: shadow copies once, trails sharing a bucket and prefix once. */
import type { SyncTrail } from "./sync_config.ts";

/** A trail as DescribeTrails describes it (the fields used here). */
export interface DescribedTrail {
  Name?: string | undefined;
  TrailARN?: string | undefined;
  S3BucketName?: string | undefined;
  S3KeyPrefix?: string | undefined;
  IsOrganizationTrail?: boolean | undefined;
}

/**
 * The trails to sync: each TrailARN once (a multi-region trail shows up as a shadow
 * trail in every region), trails without a bucket left out, and trails that write to
 * the same bucket and prefix merged (their names joined), sorted by bucket and prefix.
 */
export function trailsToSync(described: DescribedTrail[]): SyncTrail[] {
  const byArn = new Map<string, DescribedTrail>();
  for (const t of described) if (t.TrailARN && t.S3BucketName) byArn.set(t.TrailARN, t);
  const byPlace = new Map<string, SyncTrail>();
  for (const t of byArn.values()) {
    const prefix = t.S3KeyPrefix ?? "";
    const place = `${t.S3BucketName}/${prefix}`;
    const name = t.Name ?? t.TrailARN!;
    const known = byPlace.get(place);
    byPlace.set(place, known ? { ...known, name: `${known.name}+${name}` } : { name, bucket: t.S3BucketName!, prefix });
  }
  return [...byPlace.values()].sort((a, b) => `${a.bucket}/${a.prefix}`.localeCompare(`${b.bucket}/${b.prefix}`));
}
