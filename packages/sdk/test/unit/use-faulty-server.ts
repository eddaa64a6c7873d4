/** The faulty loopback server for one test file, as the files that use it whole take it. */
import { afterAll } from "vitest";
import { type ClientOptions, ResonantClient } from "@resonantgenesis/sdk";
import { type FaultyServer, startFaultyServer } from "./faulty-server.js";

/** Starts the server as the file is collected (top-level await) and closes it after the file's tests. */
export async function useFaultyServer(): Promise<FaultyServer> {
  const server = await startFaultyServer();
  afterAll(() => server.close());
  return server;
}

/** A 1.2 client of `server` that logs nothing and checks no answer (the tests send what they mean to). */
export function clientOf(server: FaultyServer, options: ClientOptions<"1.2"> = {}): ResonantClient<"1.2"> {
  return new ResonantClient<"1.2">({
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    logLevel: "off",
    validateResponses: false,
    ...options,
  });
}

/** What a call meant to fail rejected with; an Error saying so when it succeeded instead. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("the call succeeded"),
    (error: unknown) => error,
  );
}

/** The requests of `method path` that `server` received since `from` (a length of its `received`). */
export function seen(server: FaultyServer, method: string, path: string, from: number) {
  return server.received.slice(from).filter((r) => r.method === method && r.path === path);
}
