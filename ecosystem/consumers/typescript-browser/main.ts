// A browser page's code against the universal entry.
import { APIError, ResonantClient, type Agent } from "@resonantgenesis/sdk";

// A key function fetches a short-lived token from the page's own server.
const client = new ResonantClient({ apiKey: async () => (await fetch("/token")).text() });

export async function render(list: HTMLElement): Promise<void> {
  try {
    for await (const agent of client.agents.list()) {
      const item = document.createElement("li");
      const a: Agent<"1.2"> = agent;
      item.textContent = a.name;
      list.append(item);
    }
  } catch (error) {
    if (error instanceof APIError) list.textContent = `${error.status} ${error.requestId ?? ""}`;
  }
}
