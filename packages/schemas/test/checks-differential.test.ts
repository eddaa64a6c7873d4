/**
 * The generated checkers (src/checks/) against zod, for every schema of every
 * version and each reading, and for the import bodies as the SDK checks them
 * (`carried`): on the SDK's golden answers, on values fast-check builds from
 * the schema, and on those values broken in every way of check-values.ts.
 * A checker must answer exactly what `safeParse(value).success` answers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type * as z from "zod/mini";
import { answerNamesOf, carriedNamesOf, schemasOf } from "../scripts/gen-checks.js";
import * as compatible10 from "../src/checks/v1.0/compatible.js";
import * as strict10 from "../src/checks/v1.0/strict.js";
import * as compatible11 from "../src/checks/v1.1/compatible.js";
import * as strict11 from "../src/checks/v1.1/strict.js";
import * as compatible12 from "../src/checks/v1.2/compatible.js";
import * as strict12 from "../src/checks/v1.2/strict.js";
import type { Check } from "../src/checks/types.js";
import { PARSE_OPTIONS } from "../src/issues.js";
import { carriedItems, reading } from "../src/readings.js";
import * as v1_0 from "../src/v1.0/index.js";
import * as v1_1 from "../src/v1.1/index.js";
import * as v1_2 from "../src/v1.2/index.js";
import { arbitraryOf, goldenValues, MUTATIONS, mutate, paths } from "./check-values.js";

const VERSIONS = [
  ["1.0", v1_0, compatible10.checks, strict10.checks, strict10.carried],
  ["1.1", v1_1, compatible11.checks, strict11.checks, strict11.carried],
  ["1.2", v1_2, compatible12.checks, strict12.checks, strict12.carried],
] as const;

const golden = goldenValues();

/** One value: the checker's answer and zod's, side by side. */
function agree(name: string, check: Check, schema: z.ZodMiniType, value: unknown, what: string): void {
  const zod = schema.safeParse(value, PARSE_OPTIONS).success;
  if (check(value) !== zod)
    expect.fail(`${name}: zod says ${zod} on ${what}: ${JSON.stringify(value)?.slice(0, 2000) ?? String(value)}`);
}

/** Golden answers, then random values and every mutation of one random path of each. */
function differential(name: string, check: Check, schema: z.ZodMiniType, source: z.ZodMiniType): void {
  for (const value of golden) agree(name, check, schema, value, "a golden answer");
  let accepted = 0;
  const seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);
  fc.assert(
    fc.property(arbitraryOf(source as never), fc.nat(), fc.nat(), (value, at, pick) => {
      agree(name, check, schema, value, "a generated value");
      if (check(value)) accepted++;
      const all = paths(value);
      const path = all[at % all.length]!;
      // Every mutation at one path, and one mutation at the root's fields too.
      for (const [label, mutation] of MUTATIONS) agree(name, check, schema, mutate(value, path, mutation), label);
      const [label, mutation] = MUTATIONS[pick % MUTATIONS.length]!;
      for (const top of all.filter((p) => p.length === 1))
        agree(name, check, schema, mutate(value, top, mutation), `${label} at ${top[0]}`);
    }),
    { numRuns: 25, seed },
  );
  // A generator that makes nothing valid would prove little.
  expect(accepted, `${name}: no generated value was accepted`).toBeGreaterThan(0);
}

for (const [version, module, compatibleChecks, strictChecks, carriedChecks] of VERSIONS) {
  const schemas = schemasOf(module);
  const byName = Object.fromEntries(schemas) as Record<string, z.ZodMiniType>;

  describe(`generated checkers of API ${version}`, () => {
    it("cover every schema the version exports (the compatible reading: every answer), and its import bodies", () => {
      const names = schemas.map(([name]) => name);
      expect(Object.keys(compatibleChecks).sort()).toEqual(answerNamesOf(module).sort());
      expect(answerNamesOf(module)).toContain("Agent");
      expect(answerNamesOf(module)).not.toContain("AgentCreateParams");
      expect(Object.keys(strictChecks).sort()).toEqual([...names].sort());
      expect(Object.keys(carriedChecks).sort()).toEqual(carriedNamesOf(module).sort());
    });

    const compatibleMap = compatibleChecks as Record<string, Check>;
    const strictMap = strictChecks as Record<string, Check>;
    it.each(answerNamesOf(module))("%s (compatible) = zod", (name) => {
      const schema = byName[name]!;
      differential(`${version} ${name} compatible`, compatibleMap[name]!, reading(schema, "compatible"), schema);
    });
    it.each(schemas.map(([name]) => name))("%s (strict) = zod", (name) => {
      const schema = byName[name]!;
      differential(`${version} ${name} strict`, strictMap[name]!, reading(schema, "strict"), schema);
    });
    it.each(carriedNamesOf(module))("%s (carried) = zod", (name) => {
      const schema = byName[name]!;
      const check = (carriedChecks as Record<string, Check>)[name]!;
      differential(`${version} ${name} carried`, check, carriedItems(schema), schema);
    });
  });
}

describe("generated checker details", () => {
  it("count code points as zod does, and take a lone surrogate as one", () => {
    const name = strict12.checks.ToolName;
    expect(name("a".repeat(64))).toBe(true);
    const agent = (n: string) => strict12.checks.AgentCreateParams({ name: n });
    expect(agent("😀".repeat(100))).toBe(true);
    expect(agent("😀".repeat(101))).toBe(false);
    expect(agent("\uD800")).toBe(true);
  });

  it("read an https URL as zod's url check does: trimmed, https only, a hostname", () => {
    const hook = (url: string) => strict12.checks.WebhookCreateParams({ url, events: ["agent.created"] });
    expect(hook(" https://example.com/hook ")).toBe(true);
    expect(hook("http://example.com/hook")).toBe(false);
    expect(hook("https://exa mple.com")).toBe(false);
  });

  it("dispatch a discriminated union on its discriminator, an unknown one refused", () => {
    const end = { kind: "end", counts: { agents: 1 } };
    expect(strict12.checks.ExportRecord(end)).toBe(true);
    expect(strict12.checks.ExportRecord({ ...end, kind: "workflow" })).toBe(false);
    expect(compatible12.checks.ExportRecord({ kind: "end", counts: { agents: 1, workflows: 2 } })).toBe(true);
    expect(strict12.checks.ExportRecord({ kind: "end", counts: { agents: 1, workflows: 2 } })).toBe(false);
  });
});
