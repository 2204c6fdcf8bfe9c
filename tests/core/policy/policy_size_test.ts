import assert from "node:assert/strict";
import { policySize, splitPolicy } from "../../../src/core/policy/policy_size.ts";
import type { PolicyDocument, Statement } from "../../../src/core/policy/policy.ts";

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD = ['"', "\\", "\n", "\u0001", "é", "\u2028", "\ud800", "\udc00", "😀", "/", "*"];

function policy(next: () => number, statements: number): PolicyDocument {
  const text = (i: number) => `arn:aws:s3:::b-${i}/${next() < 0.2 ? ODD[Math.floor(next() * ODD.length)] : "k"}${i}`;
  const Statement: Statement[] = Array.from({ length: statements }, (_, s) => ({
    Action: Array.from({ length: 1 + Math.floor(next() * 4) }, (_, i) => `s3:Get${s}x${i}`),
    Effect: "Allow",
    Resource: Array.from({ length: Math.floor(next() * 400) + 1 }, (_, i) => text(i)),
    ...(next() < 0.2 ? { Condition: { Bool: { "aws:SecureTransport": true }, NumericLessThan: { "x": 3.5 } } } : {}),
  }));
  return { Version: "2012-10-17", Statement };
}

/** The split as it was written first: the whole statement measured again for each resource. */
function referenceSplit(policy: PolicyDocument, max: number): PolicyDocument[] {
  const size = (p: unknown) => JSON.stringify(p).length;
  const out: PolicyDocument[] = [];
  let current: Statement[] = [];
  const fits = (statements: Statement[]) => size({ ...policy, Statement: statements }) <= max;
  for (const whole of policy.Statement) {
    let pieces: Statement[] = [whole];
    if (!fits([whole])) {
      pieces = [];
      let resources: string[] = [];
      for (const resource of whole.Resource as string[]) {
        const next = { ...whole, Resource: [...resources, resource] };
        if (resources.length > 0 && size({ Version: policy.Version, Statement: [next] }) > max) {
          pieces.push({ ...whole, Resource: resources });
          resources = [resource];
        } else resources.push(resource);
      }
      pieces.push({ ...whole, Resource: resources });
    }
    for (const piece of pieces) {
      if (current.length > 0 && !fits([...current, piece])) {
        out.push({ ...policy, Statement: current });
        current = [];
      }
      current.push(piece);
    }
  }
  if (current.length > 0) out.push({ ...policy, Statement: current });
  return out;
}

Deno.test("policySize: the length of the compact JSON, escapes and lone surrogates included, without building it", () => {
  const next = random(7);
  for (let i = 0; i < 50; i++) {
    const p = policy(next, 1 + Math.floor(next() * 5));
    assert.equal(policySize(p), JSON.stringify(p).length);
  }
  const odd = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: ODD, Sid: undefined }] };
  assert.equal(policySize(odd as never), JSON.stringify(odd).length);
});

Deno.test("splitPolicy: the same policies as measuring each candidate whole, for every size limit", () => {
  const next = random(11);
  for (let i = 0; i < 12; i++) {
    const p = policy(next, 1 + Math.floor(next() * 4));
    for (const max of [300, 1000, 6144]) assert.deepEqual(splitPolicy(p, max), referenceSplit(p, max), `${i} ${max}`);
  }
});

Deno.test("splitPolicy: a statement of 200,000 resources splits into parts that each fit, none lost", () => {
  const Resource = Array.from({ length: 200_000 }, (_, i) => `arn:aws:s3:::bucket-${i}/key-${i}`);
  const parts = splitPolicy({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource }],
  }, 6144);
  assert.equal(parts.flatMap((p) => p.Statement.flatMap((s) => s.Resource as string[])).length, 200_000);
  for (const part of parts) assert.ok(policySize(part) <= 6144);
});
