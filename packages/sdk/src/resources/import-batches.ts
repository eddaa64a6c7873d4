import type { ValidationIssue } from "../core/errors.js";
import type { RawJson } from "../core/lossless-json.js";
import type { RequestOptions } from "../core/options.js";
import type { Logger } from "../internal/log.js";
import { takeHeader } from "../internal/take-header.js";
import { exactItems } from "./exact-records.js";

/** What importAll hands {@link importPlan}: the core's `RawJson` and header check, its logger, limits and options. */
export interface PlanInputs {
  raw: typeof RawJson;
  /** What a header value may not hold (option-checks.ts). */
  bad: RegExp;
  logger: Logger;
  /** At most these items and bytes of body a call. */
  limits: readonly [number, number];
  idempotencyKey: string | undefined;
  onProgress: unknown;
}

/**
 * importAll's calls, kind by kind (each record exportAll kept the text of sent as that text), and every issue that
 * must stop it before the first is sent: a record no call can carry, and options no batch could be sent with.
 */
export function importPlan(
  kinds: readonly string[],
  checked: Record<string, unknown[]>,
  { raw, bad, logger, limits, idempotencyKey, onProgress }: PlanInputs,
): { plan: (readonly [string, unknown[][]])[]; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const plan = kinds.map((kind) => {
    const items = exactItems(kind, checked[kind]!, raw, logger);
    return [kind, importBatches(kind, items, raw, limits, issues)] as const;
  });
  issues.push(...importOptionIssues(idempotencyKey, onProgress, plan, bad));
  return { plan, issues };
}

/**
 * A kind's items in import calls of at most `most` items (docs/protocol.md section 6) and, with room for the envelope,
 * at most `maxBody` bytes of body (section 2's 10 MiB, else 413): a thousand memories of 8,000 emoji are 32 MB.
 * An item is measured by its JSON's UTF-8 bytes (a RawJson's by its own text); one that no call could carry is an
 * issue at its path (`archive.agents.3`), so importAll refuses the archive before it sends anything rather than stop
 * half-way at a 413. (`importBatch` sends what it is given, for a server that takes more to say.)
 */
function importBatches(
  kind: string,
  items: unknown[],
  raw: typeof RawJson,
  [most, maxBody]: readonly [number, number],
  issues: ValidationIssue[],
): unknown[][] {
  const utf8 = new TextEncoder();
  const batches: unknown[][] = [];
  let batch: unknown[] = [];
  let bytes = Infinity;
  for (const [index, item] of items.entries()) {
    let text: string;
    try {
      text = item instanceof raw ? item.text : JSON.stringify(item);
    } catch (error) {
      // Nested deeper than the engine's stack (a RangeError), or a value JSON has no form for (a BigInt).
      issues.push({ path: `archive.${kind}.${index}`, message: `cannot be written as JSON: ${String(error)}` });
      continue;
    }
    const size = utf8.encode(text).length + 1;
    // 4 KiB kept for the envelope, `{"<kind>": [...], "on_conflict": ...}`.
    if (size > maxBody - 4096)
      issues.push({
        path: `archive.${kind}.${index}`,
        message: `is ${size - 1} bytes of JSON: no import call can carry it (a request body is at most ${maxBody} bytes, 10 MiB, docs/protocol.md section 2)`,
      });
    if ((bytes += size) > maxBody - 4096 || batch.length === most) {
      batches.push((batch = []));
      bytes = size;
    }
    batch.push(item);
  }
  return batches;
}

/**
 * What is wrong with the key of some batch, `<key>:<kind>:<batch>`, if one cannot be sent: 1 to 255
 * header-safe characters (docs/protocol.md section 2; `bad` is the header check). It names the derived key that
 * would not fit, since the caller's own key may well be within 255: the longest of each kind is its last batch's.
 */
function batchKeyProblem(key: string, plan: readonly (readonly [string, readonly unknown[]])[], bad: RegExp) {
  for (const [kind, batches] of plan) {
    const longest = `${key}:${kind}:${batches.length - 1}`;
    if (longest.length > 255)
      return `is ${key.length} characters, and the key of the last ${kind} batch made from it ("<key>:${kind}:${batches.length - 1}") would be ${longest.length}, past the 255 an Idempotency-Key may have: shorten it by ${longest.length - 255}`;
    if (bad.test(longest))
      return "must be header-safe characters (no control character, none beyond Latin-1, no whitespace at either end)";
  }
  return undefined;
}

/**
 * What is wrong with importAll's own options, each at its path, found before the first batch is sent: a key
 * some batch's key cannot be made from, and an `onProgress` that is not a function (called after the first
 * batch, it threw with that batch sent and the rest not).
 */
function importOptionIssues(
  key: string | undefined,
  onProgress: unknown,
  plan: readonly (readonly [string, readonly unknown[]])[],
  bad: RegExp,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (onProgress !== undefined && typeof onProgress !== "function")
    issues.push({ path: "options.onProgress", message: "must be a function" });
  const problem = key && batchKeyProblem(key, plan, bad);
  if (problem) issues.push({ path: "options.idempotencyKey", message: problem });
  return issues;
}

/**
 * The key each batch's is derived from (the `idempotencyKey` option, else an `Idempotency-Key` header, in any
 * case), and the call's other options. A header left among them would go unchanged on every batch: one key on
 * several bodies, which the API refuses (409).
 */
export function batchKeyBase({
  idempotencyKey,
  ...options
}: RequestOptions): [string | undefined, RequestOptions & { idempotencyKey?: undefined }] {
  const [named, headers] = takeHeader(options.headers, "idempotency-key");
  return [idempotencyKey ?? named, { ...options, headers }];
}
