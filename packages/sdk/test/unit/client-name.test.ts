/**
 * `console.log(client)` names the class users wrote, `ResonantClient`, not
 * the implementation's (`ResonantClientImpl`) or the name a bundler gave it
 * (`ResonantClient2`): from the sources and from the build, through the Node
 * entry and the universal one.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";

type Entry = typeof import("@resonantgenesis/sdk");
const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));
const built = existsSync(`${DIST}index.js`) && existsSync(`${DIST}index.node.js`);

function expectNamed(sdk: Entry): void {
  expect(sdk.ResonantClient.name).toBe("ResonantClient");
  const client = new sdk.ResonantClient({ apiKey: "k", baseURL: "https://example.test/api", logLevel: "off" });
  expect(inspect(client)).toMatch(/^ResonantClient \{\n {2}apiVersion: '1\.2',/);
  expect(client.constructor.name).toBe("ResonantClient");
  expect(inspect(client.withOptions({ apiVersion: "1.0" }))).toMatch(/^ResonantClient \{\n {2}apiVersion: '1\.0',/);
  // Still a function's name: not enumerable, not writable.
  expect(Object.getOwnPropertyDescriptor(sdk.ResonantClient, "name")).toMatchObject({
    enumerable: false,
    writable: false,
  });
}

describe("util.inspect(new ResonantClient(...)) starts with ResonantClient", () => {
  test("from the sources, Node entry", async () => {
    expectNamed((await import("../../src/index.node.js")) as Entry);
  });

  test("from the sources, universal entry", async () => {
    expectNamed((await import("../../src/index.js")) as unknown as Entry);
  });

  // CI builds before it tests; without a build there is nothing to read.
  test.skipIf(!built)("from the build (dist), Node entry and universal entry", async () => {
    expectNamed((await import(/* @vite-ignore */ `${DIST}index.node.js`)) as Entry);
    expectNamed((await import(/* @vite-ignore */ `${DIST}index.js`)) as Entry);
  });
});
