import assert from "node:assert/strict";
import { incidentRecords } from "../../../scripts/incident_records.ts";
import {
  changeActor,
  type ChangeEvent,
  changeResources,
  toChangeEvent,
} from "../../../src/core/changes/change_event.ts";
import { changeSettings } from "../../../src/core/changes/change_options.ts";
import { buildChangeReport, humanDuration, relativeTime } from "../../../src/core/changes/change_report.ts";
import { CHANGE_CATEGORIES } from "../../../src/core/changes/change_catalog.ts";

const events = () => incidentRecords().map(toChangeEvent).filter((e): e is ChangeEvent => e !== undefined);
const options = {
  alertFrom: Date.parse("2024-03-01T10:00:00Z"),
  alertTo: Date.parse("2024-03-01T10:15:00Z"),
  lookbackMinutes: 30,
  regions: [],
  source: "log-dir" as const,
  maxEvents: 50,
  perCategory: 5,
  durationMs: 0,
  errors: [],
};

Deno.test("data/change_events.json: at least 60 events across the 8 categories, each event in one category", () => {
  assert.deepEqual(CHANGE_CATEGORIES.map((c) => c.id), [
    "security-groups",
    "auto-scaling",
    "ec2-lifecycle",
    "iam",
    "storage",
    "database",
    "networking",
    "load-balancers",
  ]);
  const all = CHANGE_CATEGORIES.flatMap((c) =>
    Object.entries(c.events).flatMap(([s, names]) => names.map((n) => `${s} ${n}`))
  );
  assert.ok(all.length >= 60, `${all.length} events`);
  assert.equal(new Set(all).size, all.length);
});

Deno.test("toChangeEvent() keeps tracked writes only, with actor, resources and error code", () => {
  const found = events();
  assert.equal(found.length, 14); // 17 records: a read, an untracked write and a read left out
  const denied = found.find((e) => e.errorCode !== null)!;
  assert.deepEqual(denied.actor, {
    type: "role",
    name: "role/ci-deploy (session pipeline-812)",
    arn: "arn:aws:iam::111122223333:role/ci-deploy",
    sessionArn: "arn:aws:sts::111122223333:assumed-role/ci-deploy/pipeline-812",
  });
  assert.equal(denied.errorCode, "Client.UnauthorizedOperation");
  assert.deepEqual(found.find((e) => e.eventName === "RunInstances")!.resources, ["i-0aa1", "i-0aa2"]);
  assert.deepEqual(found.find((e) => e.eventName === "CreateSnapshot")!.resources, ["vol-0c0c", "snap-0d0d"]);
  assert.equal(toChangeEvent({ eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances" }), undefined);
  assert.equal(
    toChangeEvent({ eventSource: "ec2.amazonaws.com", eventName: "RunInstances", eventTime: "x" }),
    undefined,
  );
});

Deno.test("changeActor() names users, roles with their session, root and services", () => {
  assert.deepEqual(changeActor({ type: "Root", arn: "arn:aws:iam::1:root" }), {
    type: "root",
    name: "root",
    arn: "arn:aws:iam::1:root",
  });
  assert.deepEqual(changeActor({ type: "AWSService", invokedBy: "autoscaling.amazonaws.com" }), {
    type: "service",
    name: "autoscaling.amazonaws.com",
  });
  assert.deepEqual(changeActor(undefined), { type: "other", name: "unknown" });
  assert.deepEqual(
    changeResources({ resources: [{ ARN: "arn:aws:s3:::b" }], requestParameters: { bucketName: "b" } }),
    [
      "b",
      "arn:aws:s3:::b",
    ],
  );
});

Deno.test("buildChangeReport() de-duplicates by eventId, keeps the newest maxEvents, then perCategory per category", () => {
  const all = events();
  const report = buildChangeReport([...all, ...all], { ...options, maxEvents: 10, perCategory: 1 });
  assert.equal(report.metadata.eventCount, 14);
  assert.equal(report.metadata.shownCount, 10);
  assert.equal(report.metadata.truncated, true);
  assert.deepEqual(report.events.map((e) => e.eventTime), [...report.events.map((e) => e.eventTime)].sort());
  assert.equal(report.events[0]!.eventName, "UpdateAutoScalingGroup"); // the 4 oldest were cut
  assert.deepEqual(report.grouped["auto-scaling"]!.map((e) => e.eventName), ["SetDesiredCapacity"]);
  assert.deepEqual(report.metadata.moreByCategory, {
    "auto-scaling": 1,
    "ec2-lifecycle": 1,
    "storage": 1,
    "load-balancers": 1,
  });
  assert.equal(report.metadata.windowStart, "2024-03-01T09:30:00Z");
});

Deno.test("relativeTime() counts back from the alert's start before it, from --to during it", () => {
  const from = Date.parse("2024-03-01T10:00:00Z");
  const to = Date.parse("2024-03-01T10:15:00Z");
  assert.equal(relativeTime(from - 5 * 60_000, from, to), "5m before the alert");
  assert.equal(relativeTime(from + 13 * 60_000, from, to), "2m ago");
  assert.equal(humanDuration(45_000), "45s");
  assert.equal(humanDuration(125 * 60_000), "2h 5m");
  assert.equal(humanDuration(75 * 3_600_000), "3d 3h");
});

Deno.test("changeSettings(): options over environment over defaults; bad numbers and refused regions are usage errors", () => {
  const input = { perCategory: "5", region: [], category: [] };
  const defaults = changeSettings(input, () => undefined);
  assert.ok(defaults.ok);
  assert.deepEqual(defaults.settings, {
    lookbackMinutes: 30,
    maxEvents: 50,
    perCategory: 5,
    regions: [],
    allowlist: undefined,
    categories: [],
  });
  const env: Record<string, string> = { AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "60", AWS_CLOUDTRAIL_MAX_EVENTS: "20" };
  const fromEnv = changeSettings(input, (k) => env[k]);
  assert.ok(fromEnv.ok && fromEnv.settings.lookbackMinutes === 60 && fromEnv.settings.maxEvents === 20);
  const flag = changeSettings({ ...input, lookback: "5" }, (k) => env[k]);
  assert.ok(flag.ok && flag.settings.lookbackMinutes === 5);
  assert.deepEqual(changeSettings({ ...input, maxEvents: "0" }, () => undefined), {
    ok: false,
    issue: '--max-events takes a whole number of at least 1, got "0"',
  });
  assert.deepEqual(
    changeSettings(
      { ...input, region: ["eu-west-1", "ap-south-1"], regionAllowlist: "eu-west-1, us-east-1" },
      () => undefined,
    ),
    {
      ok: false,
      issue: 'region "ap-south-1" is not in the region allowlist (eu-west-1, us-east-1)',
    },
  );
});
