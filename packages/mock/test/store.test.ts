import { describe, expect, test } from "vitest";
import { Collection, decodeCursor, encodeCursor } from "../src/store.js";

const item = (n: number) => ({ id: `id-${n}` });
const ids = (items: { id: string }[]) => items.map((i) => i.id);

function filled(n: number): Collection<{ id: string }> {
  const c = new Collection<{ id: string }>();
  for (let i = 1; i <= n; i++) c.insert(item(i));
  return c;
}

describe("Collection pagination", () => {
  test("oldest first, limit a page, next_cursor null on the last page", () => {
    const c = filled(5);
    const p1 = c.page(2);
    expect(ids(p1.items)).toEqual(["id-1", "id-2"]);
    expect(p1.hasMore).toBe(true);
    const p2 = c.page(2, p1.nextCursor);
    expect(ids(p2.items)).toEqual(["id-3", "id-4"]);
    const p3 = c.page(2, p2.nextCursor);
    expect(ids(p3.items)).toEqual(["id-5"]);
    expect(p3.hasMore).toBe(false);
    expect(p3.nextCursor).toBeNull();
  });

  test("an exact last page has no next cursor", () => {
    const c = filled(4);
    const p2 = c.page(2, c.page(2).nextCursor);
    expect(ids(p2.items)).toEqual(["id-3", "id-4"]);
    expect(p2.nextCursor).toBeNull();
  });

  test("items added while paging come later, never twice, never skipped", () => {
    const c = filled(4);
    const p1 = c.page(2);
    c.insert(item(5));
    c.insert(item(6));
    const p2 = c.page(2, p1.nextCursor);
    const p3 = c.page(2, p2.nextCursor);
    expect([...ids(p1.items), ...ids(p2.items), ...ids(p3.items)]).toEqual([
      "id-1",
      "id-2",
      "id-3",
      "id-4",
      "id-5",
      "id-6",
    ]);
  });

  test("deleting the last item seen or the next ones does not shift the next page", () => {
    const c = filled(6);
    const p1 = c.page(2);
    c.delete("id-2"); // the cursor's own item
    c.delete("id-3"); // the next one
    const p2 = c.page(2, p1.nextCursor);
    expect(ids(p2.items)).toEqual(["id-4", "id-5"]);
    c.delete("id-1");
    expect(ids(c.page(10, p2.nextCursor).items)).toEqual(["id-6"]);
  });

  test("deleting everything after the cursor gives an empty last page", () => {
    const c = filled(3);
    const p1 = c.page(1);
    c.delete("id-2");
    c.delete("id-3");
    const p2 = c.page(1, p1.nextCursor);
    expect(p2.items).toEqual([]);
    expect(p2.nextCursor).toBeNull();
  });

  test("re-inserting a deleted id puts it at the end; put() keeps the position", () => {
    const c = filled(3);
    c.delete("id-1");
    c.insert(item(1));
    expect(ids(c.values())).toEqual(["id-2", "id-3", "id-1"]);
    c.put({ id: "id-2" });
    expect(ids(c.values())).toEqual(["id-2", "id-3", "id-1"]);
  });

  test("filters apply before the limit, and the cursor skips filtered items correctly", () => {
    const c = filled(10);
    const even = (i: { id: string }) => Number(i.id.slice(3)) % 2 === 0;
    const p1 = c.page(2, null, even);
    expect(ids(p1.items)).toEqual(["id-2", "id-4"]);
    const p2 = c.page(2, p1.nextCursor, even);
    expect(ids(p2.items)).toEqual(["id-6", "id-8"]);
    const p3 = c.page(2, p2.nextCursor, even);
    expect(ids(p3.items)).toEqual(["id-10"]);
    expect(p3.nextCursor).toBeNull();
  });
});

describe("cursors", () => {
  test("opaque, round-trip, c_ prefix", () => {
    const cursor = encodeCursor(42);
    expect(cursor).toMatch(/^c_[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("42");
    expect(decodeCursor(cursor)).toBe(42);
  });

  test.each(["nope", "c_", "c_!!!", `c_${btoa("x:1")}`])("a bad cursor (%s) is a 400 invalid_parameter", (bad) => {
    expect(() => decodeCursor(bad)).toThrowError(expect.objectContaining({ status: 400, code: "invalid_parameter" }));
  });
});
