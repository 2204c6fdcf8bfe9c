/** The docs link to each other by relative paths and heading anchors: every such link leads somewhere. */
import assert from "node:assert/strict";
import { type DocFile, readDocs, ROOT } from "./helpers/docs.ts";

const docs = await readDocs();

/** GitHub's anchor of a heading: lower case, punctuation (backticks, parentheses, `|`, emoji) dropped, spaces to `-`. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replaceAll(" ", "-");
}

/** The anchors of a file's headings (outside code blocks), with GitHub's `-1`, `-2` for repeated ones. */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.trimStart().startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = anchor(heading[1]!);
    let name = base;
    for (let n = 1; found.has(name); n++) name = `${base}-${n}`;
    found.add(name);
  }
  return found;
}

/** Relative Markdown links `[text](path#anchor)` outside code blocks and code spans. */
function links(doc: DocFile): string[] {
  const prose = doc.text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
}

Deno.test("docs: every relative link leads to a file and heading that exist", async () => {
  let checked = 0;
  for (const doc of docs) {
    const dir = doc.path.includes("/") ? doc.path.slice(0, doc.path.lastIndexOf("/") + 1) : "";
    for (const target of links(doc)) {
      const [file, hash] = target.split("#") as [string, string | undefined];
      const path = file === "" ? doc.path : new URL(file, `file:///${dir}`).pathname.slice(1);
      const text = await Deno.readTextFile(`${ROOT}${path}`).catch(() => null);
      assert.ok(text !== null, `${doc.path}: link to ${target}: no file ${path}`);
      if (hash !== undefined) assert.ok(anchors(text).has(hash), `${doc.path}: link to ${target}: no such heading`);
      checked++;
    }
  }
  assert.ok(checked > 0 || docs.length === 1, "no links found");
});

Deno.test("docs: the README's map links every file of docs/", () => {
  const readme = docs[0]!;
  const linked = new Set(links(readme).map((t) => t.split("#")[0]));
  for (const doc of docs.slice(1)) assert.ok(linked.has(doc.path), `README.md does not link ${doc.path}`);
});
