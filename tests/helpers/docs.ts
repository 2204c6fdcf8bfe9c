/**
 * The user documentation the tests hold to the code: README.md and every docs/*.md, README first, then by name. An
 * example is checked in whichever of these files it lives.
 */
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface DocFile {
  /** From the repository root: `README.md`, `docs/sync.md`. */
  path: string;
  text: string;
}

export async function readDocs(): Promise<DocFile[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${ROOT}docs`)) {
      if (entry.isFile && entry.name.endsWith(".md")) names.push(entry.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const paths = ["README.md", ...names.sort().map((name) => `docs/${name}`)];
  return await Promise.all(paths.map(async (path) => ({ path, text: await Deno.readTextFile(`${ROOT}${path}`) })));
}

/** Whether one of the files shows `text` whole (a text cut in two by a file boundary is not shown). */
export function shown(docs: DocFile[], text: string, normalise: (text: string) => string = (t) => t): boolean {
  const wanted = normalise(text);
  return docs.some((doc) => normalise(doc.text).includes(wanted));
}

/** The one file holding `marker`; throws naming it when none does. */
export function docWith(docs: DocFile[], marker: string): DocFile {
  const doc = docs.find((d) => d.text.includes(marker));
  if (doc === undefined) throw new Error(`no file of the docs holds ${JSON.stringify(marker)}`);
  return doc;
}
