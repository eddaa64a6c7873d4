import { describe, expect, it } from "vitest";
import { printable } from "../src/ui/printable.js";

describe("printable", () => {
  it("writes out every character a terminal would obey, and redacts", () => {
    expect(printable("a\u001b[31mb\u0007c\rd\u007fe\u0085f\u202eg\u2066h")).toBe(
      "a\\u001b[31mb\\u0007c\\u000dd\\u007fe\\u0085f\\u202eg\\u2066h",
    );
    expect(printable("key rg_live_sk_AbC123secretVALUE_xyz")).toBe("key rg_live_sk_***");
  });

  it("hides a URL's user and password, up to the last @ before its host, and nothing else", () => {
    expect(printable("server (http://u:secretpw@127.0.0.1:4923/api)")).toBe("server (http://***@127.0.0.1:4923/api)");
    expect(printable("argument 'HTTPS://u:p@ss@host/api/v1.2' is invalid")).toBe(
      "argument 'HTTPS://***@host/api/v1.2' is invalid",
    );
    expect(printable('{"url":"http://host/api","mail":"a@b.c"} http://host/x me@b.c')).toBe(
      '{"url":"http://host/api","mail":"a@b.c"} http://host/x me@b.c',
    );
  });

  it("leaves text as it is otherwise: tab, newline, accents, other scripts, emoji", () => {
    const text = "kind\ttotal\nagents\t3 — café, 日本語, 🚀, \u200d";
    expect(printable(text)).toBe(text);
  });
});
