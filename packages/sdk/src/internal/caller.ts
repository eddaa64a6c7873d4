import type * as z from "zod/mini";
import type { ListPage, schemas } from "@resonantgenesis/schemas";
import { versionAtLeast, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { APIPromise, type RawResult } from "../core/api-promise.js";
import { redact } from "../core/redact.js";
import type { Answer } from "./answer.js";
import { withIdleTimeout } from "./byte-stream.js";
import { resolveStreamIdleTimeout } from "./defaults.js";
import {
  APIConnectionError,
  APITimeoutError,
  ResponseValidationError,
  UnsupportedFeatureError,
} from "../core/errors.js";
import type { Logger } from "./log.js";
import type { RequestOptions } from "../core/options.js";
import { Page, PagePromise } from "../core/pagination.js";
import type { RequestSpec, Transport } from "./transport.js";
import { type Check, type CheckModule, checksOf } from "@resonantgenesis/schemas/checks";
import { type AnswerCheck, refuseAnswer, refuseRequest } from "./validate.js";

/** The schema module of version `V`. */
export type Schemas<V extends ApiVersion> = (typeof schemas)[V];

/** The name of a schema in version `V`'s module. */
export type SchemaName<V extends ApiVersion> = keyof Schemas<V> & string;

/** The output type of schema `K` in version `V`'s module. */
export type Out<V extends ApiVersion, K extends keyof Schemas<V>> = Schemas<V>[K] extends z.ZodMiniType
  ? z.output<Schemas<V>[K]>
  : never;

/** The input type of schema `K` in version `V`'s module (what a caller may pass). */
export type In<V extends ApiVersion, K extends keyof Schemas<V>> = Schemas<V>[K] extends z.ZodMiniType
  ? z.input<Schemas<V>[K]>
  : never;

/** The item type of a list page's schema. */
type ItemOf<P> = P extends ListPage<infer T> ? T : never;

/** Which schemas check a call's input before it is sent. */
export interface InputSchemas<V extends ApiVersion> {
  /** Checks `spec.body`; issues are reported under `body.`. */
  body?: SchemaName<V> | undefined;
  /** Checks `spec.query`; issues are reported under `params.`. */
  query?: SchemaName<V> | undefined;
  /**
   * The body is an import: its envelope is checked strictly and its items
   * compatibly, so objects a newer server exported go back as they came.
   */
  carried?: boolean | undefined;
}

/**
 * What every resource calls: checks the input, sends through the transport
 * and parses the answer with the pinned version's schema. Resources name
 * schemas rather than hold them, so the schemas (and zod) load on first use.
 */
export class Caller<V extends ApiVersion> {
  readonly apiVersion: V;
  readonly validate: AnswerCheck;
  readonly #transport: Transport;

  /**
   * @param transport - The HTTP core.
   * @param apiVersion - The pinned version.
   * @param validate - How answers are checked: a reading of the schemas, or not at all.
   */
  constructor(transport: Transport, apiVersion: V, validate: AnswerCheck) {
    this.#transport = transport;
    this.apiVersion = apiVersion;
    this.validate = validate;
  }

  /** The checker of answer schema `name` read this client's way, or undefined when answers go unchecked. */
  async answerCheck(name: SchemaName<V>): Promise<Check | undefined> {
    if (this.validate === false) return undefined;
    return (await checksOf(this.apiVersion, this.validate)).checks[name];
  }

  /**
   * `value` when `check` passes it (or answers go unchecked); else zod's
   * verdict, loaded for the occasion: a ResponseValidationError naming the issues.
   */
  checked<T>(
    name: SchemaName<V>,
    check: Check | undefined,
    value: unknown,
    requestId: string | undefined,
  ): T | Promise<T> {
    if (check === undefined || this.validate === false || check(value)) return value as T;
    return refuseAnswer<T>({ requestId, apiVersion: this.apiVersion }, name, this.validate, value);
  }

  /** Throws {@link UnsupportedFeatureError} unless the pinned version is `minimum` or newer. */
  require(feature: string, minimum: ApiVersion): void {
    if (!versionAtLeast(this.apiVersion, minimum)) {
      throw new UnsupportedFeatureError(undefined, { feature, apiVersion: this.apiVersion, requiredVersion: minimum });
    }
  }

  /**
   * Send a call and parse its JSON answer with schema `answer`; the answer's
   * type is that schema's output in the pinned version, so naming a schema
   * the version lacks does not compile. `keepText`, when given, is handed the
   * answer's text (for a reader that needs the server's exact digits).
   */
  request<K extends SchemaName<V>>(
    spec: RequestSpec,
    answer: K,
    input: InputSchemas<V> = {},
    keepText?: (text: string) => void,
  ): APIPromise<Out<V, K>> {
    return new APIPromise(this.#send(spec, input), (raw) => this.parse<Out<V, K>>(raw, answer, keepText));
  }

  /**
   * Send a call whose answer is read as a stream (SSE, NDJSON): the input is
   * checked like any call's, and the body is handed over unread, with the
   * request id, for the resource to parse as it arrives.
   */
  async stream(
    spec: RequestSpec,
    input: InputSchemas<V> = {},
  ): Promise<{ body: ReadableStream<Uint8Array>; requestId: string | undefined }> {
    const idleMs = this.#streamIdleTimeout(spec.options);
    const answer = await this.#send(spec, input);
    const { requestId } = answer;
    const body = answer.body;
    if (!body) throw new APIConnectionError(`The stream of ${spec.method} ${spec.path} answered with no body.`);
    // The call's timeout ended at the head; from here a stall is caught by the idle timeout.
    const idle = () =>
      new APITimeoutError(
        `The stream of ${spec.method} ${spec.path} sent nothing for ${idleMs} ms (streamIdleTimeout).`,
      );
    return { body: withIdleTimeout(body, idleMs, idle), requestId };
  }

  /** A stream's idle timeout: the call's option, else the client's, else the call's timeout (the transport checks it). */
  #streamIdleTimeout(options: RequestOptions | undefined): number | false {
    const { config } = this.#transport;
    return resolveStreamIdleTimeout(
      options?.streamIdleTimeout ?? config.streamIdleTimeout,
      options?.timeout ?? config.timeout,
    );
  }

  /** The client's logger (it redacts the key), for what a stream's resume tells. */
  get logger(): Logger {
    return this.#transport.config.logger;
  }

  /** How many times a call with these options may be retried (and a stream reconnected). */
  retries(options?: RequestOptions): number {
    return options?.maxRetries ?? this.#transport.config.maxRetries;
  }

  /** Send a call whose answer has no body (`204`). */
  requestVoid(spec: RequestSpec): APIPromise<void> {
    return new APIPromise(this.#send(spec, {}), (raw) => (raw as Answer).discard());
  }

  /**
   * Send a list call. `toPage` adapts answers that are not in the list
   * envelope (export pages) to it, so both walk the same way. `keepText`,
   * when given, is handed each page with its answer's text (a reader that
   * needs the server's exact digits parses it again its own way).
   */
  list<K extends SchemaName<V>, T = ItemOf<Out<V, K>>>(
    spec: RequestSpec,
    answer: K,
    input: InputSchemas<V> = {},
    toPage: (body: Out<V, K>) => ListPage<T> = (body) => body as ListPage<T>,
    keepText?: (page: Page<T>, text: string) => void,
  ): PagePromise<T> {
    const fetchPage = (cursor: string | undefined, check: InputSchemas<V>): PagePromise<T> => {
      const query = cursor === undefined ? spec.query : { ...spec.query, cursor };
      return new PagePromise<T>(this.#send({ ...spec, query }, check), async (raw) => {
        let text = "";
        const body = await this.parse<Out<V, K>>(raw, answer, keepText && ((t) => (text = t)));
        // Later pages carry the same checked parameters, so they skip the check.
        const page = new Page<T>(toPage(body), (next) => fetchPage(next, {}), body as Record<string, unknown>);
        keepText?.(page, text);
        return page;
      });
    };
    return fetchPage(undefined, input);
  }

  /** Check the input with the strict checkers (loading them if need be), then send. */
  async #send(spec: RequestSpec, input: InputSchemas<V>): Promise<Answer> {
    if (input.body !== undefined || input.query !== undefined) {
      const now = checksOf(this.apiVersion, "strict");
      const strict = now instanceof Promise ? await now : now;
      if (input.query !== undefined) {
        const query = spec.query ?? {};
        if (!strict.checks[input.query]!(query))
          await refuseRequest(this.apiVersion, input.query, false, query, "params");
      }
      if (input.body !== undefined) {
        const check = (input.carried ? strict.carried : strict.checks)![input.body]!;
        if (!check(spec.body))
          await refuseRequest(this.apiVersion, input.body, input.carried === true, spec.body, "body");
      }
    }
    return this.#transport.send(spec);
  }

  /** Read a JSON body and check it against the named schema (unless validation is off); `keepText` gets its text. */
  async parse<T>(raw: RawResult, answer: SchemaName<V>, keepText?: (text: string) => void): Promise<T> {
    // Loading starts before the body is read, so the two overlap on a first call.
    const pending: CheckModule | Promise<CheckModule> | undefined =
      this.validate === false ? undefined : checksOf(this.apiVersion, this.validate);
    const got = raw as Answer;
    let text: string | undefined;
    let json: unknown;
    try {
      json = JSON.parse((text = got.text()));
      keepText?.(text);
    } catch {
      // Redacted before it is cut, and without the SyntaxError, whose message quotes the body's start.
      throw new ResponseValidationError(undefined, {
        issues: [
          {
            path: "(root)",
            message: `the body of a ${got.status} answer is not ${text === undefined ? "UTF-8" : `JSON: ${redact(text).slice(0, 80)}`}`,
          },
        ],
        requestId: raw.requestId,
        apiVersion: this.apiVersion,
      });
    }
    if (pending === undefined) return json as T;
    const module = pending instanceof Promise ? await pending : pending;
    return this.checked<T>(answer, module.checks[answer], json, raw.requestId);
  }
}
