// docs/protocol.md section 3 gives every error code with its status. An injected fault status
// (api.faults) is the mock's answer too, so it carries a code the text lists under that
// status. The table is written here from the text, not read from the schemas package.
import { describe, expect, test } from "vitest";
import { expectError, invalidFields, useServer, version } from "./harness.js";

const h = useServer();

/** Section 3's codes, by status, as the text lists them. */
const CODES_BY_STATUS: Record<number, string[]> = {
  400: ["invalid_parameter", "missing_parameter", "invalid_json", "version_conflict", "unsupported_version"],
  401: ["api_key_invalid", "token_expired", "token_invalid"],
  403: ["insufficient_permissions"],
  404: [
    "not_found",
    "agent_not_found",
    "session_not_found",
    "team_not_found",
    "tool_not_found",
    "memory_not_found",
    "trigger_not_found",
    "webhook_not_found",
  ],
  409: ["already_exists", "name_taken", "idempotency_key_reused"],
  410: ["api_version_gone"],
  413: ["request_too_large"],
  422: ["validation_error"],
  429: ["rate_limit_exceeded"],
  500: ["internal_error"],
  502: ["upstream_error"],
  503: ["service_unavailable"],
};

/** The code of an error answer, where its form carries one (1.2's error.code, a FastAPI detail object's code). */
function codeOf(json: { error?: { code?: string }; detail?: unknown }): string | undefined {
  if (json.error) return json.error.code;
  const detail = json.detail as { code?: string } | undefined;
  return detail && typeof detail === "object" && !Array.isArray(detail) ? detail.code : undefined;
}

describe("an injected fault status answers with a code of section 3 for that status", () => {
  test.each(Object.keys(CODES_BY_STATUS).map(Number))("%i", async (status) => {
    h.api.faults.once({ status });
    const res = await h.client.get("/agents");
    expectError(res, status);
    const code = codeOf(res.json);
    // The FastAPI form of 1.0 and 1.1 may say it in a plain string, without a code.
    if (version === "1.2") expect(code).toBeDefined();
    if (code !== undefined) expect(CODES_BY_STATUS[status]).toContain(code);
    // "validation_error (422, with details.fields)".
    if (status === 422 && version === "1.2") expect(invalidFields(res).length).toBeGreaterThan(0);
  });
});

test("a 504, which section 3 does not list, answers 502's gateway code, as the SDK names a 504 without one", async () => {
  h.api.faults.once({ status: 504 });
  const res = await h.client.get("/agents");
  expectError(res, 504);
  const code = codeOf(res.json);
  if (version === "1.2") expect(code).toBeDefined();
  if (code !== undefined) expect(code).toBe("upstream_error");
});
