import type { DeprecationNotice } from "./deprecation.js";
import { formatDeprecationNotice } from "./deprecation.js";
import { readEnv } from "./env.js";
import { createLogger, resolveLogLevel, type Logger, type LogLevel } from "./log.js";
import type { ApiKeySetting } from "./options.js";

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
  options: { logLevel?: LogLevel | undefined; onDeprecation?: ((notice: DeprecationNotice) => void) | undefined },
  apiKey: ApiKeySetting | undefined,
): { logger: Logger; onDeprecation: (notice: DeprecationNotice) => void } {
  const logger = createLogger(resolveLogLevel(options.logLevel), console, typeof apiKey === "string" ? [apiKey] : []);
  return { logger, onDeprecation: options.onDeprecation ?? ((notice) => logger.warn(formatDeprecationNotice(notice))) };
}
