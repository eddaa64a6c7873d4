// What the edge function bundles: the SDK as any edge bundler resolves it, and the scenario.
import * as sdk from "@resonantgenesis/sdk";
import { runScenario } from "./scenario.mjs";

globalThis.runEcosystemScenario = (options) => runScenario(sdk, options);
