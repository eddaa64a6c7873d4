import { describe, expect, test } from "vitest";
import type { SessionStreamEvent } from "@resonantgenesis/sdk";
import { answerText } from "./fixtures.js";
import { AGENT, MODES, goldenClient } from "./golden-api.js";

// Section 7's streamed session, as it arrives on the wire (a `: ping` comment, ids 1 to 5).
const wire = answerText("session-stream.sse.txt");
/** The fixture's events, read off the text by hand: event name and parsed data. */
const written = [...wire.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map(([, type, data]) => ({
  type,
  data: JSON.parse(data!),
}));

describe.each(MODES)("section 7 session stream, %s", (mode) => {
  test.each(["1.1", "1.2"] as const)(
    "sessions.stream yields session first, done last, deltas joined to the result (%s)",
    async (version) => {
      const { client, requests } = goldenClient(version, mode);
      const events: SessionStreamEvent<typeof version>[] = [];
      for await (const event of client.sessions.stream({ agent_id: AGENT, goal: "greet" })) events.push(event);

      expect(written.map((e) => e.type)).toEqual(["session", "step", "message", "message", "done"]);
      expect(events).toEqual(written);
      const deltas = events.flatMap((e) => (e.type === "message" ? [e.data.delta] : []));
      const done = events.at(-1)!;
      expect(done.type).toBe("done");
      expect(done.type === "done" && done.data.result).toBe(deltas.join(""));
      expect(requests).toHaveLength(1);
      expect(requests[0]!.headers.get("accept")).toContain("text/event-stream");
    },
  );
});
