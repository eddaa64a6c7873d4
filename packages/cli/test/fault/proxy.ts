/**
 * A fault-injecting HTTP proxy on 127.0.0.1, to put between a client (the
 * `resonant` CLI, the SDK) and a server (the mock). It shares no code with
 * the mock or the SDK on purpose: its idea of a fault is its own, so it can
 * disagree with ours.
 *
 * Each request draws one fault (or none) from a seeded PRNG, so a failing run
 * is replayed exactly with `FAULT_SEED=<seed>` (the seed is printed on start
 * and is part of {@link FaultProxy.describe}, which failure messages include).
 * Answers that pass go through chunk by chunk, so NDJSON exports and SSE
 * streams stay streams.
 */
import { once } from "node:events";
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * The kinds of fault, in the order rates are drawn:
 * - `500`, `502`, `503`: an error answer; the server never saw the request;
 * - `429`: `Retry-After` answer; the server never saw the request;
 * - `reset`: the connection is destroyed before anything is forwarded (the server did nothing);
 * - `cut`: the server's status, headers and part of its body, then the connection is destroyed;
 * - `lost`: the server's whole answer is awaited (it acted), then the connection is destroyed unanswered;
 * - `held`: the server's answer is held for `holdMs` (longer than the client's timeout), then forwarded or dropped.
 */
export const FAULT_KINDS = ["500", "502", "503", "429", "reset", "cut", "lost", "held"] as const;

/** One kind of fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The server's origin, e.g. `http://127.0.0.1:4010`. */
  target: string;
  /** The PRNG seed; default `FAULT_SEED` from the environment, else a random one. */
  seed?: number;
  /** The chance (0 to 1) of each kind per eligible request; their sum must not pass 1. */
  rates?: Partial<Record<FaultKind, number>>;
  /**
   * Faults forced, in this order, on the first eligible requests (one each),
   * before the random draws take over: so a short run still meets every kind
   * it must. Spaced by `scriptEvery` (default 1: back to back).
   */
  script?: readonly FaultKind[];
  /** Force a scripted fault on every Nth eligible request only (2: one request in two). */
  scriptEvery?: number;
  /** Which requests may be faulted (default: all). */
  eligible?: (method: string, path: string) => boolean;
  /**
   * At most this many faults in a row on one request (its `Idempotency-Key`, else its method and path); the next
   * try passes. A client given more retries than this then never gives up, whatever the seed (default: no bound).
   */
  maxRun?: number;
  /** How long a `held` answer is held, in ms (default 3000). */
  holdMs?: number;
  /** What a `held` answer becomes after `holdMs`: forwarded late, or dropped (default: drawn, half each). */
  heldThen?: "forward" | "drop";
  /** The `Retry-After` of a 429, in seconds (default 1). */
  retryAfter?: number;
  /** Where the start line goes (default: stderr). */
  log?: (line: string) => void;
}

/** One injected fault, for failure messages. */
export interface Injected {
  /** The request's ordinal at the proxy, from 0. */
  n: number;
  kind: FaultKind;
  method: string;
  path: string;
}

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `url + "/api"`: the base URL a client uses. */
  baseURL: string;
  /** The seed, to replay with `FAULT_SEED`. */
  seed: number;
  /** How many of each kind were injected, and how many requests passed untouched. */
  counts: Record<FaultKind | "passed", number>;
  /** Every fault injected, in order. */
  injected: Injected[];
  /** Changes the rates (e.g. to zero, for a clean comparison run). */
  setRates(rates: Partial<Record<FaultKind, number>>): void;
  /** Forces these faults next, as the `script` option does, on every `every`th eligible request (default 1). */
  setScript(script: readonly FaultKind[], every?: number): void;
  /** The seed and the counts on one line: put it in every assertion message. */
  describe(): string;
  /** Stops listening and destroys open connections. */
  close(): Promise<void>;
}

/** mulberry32: a small, fast, seedable PRNG; [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `FAULT_SEED` (a whole number), else a fresh random one. */
export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FAULT_SEED?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
      throw new Error(`FAULT_SEED=${raw}: expected a whole number from 0 to 4294967295`);
    return n;
  }
  return Math.floor(Math.random() * 0xffffffff);
}

const ERROR_CODES: Record<string, string> = {
  "500": "internal_error",
  "502": "upstream_error",
  "503": "service_unavailable",
  "429": "rate_limit_exceeded",
};

/** Starts the proxy; see {@link FaultProxyOptions}. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const seed = options.seed ?? seedFromEnv();
  const random = prng(seed);
  let rates = checkRates(options.rates ?? {});
  const holdMs = options.holdMs ?? 3000;
  const target = new URL(options.target);
  const counts = Object.fromEntries([...FAULT_KINDS, "passed"].map((k) => [k, 0])) as FaultProxy["counts"];
  const injected: Injected[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let n = 0;

  let script = [...(options.script ?? [])];
  let every = options.scriptEvery ?? 1;
  let eligibleSeen = 0;
  const runs = new Map<string, number>();
  const draw = (method: string, path: string, request: string): FaultKind | undefined => {
    // Always draw, eligible or not, so one seed gives one sequence whatever the filter lets through.
    const r = random();
    if (options.eligible && !options.eligible(method, path)) return undefined;
    const run = runs.get(request) ?? 0;
    const kind = run >= (options.maxRun ?? Infinity) ? undefined : pick(r);
    if (kind === undefined) runs.delete(request);
    else runs.set(request, run + 1);
    return kind;
  };
  const pick = (r: number): FaultKind | undefined => {
    if (script.length > 0 && eligibleSeen++ % every === 0) return script.shift();
    let sum = 0;
    for (const kind of FAULT_KINDS) {
      sum += rates[kind] ?? 0;
      if (r < sum) return kind;
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const key = req.headers["idempotency-key"];
    const kind = draw(method, path, typeof key === "string" ? key : `${method} ${path}`);
    const ordinal = n++;
    if (kind === undefined) counts.passed++;
    else {
      counts[kind]++;
      injected.push({ n: ordinal, kind, method, path });
    }
    handle(kind, req, res).catch(() => res.destroy());
  });

  async function handle(kind: FaultKind | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (kind === "500" || kind === "502" || kind === "503" || kind === "429") {
      req.resume();
      const body = JSON.stringify({
        error: { code: ERROR_CODES[kind], message: `injected by the fault proxy (${kind})` },
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
      };
      if (kind === "429") headers["retry-after"] = String(options.retryAfter ?? 1);
      res.writeHead(Number(kind), headers).end(body);
      return;
    }
    if (kind === "reset") {
      req.socket.destroy();
      return;
    }
    const upstream = await forward(req);
    // A client that gives up takes the upstream answer down too (a stream is not left running).
    res.once("close", () => upstream.destroy());
    if (kind === undefined) return pipeThrough(upstream, res);
    if (kind === "cut") return cutMidBody(upstream, res, random);
    // "lost" and "held": the server acts and answers in full before the client hears anything.
    const body = await readAll(upstream);
    if (kind === "lost") {
      res.socket?.destroy();
      return;
    }
    const then = options.heldThen ?? (random() < 0.5 ? "forward" : "drop");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, holdMs);
      timers.add(timer);
      res.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (res.destroyed || res.socket?.destroyed) return;
    if (then === "drop") return void res.socket?.destroy();
    res.writeHead(upstream.statusCode ?? 502, hopByHopless(upstream.headers)).end(body);
  }

  function forward(req: IncomingMessage): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        resolve,
      );
      out.on("error", reject);
      req.pipe(out);
    });
  }

  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (options.log ?? ((line) => process.stderr.write(`${line}\n`)))(
    `fault proxy on ${url} -> ${target.origin}, FAULT_SEED=${seed}`,
  );

  return {
    url,
    baseURL: `${url}/api`,
    seed,
    counts,
    injected,
    setRates: (next) => void (rates = checkRates(next)),
    setScript: (next, spacing = 1) => {
      script = [...next];
      every = spacing;
      eligibleSeen = 0;
    },
    describe: () =>
      `FAULT_SEED=${seed} injected ${JSON.stringify(counts)}; the last: ${injected
        .slice(-4)
        .map((f) => `#${f.n} ${f.kind} ${f.method} ${f.path}`)
        .join(", ")}`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close").catch(() => undefined);
    },
  };
}

function checkRates(rates: Partial<Record<FaultKind, number>>): Partial<Record<FaultKind, number>> {
  let sum = 0;
  for (const [kind, rate] of Object.entries(rates)) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind))
      throw new Error(`fault proxy: unknown fault kind '${kind}' (${FAULT_KINDS.join(", ")})`);
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1))
      throw new Error(`fault proxy: rates.${kind} must be from 0 to 1, got ${String(rate)}`);
    sum += rate;
  }
  if (sum > 1) throw new Error(`fault proxy: the rates add up to ${sum}, more than 1`);
  return rates;
}

/** The upstream's headers without the ones that describe one connection. */
function hopByHopless(headers: IncomingMessage["headers"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === "connection" || name === "keep-alive" || name === "transfer-encoding") continue;
    out[name] = value;
  }
  return out;
}

/** Streams the answer on, chunk by chunk (flushed as it comes, so NDJSON and SSE stay live). */
function pipeThrough(upstream: IncomingMessage, res: ServerResponse): void {
  res.writeHead(upstream.statusCode ?? 502, hopByHopless(upstream.headers));
  res.flushHeaders();
  upstream.pipe(res);
}

/** Forwards status, headers and a random part of the body (at least one byte short of it), then destroys the connection. */
function cutMidBody(upstream: IncomingMessage, res: ServerResponse, random: () => number): Promise<void> {
  const length = Number(upstream.headers["content-length"] ?? NaN);
  // A body of unknown length (a stream) is cut somewhere in its first 64 KiB.
  const keep = Math.floor(random() * (Number.isFinite(length) ? Math.max(length - 1, 0) : 65_536));
  res.writeHead(upstream.statusCode ?? 502, hopByHopless(upstream.headers));
  res.flushHeaders();
  let sent = 0;
  let done = false;
  return new Promise((resolve) => {
    const cut = () => {
      if (done) return;
      done = true;
      upstream.destroy();
      res.socket?.destroy();
      resolve();
    };
    if (keep === 0) return cut();
    upstream.on("data", (chunk: Buffer) => {
      if (sent >= keep) return;
      const part = chunk.subarray(0, keep - sent);
      sent += part.length;
      if (part.length > 0) res.write(part);
      // Let the part reach the client before the connection goes.
      if (sent >= keep) res.write("", () => cut());
    });
    upstream.once("end", cut);
    upstream.once("error", cut);
  });
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
