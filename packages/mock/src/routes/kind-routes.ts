/**
 * What the routes of every kind share, built once: the route row (first
 * version and scopes read from KIND_TABLE, the one table of which version has
 * which kind), and the get, update and delete of one object, whose shape is
 * the same for every kind. What differs (a check before an update, how an
 * answer masks, what a delete also clears, the events) is passed in.
 * @module
 */
import { CURRENT_API_VERSION, KIND_TABLE, type Kind } from "@resonantgenesis/schemas/meta";
import type { Scope } from "../auth.js";
import { EVOLVED_KINDS, type EvolvedKind } from "../evolve.js";
import { findOr404 } from "../domain/common.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import type { Account } from "../store.js";
import { json, noContent, nowIso, parseBody, present, stripUndefined } from "./shared.js";

/** The stored object of a kind (`v1_2.Agent` for `agents`). */
export type ItemOf<K extends Kind> = Account[K] extends { get(id: string): infer T | undefined } ? T : never;

/** The response schema of one object of a kind: `AgentList` lists `Agent`s. */
export function schemaOf(kind: Kind): string {
  return KIND_TABLE[kind].list.replace(/List$/, "");
}

/**
 * A route of `kind`, there from the version that added the kind; it needs the
 * kind's read scope for GET (or when `access` says so), else its write scope.
 */
export function kindRoute(
  kind: Kind,
  method: RouteDef["method"],
  path: string,
  handler: RouteDef["handler"],
  access?: "read" | "write",
): RouteDef {
  const scope = `${kind}:${access ?? (method === "GET" ? "read" : "write")}` as Scope;
  return { method, path, since: KIND_TABLE[kind].since, scope, handler };
}

/**
 * The `/<kind>/export` or `/<kind>/import` route of each kind the evolved server adds, there in the current version
 * under the data scope (404 on the plain server, and for a kind it does not add: the handler says).
 */
export function evolvedRoutes(
  verb: "export" | "import",
  handler: (kind: EvolvedKind) => RouteDef["handler"],
): RouteDef[] {
  const [method, scope] = verb === "export" ? (["GET", "data:read"] as const) : (["POST", "data:write"] as const);
  return EVOLVED_KINDS.map((kind) => ({
    method,
    path: `/${kind.plural}/${verb}`,
    since: CURRENT_API_VERSION,
    scope,
    handler: handler(kind),
  }));
}

/** The object `:id` of the caller's account, or its kind's 404 (`agent_not_found`...). */
export function findItem<K extends Kind>(c: RouteContext, kind: K): ItemOf<K> {
  return findOr404(c.get("account")[kind] as never, KIND_TABLE[kind].singular, c.req.param("id")) as ItemOf<K>;
}

/** `{...item, ...patch}` with a fresh `updated_at`: what every PATCH stores unless its kind adds more. */
export function merged<T extends { updated_at: string }>(c: RouteContext, item: T, patch: Partial<T>): T {
  return { ...item, ...patch, updated_at: nowIso(c) };
}

/** What differs between kinds in the get, update and delete of one object. */
export interface ItemRouteOptions<K extends Kind> {
  /** How an answer shows the object (tools mask header values); default as stored. */
  view?: (item: ItemOf<K>) => unknown;
  /**
   * The object after a PATCH, from the stored one and the body's fields
   * (absent fields left out); throws to refuse it. Without it the kind has no PATCH.
   */
  update?: (c: RouteContext, item: ItemOf<K>, patch: Partial<ItemOf<K>>) => ItemOf<K>;
  /** Removes the object and what hangs on it (default: the object alone). */
  remove?: (c: RouteContext, item: ItemOf<K>) => void;
  /** Emits `<singular>.updated` and `<singular>.deleted` webhook events. */
  events?: boolean;
}

/** `GET`, `PATCH` (when the kind has one) and `DELETE /<kind>/:id`. */
export function itemRoutes<K extends Kind>(kind: K, options: ItemRouteOptions<K> = {}): RouteDef[] {
  const schema = schemaOf(kind);
  const view = options.view ?? ((item: ItemOf<K>) => item);
  const emit = (c: RouteContext, what: "updated" | "deleted", item: ItemOf<K>) => {
    if (options.events)
      c.get("services").events.emit(c.get("account"), `${KIND_TABLE[kind].singular}.${what}`, item as object);
  };
  const routes = [
    kindRoute(kind, "GET", `/${kind}/:id`, (c) => json(200, present(c, schema, view(findItem(c, kind))))),
  ];
  const { update } = options;
  if (update)
    routes.push(
      kindRoute(kind, "PATCH", `/${kind}/:id`, (c) => {
        const item = findItem(c, kind);
        const updated = update(
          c,
          item,
          stripUndefined(parseBody<Partial<ItemOf<K>>>(c, `${schema}UpdateParams`)) as Partial<ItemOf<K>>,
        );
        // Shown before it is stored: an answer the mock cannot make (a bug, a 500) leaves the object unchanged.
        const answer = present(c, schema, view(updated));
        (c.get("account")[kind] as { put(item: ItemOf<K>): void }).put(updated);
        emit(c, "updated", updated);
        return json(200, answer);
      }),
    );
  routes.push(
    kindRoute(kind, "DELETE", `/${kind}/:id`, (c) => {
      const item = findItem(c, kind);
      if (options.remove) options.remove(c, item);
      else c.get("account")[kind].delete((item as { id: string }).id);
      emit(c, "deleted", item);
      return noContent();
    }),
  );
  return routes;
}
