/**
 * The API base a request came in through, for the URLs the mock hands out (a
 * trigger's `webhook_url`). MSW handlers (msw.ts) re-address every request to
 * `<origin>/api/...`, whatever their base URL's path, so they name that base in
 * {@link API_BASE_HEADER}; a request that comes in any other way is served
 * at its host's `/api`. No imports: msw.ts, a separate entry, shares it.
 * @module
 */

/** The header in which the MSW handlers name the base URL the client used. */
export const API_BASE_HEADER = "X-Mock-Base-URL";

/** The base URL (`https://host/api`, or the handlers' own) the request was sent to. */
export function apiBaseOf(request: Request): string {
  return request.headers.get(API_BASE_HEADER) ?? `${new URL(request.url).origin}/api`;
}
