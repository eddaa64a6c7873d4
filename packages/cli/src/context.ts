/**
 * The global options (`--api-key`, `--base-url`, `--api-version`, `--json`,
 * `--quiet`, and the traffic knobs `--rate`, `--concurrency`,
 * `--max-retries`) and the SDK clients made from them. Every request goes
 * through the SDK; the CLI only wraps the SDK's own transport to pace
 * requests (`--rate`) and to report retries as warnings.
 * @module
 */
import {
  createNodeFetch,
  DEFAULT_BASE_URL,
  formatDeprecationNotice,
  ResonantClient,
  type ApiVersion,
  type DeprecationNotice,
  type Fetch,
} from "@resonantgenesis/sdk";
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import { proxyAgents, proxyFor } from "./core/proxy.js";
import { CliError } from "./exit.js";
import { registerSecret } from "./ui/redact.js";
import type { Reporter } from "./ui/reporter.js";

/** The global options, as commander hands them over. */
export interface GlobalOptions {
  /** The API key (default: RESONANT_API_KEY). */
  apiKey?: string;
  /** The API base URL (default: RESONANT_BASE_URL, else the production API). */
  baseUrl?: string;
  /** The API version to speak (default the current one), checked where commander parses it (src/options.ts). */
  apiVersion?: ApiVersion;
  /** One JSON object per event. */
  json?: boolean;
  /** Warnings and errors only. */
  quiet?: boolean;
  /** At most this many requests per second. */
  rate?: number;
  /** Batches in flight at once. */
  concurrency?: number;
  /** Retries per request (429, 5xx, dropped connections). */
  maxRetries?: number;
  /** Seconds one request may take (the SDK's `timeout`). */
  timeout?: number;
}

/** Where a client points: enough to name it in a checkpoint, never the key. */
export interface Endpoint {
  /** The base URL, or undefined for the SDK's default. */
  baseURL: string | undefined;
  /** The API version. */
  apiVersion: ApiVersion;
}

/** A token bucket shared by every request of a run: `rate` per second, bursts of one. */
function pacer(rate: number | undefined): (() => Promise<void>) | undefined {
  if (!rate || rate <= 0) return undefined;
  const gap = 1000 / rate;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + gap;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}

const RETRIED = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The SDK's Node transport, paced, through `agents` (a proxy's), and watched: a retryable answer or a
 * dropped connection becomes a warning that a retry follows. With no retries, or for a request the SDK
 * does not repeat, there is none to announce: the error itself ends the call.
 */
function watchedFetch(
  reporter: Reporter,
  rate: number | undefined,
  label: string,
  agents: ReturnType<typeof proxyAgents>,
  retries: number,
): Fetch {
  return createNodeFetch({
    ...agents,
    beforeAttempt: pacer(rate),
    afterAttempt: (outcome) => {
      // The CLI's PATCHes (migrate's updates) carry no Idempotency-Key, so the SDK never sends one again.
      if (retries === 0 || outcome.method === "PATCH") return;
      const what = `${outcome.method} ${new URL(outcome.url).pathname}`;
      if ("error" in outcome) {
        const error = outcome.error as Error;
        if (error.name !== "AbortError")
          reporter.warn(`${label}${what}: connection failed (${error.message}); retrying`);
      } else if (RETRIED.has(outcome.status)) {
        const after = outcome.headers.get("retry-after");
        reporter.warn(`${label}${what}: HTTP ${outcome.status}${after ? ` (Retry-After ${after} s)` : ""}; retrying`);
      }
    },
  });
}

/** Options of {@link makeClient} beyond the globals. */
export interface ClientTarget {
  /** The key (else the global one, else RESONANT_API_KEY). */
  apiKey?: string | undefined;
  /** The base URL (else the global one, else RESONANT_BASE_URL). */
  baseURL?: string | undefined;
  /** The version (else the global one, else 1.2). */
  apiVersion?: ApiVersion | undefined;
  /** A prefix for warnings (`target: `), to tell two clients apart. */
  label?: string;
}

/** A client for the global options (or `target`'s overrides), reporting deprecations and retries through `reporter`; and the proxy it sends through (no credentials). */
export function makeClient(
  globals: GlobalOptions,
  reporter: Reporter,
  target: ClientTarget = {},
): { client: ResonantClient<ApiVersion>; endpoint: Endpoint; proxy: string | undefined } {
  const apiKey = target.apiKey ?? globals.apiKey ?? process.env.RESONANT_API_KEY;
  if (!apiKey)
    throw new CliError(`no API key: pass ${target.label ? "--to-key" : "--api-key"} or set RESONANT_API_KEY`);
  registerSecret(apiKey);
  const baseURL = target.baseURL ?? globals.baseUrl ?? process.env.RESONANT_BASE_URL;
  const apiVersion = target.apiVersion ?? globals.apiVersion ?? CURRENT_API_VERSION;
  const label = target.label ?? "";
  const onDeprecation = (notice: DeprecationNotice) => reporter.warn(label + formatDeprecationNotice(notice));
  const url = baseURL ?? DEFAULT_BASE_URL;
  const proxy = proxyFor(url);
  const retries = globals.maxRetries ?? 6;
  const client = new ResonantClient({
    apiKey,
    baseURL,
    apiVersion,
    maxRetries: retries,
    ...(globals.timeout === undefined ? {} : { timeout: globals.timeout * 1000 }),
    fetch: watchedFetch(reporter, globals.rate, label, proxyAgents(url, proxy), retries),
    onDeprecation,
    // The CLI reports through its own reporter; the SDK's console logging would bypass --json and --quiet.
    logLevel: "off",
  }) as ResonantClient<ApiVersion>;
  return { client, endpoint: { baseURL: client.baseURL ?? baseURL, apiVersion }, proxy: proxy?.origin };
}
