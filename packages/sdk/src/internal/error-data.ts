// Errors as plain data and back, for the SyncClient's worker: a structured clone keeps neither the class (callers
// need `instanceof`) nor reliably its fields. ERROR_CLASSES finds the class by name.
import { ERROR_CLASSES, ResonantError } from "../core/errors.js";
import { redact } from "../core/redact.js";

/** An error as structured-clone-able data: its `toJSON()` (`name` picks the class on the way back), stack and cause. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string | undefined;
  cause?: ErrorData | undefined;
  [field: string]: unknown;
}

/** Any thrown value as {@link ErrorData}: every field of an SDK error, name, message and stack of another. */
export function toErrorData(err: unknown): ErrorData {
  if (!(err instanceof Error)) return { name: "Error", message: redact(String(err)) };
  // A JSON round trip: the fields came from JSON.parse or are plain already,
  // and this guarantees they clone even if a caller built the error by hand.
  const fields = err instanceof ResonantError ? (JSON.parse(JSON.stringify(err)) as Record<string, unknown>) : {};
  const data: ErrorData = { ...fields, name: err.name, message: redact(err.message) };
  if (err.stack !== undefined) data.stack = redact(err.stack);
  if (err.cause !== undefined) data.cause = toErrorData(err.cause);
  return data;
}

const NATIVE = { TypeError, RangeError, SyntaxError, ReferenceError, URIError, EvalError };

/** The error {@link toErrorData} described: the class `data.name` names (else an `Error`), its fields, stack and cause. */
export function fromErrorData({ stack, cause, ...init }: ErrorData): Error {
  const options = cause === undefined ? {} : { cause: fromErrorData(cause) };
  // Not ours: the language's own class (a network failure's TypeError, which callers test with instanceof), else
  // an Error that keeps its name for the reader.
  const Native = Object.hasOwn(NATIVE, init.name) ? NATIVE[init.name as keyof typeof NATIVE] : Error;
  const err = Object.hasOwn(ERROR_CLASSES, init.name)
    ? new ERROR_CLASSES[init.name as keyof typeof ERROR_CLASSES](init.message, { ...init, ...options } as never)
    : Object.assign(new Native(init.message, options), { name: init.name });
  // Own property, like V8's, so it shows where the error really started.
  if (stack !== undefined)
    Object.defineProperty(err, "stack", { value: redact(stack), writable: true, configurable: true });
  return err;
}
