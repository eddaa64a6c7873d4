/**
 * `sessions.create` from plain JavaScript with `stream: true` (TypeScript
 * refuses it): the server would start a session and answer with events that
 * `create` cannot read, so the call would fail after its side effect. It is
 * refused before anything is sent; `sessions.stream` is the road for events.
 */
import { describe, expect, test } from "vitest";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { ResonantClient, RequestValidationError, type Fetch } from "@resonantgenesis/sdk";

const AGENT = "00000000-0000-4000-8000-0000000000a1";

/** A client of `apiVersion` whose fetch records what it would send and answers a session. */
function recordingClient(apiVersion: "1.0" | "1.1" | "1.2") {
  const sent: string[] = [];
  const fetch: Fetch = async (input, init) => {
    // ky hands fetch a Request; another transport, a URL and init.
    sent.push(input instanceof Request ? await input.text() : String(init?.body));
    return Response.json({ error: "not reached" }, { status: 500 });
  };
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: "https://example.test/api", fetch, apiVersion });
  return { client, sent };
}

describe("sessions.create given the wire's stream switch", () => {
  test.each(["1.0", "1.1", "1.2"] as const)(
    "API %s: a RequestValidationError at body, nothing sent",
    async (version) => {
      const { client, sent } = recordingClient(version);
      for (const stream of [true, false]) {
        const body = { agent_id: AGENT, goal: "g", stream } as never;
        const refused = client.sessions.create(body);
        await expect(refused).rejects.toBeInstanceOf(RequestValidationError);
        await expect(refused).rejects.toMatchObject({
          issues: [{ path: "body", message: "unknown field(s): stream" }],
        });
      }
      expect(sent).toEqual([]);
    },
  );

  test("without it, create sends the body as given (the same fetch is reached)", async () => {
    const { client, sent } = recordingClient("1.2");
    await client.sessions.create({ agent_id: AGENT, goal: "g" }, { maxRetries: 0 }).catch(() => undefined);
    expect(sent).toEqual([JSON.stringify({ agent_id: AGENT, goal: "g" })]);
  });
});
