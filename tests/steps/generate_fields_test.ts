/**
 * generate and check hand their bulk-parsed records over reduced to the top-level keys they read
 * (`generateFields`, GRANT_FIELDS, RESOLVER_FIELDS, PRINCIPAL_FIELDS): a key read and not listed would be
 * silently missing. Every record set here gives the same results from whole records and from reduced ones, in
 * every resource mode, per principal or not; and the commands give the same output on a Records document
 * (reduced by the scanner) as on JSON Lines (parsed whole).
 */
import assert from "node:assert/strict";
import { realShapeRecords } from "../../scripts/real_shape_records.ts";
import { synthRecords } from "../../scripts/synth_records.ts";
import { PolicyGenerator } from "../../src/core/policy/policy_generator.ts";
import { PrincipalPolicies } from "../../src/core/policy/principal_policies.ts";
import { generateFields, type GenerateParams } from "../../src/steps/generate_step.ts";
import { resolverFor } from "../../src/steps/resource_resolver.ts";
import type { RecordFields } from "../../src/core/records/slim_records.ts";
import { runCli } from "../helpers/fake_io.ts";

const fixtureDir = new URL("../fixtures/generate/", import.meta.url);

function fixtureRecords(): unknown[] {
  const records: unknown[] = [];
  for (const entry of Deno.readDirSync(fixtureDir)) {
    if (!entry.name.endsWith(".records.json")) continue;
    const doc = JSON.parse(Deno.readTextFileSync(new URL(entry.name, fixtureDir)));
    if (Array.isArray(doc?.Records)) records.push(...doc.Records);
  }
  return records;
}

const call = (service: string, eventName: string) => ({
  eventSource: `${service}.amazonaws.com`,
  eventName,
  awsRegion: "eu-west-1",
  recipientAccountId: "111122223333",
});

const recordSets: [string, unknown[]][] = [
  ["real-shaped", realShapeRecords()],
  ["synthetic", [...synthRecords(3000, { seed: 11, distinctResources: 300, calls: "wide" })]],
  ["fixtures", fixtureRecords()],
  ["edges", [
    // The service named at the top, not in userIdentity; an Insights event (its call in insightDetails).
    { userIdentity: { type: "AWSService" }, invokedBy: "events.amazonaws.com", ...call("lambda", "Invoke") },
    { userIdentity: { type: "AWSService" }, invokedBy: "sns.amazonaws.com", ...call("sqs", "SendMessage") },
    {
      eventType: "AwsCloudTrailInsight",
      insightDetails: { eventSource: "ec2.amazonaws.com", eventName: "RunInstances" },
    },
    "not a record",
    { eventSource: "s3.amazonaws.com" },
  ]],
];

/** A record as the scanner hands it over: the keys, and the conditional keys when the record holds their text. */
function reduced(record: unknown, { keys, conditional }: RecordFields): unknown {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return record;
  const wanted = conditional && JSON.stringify(record).includes(conditional.when)
    ? [...keys, ...conditional.keys]
    : keys;
  return Object.fromEntries(Object.entries(record).filter(([k]) => wanted.includes(k)));
}

async function results(records: unknown[], params: GenerateParams) {
  const options = { observe: params.observe, resolver: await resolverFor(params.resources) };
  if (!params.perPrincipal) {
    const generator = new PolicyGenerator(options);
    for (const r of records) generator.add(r);
    const { coverage, ...rest } = generator.result();
    return { ...rest, coverage: coverage?.entries(), observed: generator.observed?.calls() };
  }
  const principals = new PrincipalPolicies(options);
  for (const r of records) principals.add(r);
  return principals.byPrincipal().map(([principal, g]) => [principal, g.result().policy]);
}

Deno.test("generate: records reduced to generateFields give the whole records' results in every mode", async () => {
  for (const [name, records] of recordSets) {
    assert.ok(records.length >= 5, name);
    for (const resources of [undefined, "precise", "prefix"] as const) {
      for (const perPrincipal of [false, true]) {
        const params = { perPrincipal, observe: true, resources };
        const fields = generateFields(params);
        const label = `${name}, resources ${resources}, per principal ${perPrincipal}`;
        const whole = await results(records, params);
        assert.deepEqual(await results(records.map((r) => reduced(r, fields)), params), whole, label);
      }
    }
  }
});

Deno.test("generate and check: a Records document (scanned, reduced) and JSON Lines (parsed whole) give one output", async () => {
  const once = [...realShapeRecords(), ...fixtureRecords()];
  const records = [...once, ...once, ...once, ...once]; // ~450 kB: several chunks
  const doc = '{"Records": [' + records.map((r) => JSON.stringify(r)).join(", ") + "]}\n";
  const lines = records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  const policy = await runCli(["generate", "--resources", "precise"], { stdin: doc });
  assert.equal(policy.code, 0, policy.stderr);
  const policyFile = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(policyFile, policy.stdout);
    for (const args of [[], ["--resources", "precise"], ["--per-principal"], ["--resources", "prefix", "--check"]]) {
      const a = await runCli(["generate", ...args], { stdin: doc });
      const b = await runCli(["generate", ...args], { stdin: lines });
      assert.deepEqual([a.code, a.stdout, a.stderr], [b.code, b.stdout, b.stderr], `generate ${args}`);
    }
    for (const mode of ["precise", "prefix", "records"]) {
      const args = ["check", "--policy", policyFile, "--resources", mode, "--format", "json"];
      const a = await runCli(args, { stdin: doc });
      const b = await runCli(args, { stdin: lines });
      assert.deepEqual([a.code, a.stdout, a.stderr], [b.code, b.stdout, b.stderr], `check ${mode}`);
    }
  } finally {
    await Deno.remove(policyFile);
  }
});
