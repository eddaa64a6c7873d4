// The mock API in a process of its own, for the sync script. A SyncClient
// blocks its thread until each answer arrives, so a mock served by that same
// thread could never answer (a deadlock); a child process has its own event loop.
// Prints one line, the base URL, on stdout once it listens; stops on SIGTERM.
import { startMockServer } from "@resonantgenesis/mock/server";

const server = await startMockServer({ seed: { agents: 30, tools: 2, sessions: 5, memories: 4 } });
process.stdout.write(`${server.baseURL}\n`);

const stop = () => void server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// If the parent dies without killing us, its end of stdin closes: stop too, rather than linger.
process.stdin.on("end", stop).resume();
