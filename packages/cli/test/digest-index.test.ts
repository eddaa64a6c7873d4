/**
 * The index verify, restore and the dry runs keep per object (digest-index.ts): found by kind and id, never by
 * another id that is nearly the same (one character apart, or apart only in a lone surrogate, which UTF-8 would
 * make one character), nor by the same id in another kind; its digest and mark kept through growth.
 */
import { describe, expect, it } from "vitest";
import { contentDigestBytes } from "../src/core/canonical.js";
import { DigestIndex } from "../src/core/digest-index.js";

/** A 16-byte digest told by `n`. */
const digestOf = (n: number) => contentDigestBytes({ n });

describe("DigestIndex", () => {
  it("finds what was added, with its digest, and nothing else", () => {
    const index = new DigestIndex();
    expect(index.find("agents", "a")).toBe(-1);
    expect(index.add("agents", "a", digestOf(1))).toBe(true);
    expect(index.add("agents", "", digestOf(2))).toBe(true);
    expect(index.size).toBe(2);
    const a = index.find("agents", "a");
    const empty = index.find("agents", "");
    expect([a, empty]).toEqual([0, 1]);
    expect(index.sameDigest(a, digestOf(1))).toBe(true);
    expect(index.sameDigest(a, digestOf(2))).toBe(false);
    expect(index.sameDigest(empty, digestOf(2))).toBe(true);
    expect(index.find("agents", "b")).toBe(-1);
    expect(index.find("sessions", "a")).toBe(-1);
  });

  it("adds an id once: a second add answers false and keeps the digest; setDigest replaces it", () => {
    const index = new DigestIndex();
    index.add("agents", "a", digestOf(1));
    expect(index.add("agents", "a", digestOf(2))).toBe(false);
    expect(index.size).toBe(1);
    expect(index.sameDigest(0, digestOf(1))).toBe(true);
    index.setDigest(0, digestOf(2));
    expect(index.sameDigest(0, digestOf(2))).toBe(true);
    expect(index.sameDigest(0, digestOf(1))).toBe(false);
  });

  it("keeps apart ids one character apart, the same id in two kinds, and kinds and ids cut at another place", () => {
    const index = new DigestIndex();
    const keys: [string, string][] = [
      ["agents", "agt_0001"],
      ["agents", "agt_0002"],
      ["agents", "agt_000"],
      ["agents", "agt_0001 "],
      ["sessions", "agt_0001"],
      ["a", "bc"],
      ["ab", "c"],
      ["", "abc"],
      ["agents", "\ud800"],
      ["agents", "\ud801"],
      ["agents", "\ufffd"],
      ["agents", "é"],
      ["agents", "e\u0301"],
      ["agents", "🦀"],
      ["agents", "\u0000"],
    ];
    keys.forEach(([kind, id], n) => {
      expect(index.add(kind, id, digestOf(n)), `${kind} ${id}`).toBe(true);
    });
    expect(index.size).toBe(keys.length);
    keys.forEach(([kind, id], n) => {
      const entry = index.find(kind, id);
      expect(entry).toBe(n);
      expect(index.sameDigest(entry, digestOf(n))).toBe(true);
    });
  });

  it("marks an entry, and only that entry", () => {
    const index = new DigestIndex();
    index.add("agents", "a", digestOf(1));
    index.add("agents", "b", digestOf(2));
    expect(index.marked(0)).toBe(false);
    index.mark(index.find("agents", "b"));
    expect(index.marked(index.find("agents", "b"))).toBe(true);
    expect(index.marked(index.find("agents", "a"))).toBe(false);
  });

  it("keeps every entry, its digest and its mark as it grows past several doublings", () => {
    // 300,000 ids: 8 doublings from 1,024 entries, and enough that a fingerprint of 4 bytes rather than 16 would
    // give two of them one (about 10 pairs expected), which the adds and finds below would tell.
    const n = 300_000;
    const index = new DigestIndex();
    const id = (i: number) => `obj_${i.toString(36)}`;
    const digests = [0, 1, 2, 3, 4, 5, 6].map(digestOf);
    let refused = 0;
    for (let i = 0; i < n; i++) {
      if (!index.add(i % 2 ? "agents" : "memories", id(i), digests[i % 7]!)) refused++;
      if (i % 3 === 0) index.mark(i);
    }
    expect(refused).toBe(0);
    expect(index.size).toBe(n);
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const entry = index.find(i % 2 ? "agents" : "memories", id(i));
      if (entry !== i || !index.sameDigest(entry, digests[i % 7]!) || index.marked(entry) !== (i % 3 === 0)) wrong++;
    }
    expect(wrong).toBe(0);
    expect(index.find("agents", id(0))).toBe(-1);
    expect(index.find("memories", id(n))).toBe(-1);
  });
});
