/**
 * The page scanner behind `exportStream({ withText: true })` on 1.0 and 1.1 (resources/paged-text.ts): for any page
 * JSON can write, spaced any way, the texts it cuts are its array's items as `JSON.parse` reads them, each on one
 * line, with every number's digits as the page wrote them.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { arrayItemTexts } from "../../src/resources/paged-text.js";

// Whitespace JSON allows between tokens, spread through a compact text outside its strings.
const spaced = (text: string, blanks: string[]) => {
  let i = 0;
  return text.replace(/("(?:[^"\\]|\\.)*")|([,:[\]{}])/g, (all, string: string | undefined) =>
    string === undefined ? `${blanks[i++ % blanks.length]}${all}${blanks[i++ % blanks.length]}` : all,
  );
};
const blanks = fc.array(fc.stringMatching(/^[ \t\n\r]{0,3}$/), { minLength: 1, maxLength: 8 });
// Integers a double cannot hold, written as a server would: their digits are the thing to keep.
const bigDigits = fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((n) => `${n}${n % 2n === 0n ? "" : "1"}`);

describe("arrayItemTexts", () => {
  test("cuts each item of `key`'s array, as JSON.parse reads it, on one line, beside other members", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(
          fc.string().filter((k) => k !== "data"),
          fc.jsonValue(),
          { maxKeys: 3 },
        ),
        blanks,
        (items, others, gaps) => {
          // Other members before and after, one of them holding a nested `data` that is not the page's.
          const page = { ...others, nested: { data: [1, 2] }, data: items, next_cursor: null };
          const texts = arrayItemTexts(spaced(JSON.stringify(page), gaps), "data");
          expect(texts?.map((t) => JSON.parse(t))).toEqual(JSON.parse(JSON.stringify(items)));
          for (const t of texts!) expect(t).not.toMatch(/[\n\r]/);
        },
      ),
    );
  });

  test("keeps every number's digits, where JSON.parse would round them", () => {
    fc.assert(
      fc.property(fc.array(bigDigits, { minLength: 1, maxLength: 6 }), blanks, (digits, gaps) => {
        const text = spaced(`{"data":[${digits.map((d) => `{"n":${d},"s":"${d}"}`).join(",")}]}`, gaps);
        expect(arrayItemTexts(text, "data")).toEqual(digits.map((d) => `{"n":${d},"s":"${d}"}`));
      }),
    );
  });

  test("reads a key written twice at its last place, as JSON.parse does; no such array is undefined", () => {
    expect(arrayItemTexts('{"data":[1],"x":{"data":[9]},"data":[ 2 , "3" ]}', "data")).toEqual(["2", '"3"']);
    expect(arrayItemTexts('{"data":[]}', "data")).toEqual([]);
    expect(arrayItemTexts('{"items":[1]}', "data")).toBeUndefined();
    expect(arrayItemTexts('{"\\u0064ata":[7]}', "data")).toEqual(["7"]);
  });
});
