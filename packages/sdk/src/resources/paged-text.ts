/**
 * Cutting each item's text from a list or export page's text, for
 * `exportStream({ withText: true })` on 1.0 and 1.1 (data-export.ts). Those
 * versions have no NDJSON export, so the records are built from pages, which
 * the core parses with `JSON.parse`: a number a double cannot hold
 * (9007199254740993, a 30-digit integer in a field this SDK does not know) is
 * rounded in `data`. A record's `text` cut from its page holds the server's
 * digits, as on 1.2.
 *
 * A scan rather than `parseLossless`: that parser is public API, so its file
 * is in every app's first chunk, and an app bundler that saw it used here
 * would load it with every `ResonantClient` (esbuild splits by file). This
 * module imports nothing at run time, for the same reason: what it needs is
 * handed in, so it loads only when texts are asked for and adds no chunk
 * boundary to the rest of an app.
 * @module
 */
import type { Page, PagePromise } from "../core/pagination.js";
import type { ExportRecord, WithText } from "./data.js";

/** A JSON string starting at `lastIndex` (the text was parsed already, so it is valid JSON); unrolled, so a long string does not backtrack. */
const STRING = /"[^"\\]*(?:\\.[^"\\]*)*"/y;
/** Whitespace between tokens, and the strings it must not be looked for in. */
const BLANKS = /("[^"\\]*(?:\\.[^"\\]*)*")|[ \t\n\r]+/g;

/** A value's text without the whitespace between its tokens, so it fits on one NDJSON line. */
const compact = (text: string) => (/[ \t\n\r]/.test(text) ? text.replace(BLANKS, "$1") : text);

/**
 * The text of each element of the array that is member `key` of the JSON
 * object `text`, numbers and strings as the text writes them; undefined when
 * there is no such array. A key written twice counts its last time, as in
 * `JSON.parse`.
 */
export function arrayItemTexts(text: string, key: string): string[] | undefined {
  let found: string[] | undefined;
  let reading: string[] | undefined;
  let depth = 0;
  let atKey = false;
  let name: unknown;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    // An element starts at its first token inside the array being read.
    if (reading !== undefined && depth === 2 && start < 0 && !/[ \t\n\r,\]]/.test(c!)) start = i;
    if (c === '"') {
      STRING.lastIndex = i;
      STRING.test(text);
      if (depth === 1 && atKey) {
        name = JSON.parse(text.slice(i, STRING.lastIndex));
        atKey = false;
      }
      i = STRING.lastIndex - 1;
    } else if (c === "{" || c === "[") {
      if (depth === 1 && c === "[" && name === key) reading = [];
      depth += 1;
      if (depth === 1) atKey = true;
    } else if (c === "}" || c === "]") {
      depth -= 1;
      if (reading !== undefined && depth === 1) {
        if (start >= 0) reading.push(compact(text.slice(start, i)));
        [found, reading, start] = [reading, undefined, -1];
      }
    } else if (c === ",") {
      if (depth === 1) atKey = true;
      else if (reading !== undefined && depth === 2) {
        reading.push(compact(text.slice(start, i)));
        start = -1;
      }
    }
  }
  return found;
}

/** One kind as data-export.ts hands it: its record name, where its pages hold the items, and its pages. */
export interface PagedKind {
  kind: string;
  name: string;
  /** `data` for a list page, the kind for an export page. */
  key: string;
  /** The kind's pages, each handed to `keepText` with its answer's text. */
  pages(keepText: (page: Page<unknown>, text: string) => void): PagePromise<unknown>;
}

/**
 * The records of a 1.0 or 1.1 account, kind by kind, as data-export.ts's
 * `exportRecordsByKind` gives them, each with `text`: `{"kind":...,"data":...}`
 * where `data` is the item's text from its page; `data` stays what the core
 * parsed and checked, as on 1.2. `refuse` makes the error for a page whose
 * text cannot be cut into as many items as it parsed to.
 */
export async function* exactPagedRecords(
  kinds: PagedKind[],
  refuse: (path: string, message: string) => Error,
): AsyncGenerator<ExportRecord & WithText, void, undefined> {
  const texts = new WeakMap<Page<unknown>, string>();
  const keepText = (page: Page<unknown>, text: string) => void texts.set(page, text);
  const counts: Record<string, number> = {};
  for (const { kind, name, key, pages } of kinds) {
    counts[kind] = 0;
    for await (const page of (await pages(keepText)).iterPages()) {
      // The text the page's items were parsed from: the same items, in the same order.
      const items = arrayItemTexts(texts.get(page)!, key);
      texts.delete(page);
      if (items?.length !== page.data.length)
        throw refuse(key, "the page's text could not be cut into its items: their exact text is not known");
      for (let i = 0; i < items.length; i++) {
        counts[kind] += 1;
        const text = `{"kind":"${name}","data":${items[i]}}`;
        yield { kind: name, data: page.data[i], text } as ExportRecord & WithText;
      }
    }
  }
  const end = { kind: "end" as const, counts };
  yield { ...end, text: JSON.stringify(end) } as ExportRecord & WithText;
}
