/**
 * Reading the SDK's errors and the server's per-item error objects into the
 * few facts the CLI reports (code, message, status, request id), and telling
 * which errors end a run.
 * @module
 */
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  ApiVersionGoneError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  parseErrorBody,
  PermissionDeniedError,
  RateLimitError,
  RequestValidationError,
  ResonantError,
} from "@resonantgenesis/sdk";
import { statusOfErrorCode } from "@resonantgenesis/schemas/error-codes";
import { CURRENT_API_VERSION, isApiVersion } from "@resonantgenesis/schemas/meta";
import { CliError } from "../exit.js";

/** What the CLI tells about one error. */
export interface ErrorFacts {
  /** A code (`agent_not_found`, `validation_error`, `connection_error`...). */
  code: string;
  /** What went wrong. */
  message: string;
  /**
   * The HTTP status the refusal stands for: the answer's, or for an item refused inside an import answer (the
   * call itself a 200), the status its code has in docs/protocol.md section 3 (`statusOfErrorCode` of `@resonantgenesis/schemas/error-codes`); null without
   * one (no answer, a check before sending, a code the protocol does not list).
   */
  status: number | null;
  /** The request id, when there was an answer. */
  requestId: string | null;
}

/**
 * The facts of an import's per-item error object, in any form the SDK reads
 * (1.2 `{code, message, request_id}`, 1.0/1.1 `{detail}`): field paths and
 * messages read as the SDK's errors give them (`name: field required`). Its
 * status is the one its code stands for: the item was refused as a call of
 * its own would have been (a `validation_error` item as a 422).
 */
export function itemErrorFacts(error: unknown, requestId: string | null): ErrorFacts {
  const body = parseErrorBody(error ?? {});
  const code = body.code ?? (Object.keys(body.details).length > 0 ? "validation_error" : "error");
  return {
    code,
    message: body.message ?? JSON.stringify(error),
    status: statusOfErrorCode(code) ?? null,
    requestId: body.requestId ?? requestId,
  };
}

/** The facts of an error the SDK threw. */
export function errorFacts(error: unknown): ErrorFacts {
  if (error instanceof APIError) {
    return {
      code: error.code ?? `http_${error.status}`,
      message: error.message,
      status: error.status ?? null,
      requestId: error.requestId ?? null,
    };
  }
  if (error instanceof RequestValidationError)
    return { code: "request_validation_error", message: error.message, status: null, requestId: null };
  if (error instanceof APIConnectionError)
    return { code: "connection_error", message: error.message, status: null, requestId: null };
  return {
    code: "error",
    message: error instanceof Error ? error.message : String(error),
    status: null,
    requestId: null,
  };
}

/**
 * The facts of a refusal as the failure log keeps them: the answer's own words, field paths included, as an item
 * refused inside an import answer reads; not the SDK's message around them (status line, code, request id),
 * which the log's other fields hold. The same refusal then reads the same whichever command met it.
 */
export function refusalFacts(error: unknown): ErrorFacts {
  const facts = errorFacts(error);
  const words = error instanceof APIError ? parseErrorBody(error.body ?? "", error.status).message : undefined;
  return words === undefined ? facts : { ...facts, message: words };
}

/**
 * True when an error must end the run rather than fail one batch: the key or
 * its rights (401, 403), a gone version (410), what the SDK's retries could
 * not get through (408, 429, 5xx, a lost connection, an answer cut or held past
 * the timeout), and anything that is not a refusal. Only a refusal (the
 * server's 4xx answer, or the SDK's check before sending) fails a batch's
 * items: after any other error the server may have carried the batch out, so
 * logging its items as failed could be false. The checkpoint stays, so
 * `--resume` carries on (replaying the batch by its Idempotency-Key) once the
 * cause is gone.
 */
export function isFatal(error: unknown): boolean {
  if (error instanceof RequestValidationError) return false;
  if (!(error instanceof APIError)) return true;
  return (
    error instanceof AuthenticationError ||
    error instanceof PermissionDeniedError ||
    error instanceof ApiVersionGoneError ||
    error instanceof RateLimitError ||
    error instanceof InternalServerError ||
    error.status === 408
  );
}

// The network's "nothing there": a refused port, an unknown name, no route. A cut or an oversized answer is not it.
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The first `code` down an error's cause chain (undici wraps the socket's error in a TypeError). */
function causeCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/**
 * True when running again can get past an error that ended a run, so a checkpoint is worth resuming
 * from: the network, a timeout, 408, 429, a 5xx, or a local failure (a full disk). An answer no retry
 * changes (a key refused, rights missing, a version gone) needs another key or flag first; so does a
 * 501 Not Implemented, the one 5xx that is not a passing fault: the server lacks what the call needs
 * (and did nothing), and answers it the same until it has it.
 */
export function resumable(error: unknown): boolean {
  if (!(error instanceof APIError)) return true;
  if (notImplemented(error)) return false;
  return error instanceof RateLimitError || error instanceof InternalServerError || error.status === 408;
}

/** True for a 501 Not Implemented answer: the server does not do what the call asks, whoever sends it again. */
export function notImplemented(error: unknown): boolean {
  return error instanceof APIError && error.status === 501;
}

/**
 * One of the two accounts of a copy, as its errors name it: a copy's source and target have
 * their own flags, and an error that names neither leaves an operator to guess which key or
 * URL is wrong.
 */
export interface Side {
  /** How messages name it: `the target (--to-base-url https://...)`. */
  label: string;
  /** The flag (and variable) of its base URL. */
  baseUrl: string;
  /** The flag (and variable) of its key. */
  key: string;
  /** The flag of its API version. */
  apiVersion: string;
}

// The side of a copy each request error came from, kept beside the SDK's error rather than wrapping it, so
// the one ending of a run (fatalToCliError) reads it whichever way the error came.
const SIDES = new WeakMap<object, Side>();

/**
 * Records that `error` came from `side`'s requests and answers it. An error of this machine (a file,
 * a full disk) is neither account's; the first side recorded stays.
 */
export function fromSide(error: unknown, side: Side): unknown {
  if (error instanceof ResonantError && !SIDES.has(error)) SIDES.set(error, side);
  return error;
}

/** The side {@link fromSide} recorded for `error`, if any. */
export function sideOf(error: unknown): Side | undefined {
  return typeof error === "object" && error !== null ? SIDES.get(error) : undefined;
}

/** An error of one side of a copy: {@link hintFor} names that side's flags. */
export class SideError extends CliError {
  /** The account that failed. */
  readonly side: Side;
  constructor(message: string, side: Side, cause: unknown) {
    super(message, { cause });
    this.name = "SideError";
    this.side = side;
  }
}

/**
 * What to do about an error that ended a run, when the message alone does not say it: a version past
 * its sunset (410) names no flag, and an operator's first question is how to reach the data now; a
 * connection refused or a name not found is most often a wrong base URL or a missing proxy, and so is a
 * 404 that is not the API's own error; a timeout names the flag that sets it. For one side of a copy,
 * that side's flags; a refused key is then named too, as either of two keys could be the one.
 */
export function hintFor(error: unknown): string | undefined {
  const sdkError = error instanceof CliError ? error.cause : error;
  const side = error instanceof SideError ? error.side : undefined;
  const baseUrl = side?.baseUrl ?? "--base-url (or RESONANT_BASE_URL)";
  // `versions` reads the global options, so it shows where the source's requests go, not the target's.
  const shows = baseUrl.startsWith("--base-url") ? "; `resonant versions` shows where requests go" : "";
  if (sdkError instanceof APITimeoutError)
    return "no answer came within the timeout, on any attempt: a slow server or a large answer needs a longer --timeout (seconds, default 60)";
  if (sdkError instanceof APIConnectionError && UNREACHABLE.has(causeCode(sdkError) ?? ""))
    return `no server answered: check ${baseUrl} and, where the network needs one, HTTPS_PROXY${shows}`;
  // The API answers an unknown route with its JSON error; a page or plain text is some other server.
  if (sdkError instanceof NotFoundError && (sdkError.body === undefined || typeof sdkError.body === "string"))
    return `the server at the base URL answered 404 with no API error: it does not look like the ResonantGenesis API; check ${baseUrl}, the API's root, such as https://resonantgenesis.xyz/api${shows}`;
  if (side && sdkError instanceof AuthenticationError) return `the key was refused: check ${side.key}`;
  if (side && sdkError instanceof PermissionDeniedError)
    return `the key lacks the rights this needs: check ${side.key}`;
  if (!(sdkError instanceof ApiVersionGoneError)) return undefined;
  const from = sdkError.apiVersion ?? "this version";
  // The server's `v1.2`, when this CLI speaks it; a version newer than the CLI cannot be chosen with it.
  const named = sdkError.upgradeTo?.replace(/^v/, "");
  const to = isApiVersion(named) ? named : CURRENT_API_VERSION;
  const flag = side ? `${side.apiVersion} ${to}` : `--api-version ${to} (for copy's target, --to-api-version ${to})`;
  return `the server no longer serves API ${from}: run again with ${flag}; archives of API ${from} import into ${to} as they are, and \`resonant upgrade\` converts them offline`;
}
