import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testContext } from "./_test_context.ts";
import { createOutput, formatTable } from "./output.ts";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

describe("createOutput()", () => {
  it("writes results for people to stdout and messages to stderr", () => {
    const context = testContext();
    const output = createOutput(context);
    output.info("Sending");
    output.result({ rows: 3 }, () => "3 rows");
    expect(context.stdout.text).toBe("3 rows\n");
    expect(context.stderr.text).toBe("Sending\n");
  });

  it("writes one JSON document with --json, and events only with --ndjson", () => {
    const json = testContext();
    const output = createOutput(json, { mode: "json" });
    output.event("chunk", { index: 0 });
    output.result({ rows: 3 }, () => "3 rows");
    expect(JSON.parse(json.stdout.text)).toEqual({ rows: 3 });

    const ndjson = testContext();
    const stream = createOutput(ndjson, { mode: "ndjson" });
    stream.event("chunk", { index: 0 });
    stream.result({ rows: 3 }, () => "3 rows");
    expect(
      ndjson.stdout.text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { type: "chunk", index: 0 },
      { type: "result", result: { rows: 3 } },
    ]);
  });

  it("writes a listing's items one a line with --ndjson, and as one array with --json", () => {
    const items = [
      { id: "1", name: "General Interest" },
      { id: "2", name: "VIP" },
    ];
    const ndjson = testContext();
    createOutput(ndjson, { mode: "ndjson" }).items(items, () => "table");
    expect(
      ndjson.stdout.text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(items);
    const json = testContext();
    createOutput(json, { mode: "json" }).items(items, () => "table");
    expect(JSON.parse(json.stdout.text)).toEqual(items);
    const human = testContext();
    createOutput(human).items(items, () => "table");
    expect(human.stdout.text).toBe("table\n");
  });

  it("prints nothing but errors on stderr with --quiet", () => {
    const context = testContext();
    const output = createOutput(context, { quiet: true, verbose: true });
    output.info("Sending");
    output.warn("Small");
    output.debug("GET /lists");
    output.error("Error: No");
    expect(context.stderr.text).toBe("Error: No\n");
  });

  it("prints debug lines only with --verbose", () => {
    const quiet = testContext();
    createOutput(quiet).debug("GET /lists");
    expect(quiet.stderr.text).toBe("");
    const verbose = testContext();
    createOutput(verbose, { verbose: true }).debug("GET /lists");
    expect(verbose.stderr.text).toBe("GET /lists\n");
  });

  it("colours only a terminal, and never when NO_COLOR is set or --no-color is given", () => {
    const tty = testContext({ tty: true });
    expect(createOutput(tty).style("stderr", "red", "x")).toMatch(ANSI);
    expect(createOutput(testContext()).style("stderr", "red", "x")).toBe("x");
    expect(createOutput({ ...tty, env: { NO_COLOR: "1" } }).style("stderr", "red", "x")).toBe("x");
    expect(createOutput(tty, { color: false }).style("stdout", "red", "x")).toBe("x");
  });

  it("colours when --color is given, even off a terminal or with NO_COLOR (a flag wins over the variable)", () => {
    expect(createOutput(testContext(), { color: true }).style("stderr", "red", "x")).toMatch(ANSI);
    const noColor = testContext({ env: { NO_COLOR: "1" } });
    expect(createOutput(noColor, { color: true }).style("stderr", "red", "x")).toMatch(ANSI);
  });

  it("draws progress only on a terminal without NO_COLOR or --quiet", () => {
    for (const [context, options, drawn] of [
      [testContext(), {}, false],
      [testContext({ tty: true, env: { NO_COLOR: "1" } }), {}, false],
      [testContext({ tty: true }), { quiet: true }, false],
      [testContext({ tty: true }), {}, true],
    ] as const) {
      const output = createOutput(context, options);
      expect(output.interactive).toBe(drawn);
      const bar = output.progress("{bar} {value}/{total}", 10);
      bar.update(5);
      bar.stop();
      expect(context.stderr.text.length > 0).toBe(drawn);
      expect(context.stdout.text).toBe("");
    }
  });
});

describe("formatTable()", () => {
  it("aligns columns two spaces apart", () => {
    expect(
      formatTable(
        ["ID", "NAME"],
        [
          ["1", "General Interest"],
          ["12", "VIP"],
        ],
      ),
    ).toBe("ID  NAME\n1   General Interest\n12  VIP");
  });

  it("aligns by the width a terminal shows: wide (CJK) letters take two columns, accents none", () => {
    expect(
      formatTable(
        ["ID", "NAME", "CONTACTS"],
        [
          ["1", "顧客リスト", "0"],
          ["2", "Cliente\u0301s", "0"],
          ["3", "Plain", "0"],
        ],
      ),
    ).toBe(
      [
        "ID  NAME        CONTACTS",
        "1   顧客リスト  0",
        "2   Cliente\u0301s    0",
        "3   Plain       0",
      ].join("\n"),
    );
  });

  it("starts every cell of a column at the same place", () => {
    const cell = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.tuple(
              fc.array(cell, { minLength: width, maxLength: width }),
              fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }),
            ),
          ),
        ([header, rows]) => {
          const lines = formatTable(header, rows).split("\n");
          expect(lines).toHaveLength(rows.length + 1);
          const all = [header, ...rows];
          lines.forEach((line, row) => {
            let offset = 0;
            all[row]!.forEach((value, column) => {
              expect(line.slice(offset, offset + value.length)).toBe(value);
              offset += Math.max(...all.map((cells) => cells[column]!.length)) + 2;
            });
          });
        },
      ),
    );
  });
});
