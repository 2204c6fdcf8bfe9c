/**
 * The MCP server answers every request, whatever comes in: lines that are not JSON, invalid
 * requests, a message over the transport's limit. Driven with raw lines and with the SDK's client.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { MAX_MESSAGE_BYTES } from "../../src/commands/mcp.ts";
import { deepLogDir, HOSTILE_ROLE } from "../helpers/hostile_logs.ts";
import { record } from "../helpers/log_tree.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;
const SERVER_ARGS = ["run", "--quiet", "--allow-all", main, "mcp"];
const ENV = { NO_COLOR: "1", AWS_REGION: "eu-west-1" };

/** Sends `lines` to a server, closes its stdin, and returns its answers by id (null: no id) and its exit code. */
async function exchange(lines: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: SERVER_ARGS,
    env: ENV,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  const written = (async () => {
    for (const line of lines) await writer.write(encoder.encode(line));
    await writer.close();
  })();
  const [output] = await Promise.all([child.output(), written]);
  const answers = new TextDecoder().decode(output.stdout).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
  return { answers, code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

/** A generate_policy request with `records`, id last (as the SDK's client writes requests). */
function policyRequest(id: number, records: unknown[]): string {
  return JSON.stringify({
    method: "tools/call",
    params: { name: "generate_policy", arguments: { records } },
    jsonrpc: "2.0",
    id,
  }) + "\n";
}

/** `n` distinct records of about 1.3 KB each. */
function bulkyRecords(n: number): Record<string, unknown>[] {
  const padding = "x".repeat(1000);
  return Array.from({ length: n }, (_, i) => ({
    ...record("2024-03-01T10:00:00Z", "arn:aws:iam::111122223333:role/app", "DescribeInstances"),
    eventID: `e-${i}`,
    requestParameters: { note: padding },
  }));
}

Deno.test("mcp: every request gets an answer: not JSON, a wrong jsonrpc, params not an object, over the limit", async () => {
  const tooMany = bulkyRecords(Math.ceil(MAX_MESSAGE_BYTES / 1300) + 1000);
  const { answers, code, stderr } = await exchange([
    "this is not json\n",
    '{"jsonrpc":"1.0","id":1,"method":"tools/list"}\n',
    '{"jsonrpc":"2.0","id":"two","method":"tools/list","params":"notanobject"}\n',
    policyRequest(3, tooMany),
    '{"jsonrpc":"2.0","id":4,"method":"tools/list"}\r\n',
    '{"jsonrpc":"2.0","method":"notifications/initialized"}\n',
    '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"generate_policy","arguments":{"records":"x"}}}\n',
  ]);
  assert.equal(code, 0, stderr);
  const byId = new Map(answers.map((a) => [a.id, a]));
  assert.equal(answers.length, 6, JSON.stringify(answers).slice(0, 2000));
  assert.equal(byId.get(null).error.code, -32700);
  assert.match(byId.get(null).error.message, /^Parse error: /);
  assert.deepEqual(byId.get(1).error, { code: -32600, message: 'Invalid Request: "jsonrpc" must be "2.0", not "1.0"' });
  assert.deepEqual(byId.get("two").error, { code: -32600, message: 'Invalid Request: "params" must be an object' });
  assert.equal(byId.get(3).error.code, -32600);
  assert.match(byId.get(3).error.message, /over the server's limit of 33554432 bytes \(32 MiB\) per message/);
  assert.ok(byId.get(4).result.tools.length === 3, "the server read on after the oversized line");
  assert.ok(byId.get(5).error ?? byId.get(5).result.isError, JSON.stringify(byId.get(5)));
});

Deno.test("mcp: with the SDK's client, 9,000 records of 1.3 KB (12 MB) make a policy; a call over the limit is an error and the server goes on", async () => {
  const transport = new StdioClientTransport({ command: Deno.execPath(), args: SERVER_ARGS, env: ENV, stderr: "pipe" });
  const client = new Client({ name: "trailscraper-test", version: "1" });
  await client.connect(transport);
  try {
    const big = await client.callTool({ name: "generate_policy", arguments: { records: bulkyRecords(9000) } });
    const content = big.content as { text: string }[];
    assert.equal(big.isError, undefined, content[0]?.text);
    assert.match(content[1]!.text, /^9000 records -> 1 statements/);
    await assert.rejects(
      client.callTool({ name: "generate_policy", arguments: { records: bulkyRecords(27_000) } }),
      /over the server's limit of 33554432 bytes \(32 MiB\)/,
    );
    const after = await client.callTool({ name: "generate_policy", arguments: { records: bulkyRecords(2) } });
    assert.match((after.content as { text: string }[])[1]!.text, /^2 records -> 1 statements/);
  } finally {
    await client.close();
  }
});

type Answer = { content: { type: string; text: string }[]; isError?: boolean };

async function withClient(args: string[], fn: (client: Client) => Promise<void>) {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: [...SERVER_ARGS, ...args],
    env: ENV,
    stderr: "pipe",
  });
  const client = new Client({ name: "trailscraper-test", version: "1" });
  await client.connect(transport);
  try {
    await fn(client);
  } finally {
    await client.close();
  }
}

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<Answer>;

Deno.test("mcp: tool schemas are inline (no $ref) and annotated read-only; open world only without --log-dir", async () => {
  for (const [args, openWorld] of [[[], true], [["--log-dir", "data/sample/incident"], false]] as const) {
    await withClient([...args], async (client) => {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 3);
      assert.ok(!JSON.stringify(tools).includes("$ref"), JSON.stringify(tools));
      for (const tool of tools) {
        assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
        assert.equal(tool.annotations?.openWorldHint, openWorld, tool.name);
      }
      const events = tools.find((t: { name: string }) => t.name === "cloudtrail_events")!;
      const properties = events.inputSchema.properties as Record<string, { type?: string }>;
      assert.equal(properties.to?.type, "string");
    });
  }
});

Deno.test("mcp: errors name the tool's arguments, not the CLI's flags", async () => {
  await withClient(["--log-dir", "data/sample/incident"], async (client) => {
    for (const tool of ["cloudtrail_changes", "cloudtrail_events"]) {
      const bad = await call(client, tool, { from: "the day before yesterday's lunch" });
      assert.equal(bad.isError, true, tool);
      assert.match(bad.content[0]!.text, /^invalid value for from: "the day before yesterday's lunch"/, tool);
      const reversed = await call(client, tool, { from: "2024-03-02", to: "2024-03-01" });
      assert.match(
        reversed.content[0]!.text,
        /^from \(2024-03-02\) is after to \(2024-03-01\): nothing can be in that range$/,
        tool,
      );
    }
  });
});

Deno.test("mcp: cloudtrail_events says why it found nothing, and counts every input and record it skipped", async () => {
  const dir = await deepLogDir({ corrupt: true });
  await Deno.writeTextFile(`${dir}/notes.txt`, "not a log file");
  try {
    await withClient(["--log-dir", dir], async (client) => {
      const none = await call(client, "cloudtrail_events", {});
      assert.equal(none.isError, undefined);
      assert.match(
        none.content[0]!.text,
        /^0 records from log-dir: none of every principal between \S+ and \S+ \(the default window: the last hour\) in 0 log files read; give from and to; 1 other files passed over \(1 other\)$/,
      );
      const some = await call(client, "cloudtrail_events", { from: "2024-03-01T09:00Z", to: "2024-03-01T11:00Z" });
      assert.equal(
        some.content[0]!.text,
        "3 records from log-dir; skipped 1 inputs (1 not gzip data), 1 records (1 nested too deeply to process); " +
          "1 other files passed over (1 other)",
      );
      const json = JSON.parse(some.content[1]!.text);
      assert.deepEqual(json.Records.map((r: { eventTime: string }) => r.eventTime), [
        "2024-03-01T09:50:00Z",
        "2024-03-01T09:55:00Z",
        "2024-03-01T10:05:00Z",
      ]);
      assert.deepEqual(json.skippedInputs, { "not gzip data": 1 });
      assert.deepEqual(json.skippedRecords, { "nested too deeply to process": 1 });
      assert.deepEqual(json.otherFiles, { other: 1 });
      assert.deepEqual(json.errors, []);
      const policy = await call(client, "generate_policy", {
        principalArn: HOSTILE_ROLE,
        from: "2024-03-01T09:00Z",
        to: "2024-03-01T11:00Z",
      });
      assert.equal(policy.isError, undefined, policy.content[0]!.text);
      assert.match(
        policy.content[1]!.text,
        /^3 records -> 1 statements; skipped 1 inputs \(1 not gzip data\), 1 records/,
      );
      const changes = await call(client, "cloudtrail_changes", { from: "2024-03-01T10:00Z", to: "2024-03-01T10:30Z" });
      assert.equal(changes.isError, undefined, changes.content[0]!.text);
      assert.equal(JSON.parse(changes.content[1]!.text).metadata.eventCount, 0);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mcp: cloudtrail_changes counts every input and record it skipped, and the other files, as events does", async () => {
  const dir = await deepLogDir({ corrupt: true });
  await Deno.writeTextFile(`${dir}/notes.txt`, "not a log file");
  // A JSON Lines file (as the sync archive holds) with a change and a line that is not JSON: one record skipped.
  const change = {
    ...record("2024-03-01T10:06:00Z", HOSTILE_ROLE, "TerminateInstances"),
    eventSource: "ec2.amazonaws.com",
  };
  await Deno.writeTextFile(`${dir}/changes.jsonl`, JSON.stringify(change) + "\n{not json\n");
  try {
    await withClient(["--log-dir", dir], async (client) => {
      const changes = await call(client, "cloudtrail_changes", { from: "2024-03-01T10:00Z", to: "2024-03-01T10:30Z" });
      assert.equal(changes.isError, undefined, changes.content[0]!.text);
      const report = JSON.parse(changes.content[1]!.text);
      assert.equal(report.metadata.eventCount, 1);
      assert.deepEqual(report.skippedInputs, { "not gzip data": 1 });
      assert.deepEqual(report.skippedRecords, { "invalid JSON line": 1 });
      assert.deepEqual(report.otherFiles, { other: 1 });
      assert.ok(
        changes.content[0]!.text.endsWith(
          "\nskipped 1 inputs (1 not gzip data), 1 records (1 invalid JSON line); 1 other files passed over (1 other)\n",
        ),
        changes.content[0]!.text,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
