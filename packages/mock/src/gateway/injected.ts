/**
 * The error an injected fault status answers (`api.faults`): it stands for the
 * server's own error of that status, so it is that error, in the same form and
 * with the same headers in the served version: a 410 is the gone version's
 * (X-API-Upgrade-To, the sunset), a 429 the rate limit's (Retry-After, and in
 * the body `retry_after`), a 401 names the scheme, a 403 the route's scope.
 * Only its message says it was injected.
 * @module
 */
import { MAX_BODY_BYTES } from "@resonantgenesis/schemas/meta";
import { ApiError, type FieldIssue } from "../errors.js";
import { faultCode, type Fault } from "../faults.js";
import { ROUTES } from "../router.js";
import type { RouteContext } from "./env.js";

/** The scope the route of `method` and `path` (below the version) needs; `*` for a path no route has. */
function routeScope(method: string, path: string): string {
  const route = ROUTES.find(
    (def) => def.method === method && new RegExp(`^${def.path.replace(/:[^/]+/g, "[^/]+")}/?$`).test(path),
  );
  return route?.scope ?? "*";
}

/** The error of an injected `fault.status`, as the mock's own error of that status reads. */
export function injectedError(c: RouteContext, fault: Fault & { status: number }): ApiError {
  const { status } = fault;
  const message = `Injected fault: ${status}`;
  const retry = fault.retryAfter ?? (status === 429 || status === 503 ? 1 : undefined);
  const headers: Record<string, string> = retry === undefined ? {} : { "Retry-After": String(retry) };
  const init = { status, code: faultCode(status), message, headers };
  // The request as a whole is named where the mock's own error names a field: the body (422) or the query (400).
  const whole: FieldIssue[] = [{ path: [], message, type: "value_error" }];
  switch (status) {
    case 400:
      return new ApiError({ ...init, fields: whole, location: "query" });
    case 401:
      return new ApiError({
        ...init,
        headers: { ...headers, "WWW-Authenticate": 'Bearer realm="resonantgenesis", error="invalid_token"' },
      });
    case 403:
      return new ApiError({ ...init, details: { required_scope: routeScope(c.req.method, c.get("path")) } });
    case 410: {
      const gone = c.get("services").lifecycle.goneError(c.get("version"));
      return new ApiError({
        ...init,
        message: `${message}: ${gone.message}`,
        details: gone.details,
        headers: { ...gone.headers, ...headers },
      });
    }
    case 413:
      return new ApiError({ ...init, details: { max_bytes: MAX_BODY_BYTES } });
    case 422:
      return new ApiError({ ...init, fields: whole });
    case 429: {
      const { limiter, clock } = c.get("services");
      // The window as a limited request shows it: nothing remains until the Retry-After is over.
      const resetAt = clock.now().getTime() + (retry ?? 0) * 1000;
      c.set("rate", { limit: limiter.limit, remaining: 0, resetAt, limited: true });
      return new ApiError({ ...init, details: { retry_after: retry } });
    }
    default:
      return new ApiError(init);
  }
}
