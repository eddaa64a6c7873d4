/**
 * The worker thread of a {@link SyncClient}: it holds a real
 * {@link ResonantClient} and runs each call it is sent, so the sync client
 * has no request logic of its own. Lists are collected with
 * `PagePromise.toArray`; errors travel as {@link ErrorData} so the calling
 * side can rebuild the same class.
 *
 * Started by `sync/channel.ts`; not meant to be imported.
 *
 * @packageDocumentation
 */
import { workerData as rawWorkerData } from "node:worker_threads";
import { ResonantClient } from "../client.js";
import { toErrorData } from "../internal/error-data.js";
import { ResonantError } from "../core/errors.js";
import { PagePromise } from "../core/pagination.js";
import { useNodePlatform } from "../node/platform.js";
import { DEFAULT_MAX_ITEMS } from "../internal/defaults.js";
import { exactTextsOf, keepCopiedTexts } from "../resources/exact-records.js";
import { type AbandonMessage, SIGNAL_INDEX, type CallMessage, type WorkerMessage } from "./protocol.js";
import type { WorkerData } from "./worker-data.js";

// The worker is Node too: the same keep-alive transport as the Node entry.
useNodePlatform();

const { port, signal, options } = rawWorkerData as WorkerData;
const wake = new Int32Array(signal);

/** Post a message, then wake the caller: in this order, so the message is queued before it looks. */
function send(message: WorkerMessage): void {
  try {
    port.postMessage(message);
  } catch (err) {
    // A value that cannot be cloned (it should not happen: answers are JSON)
    // must still end the caller's wait, as an error rather than silence.
    if (message.type !== "result") throw err;
    port.postMessage({ type: "result", id: message.id, ok: false, error: toErrorData(err) } satisfies WorkerMessage);
  }
  Atomics.add(wake, SIGNAL_INDEX, 1);
  Atomics.notify(wake, SIGNAL_INDEX);
}

// A key function stays on the calling thread; each call brings the key it returned.
let callKey: string | undefined;
const client = new ResonantClient({
  ...options,
  apiKey: options.apiKey ?? (() => callKey ?? ""),
  onDeprecation: (notice) => send({ type: "deprecation", notice }),
  // The caller's thread writes the lines: its logger could not be sent, and console here would print out of turn.
  logger: {
    error: (...args) => send({ type: "log", level: "error", args }),
    warn: (...args) => send({ type: "log", level: "warn", args }),
    info: (...args) => send({ type: "log", level: "info", args }),
    debug: (...args) => send({ type: "log", level: "debug", args }),
  },
});

/** Walk `path` from the client to the method and the object it belongs to. */
function resolve(path: string[]): { owner: object; method: (...args: unknown[]) => unknown } {
  let owner: unknown = client;
  for (const key of path.slice(0, -1)) owner = (owner as Record<string, unknown>)[key];
  const method = (owner as Record<string, unknown>)[path.at(-1) ?? ""];
  if (typeof method !== "function") throw new ResonantError(`No such method: ${path.join(".")}.`);
  return { owner: owner as object, method: method as (...args: unknown[]) => unknown };
}

// The calls with callbacks, by id: one whose caller gave up (its callback threw) is aborted here.
const abortable = new Map<number, AbortController>();

/** Put back the callbacks the caller could not send, as functions that post back, and a signal to stop the call. */
function withCallbacks(call: CallMessage): unknown[] {
  if (call.callbacks.length === 0) return call.args;
  const args = [...call.args];
  const controller = new AbortController();
  abortable.set(call.id, controller);
  // The caller's options hold no signal: the SyncClient refuses one.
  const last: Record<string, unknown> = { ...(args.at(-1) as Record<string, unknown>), signal: controller.signal };
  for (const name of call.callbacks) {
    last[name] = (...callbackArgs: unknown[]) => send({ type: "callback", id: call.id, name, args: callbackArgs });
  }
  args[args.length - 1] = last;
  return args;
}

/** The `maxItems` of a list call: the last argument is its options when given. */
function maxItemsOf(args: unknown[]): number {
  const last = args.at(-1) as { maxItems?: unknown } | undefined;
  return typeof last === "object" && last !== null && typeof last.maxItems === "number"
    ? last.maxItems
    : DEFAULT_MAX_ITEMS;
}

async function run(call: CallMessage): Promise<unknown> {
  const { owner, method } = resolve(call.path);
  keepCopiedTexts(call.args[0], call.exact);
  const args = withCallbacks(call);
  const result = method.apply(owner, args);
  if (!(result instanceof PagePromise)) return await result;
  const limit = maxItemsOf(args);
  try {
    return await result.toArray({ limit });
  } catch (err) {
    // toArray's own message points to toArray(); a sync caller sets maxItems instead.
    if (!(err instanceof RangeError)) throw err;
    throw new ResonantError(
      `${call.path.join(".")}() has more than ${limit} items; pass { maxItems } in its options to raise the cap, or iterate page by page with ResonantClient.`,
      { cause: err },
    );
  }
}

port.on("message", (message: CallMessage | AbandonMessage) => {
  if (message.type === "abandon") return abortable.get(message.id)?.abort();
  const call = message;
  if (call.apiKey !== undefined) callKey = call.apiKey;
  run(call)
    .then(
      (value) => send({ type: "result", id: call.id, ok: true, value, exact: exactTextsOf(value) }),
      (err: unknown) => send({ type: "result", id: call.id, ok: false, error: toErrorData(err) }),
    )
    .finally(() => abortable.delete(call.id));
});

// If the thread dies for any reason, a caller asleep in Atomics.wait must not sleep forever.
process.on("exit", (code) => send({ type: "exit", code }));

send({ type: "ready" });
