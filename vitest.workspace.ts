// The list of test projects: one per package, and one contract project per API
// version. Vitest 4 no longer reads this file on its own, so vitest.config.ts
// imports it as `test.projects`; keeping the list here keeps the design card's
// layout and lets a newer Vitest pick it up unchanged.
import { fileURLToPath } from "node:url";
import type { TestProjectConfiguration } from "vitest/config";

/** Resolve workspace packages to their TypeScript sources, so tests need no build. */
const sourceConditions = ["@resonantgenesis/source", "module", "node", "import", "default"];
const resolve = { conditions: sourceConditions };

const API_VERSIONS = ["1.0", "1.1", "1.2"] as const;

const packages = ["schemas", "mock", "sdk"].map(
  (name): TestProjectConfiguration => ({
    resolve,
    ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
    test: {
      name,
      root: `packages/${name}`,
      include: ["test/**/*.test.ts"],
      exclude: ["test/contract/**", "**/node_modules/**"],
      typecheck: { enabled: name === "sdk", include: ["test/types/**/*.test-d.ts"], tsconfig: "tsconfig.json" },
    },
  }),
);

const contracts = API_VERSIONS.map(
  (version): TestProjectConfiguration => ({
    resolve,
    ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
    test: {
      name: `contract-v${version}`,
      include: ["packages/*/test/contract/**/*.test.ts"],
      provide: { apiVersion: version },
    },
  }),
);

// The CLI's tests run the built `resonant` as child processes against a loopback mock (its global
// setup builds what is older than its sources): slower than unit tests, so they get a longer timeout.
const cli: TestProjectConfiguration = {
  resolve,
  ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
  test: {
    name: "cli",
    root: "packages/cli",
    include: ["test/**/*.test.ts"],
    globalSetup: [fileURLToPath(new URL("./packages/cli/test/global-setup.ts", import.meta.url))],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
};

export default [...packages, ...contracts, cli];
