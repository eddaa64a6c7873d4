import { describe, expect, it } from "vitest";
import { printable } from "../src/ui/printable.js";

describe("printable", () => {
  it("writes out every character a terminal would obey, and redacts", () => {
    expect(printable("a\u001b[31mb\u0007c\rd\u007fe\u0085f\u202eg\u2066h")).toBe(
      "a\\u001b[31mb\\u0007c\\u000dd\\u007fe\\u0085f\\u202eg\\u2066h",
    );
    expect(printable("key rg_live_sk_AbC123secretVALUE_xyz")).toBe("key rg_live_sk_***");
  });

  it("leaves text as it is otherwise: tab, newline, accents, other scripts, emoji", () => {
    const text = "kind\ttotal\nagents\t3 — café, 日本語, 🚀, \u200d";
    expect(printable(text)).toBe(text);
  });
});
