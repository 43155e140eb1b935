import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compressLineMap, mapChunkLine } from "./line-map.ts";

/** A chunk's line map as the chunker makes it: the header (1), then increasing source lines. */
const lineMapArbitrary = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 300 })
  .chain((gaps) =>
    fc.integer({ min: 2, max: 100_000 }).map((first) => {
      const map = [1];
      let line = first;
      for (const gap of gaps) {
        map.push(line);
        line += gap;
      }
      return map;
    }),
  );

describe("compressLineMap() and mapChunkLine()", () => {
  it("map every chunk line to the line the chunk's lineMap names, and nothing else", () => {
    fc.assert(
      fc.property(lineMapArbitrary, (lineMap) => {
        const runs = compressLineMap(lineMap);
        for (let i = 0; i < lineMap.length; i++) expect(mapChunkLine(runs, i + 1)).toBe(lineMap[i]);
        expect(mapChunkLine(runs, 0)).toBeUndefined();
        expect(mapChunkLine(runs, lineMap.length + 1)).toBeUndefined();
      }),
    );
  });

  it("keep a chunk of consecutive rows in two runs", () => {
    const lineMap = [1, ...Array.from({ length: 50_000 }, (_, i) => 70_001 + i)];
    expect(compressLineMap(lineMap)).toEqual([
      [1, 1, 1],
      [2, 70_001, 50_000],
    ]);
  });
});
