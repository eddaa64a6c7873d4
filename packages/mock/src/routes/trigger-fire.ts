/**
 * `POST /api/v1.2/triggers/{id}/fire`: where a third party calls a trigger
 * (its `webhook_url`). No bearer key: the call is signed with the trigger's
 * secret the way a 1.2 delivery is (`X-Webhook-Signature` over
 * `"<timestamp>.<raw body>"`, `X-Webhook-Timestamp` within 300 s of the mock
 * clock). A valid call fills `goal_template`'s `{key}` placeholders from the
 * JSON body and starts a session of the trigger's agent, unless the trigger is
 * paused or fired within its `debounce_seconds`. Answers 202
 * `{"object": "trigger_fire", "trigger_id", "status": "started" | "debounced" | "paused", "session_id"}`.
 * @module
 */
import { startSession } from "../domain/sessions.js";
import { fillTemplate } from "../domain/triggers.js";
import { ApiError } from "../errors.js";
import type { GatewayServices } from "../gateway/env.js";
import { hmacSha256Hex } from "../signing.js";
import type { Account } from "../store.js";
import { json } from "./shared.js";

/** The path of a fire call below the version prefix. */
export const FIRE_PATH = /^\/triggers\/([^/]+)\/fire\/?$/;

/** How far a signed timestamp may be from the mock clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** When each trigger last started a session (mock ms), for debouncing. */
const lastFired = new WeakMap<Account, Map<string, number>>();

/** Constant-time string comparison, so the mock does not teach timing leaks. */
function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Handles a fire call for trigger `id`. */
export async function fireTrigger(
  services: GatewayServices,
  id: string,
  headers: Headers,
  raw: string,
): Promise<Response> {
  // Ids are unique within an account, not across accounts (an import into a second account keeps them):
  // the account is the one whose trigger's secret signed the call.
  const holders = [...services.store.accounts.values()].filter((candidate) => candidate.triggers.has(id));
  if (holders.length === 0)
    throw new ApiError({ status: 404, code: "trigger_not_found", message: `No trigger with id ${id}` });
  const signature = headers.get("x-webhook-signature") ?? "";
  const timestamp = headers.get("x-webhook-timestamp") ?? "";
  const now = services.clock.now().getTime();
  if (!/^\d+$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS)
    throw new ApiError({
      status: 401,
      code: "token_invalid",
      message: "X-Webhook-Timestamp is missing or more than 300 seconds from the server's clock",
    });
  let account: Account | undefined;
  for (const candidate of holders) {
    const expected = `sha256=${await hmacSha256Hex(candidate.secrets.get(id) ?? "", `${timestamp}.${raw}`)}`;
    if (safeEqual(signature, expected)) account = candidate;
  }
  const trigger = account?.triggers.get(id);
  if (!account || !trigger)
    throw new ApiError({
      status: 401,
      code: "token_invalid",
      message: "The X-Webhook-Signature does not match the trigger's secret",
    });
  let values: Record<string, unknown> = {};
  if (raw.trim() !== "") {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
    } catch (error) {
      throw new ApiError({
        status: 400,
        code: "invalid_json",
        message: `The request body is not valid JSON: ${(error as Error).message}`,
      });
    }
  }
  const answer = (status: string, sessionId: string | null) =>
    json(202, { object: "trigger_fire", trigger_id: id, status, session_id: sessionId });
  if (trigger.status === "paused") return answer("paused", null);
  const fired = lastFired.get(account) ?? new Map<string, number>();
  lastFired.set(account, fired);
  const last = fired.get(id);
  // A mock clock set back to before the last fire starts afresh, as the rate limiter does, rather than debouncing
  // every call until the clock comes round again.
  if (last !== undefined && now >= last && now - last < trigger.debounce_seconds * 1000)
    return answer("debounced", null);
  if (!account.agents.has(trigger.agent_id))
    throw new ApiError({
      status: 404,
      code: "agent_not_found",
      message: `The trigger's agent ${trigger.agent_id} no longer exists`,
    });
  fired.set(id, now);
  services.events.emit(account, "trigger.fired", trigger);
  const fields = {
    agent_id: trigger.agent_id,
    goal: fillTemplate(trigger.goal_template, values),
    metadata: { trigger_id: id },
  };
  return answer("started", startSession(services, account, fields, new Date(now).toISOString()).id);
}
