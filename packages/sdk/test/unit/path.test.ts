import { describe, expect, it } from "vitest";
import { RequestValidationError } from "../../src/core/errors.js";
import { path } from "../../src/internal/path.js";

describe("path", () => {
  it("builds paths from plain ids", () => {
    expect(path`agents/${"0b7c4f6e-2a51"}/steps`).toBe("agents/0b7c4f6e-2a51/steps");
    expect(path`agents`).toBe("agents");
    expect(path`agents/${"a"}/triggers/${"b"}`).toBe("agents/a/triggers/b");
  });

  it.each([
    ["../x", "..%2Fx"],
    ["a/b", "a%2Fb"],
    ["?x", "%3Fx"],
    ["#", "%23"],
    ["%2e%2e", "%252e%252e"],
    ["a b&c=d", "a%20b%26c%3Dd"],
    ["...", "..."],
    ["é", "%C3%A9"],
  ])("encodes %j so it stays one segment", (id, encoded) => {
    const built = path`sessions/${id}/steps`;
    expect(built).toBe(`sessions/${encoded}/steps`);
    const url = new URL(built, "https://resonantgenesis.xyz/api/v1.2/");
    expect(url.pathname).toBe(`/api/v1.2/sessions/${encoded}/steps`);
    expect(url.search).toBe("");
    expect(url.hash).toBe("");
  });

  it.each(["", ".", ".."])("rejects %j", (id) => {
    expect(() => path`agents/${id}`).toThrow(RequestValidationError);
  });

  it.each([[42], [null], [undefined], [{}], [["a"]]])("rejects the non-string %j", (id) => {
    expect(() => path`agents/${id}`).toThrow(RequestValidationError);
  });

  it("rejects lone surrogates", () => {
    expect(() => path`agents/${"\uD800"}`).toThrow(RequestValidationError);
  });

  it("names every bad parameter by position and value", () => {
    try {
      path`agents/${"ok"}/triggers/${".."}/x/${7}`;
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RequestValidationError);
      const e = err as RequestValidationError;
      expect(e.issues).toHaveLength(2);
      expect(e.issues[0]?.path).toBe('path parameter 2 (after "triggers")');
      expect(e.message).toContain('must not be ".."');
      expect(e.issues[1]?.path).toBe('path parameter 3 (after "x")');
      expect(e.message).toContain("must be a string, got number");
    }
  });
});
