// deno-lint-ignore-file no-console
/**
 * How many records of a `{"Records": [...]}` document `generate` and `check` count as repeats (records reduced to the
 * same keys and text as an earlier one, read as a number only: see docs/architecture.md), per resource mode. What the
 * repeats save in `scripts/bench_generate.ts` depends on this share: it is a property of the input.
 *
 * Run: deno run --config deno.dev.json --allow-read scripts/repeat_share.ts records.json
 */
import { StdinSplitter } from "../src/sources/stdin_chunks.ts";
import { SlimRecords } from "../src/core/records/slim_records.ts";
import { generateFields } from "../src/steps/generate_step.ts";

const path = Deno.args[0];
if (!path) {
  console.error("usage: repeat_share.ts records.json");
  Deno.exit(2);
}
for (const resources of [undefined, "precise"] as const) {
  using file = await Deno.open(path);
  const splitter = new StdinSplitter(file.readable);
  if (await splitter.start(64 << 10) !== "elements") {
    console.error(`${path}: not a {"Records": [...]} document the splitter cuts`);
    Deno.exit(1);
  }
  const reader = new SlimRecords(generateFields({ perPrincipal: false, observe: false, resources }), {
    repeatKey: crypto.getRandomValues(new Uint32Array(4)),
  });
  let records = 0, repeats = 0, unscanned = 0;
  for (let chunk = await splitter.next(64 << 10); chunk; chunk = await splitter.next(64 << 10)) {
    const read = reader.read(chunk.bytes);
    if (!read) {
      unscanned++;
      continue;
    }
    for (const k of read.side!) {
      records++;
      if (k >= 0 && k & 1) repeats++;
    }
  }
  reader.close();
  console.log(
    `${resources ?? "default"}: ${records} records scanned, ${repeats} repeats (${
      (100 * repeats / records).toFixed(1)
    }%)` +
      (unscanned ? `, ${unscanned} chunks not scanned` : ""),
  );
}
