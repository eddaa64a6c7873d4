import { KIND_TABLE } from "@resonantgenesis/schemas/meta";
import type { ApiVersion, ExportParams } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { path } from "../internal/path.js";
import { APIResource, type In, type Out } from "./resource.js";
import { exportPages, importBatch } from "./shared.js";

/** A webhook as version `V` answers it. */
export type Webhook<V extends ApiVersion = "1.2"> = Out<V, "Webhook">;
/** The create answer: the webhook and, this once, its signing secret. */
export type WebhookWithSecret<V extends ApiVersion = "1.2"> = Out<V, "WebhookWithSecret">;

/**
 * Outbound webhooks: the platform posts signed events to your URL.
 *
 * @example
 * ```ts
 * const hook = await client.webhooks.create({ url: "https://example.com/hook", events: ["session.completed"] });
 * store(hook.secret); // shown only now
 * ```
 */
export class Webhooks<V extends ApiVersion> extends APIResource<V> {
  /** List webhooks. @example `for await (const hook of client.webhooks.list()) {}` */
  list(params?: In<V, "WebhookListParams">, options?: RequestOptions): PagePromise<Webhook<V>> {
    return this.caller.list({ method: "GET", path: "webhooks", query: params, options }, "WebhookList", {
      query: "WebhookListParams",
    });
  }

  /** Fetch one webhook (without its secret). @example `await client.webhooks.get(id);` */
  get(id: string, options?: RequestOptions): APIPromise<Webhook<V>> {
    return this.caller.request({ method: "GET", path: path`webhooks/${id}`, options }, "Webhook");
  }

  /**
   * Create a webhook; the answer alone carries its `secret`.
   * @example `const { secret } = await client.webhooks.create({ url, events: ["agent.created"] });`
   */
  create(body: In<V, "WebhookCreateParams">, options?: RequestOptions): APIPromise<WebhookWithSecret<V>> {
    return this.caller.request({ method: "POST", path: "webhooks", body, options }, "WebhookWithSecret", {
      body: "WebhookCreateParams",
    });
  }

  /** Change some of a webhook's fields. @example `await client.webhooks.update(id, { active: false });` */
  update(id: string, body: In<V, "WebhookUpdateParams">, options?: RequestOptions): APIPromise<Webhook<V>> {
    const route = path`webhooks/${id}`;
    return this.caller.request({ method: "PATCH", path: route, body, options }, "Webhook", {
      body: "WebhookUpdateParams",
    });
  }

  /** Delete a webhook. @example `await client.webhooks.delete(id);` */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.caller.requestVoid({ method: "DELETE", path: path`webhooks/${id}`, options });
  }

  /** Every webhook, page by page, without secrets (API 1.2). @example `for await (const hook of client.webhooks.export()) {}` */
  export(this: Webhooks<"1.2">, params: ExportParams = {}, options?: RequestOptions): PagePromise<Webhook<"1.2">> {
    this.caller.require("webhooks.export", KIND_TABLE.webhooks.exportSince);
    return exportPages(this.caller, "webhooks", "WebhookExportPage", params, options);
  }

  /** Import webhooks with their ids kept (API 1.2). @example `await client.webhooks.import({ webhooks });` */
  import(
    this: Webhooks<"1.2">,
    body: In<"1.2", "WebhookImportRequest">,
    options?: RequestOptions,
  ): APIPromise<Out<"1.2", "ImportResult">> {
    this.caller.require("webhooks.import", KIND_TABLE.webhooks.importSince);
    return importBatch(this.caller, "webhooks", "WebhookImportRequest", body, options);
  }
}
