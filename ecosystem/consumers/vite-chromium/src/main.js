// The page: the SDK as Vite resolves it for the browser, running the scenario
// against the API named in the query (?api=...&key=...). The result (or the
// error) lands in #result with data-status set, which the test waits for.
import * as sdk from "@resonantgenesis/sdk";
import { runScenario } from "../scenario.mjs";

const out = document.querySelector("#result");
const query = new URL(location.href).searchParams;
// A static key in a page must be allowed explicitly; this one is the mock's test key.
runScenario(sdk, {
  baseURL: query.get("api"),
  apiKey: query.get("key"),
  clientOptions: { dangerouslyAllowBrowser: true },
}).then(
  (result) => {
    out.textContent = JSON.stringify(result);
    out.dataset.status = "ok";
  },
  (error) => {
    out.textContent = String(error?.stack ?? error);
    out.dataset.status = "error";
  },
);
