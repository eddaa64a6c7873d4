/**
 * A tiny levelled logger. Everything logged passes through {@link redact},
 * so a request dump at `debug` level cannot leak an API key into a log file.
 *
 * @packageDocumentation
 */
import { readEnv } from "./env.js";
import { redact } from "../core/redact.js";

/** The log levels, quietest first. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** The levels in order of verbosity. */
export const LOG_LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/** Where log lines go: `console` or anything shaped like it (the client option `logger`). */
export interface LogSink {
  /** A failure the client could not handle. */
  error(...args: unknown[]): void;
  /** Something to act on: a deprecated API version, by default. */
  warn(...args: unknown[]): void;
  /** What the client does on its own: each retry, each resumed stream. */
  info(...args: unknown[]): void;
  /** Each answer: method, path, status and request id. */
  debug(...args: unknown[]): void;
}

/** A logger bound to a level. */
export interface Logger {
  readonly level: LogLevel;
  error(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

/** Narrow any value to a {@link LogLevel} (exact, lower-case names). */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && (LOG_LEVELS as readonly string[]).includes(value);
}

function safe(arg: unknown): unknown {
  if (typeof arg === "string") return redact(arg);
  // Our errors already redact themselves and keep their stack readable;
  // other objects are flattened so nothing inside them escapes unredacted.
  if (arg instanceof Error) return redact(arg.stack ?? `${arg.name}: ${arg.message}`);
  if (arg === null || typeof arg !== "object") return arg;
  try {
    return redact(JSON.stringify(arg));
  } catch {
    return "[unserialisable value]";
  }
}

/**
 * Create a logger that writes to `sink` at `level` and below.
 *
 * @param level - The most verbose level to emit; `off` emits nothing.
 * @param sink - Where lines go; `console` by default.
 * @param secrets - Literal values to hide besides the recognised key shapes
 *   (for example the client's own token when it is a JWT).
 */
export function createLogger(
  level: LogLevel,
  sink: LogSink = console,
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const emit =
    (name: Exclude<LogLevel, "off">) =>
    (message: string, ...args: unknown[]): void => {
      if (rank < LOG_LEVELS.indexOf(name)) return;
      const scrub = (text: string): string => redact(text, secrets);
      const rest = args.map((a) => {
        const s = safe(a);
        return typeof s === "string" ? scrub(s) : s;
      });
      sink[name](`[resonant] ${scrub(message)}`, ...rest);
    };
  return { level, error: emit("error"), warn: emit("warn"), info: emit("info"), debug: emit("debug") };
}

/**
 * The level to use: the `RESONANT_LOG` environment variable when it names a
 * level (so logging can be turned up without a code change), else the
 * client option, else `warn`.
 *
 * @param optionLevel - The `logLevel` client option.
 * @param env - Environment variables; by default `RESONANT_LOG` is read where
 *   there is an environment (see `readEnv`), and absent in browsers.
 */
export function resolveLogLevel(
  optionLevel?: LogLevel | undefined,
  env: Record<string, string | undefined> | undefined = { RESONANT_LOG: readEnv("RESONANT_LOG") },
): LogLevel {
  let fromEnv: string | undefined;
  try {
    fromEnv = env?.RESONANT_LOG?.trim().toLowerCase();
  } catch {
    // An environment whose reads throw (Deno without --allow-env) means no override.
  }
  if (isLogLevel(fromEnv)) return fromEnv;
  return optionLevel ?? "warn";
}
