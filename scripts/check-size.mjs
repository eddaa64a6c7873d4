// `pnpm check:size`: fails (exit 1) when what a one-call browser app loads to
// make one successful call (initial + onCall, gzip; see scripts/bundle-size.mjs)
// is over its budget: the `ResonantClient` app over BUDGETS.oneCallClient, the
// app written as docs/getting-started.md recommends for small bundles over
// BUDGETS.oneCallSizeEntry. SIZE_BUDGET_KB overrides the first (to see the
// check fail). Prints each figure, its budget and where the bytes go. Needs the packages built.
import {
  BUDGETS,
  kb,
  measureApp,
  ONE_CALL_CLIENT_APP,
  oneCall,
  SIZE_ENTRY_APP,
  topContributors,
} from "./bundle-size.mjs";

const setting = process.env.SIZE_BUDGET_KB;
const clientBudget = setting === undefined || setting === "" ? BUDGETS.oneCallClient : Number(setting);
if (!Number.isFinite(clientBudget) || clientBudget <= 0) {
  console.error(`SIZE_BUDGET_KB must be a positive number of KB; got ${JSON.stringify(setting)}`);
  process.exit(1);
}

const apps = [
  { name: "one-call ResonantClient app", source: ONE_CALL_CLIENT_APP, budgetKb: clientBudget },
  { name: "one-call ResonantCore + Agents app", source: SIZE_ENTRY_APP, budgetKb: BUDGETS.oneCallSizeEntry },
];
let failed = false;
for (const { name, source, budgetKb } of apps) {
  const app = await measureApp(source);
  if (app.missing) {
    console.error(`The ${name} does not build (are the packages built? pnpm build): ${app.missing}`);
    process.exit(1);
  }
  const call = oneCall(app);
  const over = call.gzip > budgetKb * 1024;
  failed ||= over;
  const lines = [
    `${name}: ${kb(call.gzip)} gzip (${kb(call.min)} minified), budget ${budgetKb} KB gzip: ${over ? "OVER" : "ok"}`,
    `  initial ${kb(app.initial.gzip)} + on the call ${kb(app.onCall.gzip)} (success path: ${app.successPath}); only on a failure ${kb(app.onFailure.gzip)}; gzip per chunk, summed`,
    "  biggest contributors, minified (packages; our files from the dist's source maps):",
    ...topContributors([app.initial, app.onCall], 10).map(([what, bytes]) => `    ${kb(bytes).padStart(8)}  ${what}`),
  ];
  (over ? console.error : console.log)(lines.join("\n"));
}
process.exit(failed ? 1 : 0);
