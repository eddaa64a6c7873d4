/**
 * The global options (`--api-key`, `--base-url`, `--api-version`, `--json`,
 * `--quiet`, and the traffic knobs `--rate`, `--concurrency`,
 * `--max-retries`) and the SDK clients made from them. Every request goes
 * through the SDK; the CLI only wraps the SDK's own transport to pace
 * requests (`--rate`), and reports what the SDK logs (its retries) as warnings.
 * @module
 */
import {
  apiKeyProblem,
  createNodeFetch,
  DEFAULT_BASE_URL,
  formatDeprecationNotice,
  ResonantClient,
  type ApiVersion,
  type DeprecationNotice,
  type Fetch,
  type LogSink,
} from "@resonantgenesis/sdk";
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import { keyFingerprint, withoutUserinfo } from "./core/identity.js";
import { gate } from "./core/interrupt.js";
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

/** Where a client points: enough to name it in a checkpoint or a message, never the key. */
export interface Endpoint {
  /** The base URL without its user and password, or undefined for the SDK's default. */
  baseURL: string | undefined;
  /** The API version. */
  apiVersion: ApiVersion;
  /** Names the account without its key, salted as `like` (a checkpoint's fingerprint) or afresh (core/identity.ts). */
  keyFingerprint: (like?: unknown) => string;
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

/** The SDK's Node transport, paced (`--rate`), through `agents` (a proxy's), and held once a signal came (gate). */
function pacedFetch(rate: number | undefined, agents: ReturnType<typeof proxyAgents>): Fetch {
  const pace = pacer(rate);
  return createNodeFetch({
    ...agents,
    beforeAttempt: pace
      ? async (attempt) => {
          await pace();
          // After the pacing's wait, right before sending: a signal during the wait holds the request too.
          await gate(attempt);
        }
      : gate,
  });
}

/**
 * The SDK's log, through the reporter, never the console (which would write into an archive on stdout or
 * between --json events): its retries and resumed exports, logged at `info`, become warnings, so the SDK
 * alone decides what is retried; its request lines (RESONANT_LOG=debug) become `debug` lines.
 */
export function sdkLog(reporter: Reporter, label = ""): { logger: LogSink; logLevel: "info" } {
  const line = (text: unknown) => label + String(text).replace(/^\[resonant\] /, "");
  const warn = (text: unknown) => reporter.warn(line(text));
  return { logLevel: "info", logger: { error: warn, warn, info: warn, debug: (text) => reporter.debug(line(text)) } };
}

/** The API version a client of {@link makeClient} is pinned to: `target`'s, else the global one, else the current one. */
export function apiVersionOf(globals: GlobalOptions, target: ClientTarget = {}): ApiVersion {
  return target.apiVersion ?? globals.apiVersion ?? CURRENT_API_VERSION;
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
  // The SDK would refuse it at the first request; named here, by where it came from, before anything starts.
  const problem = apiKeyProblem(apiKey);
  if (problem)
    throw new CliError(
      `the API key (${target.label ? "--to-key or RESONANT_TO_API_KEY" : "--api-key or RESONANT_API_KEY"}) ${problem}; nothing was sent`,
    );
  registerSecret(apiKey);
  const baseURL = target.baseURL ?? globals.baseUrl ?? process.env.RESONANT_BASE_URL;
  const apiVersion = apiVersionOf(globals, target);
  const label = target.label ?? "";
  const onDeprecation = (notice: DeprecationNotice) => reporter.warn(label + formatDeprecationNotice(notice));
  const url = baseURL ?? DEFAULT_BASE_URL;
  const proxy = proxyFor(url);
  const client = new ResonantClient({
    apiKey,
    baseURL,
    apiVersion,
    maxRetries: globals.maxRetries ?? 6,
    ...(globals.timeout === undefined ? {} : { timeout: globals.timeout * 1000 }),
    fetch: pacedFetch(globals.rate, proxyAgents(url, proxy)),
    onDeprecation,
    ...sdkLog(reporter, label),
  }) as ResonantClient<ApiVersion>;
  // Every printed line hides a URL's user and password (ui/redact.ts); a checkpoint, not printed, needs this.
  const shown = client.baseURL ?? baseURL;
  return {
    client,
    endpoint: {
      baseURL: shown === undefined ? undefined : withoutUserinfo(shown),
      apiVersion,
      keyFingerprint: (like) => keyFingerprint(apiKey, like),
    },
    proxy: proxy?.origin,
  };
}
