/**
 * A run of consecutive lines: chunk lines `chunkLine … chunkLine + length − 1` are source lines
 * `sourceLine … sourceLine + length − 1`. A chunk's line map is usually two runs (its header, then
 * its rows), so that an import of millions of rows keeps its maps in constant memory.
 */
export type LineRun = readonly [chunkLine: number, sourceLine: number, length: number];

/**
 * Compresses a chunk's `lineMap` (`lineMap[i]` is the source line of chunk line `i + 1`) into runs.
 *
 * @param lineMap The chunk's map, as `chunkContactRows()` gives it.
 * @returns The runs, in chunk-line order.
 *
 * @example A chunk of rows 5 to 7 of a file
 * ```ts
 * import { compressLineMap } from "@ctct-bulk/transport";
 * compressLineMap([1, 5, 6, 7]); // [[1, 1, 1], [2, 5, 3]]
 * ```
 */
export function compressLineMap(lineMap: readonly number[]): LineRun[] {
  const runs: LineRun[] = [];
  let start = 0;
  for (let i = 1; i <= lineMap.length; i++) {
    if (i === lineMap.length || lineMap[i] !== lineMap[i - 1]! + 1) {
      runs.push([start + 1, lineMap[start]!, i - start]);
      start = i;
    }
  }
  return runs;
}

/**
 * The source line of a chunk line, through the chunk's runs.
 *
 * @param runs The chunk's runs, from {@linkcode compressLineMap}.
 * @param chunkLine A line number the server reported for the chunk (the header is line 1).
 * @returns The source file's line, or `undefined` when the chunk has no such line.
 *
 * @example Line 3 of the chunk above is line 6 of the file
 * ```ts
 * import { mapChunkLine } from "@ctct-bulk/transport";
 * mapChunkLine([[1, 1, 1], [2, 5, 3]], 3); // 6
 * mapChunkLine([[1, 1, 1], [2, 5, 3]], 9); // undefined
 * ```
 */
export function mapChunkLine(runs: readonly LineRun[], chunkLine: number): number | undefined {
  let low = 0;
  let high = runs.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, source, length] = runs[middle]!;
    if (chunkLine < start) high = middle - 1;
    else if (chunkLine >= start + length) low = middle + 1;
    else return source + (chunkLine - start);
  }
  return undefined;
}
