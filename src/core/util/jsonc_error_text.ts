/** jsonc-parser's error codes in words, for one-line messages about a broken config file. */
import { printParseErrorCode } from "jsonc-parser";

const WORDS: Record<string, string> = {
  InvalidSymbol: "expected JSON (a name or string in double quotes, a number, {, [, true, false or null)",
  InvalidNumberFormat: "expected a number",
  PropertyNameExpected: 'expected a property name in double quotes ("name")',
  ValueExpected: "expected a value",
  ColonExpected: "expected a colon (:) after the property name",
  CommaExpected: "expected a comma (,) before the next entry, or the end of the object (}) or list (])",
  CloseBraceExpected: "expected the end of the object (})",
  CloseBracketExpected: "expected the end of the list (])",
  EndOfFileExpected: "expected the end of the file after the value",
  InvalidCommentToken: "expected a comment after /",
  UnexpectedEndOfComment: "expected the end (*/) of a comment",
  UnexpectedEndOfString: 'expected the closing quote (") of a string',
  UnexpectedEndOfNumber: "expected more digits in a number",
  InvalidUnicode: "expected four hex digits after \\u",
  InvalidEscapeCharacter: 'expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after a backslash',
  InvalidCharacter: "expected no control character inside a string",
};

/** What the parser expected at `offset` of `text` and what it found there, in words. */
export function jsoncErrorText(code: number, text: string, offset: number): string {
  const name = printParseErrorCode(code);
  const found = offset >= text.length
    ? "the end of the file"
    : JSON.stringify(String.fromCodePoint(text.codePointAt(offset)!));
  return `${WORDS[name] ?? name}, found ${found}`;
}
