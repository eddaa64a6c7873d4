/**
 * Every default of the client's options, in one place: what a client does
 * when an option is not given (docs/getting-started.md, "Client options", lists the same).
 * The async client, the sync client and the transport read them from here.
 *
 * @packageDocumentation
 */
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import type { DeprecationNotice } from "./deprecation.js";
import { formatDeprecationNotice } from "./deprecation.js";
import { readEnv } from "./env.js";
import { createLogger, resolveLogLevel, type Logger, type LogLevel, type LogSink } from "./log.js";
import type { ApiKeySetting } from "../core/options.js";

/** The production base URL; `RESONANT_BASE_URL` overrides it, the `baseURL` option both. */
export const DEFAULT_BASE_URL = "https://resonantgenesis.xyz/api";

/** The API version a client is pinned to unless `apiVersion` says: the current one of the lifecycle table. */
export const DEFAULT_API_VERSION = CURRENT_API_VERSION;

/** Where the version goes unless `versioning` says: in the path (`/api/v1.2/...`). */
export const DEFAULT_VERSIONING = "path";

/** How long one attempt may take, body included, in ms, unless `timeout` says. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * How long a streamed answer may go without a byte, in ms, unless
 * `streamIdleTimeout` says: the call's timeout, so a client that shortens its
 * timeout shortens this too. A number or `false`; 0 is refused rather than
 * read as "off", so no stream waits forever by accident.
 */
export function resolveStreamIdleTimeout(option: number | false | undefined, timeout: number): number | false {
  return option ?? timeout;
}

/** How many times a failed request is retried unless `maxRetries` says (see retry.ts for which failures). */
export const DEFAULT_MAX_RETRIES = 2;

/** How answers are checked unless `validateResponses` says: what a newer 1.x server may add is let through. */
export const DEFAULT_VALIDATE_RESPONSES = "compatible";

/** How many items a sync list returns at most unless its options say `maxItems` (like Stripe's `autoPagingToArray`). */
export const DEFAULT_MAX_ITEMS = 10_000;

/** The key a client uses: the option, else `RESONANT_API_KEY`. Shared by the async and sync clients. */
export function resolveApiKey<K extends ApiKeySetting>(option: K | undefined): K | string | undefined {
  return option ?? readEnv("RESONANT_API_KEY");
}

/**
 * A client's logger (redacting its static key) and its deprecation callback:
 * the user's, else one warning through that logger. Shared by both clients so
 * the sync one reports exactly as the async one does.
 */
export function clientLogging(
  options: {
    logLevel?: LogLevel | undefined;
    logger?: LogSink | undefined;
    onDeprecation?: ((notice: DeprecationNotice) => void) | undefined;
  },
  apiKey: ApiKeySetting | undefined,
): { logger: Logger; onDeprecation: (notice: DeprecationNotice) => void } {
  const secrets = typeof apiKey === "string" ? [apiKey] : [];
  const logger = createLogger(resolveLogLevel(options.logLevel), options.logger ?? console, secrets);
  return { logger, onDeprecation: options.onDeprecation ?? ((notice) => logger.warn(formatDeprecationNotice(notice))) };
}
