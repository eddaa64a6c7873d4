import type * as z from "zod/mini";
import { schemas, versionAtLeast, type ApiVersion, type ListPage } from "@resonantgenesis/schemas";
import { APIPromise, type RawResult } from "./api-promise.js";
import { ResponseValidationError, UnsupportedFeatureError } from "./errors.js";
import { Page, PagePromise } from "./pagination.js";
import type { RequestSpec, Transport } from "./request.js";
import { validateResponse } from "./validate.js";

/** The schema module of version `V`. */
export type Schemas<V extends ApiVersion> = (typeof schemas)[V];

/**
 * What every resource calls: sends through the transport and parses the
 * answer with the pinned version's schema. One instance per client.
 */
export class Caller<V extends ApiVersion> {
  readonly apiVersion: V;
  readonly schemas: Schemas<V>;
  readonly transport: Transport;
  readonly validate: boolean;

  /**
   * @param transport - The HTTP core.
   * @param apiVersion - The pinned version.
   * @param validate - Whether answers are checked against the schemas.
   */
  constructor(transport: Transport, apiVersion: V, validate: boolean) {
    this.transport = transport;
    this.apiVersion = apiVersion;
    this.schemas = schemas[apiVersion];
    this.validate = validate;
  }

  /** Throws {@link UnsupportedFeatureError} unless the pinned version is `minimum` or newer. */
  require(feature: string, minimum: ApiVersion): void {
    if (!versionAtLeast(this.apiVersion, minimum)) {
      throw new UnsupportedFeatureError({ feature, apiVersion: this.apiVersion, requiredVersion: minimum });
    }
  }

  /**
   * Send a call and parse its JSON answer with `schema`. `T` is the schema's
   * output type for the pinned version, which the resource states once.
   */
  request<T>(spec: RequestSpec, schema: z.ZodMiniType): APIPromise<T> {
    return new APIPromise(this.transport.send(spec), (raw) => this.parse(raw, schema));
  }

  /** Send a call whose answer has no body (`204`). */
  requestVoid(spec: RequestSpec): APIPromise<void> {
    return new APIPromise(this.transport.send(spec), async (raw) => {
      await raw.response.body?.cancel();
    });
  }

  /**
   * Send a list call. `toPage` adapts answers that are not in the list
   * envelope (export pages) to it, so both walk the same way.
   */
  list<T>(
    spec: RequestSpec,
    schema: z.ZodMiniType,
    toPage: (body: never) => ListPage<T> = (body) => body,
  ): PagePromise<T> {
    const fetchPage = (cursor: string | undefined): PagePromise<T> => {
      const query = cursor === undefined ? spec.query : { ...spec.query, cursor };
      return new PagePromise<T>(this.transport.send({ ...spec, query }), async (raw) => {
        const body = await this.parse(raw, schema);
        return new Page<T>(toPage(body as never), fetchPage);
      });
    };
    return fetchPage(undefined);
  }

  /** Read a JSON body and check it against the schema (unless validation is off). */
  async parse<T>(raw: RawResult, schema: z.ZodMiniType): Promise<T> {
    const text = await raw.response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new ResponseValidationError({
        issues: [{ path: "(root)", message: `the body is not JSON: ${text.slice(0, 80)}` }],
        requestId: raw.requestId,
        apiVersion: this.apiVersion,
        cause,
      });
    }
    if (!this.validate) return json as T;
    return validateResponse(schema, json, { requestId: raw.requestId, apiVersion: this.apiVersion }) as T;
  }
}
