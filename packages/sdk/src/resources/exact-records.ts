/**
 * The digits `exportAll` would round, kept for `importAll`. `JSON.parse` makes a number a double cannot hold
 * (9007199254740993, a 30-digit id) the nearest double, so an archive object carries it rounded. Where the
 * answer's text may hold such a number, each record whose text may hold one keeps that text, cut from the
 * answer (paged-text.ts), beside its object; `importAll` sends the record as that text while the object is as
 * `exportAll` gave it, and says so when it was changed since (its numbers then go as the object holds them).
 *
 * Loaded by `exportAll` and `importAll` only (and by the SyncClient, in Node, whose archives cross a thread as
 * copies of their objects), and it imports nothing from the rest of the SDK at run time (what
 * it needs is handed in): see paged-text.ts for why a lazy module must not share a file with the first chunk.
 * @module
 */
import type { RawJson } from "../core/lossless-json.js";
import type { Logger } from "../internal/log.js";
import { arrayItemTexts, type PagedKind } from "./paged-text.js";

// Text a number JSON.parse may not keep as written: 16 significant digits or more (a point among them counts
// too: 12345678.123456789), a three-digit exponent, a negative zero. Broad on purpose: a record it matches for
// nothing (a long digit run in a string) is sent as the text it came as, which is the same value.
const MAY_ROUND = /\d(?:\.?\d){15}|[eE][+-]?\d{3}|-0(?:\.0+)?(?:[eE][+-]?\d+)?(?![\d.])/;

// Keyed by the archive's own record objects: kept as long as the caller keeps the archive.
const EXACT = new WeakMap<object, string>();

/** Keeps, of each array `arrays` names (its key in `text`, its parsed items), the text of each item that may need it. */
export function keepExactTexts(text: string, arrays: Iterable<[key: string, items: unknown]>): void {
  if (!MAY_ROUND.test(text)) return;
  for (const [key, items] of arrays) {
    if (!Array.isArray(items)) continue;
    const texts = arrayItemTexts(text, key);
    // Not cut into as many items: nothing is kept, and the objects go as they are.
    if (texts?.length !== items.length) continue;
    texts.forEach((itemText, i) => {
      const item: unknown = items[i];
      if (typeof item === "object" && item !== null && MAY_ROUND.test(itemText)) EXACT.set(item, itemText);
    });
  }
}

/** An archive's kept texts as `[kind, index, text]`: what crosses to another thread, where the archive is a copy. */
export type ExactTexts = [kind: string, index: number, text: string][];

/** The texts kept for the records of `archive` (an object of arrays), or undefined when none is. */
export function exactTextsOf(archive: unknown): ExactTexts | undefined {
  if (typeof archive !== "object" || archive === null || Array.isArray(archive)) return undefined;
  const texts: ExactTexts = [];
  for (const [kind, items] of Object.entries(archive)) {
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, index) => {
      const text = typeof item === "object" && item !== null ? EXACT.get(item) : undefined;
      if (text !== undefined) texts.push([kind, index, text]);
    });
  }
  return texts.length > 0 ? texts : undefined;
}

/** Keeps `texts`, as {@link exactTextsOf} gave them for an archive, for the records of `copy`, a copy of it. */
export function keepCopiedTexts(copy: unknown, texts: ExactTexts | undefined): void {
  for (const [kind, index, text] of texts ?? []) {
    const item: unknown = (copy as Record<string, unknown[] | undefined>)[kind]?.[index];
    if (typeof item === "object" && item !== null) EXACT.set(item, text);
  }
}

/** 1.2's archive, as `send` (its one call) answers it, its texts kept. */
export async function withExactTexts<T extends object>(send: (keepText: (text: string) => void) => PromiseLike<T>) {
  let text = "";
  const archive = await send((t) => (text = t));
  keepExactTexts(text, Object.entries(archive));
  return archive;
}

/** The archive of a 1.0 or 1.1 account: `header`, then every item of each kind's pages, each page's texts kept. */
export async function collectArchive(kinds: readonly PagedKind[], header: object): Promise<Record<string, unknown>> {
  const archive: Record<string, unknown> = { ...header };
  for (const { kind, key, pages } of kinds) {
    const items: unknown[] = [];
    for await (const item of await pages((page, text) => keepExactTexts(text, [[key, page.data]]))) items.push(item);
    archive[kind] = items;
  }
  return archive;
}

/**
 * `items` as `importAll` sends them: each record whose text `exportAll` kept, and unchanged since, as a `RawJson`
 * (`raw`) of that text; the others as they are. A kept record changed since is said once per kind.
 */
export function exactItems(kind: string, items: readonly unknown[], raw: typeof RawJson, logger: Logger): unknown[] {
  let changed = 0;
  const sent = items.map((item) => {
    const text = typeof item === "object" && item !== null ? EXACT.get(item) : undefined;
    if (text === undefined) return item;
    let same: boolean;
    try {
      // Unchanged: parsed again, its text is the object.
      same = JSON.stringify(JSON.parse(text)) === JSON.stringify(item);
    } catch {
      return item; // JSON cannot write it now (nested too deep): importBatches refuses it at its path
    }
    if (same) return new raw(text, item);
    changed++;
    return item;
  });
  if (changed > 0)
    logger.warn(
      `importAll: ${changed} ${kind} object(s) held numbers beyond what a JavaScript number holds and were changed after exportAll: they go as they are now, those numbers rounded (use exportStream({ withText: true }) to keep them)`,
    );
  return sent;
}
