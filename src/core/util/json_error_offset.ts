/**
 * Finds where a JSON text stops being valid, for error messages: V8's JSON.parse
 * does not always say. Runs only after JSON.parse has failed, so speed does not matter.
 */

// How far ahead a number or keyword literal is looked for: longer than any literal worth reporting.
const LITERAL_LOOKAHEAD = 400;

/** The offset of the first invalid character (the text length when it ends too early), or -1 when valid. */
export function jsonErrorOffset(text: string): number {
  const scan = new JsonScan(text);
  try {
    scan.value();
    scan.ws();
    return scan.at < text.length ? scan.at : -1;
  } catch (at) {
    return at as number;
  }
}

/** A recursive-descent check of one JSON text; it throws the offset where the text stops being JSON. */
class JsonScan {
  at = 0;

  constructor(private readonly text: string) {}

  ws(): void {
    const text = this.text;
    while (this.at < text.length && " \t\n\r".includes(text.charAt(this.at))) this.at++;
  }

  fail(): never {
    throw this.at;
  }

  expect(c: string): void {
    if (this.text.charAt(this.at) === c) this.at++;
    else this.fail();
  }

  string(): void {
    const text = this.text;
    this.expect('"');
    for (;;) {
      if (this.at >= text.length) this.fail();
      const c = text.charCodeAt(this.at);
      if (c === 0x22) return void this.at++;
      if (c < 0x20) this.fail();
      if (c === 0x5c) {
        this.at++;
        const e = text.charAt(this.at);
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.at + 1, this.at + 5))) this.fail();
          this.at += 5;
        } else if ('"\\/bfnrt'.includes(e) && e !== "") this.at++;
        else this.fail();
      } else this.at++;
    }
  }

  /** One value; objects and arrays recurse here (one frame per level of nesting). */
  value(): void {
    const text = this.text;
    this.ws();
    const c = text.charAt(this.at);
    if (c === "{") {
      this.at++;
      this.ws();
      if (text.charAt(this.at) === "}") return void this.at++;
      for (;;) {
        this.ws();
        this.string();
        this.ws();
        this.expect(":");
        this.value();
        this.ws();
        if (text.charAt(this.at) === ",") this.at++;
        else return this.expect("}");
      }
    }
    if (c === "[") {
      this.at++;
      this.ws();
      if (text.charAt(this.at) === "]") return void this.at++;
      for (;;) {
        this.value();
        this.ws();
        if (text.charAt(this.at) === ",") this.at++;
        else return this.expect("]");
      }
    }
    if (c === '"') return this.string();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      text.slice(this.at, this.at + LITERAL_LOOKAHEAD),
    );
    if (!m) this.fail();
    this.at += m[0].length;
  }
}
