/**
 * The 1.2 NDJSON export (`GET /data/export`, docs/protocol.md section 6) as
 * records, resumed after a cut or a stall. The protocol gives the stream no
 * cursor, so the reader keeps its own: the kinds it has finished and, in the
 * kind it was reading, how many records it handed out and the last one's id.
 * The export's order is fixed (kind by kind, each oldest first), so a new
 * request skips what was handed out and goes on from there: every record
 * reaches the caller once, in order, and memory stays flat.
 *
 * @packageDocumentation
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import { isKind, kindOfRecord, RECORD_KIND } from "@resonantgenesis/schemas/meta";
import type { Caller, SchemaName } from "../internal/caller.js";
import type { Check } from "@resonantgenesis/schemas/checks";
import { APIConnectionError, ResponseValidationError } from "../core/errors.js";
import { parseNDJSON, type NDJSONLine } from "../internal/ndjson.js";
import type { RequestOptions } from "../core/options.js";
import { isCut, retryDelayMs, sleep } from "../internal/retry.js";
import type { ExportRecord, UnknownExportRecord, WithText } from "./data.js";

// Here, its one user, not in data-export.ts: this module is loaded lazily, and a module it shared with the entry
// would be a chunk of its own in every app's bundle.
const KNOWN_RECORD_KINDS: ReadonlySet<string> = new Set([...Object.values(RECORD_KIND), "end"]);

/**
 * A record that failed its check, its issues' paths put where exportAll's archive would put them
 * (`data.name` of the fourth agent is `agents.3.name`): a bare `data.name` would not say which of
 * a million records it was. `index` is how many of its kind came before it.
 */
function located(error: unknown, value: unknown, index: (kind: string) => number): unknown {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (!(error instanceof ResponseValidationError) || typeof kind !== "string" || kind === "end") return error;
  const at = `${kindOfRecord(kind) ?? kind}.${index(kind)}`;
  const issues = error.issues.map((issue) => ({
    path:
      issue.path === "data" ? at : issue.path.startsWith("data.") ? at + issue.path.slice(4) : `${at} ${issue.path}`,
    message: issue.message,
  }));
  return new ResponseValidationError(undefined, { issues, requestId: error.requestId, apiVersion: error.apiVersion });
}

/** Where a reader of the export stands: what a new request must skip. */
interface ExportCursor {
  /** Kinds every record of which was handed out. */
  finished: Set<string>;
  /** The kind being read, its records handed out so far, and the last one's id. */
  kind: string | undefined;
  count: number;
  lastId: string | undefined;
}

/** A record's kind as the stream names it (a newer server's unknown kind included). */
function kindOf(record: ExportRecord): string {
  return record.kind === "unknown" ? record.raw.kind : record.kind;
}

/**
 * Where the end line's counts and the records that arrived part, per kind (`agents: 2 arrived, counted 1`), or
 * undefined. A newer server's record kinds are taken together: their archive names come from this line alone.
 */
function kindsAstray(seen: Record<string, number>, counts: Record<string, number | undefined>): string | undefined {
  const arrived = new Map<string, number>();
  for (const [recordKind, n] of Object.entries(seen)) {
    const kind = kindOfRecord(recordKind) ?? "(newer kinds)";
    arrived.set(kind, (arrived.get(kind) ?? 0) + n);
  }
  const promised = new Map<string, number>();
  for (const [kind, n] of Object.entries(counts)) {
    const key = isKind(kind) ? kind : "(newer kinds)";
    promised.set(key, (promised.get(key) ?? 0) + (n ?? 0));
  }
  const astray = [...new Set([...arrived.keys(), ...promised.keys()])]
    .filter((kind) => (arrived.get(kind) ?? 0) !== (promised.get(kind) ?? 0))
    .map((kind) => `${kind}: ${arrived.get(kind) ?? 0} arrived, counted ${promised.get(kind) ?? 0}`);
  return astray.length > 0 ? astray.join("; ") : undefined;
}

/** A record's object id, when it has one. */
function idOf(record: ExportRecord): string | undefined {
  const data = record.kind === "unknown" ? record.raw.data : (record as { data?: unknown }).data;
  const id = (data as { id?: unknown } | null | undefined)?.id;
  return typeof id === "string" ? id : undefined;
}

/** A body read that fails mid-stream means the export is incomplete: say so in our terms. */
function asIncomplete(error: unknown): unknown {
  return error instanceof TypeError
    ? new APIConnectionError("The export stream was cut: the export is incomplete.", { cause: error })
    : error;
}

/** An error the resume must not try to cure (the end line disagrees, the account changed): thrown through the catch as it is. */
class Final {
  constructor(readonly error: unknown) {}
}

/**
 * Which records a request after a cut must skip, from the cursor when it was
 * made: the finished kinds whole, and the first `count` of the kind being
 * read, the last of which must be the record handed out last.
 */
function skipper(cursor: ExportCursor): (record: ExportRecord) => boolean {
  const finished = new Set(cursor.finished);
  const { kind: current, lastId } = cursor;
  let left = cursor.count;
  return (record) => {
    if (record.kind === "end") return false;
    const kind = kindOf(record);
    if (finished.has(kind)) return true;
    if (kind !== current || left === 0) return false;
    left -= 1;
    if (left === 0 && lastId !== undefined && idOf(record) !== lastId) {
      throw new Final(
        new APIConnectionError(
          `The export cannot resume: the account changed while it ran (${kind} ${lastId} is no longer where it was). Export again.`,
        ),
      );
    }
    return true;
  };
}

/**
 * Every record of the 1.2 NDJSON export, ending with `end`. A cut or a stall
 * (`streamIdleTimeout`) of an answer under way is resumed up to `maxRetries`
 * times in a row (a record that arrives resets the count); a request with no
 * answer has the transport's retries only. What no resume cures, and a stream
 * whose `end` line counts other records than arrived, throws an
 * {@link APIConnectionError}, so a partial export is never taken for a whole one.
 *
 * @param caller - The client's caller (pinned to 1.2).
 * @param options - The request options.
 * @param withText - Give each record its line as the server sent it.
 */
export async function* streamExport<V extends ApiVersion>(
  caller: Caller<V>,
  options: RequestOptions,
  withText: boolean,
): AsyncGenerator<ExportRecord, void, undefined> {
  const maxResumes = caller.retries(options);
  const recordCheck = await caller.answerCheck("ExportRecord" as SchemaName<V>);
  const cursor: ExportCursor = { finished: new Set(), kind: undefined, count: 0, lastId: undefined };
  const seen: Record<string, number> = {};
  let failures = 0;
  let wait = 0;
  for (;;) {
    let lines: AsyncGenerator<unknown, void, undefined> | undefined;
    let answered = false;
    try {
      const { body, requestId } = await caller.stream({
        method: "GET",
        path: "data/export",
        accept: "application/x-ndjson",
        options,
      });
      answered = true;
      const skips = skipper(cursor);
      // Stepped by hand rather than through a wrapping generator: one async hop less per record.
      lines = parseNDJSON(body, { requestId, apiVersion: "1.2", withText });
      for (;;) {
        // Lines already read stop at an abort too, not only the socket.
        options.signal?.throwIfAborted();
        const step = await lines.next();
        if (step.done) break;
        const line = withText ? (step.value as NDJSONLine) : undefined;
        const value = line ? line.value : step.value;
        let record: ExportRecord;
        try {
          const read = readRecord(caller, value, recordCheck, requestId);
          record = read instanceof Promise ? await read : read;
        } catch (error) {
          throw located(error, value, (kind) => seen[kind] ?? 0);
        }
        if (skips(record)) continue;
        failures = 0;
        if (line) (record as ExportRecord & WithText).text = line.text;
        if (record.kind === "end") {
          const counted = Object.values(seen).reduce((a, b) => a + b, 0);
          const promised = Object.values(record.counts).reduce<number>((a, b) => a + (b ?? 0), 0);
          const tally = `${counted} records arrived, its end line counts ${promised}`;
          // Fewer is a stream that lost lines; more is an answer that contradicts itself, which no resume mends.
          if (counted < promised) throw new Final(new APIConnectionError(`The export stream is incomplete: ${tally}.`));
          const refuse = (message: string) =>
            new Final(
              new ResponseValidationError(undefined, {
                issues: [{ path: "end.counts", message }],
                requestId,
                apiVersion: caller.apiVersion,
              }),
            );
          if (counted > promised) throw refuse(`${tally}: more records than the export says it holds`);
          const astray = kindsAstray(seen, record.counts);
          if (astray) throw refuse(`records of one kind counted as another's (${astray})`);
          // The end line is the last: a line after it would be dropped unseen once the caller has its end.
          if (!(await lines.next()).done) throw refuse("a line came after the end line");
          yield record;
          return;
        }
        const kind = kindOf(record);
        seen[kind] = (seen[kind] ?? 0) + 1;
        if (kind !== cursor.kind) {
          if (cursor.kind !== undefined) cursor.finished.add(cursor.kind);
          cursor.kind = kind;
          cursor.count = 0;
        }
        cursor.count += 1;
        cursor.lastId = idOf(record);
        yield record;
      }
      throw new APIConnectionError("The export stream was cut before its end line: the export is incomplete.");
    } catch (error) {
      if (error instanceof Final) throw error.error;
      // A request that got no answer had the transport's retries already: resuming it too would multiply them.
      // The caller's abort ends it with the abort's reason, as it ends every call.
      if (options.signal?.aborted) throw options.signal.reason;
      if (!answered || !isCut(error) || failures >= maxResumes) throw asIncomplete(error);
      failures += 1;
      wait = retryDelayMs(failures);
      caller.logger.info(
        `resuming the export in ${+(wait / 1000).toFixed(1)} s after ${cursor.count} ${cursor.kind ?? "export"} record(s) (retry ${failures} of ${maxResumes}): ${(error as Error).message}`,
      );
    } finally {
      // As for-await would on an early exit: cancels the body. A no-op once the lines ended or failed.
      await lines?.return(undefined);
    }
    await sleep(wait, options.signal);
  }
}

/** One NDJSON line, read this client's way: a kind it does not know is handed on whole. */
function readRecord<V extends ApiVersion>(
  caller: Caller<V>,
  value: unknown,
  check: Check | undefined,
  requestId: string | undefined,
): ExportRecord | Promise<ExportRecord> {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof kind !== "string") {
    throw new ResponseValidationError(undefined, {
      issues: [{ path: "kind", message: "is required (a string)" }],
      requestId,
      apiVersion: caller.apiVersion,
    });
  }
  if (!KNOWN_RECORD_KINDS.has(kind) && caller.validate !== "strict")
    return { kind: "unknown", raw: value as UnknownExportRecord["raw"] };
  return caller.checked<ExportRecord>("ExportRecord" as SchemaName<V>, check, value, requestId);
}
