// `pnpm check:size`: fails (exit 1) when what a one-call ResonantClient browser
// app loads to make one successful call (initial + onCall, gzip; see
// scripts/bundle-size.mjs) is over SIZE_BUDGET_KB (default BUDGETS.oneCallClient),
// printing the figure, the budget and where the bytes go. Needs the packages built.
import { BUDGETS, kb, measureApp, ONE_CALL_CLIENT_APP, oneCall, topContributors } from "./bundle-size.mjs";

const setting = process.env.SIZE_BUDGET_KB;
const budgetKb = setting === undefined || setting === "" ? BUDGETS.oneCallClient : Number(setting);
if (!Number.isFinite(budgetKb) || budgetKb <= 0) {
  console.error(`SIZE_BUDGET_KB must be a positive number of KB; got ${JSON.stringify(setting)}`);
  process.exit(1);
}

const app = await measureApp(ONE_CALL_CLIENT_APP);
if (app.missing) {
  console.error(`The one-call app does not build (are the packages built? pnpm build): ${app.missing}`);
  process.exit(1);
}
const call = oneCall(app);
const over = call.gzip > budgetKb * 1024;
const lines = [
  `one-call ResonantClient app: ${kb(call.gzip)} gzip (${kb(call.min)} minified), budget ${budgetKb} KB gzip: ${over ? "OVER" : "ok"}`,
  `  initial ${kb(app.initial.gzip)} + on the call ${kb(app.onCall.gzip)} (success path: ${app.successPath}); only on a failure ${kb(app.onFailure.gzip)}; gzip per chunk, summed`,
  "  biggest contributors, minified (packages; our files from the dist's source maps):",
  ...topContributors([app.initial, app.onCall], 10).map(([name, bytes]) => `    ${kb(bytes).padStart(8)}  ${name}`),
];
(over ? console.error : console.log)(lines.join("\n"));
process.exit(over ? 1 : 0);
