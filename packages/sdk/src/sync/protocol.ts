/**
 * The messages between a {@link SyncClient} and its worker thread. Both sides
 * import only types from here, so neither pulls the other's code in.
 *
 * The calling thread posts a {@link CallMessage} through a `MessagePort` and
 * then sleeps in `Atomics.wait` on one shared counter. The worker posts every
 * answer through the port first and bumps the counter second, so a woken
 * caller always finds the answer already queued when it reads the port with
 * `receiveMessageOnPort`.
 *
 * @packageDocumentation
 */
import type { ClientOptions } from "../core/options.js";
import type { DeprecationNotice } from "../internal/deprecation.js";
import type { ErrorData } from "../internal/error-data.js";
import type { LogSink } from "../internal/log.js";
import type { ExactTexts } from "../resources/exact-records.js";

/** Index of the wake-up counter in the shared `Int32Array`. */
export const SIGNAL_INDEX = 0;

/**
 * The client options that can cross the thread boundary: functions cannot be
 * cloned, so `fetch`, `onDeprecation` and `logger` stay behind (the last two
 * get what the worker's client reports as messages), and a key function is
 * replaced by the key the calling side resolves before every call.
 */
export type WorkerClientOptions = Omit<ClientOptions, "apiKey" | "fetch" | "onDeprecation" | "logger"> & {
  /** A static key, or undefined when every call brings its own (a key function on the calling side). */
  apiKey?: string | undefined;
};

/** One call of a resource method, e.g. `agents.list`. */
export interface CallMessage {
  type: "call";
  /** Increases with every call; answers carry it so a stale answer is never taken for a later call's. */
  id: number;
  /** The property path of the method: `["sessions", "steps", "list"]`. */
  path: string[];
  /** The arguments, with the last one's functions removed (see `callbacks`). */
  args: unknown[];
  /** Names of function-valued properties of the last argument (e.g. `onProgress`), called back on the calling thread. */
  callbacks: string[];
  /** The key for this call when the caller gave a key function. */
  apiKey?: string | undefined;
  /** The exact texts the first argument's records hold (an archive `exportAll` gave, on its way to `importAll`). */
  exact?: ExactTexts | undefined;
}

/** The caller stopped waiting for call `id` (its callback threw): the worker aborts it. */
export interface AbandonMessage {
  type: "abandon";
  id: number;
}

/** What the worker posts back. */
export type WorkerMessage =
  /** The worker built its client and listens for calls. */
  | { type: "ready" }
  /** The worker could not start; nothing will follow. */
  | { type: "fatal"; error: ErrorData }
  /** A call finished. */
  | { type: "result"; id: number; ok: true; value: unknown; exact?: ExactTexts | undefined }
  | { type: "result"; id: number; ok: false; error: ErrorData }
  /** A callback of call `id` (e.g. `onProgress`) fired in the worker; run it on the calling side. */
  | { type: "callback"; id: number; name: string; args: unknown[] }
  /** The worker's client saw a deprecation notice. */
  | { type: "deprecation"; notice: DeprecationNotice }
  /** The worker's client logged a line (already levelled, prefixed and redacted); the caller's logger writes it. */
  | { type: "log"; level: keyof LogSink; args: unknown[] }
  /** The worker is exiting: no answer will ever come. */
  | { type: "exit"; code: number };
