/** The real mock app, called in-process through a client's `fetch` option, with every request it was sent. */
import { createMockApi, type MockApi } from "@resonantgenesis/mock";
import type { Fetch } from "@resonantgenesis/sdk";

/** The mock's default base URL, which its app answers on. */
export const baseURL = "https://resonantgenesis.xyz/api";

/** A fresh mock app, the `fetch` that calls it, and a copy of each request sent through that fetch. */
export function inProcessMock(): { api: MockApi; viaMock: Fetch; sent: Request[] } {
  const api = createMockApi();
  const sent: Request[] = [];
  const viaMock: Fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return api.fetch(request);
  };
  return { api, viaMock, sent };
}
