/**
 * Bearer authentication and scopes (docs/protocol.md section 2). API keys map to
 * an account and its scopes; the mock also accepts unsigned JWT-shaped access
 * tokens whose payload names an account (`sub`), scopes (`scope`) and expiry
 * (`exp`, checked against the mock clock), so token_expired can be tested.
 * @module
 */
import { ApiError } from "./errors.js";
import type { KeyGrant, Store } from "./store.js";

/** The key of the demo account that the CLI seeds; it holds the scope `*`. */
export const DEMO_API_KEY = "rg_test_sk_demo";
/** The id of the demo account. */
export const DEMO_ACCOUNT_ID = "demo";

/**
 * The scopes a route can demand. `<family>:*` grants both of a family, `*`
 * grants everything, and `<family>:write` also grants `<family>:read` (a key
 * that may change objects may see them).
 */
export type Scope =
  | "agents:read"
  | "agents:write"
  | "sessions:read"
  | "sessions:write"
  | "webhooks:read"
  | "webhooks:write"
  | "tools:read"
  | "tools:write"
  | "teams:read"
  | "teams:write"
  | "memories:read"
  | "memories:write"
  | "triggers:read"
  | "triggers:write"
  | "data:read"
  | "data:write";

/** True when `granted` covers `required`. */
export function hasScope(granted: readonly string[], required: Scope): boolean {
  const [family] = required.split(":");
  return granted.some(
    (s) =>
      s === "*" || s === required || s === `${family}:*` || (required.endsWith(":read") && s === `${family}:write`),
  );
}

function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"));
    const payload = JSON.parse(json) as unknown;
    return payload && typeof payload === "object" ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the Authorization header to a grant, or throws the 401 to answer:
 * `api_key_invalid` for a missing header or unknown key, `token_invalid` /
 * `token_expired` for JWT-shaped tokens.
 */
export function authenticate(header: string | null, store: Store, now: Date): KeyGrant & { token: string } {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) {
    throw new ApiError({
      status: 401,
      code: "api_key_invalid",
      message: "Missing or malformed Authorization header; expected `Bearer <api key>`",
      headers: { "WWW-Authenticate": 'Bearer realm="resonantgenesis"' },
    });
  }
  const token = match[1];
  const grant = store.grant(token);
  if (grant && store.accounts.has(grant.accountId)) return { ...grant, token };
  const payload = decodeJwtPayload(token);
  if (payload) {
    const accountId = typeof payload.sub === "string" ? payload.sub : undefined;
    if (!accountId || !store.accounts.has(accountId))
      throw new ApiError({ status: 401, code: "token_invalid", message: "The access token is not valid" });
    if (typeof payload.exp === "number" && payload.exp * 1000 <= now.getTime())
      throw new ApiError({ status: 401, code: "token_expired", message: "The access token has expired" });
    const scopes = typeof payload.scope === "string" ? payload.scope.split(/\s+/).filter(Boolean) : ["*"];
    return { accountId, scopes, token };
  }
  throw new ApiError({
    status: 401,
    code: "api_key_invalid",
    message: "The API key is not valid",
    headers: { "WWW-Authenticate": 'Bearer realm="resonantgenesis", error="invalid_token"' },
  });
}

/** Throws a 403 `insufficient_permissions` unless `granted` covers `required`. */
export function requireScope(granted: readonly string[], required: Scope): void {
  if (!hasScope(granted, required))
    throw new ApiError({
      status: 403,
      code: "insufficient_permissions",
      message: `This key lacks the scope ${required}`,
      details: { required_scope: required },
    });
}

/** A fresh random API key for a test account. */
export function newApiKey(): string {
  return `rg_test_sk_${crypto.randomUUID().replace(/-/g, "")}`;
}

/** A random id with a prefix (`req_`, `evt_`, `whsec_`), base62. */
export function randomToken(prefix: string, length = 24): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
