/** The faulty loopback server for one test file, as the files that use it whole take it. */
import { afterAll } from "vitest";
import { type FaultyServer, startFaultyServer } from "./faulty-server.js";

/** Starts the server as the file is collected (top-level await) and closes it after the file's tests. */
export async function useFaultyServer(): Promise<FaultyServer> {
  const server = await startFaultyServer();
  afterAll(() => server.close());
  return server;
}
