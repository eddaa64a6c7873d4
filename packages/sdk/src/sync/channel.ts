/**
 * The blocking channel of a {@link SyncClient}: one worker thread, one
 * `MessagePort` read with `receiveMessageOnPort`, and one shared Int32 the
 * caller sleeps on with `Atomics.wait`. No polling and no serialisation of
 * our own: structured clone carries the messages.
 *
 * Node modules are reached through `process.getBuiltinModule` rather than
 * static imports, so this file can be loaded anywhere and the constructor can
 * say clearly that it needs Node instead of failing at import time.
 *
 * @packageDocumentation
 */
import type * as FS from "node:fs";
import type * as Module from "node:module";
import type * as Path from "node:path";
import type * as Url from "node:url";
import type * as Threads from "node:worker_threads";
import { fromErrorData } from "../internal/error-data.js";
import { ResonantError } from "../core/errors.js";
import { exactTextsOf, keepCopiedTexts } from "../resources/exact-records.js";
import {
  type AbandonMessage,
  SIGNAL_INDEX,
  type CallMessage,
  type WorkerClientOptions,
  type WorkerMessage,
} from "./protocol.js";
import type { WorkerData } from "./worker-data.js";

/** How long a new worker may take to load before a call gives up (tsx compiling sources is the slow case). */
const STARTUP_TIMEOUT_MS = 30_000;

// The worker is wherever the build put it, relative to the module holding
// this code: the bundled entry beside tsup's chunks, a tsc-style layout, or
// the TypeScript source (tests and development).
const WORKER_CANDIDATES = ["./sync-worker.js", "./worker.js", "./worker.ts"];

type NodeProcess = { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };

/**
 * Throws a clear {@link ResonantError} unless this is Node (20.19 or newer,
 * which has `process.getBuiltinModule`).
 *
 * @param scope - Where to look for `process`; `globalThis` by default (a parameter so tests can simulate other runtimes).
 */
export function assertNodeRuntime(scope: object = globalThis): void {
  const proc = (scope as { process?: NodeProcess }).process;
  if (typeof proc?.versions?.node !== "string") {
    throw new ResonantError(
      "SyncClient runs only in Node.js: it blocks the calling thread with Atomics.wait while a worker thread makes the request. In browsers, Deno Deploy and edge runtimes use ResonantClient and await its calls.",
    );
  }
  if (typeof proc.getBuiltinModule !== "function") {
    throw new ResonantError(`SyncClient needs Node.js 20.19 or newer (this is ${proc.versions?.node}).`);
  }
}

function builtin<T>(id: string): T {
  return (globalThis as { process: Required<NodeProcess> }).process.getBuiltinModule(id) as T;
}

/** The worker's file and, for a TypeScript source, the tsx loader that can run it. */
function locateWorker(): { workerUrl: string; tsxUrl: string | undefined } {
  const fs = builtin<typeof FS>("node:fs");
  const url = builtin<typeof Url>("node:url");
  for (const candidate of WORKER_CANDIDATES) {
    const workerUrl = new URL(candidate, import.meta.url);
    if (!fs.existsSync(url.fileURLToPath(workerUrl))) continue;
    return { workerUrl: workerUrl.href, tsxUrl: candidate.endsWith(".ts") ? locateTsx() : undefined };
  }
  throw new ResonantError(
    `SyncClient cannot find its worker script next to ${import.meta.url}; is the package build complete?`,
  );
}

/** tsx's ESM register API, found from this file (a dev dependency of the monorepo). */
function locateTsx(): string {
  const { createRequire } = builtin<typeof Module>("node:module");
  const path = builtin<typeof Path>("node:path");
  const fs = builtin<typeof FS>("node:fs");
  const url = builtin<typeof Url>("node:url");
  try {
    const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
    const exportsMap = (
      JSON.parse(fs.readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> }
    ).exports;
    return url.pathToFileURL(path.join(path.dirname(manifest), exportsMap["./esm/api"]!.import.default)).href;
  } catch (cause) {
    throw new ResonantError(
      "SyncClient from TypeScript sources needs tsx to run its worker; install tsx or use the built package.",
      { cause },
    );
  }
}

/**
 * The worker's first code: load tsx when needed, then the worker module. A
 * failure to load is reported through the channel, so the caller hears of it
 * at once instead of waiting out the startup timeout.
 */
function bootstrap(workerUrl: string, tsxUrl: string | undefined): string {
  return `
const { workerData } = process.getBuiltinModule("node:worker_threads");
(async () => {
  ${tsxUrl === undefined ? "" : `(await import(${JSON.stringify(tsxUrl)})).register();`}
  await import(${JSON.stringify(workerUrl)});
})().catch((error) => {
  workerData.port.postMessage({ type: "fatal", error: { name: "Error", message: String(error?.message ?? error), stack: error?.stack } });
  const wake = new Int32Array(workerData.signal);
  Atomics.add(wake, ${SIGNAL_INDEX}, 1);
  Atomics.notify(wake, ${SIGNAL_INDEX});
});`;
}

/** A call to send: everything but the id, which the channel assigns. */
export type Call = Omit<CallMessage, "type" | "id">;

/** Messages that arrive while a call runs and must be handled on the calling thread. */
export type CallEvent = Extract<WorkerMessage, { type: "callback" | "deprecation" | "log" }>;

/** One worker and the blocking way to talk to it. */
export class Channel {
  readonly #worker: Threads.Worker;
  readonly #port: Threads.MessagePort;
  readonly #wake: Int32Array;
  readonly #receive: typeof Threads.receiveMessageOnPort;
  #ready = false;
  #lastId = 0;
  /** Calls waiting for their answer, innermost last: a callback may make a call while its own call waits. */
  readonly #waiting = new Set<number>();
  /** Messages of waiting calls that arrived while a call made from one of their callbacks waited. */
  readonly #held: WorkerMessage[] = [];
  /** Why calls can no longer be made (closed, or the worker failed). */
  #failure: Error | undefined;

  /** @param options - The options of the worker's client. */
  constructor(options: WorkerClientOptions) {
    const threads = builtin<typeof Threads>("node:worker_threads");
    const { workerUrl, tsxUrl } = locateWorker();
    const { port1, port2 } = new threads.MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const workerData: WorkerData = { port: port2, signal, options };
    this.#worker = new threads.Worker(bootstrap(workerUrl, tsxUrl), {
      eval: true,
      workerData,
      transferList: [port2],
      // Sources import workspace packages through their source condition.
      ...(tsxUrl === undefined ? {} : { execArgv: ["--conditions=@resonantgenesis/source"] }),
    });
    // Neither the thread nor our port may keep the process alive: a script
    // that never calls close() must still exit when its work is done.
    this.#worker.unref();
    port1.unref();
    // Without a listener an error in the worker would crash this process;
    // the worker's exit message already tells a waiting caller.
    this.#worker.on("error", () => {});
    this.#port = port1;
    this.#wake = new Int32Array(signal);
    this.#receive = threads.receiveMessageOnPort;
  }

  /**
   * Send a call and block until its answer; `onEvent` runs for callbacks,
   * deprecation notices and log lines that arrive meanwhile. Throws the call's error, rebuilt.
   */
  call(call: Call, onEvent: (event: CallEvent) => void): unknown {
    if (this.#failure) throw this.#failure;
    this.#awaitReady();
    const id = ++this.#lastId;
    try {
      // The digits exportAll kept for an archive are keyed by its objects, which the worker gets copies of.
      this.#port.postMessage({ type: "call", id, ...call, exact: exactTextsOf(call.args[0]) } satisfies CallMessage);
    } catch (cause) {
      const why = (cause as Error).message.replace(/\.$/, "");
      throw new ResonantError(
        `SyncClient cannot send the arguments of ${call.path.join(".")}() to its worker: ${why}. Pass plain data (objects, arrays, strings, numbers).`,
        { cause },
      );
    }
    this.#waiting.add(id);
    try {
      for (;;) {
        const message = this.#heldFor(id) ?? this.#next(Infinity);
        if (
          message.type === "deprecation" ||
          message.type === "log" ||
          (message.type === "callback" && message.id === id)
        )
          this.#handle(id, message, onEvent);
        else if (message.type === "result" && message.id === id) {
          if (!message.ok) throw fromErrorData(message.error);
          keepCopiedTexts(message.value, message.exact);
          return message.value;
        }
        // A call further up the stack (this one was made from its callback) reads it when this one returns:
        // dropped, its answer would leave that call asleep for ever.
        else if ("id" in message && this.#waiting.has(message.id)) this.#held.push(message);
        // Anything else answers a call abandoned earlier (its callback threw): drop it.
      }
    } finally {
      this.#waiting.delete(id);
      // A call that ends by a callback's throw leaves its later messages unread: nothing will ask for them.
      while (this.#heldFor(id) !== undefined);
    }
  }

  /** Runs `onEvent`; when it throws, the call is over for its caller, and the worker stops it (no more batches). */
  #handle(id: number, message: CallEvent, onEvent: (event: CallEvent) => void): void {
    try {
      onEvent(message);
    } catch (error) {
      // A callback that closed the client has closed the port as well.
      if (!this.#failure) this.#port.postMessage({ type: "abandon", id } satisfies AbandonMessage);
      throw error;
    }
  }

  /** The oldest held message of call `id`, taken out of the hold. */
  #heldFor(id: number): WorkerMessage | undefined {
    const index = this.#held.findIndex((message) => "id" in message && message.id === id);
    return index === -1 ? undefined : this.#held.splice(index, 1)[0];
  }

  /** Stop the worker; later calls throw. */
  close(): void {
    this.#failure ??= new ResonantError("This SyncClient is closed; make a new one.");
    this.#port.close();
    void this.#worker.terminate().catch(() => {});
  }

  #awaitReady(): void {
    if (this.#ready) return;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const message = this.#next(deadline);
    if (message.type !== "ready")
      throw this.#fail(new ResonantError(`SyncClient's worker sent ${message.type} before it was ready.`));
    this.#ready = true;
  }

  /** The next message, sleeping until one comes (or `deadline`, a Date.now() value, passes). */
  #next(deadline: number): WorkerMessage {
    for (;;) {
      // Closed meanwhile (by a callback of the call that waits): the worker's answer can never come.
      if (this.#failure) throw this.#failure;
      // Read the counter before the port: a message posted after this read
      // bumps it, so the wait below returns at once instead of missing it.
      const seen = Atomics.load(this.#wake, SIGNAL_INDEX);
      const received = this.#receive(this.#port);
      if (received !== undefined) return this.#check(received.message as WorkerMessage);
      const timeout = deadline === Infinity ? undefined : Math.max(0, deadline - Date.now());
      if (Atomics.wait(this.#wake, SIGNAL_INDEX, seen, timeout) === "timed-out") {
        throw this.#fail(new ResonantError(`SyncClient's worker did not start within ${STARTUP_TIMEOUT_MS / 1000} s.`));
      }
    }
  }

  #check(message: WorkerMessage): WorkerMessage {
    if (message.type === "exit") {
      throw this.#fail(
        new ResonantError(`SyncClient's worker thread exited (code ${message.code}); make a new SyncClient.`),
      );
    }
    if (message.type === "fatal") {
      const error = fromErrorData(message.error);
      // An SDK error (bad options, say) is the caller's to see as it is.
      throw this.#fail(
        error instanceof ResonantError
          ? error
          : new ResonantError(`SyncClient's worker could not start: ${error.message}`, { cause: error }),
      );
    }
    return message;
  }

  #fail(error: Error): Error {
    this.#failure = error;
    this.close();
    return error;
  }
}
