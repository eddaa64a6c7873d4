// The page: the SDK as Vite resolves it for the browser, running the scenario
// against the API named in the query (?api=...&key=...). The result (or the
// error) lands in #result with data-status set, which the test waits for.
import * as sdk from "@resonantgenesis/sdk";
import { SyncClient } from "@resonantgenesis/sdk/sync";
import { runScenario } from "../scenario.mjs";

// The sync entry builds for the browser, and a SyncClient made there says it needs Node (docs/sync-client.md).
function syncClientRefused() {
  try {
    new SyncClient({ apiKey: "t" });
  } catch (error) {
    if (error instanceof sdk.ResonantError && /runs only in Node\.js/.test(error.message)) return;
    throw error;
  }
  throw new Error("a SyncClient was made in a browser page");
}

const out = document.querySelector("#result");
const query = new URL(location.href).searchParams;
// A static key in a page must be allowed explicitly; this one is the mock's test key.
Promise.resolve()
  .then(syncClientRefused)
  .then(() =>
    runScenario(sdk, {
      baseURL: query.get("api"),
      apiKey: query.get("key"),
      clientOptions: { dangerouslyAllowBrowser: true },
    }),
  )
  .then(
    (result) => {
      out.textContent = JSON.stringify(result);
      out.dataset.status = "ok";
    },
    (error) => {
      out.textContent = String(error?.stack ?? error);
      out.dataset.status = "error";
    },
  );
