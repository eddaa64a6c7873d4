/**
 * The digits `exportAll` would round, kept for `importAll`. `JSON.parse` makes a number a double cannot hold
 * (9007199254740993, a 30-digit id) the nearest double, so an archive object carries it rounded. Where the
 * answer's text holds such a number, each record that holds one is kept beside its object, parsed without loss;
 * `importAll` sends that record as its exact text while the object is as `exportAll` gave it, and says so when
 * it was changed since (its numbers then go as the object holds them). Loaded by `exportAll` and `importAll` only.
 * @module
 */
import { inexactNumbers, JsonNumber, parseLossless, RawJson, stringifyLossless } from "../core/lossless-json.js";
import type { Logger } from "../internal/log.js";

// Keyed by the archive's own record objects: kept as long as the caller keeps the archive.
const EXACT = new WeakMap<object, unknown>();

function holdsJsonNumber(value: unknown): boolean {
  if (value instanceof JsonNumber) return true;
  return typeof value === "object" && value !== null && Object.values(value).some(holdsJsonNumber);
}

/** Keeps, for each record of `items`, its twin in `exact` (the same text parsed without loss) if that holds such a number. */
function keep(items: unknown, exact: unknown): void {
  if (!Array.isArray(items) || !Array.isArray(exact)) return;
  items.forEach((item, i) => {
    if (typeof item === "object" && item !== null && holdsJsonNumber(exact[i])) EXACT.set(item, exact[i]);
  });
}

/** After 1.2's one export answer: `archive` is `text` parsed. Costs one scan of the text when no number needs keeping. */
export function keepArchiveExact(archive: Record<string, unknown>, text: string): void {
  const exact = parseLossless(text, archive) as Record<string, unknown>;
  if (exact !== archive) for (const [key, items] of Object.entries(archive)) keep(items, exact[key]);
}

/** After one export or list page (1.0, 1.1): its `items` were parsed from `text`, where they sit under `key`. */
export function keepPageExact(items: readonly unknown[], text: string, key: string): void {
  if (inexactNumbers(text).length > 0) keep(items, (parseLossless(text) as Record<string, unknown>)[key]);
}

/**
 * `items` as `importAll` sends them: each record `exportAll` kept the digits of, and unchanged since, as a
 * {@link RawJson} of its exact text; the others as they are. A kept record changed since is said once per kind.
 */
export function exactItems(kind: string, items: readonly unknown[], logger: Logger): unknown[] {
  let changed = 0;
  const sent = items.map((item) => {
    const exact = typeof item === "object" && item !== null ? EXACT.get(item) : undefined;
    if (exact === undefined) return item;
    const text = stringifyLossless(exact);
    // Unchanged: rounded again, its exact text is the object.
    if (JSON.stringify(JSON.parse(text)) === JSON.stringify(item)) return new RawJson(text, item);
    changed++;
    return item;
  });
  if (changed > 0)
    logger.warn(
      `importAll: ${changed} ${kind} object(s) held numbers beyond what a JavaScript number holds and were changed after exportAll: they go as they are now, those numbers rounded (use exportStream({ withText: true }) to keep them)`,
    );
  return sent;
}
