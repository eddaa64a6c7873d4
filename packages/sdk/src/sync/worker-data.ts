/**
 * What a SyncClient's worker thread receives as `workerData`. Kept apart from
 * protocol.ts because it names Node's `MessagePort`: protocol.ts is imported
 * by sync/client.ts, close to the package's public types, and those must
 * compile in a project without @types/node (TypeScript 6 loads no @types
 * package that `types` does not list). Only channel.ts and worker.ts, whose
 * declarations no public type imports, use this file.
 *
 * @packageDocumentation
 */
import type { MessagePort } from "node:worker_threads";
import type { WorkerClientOptions } from "./protocol.js";

/** What the worker receives as `workerData`. */
export interface WorkerData {
  /** Its end of the channel: calls arrive here, answers leave from here. */
  port: MessagePort;
  /** One Int32 the worker bumps and notifies after every message it posts. */
  signal: SharedArrayBuffer;
  /** The options of the worker's `ResonantClient`. */
  options: WorkerClientOptions;
}
