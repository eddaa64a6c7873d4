// `pnpm start`: builds the page, then serves it and the mock API on
// 127.0.0.1 for a person to open in a browser. Sessions are paced so the
// answer can be seen streaming in. Ctrl-C stops both servers.
import { startMockServer } from "@resonantgenesis/mock/server";
import { build } from "../build.js";
import { startStaticServer } from "./static.js";

await build();
// The mock on its own port, a second origin: the page's calls cross origins, as a real page's would (CORS is on).
const mock = await startMockServer({ port: Number(process.env.MOCK_PORT ?? 0), stepDelayMs: 250 });
mock.api.seed({ tools: 2, agents: 12, sessions: 4, memories: 6 });
const site = await startStaticServer(Number(process.env.PORT ?? 0));

console.log(`mock API on ${mock.baseURL}`);
console.log(`open ${site.url}/?api=${encodeURIComponent(mock.baseURL)}`);
console.log("Press Ctrl-C to stop.");

const stop = () => void Promise.all([site.close(), mock.close()]).finally(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
