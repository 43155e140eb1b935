// Runs the `@example` blocks of the encoding, request, chunking and XML modules: each line
// `expression; // value` becomes an assertion that the expression equals the value (a line may
// start with an `if (…)` guard). The vocabulary, contact-file and validation examples, written as
// multi-line statements, run in contacts-examples.test.ts. Every public function and class of the
// package must have an example somewhere.
import { describe, expect, it } from "vitest";
import { AsyncFunction, exampleBlocks, hasExample } from "./_test_examples.ts";
import * as core from "./mod.ts";

const allSources = import.meta.glob<string>(["./*.ts", "!./*.test.ts", "!./_test_*.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const lineStyleSources = import.meta.glob<string>(
  [
    "./form-urlencoded.ts",
    "./form-body-error.ts",
    "./multipart.ts",
    "./activity-request.ts",
    "./activity-request-error.ts",
    "./chunker.ts",
    "./chunk-body.ts",
    "./row-too-large-error.ts",
    "./xml.ts",
    "./xml-contact-list.ts",
    "./xml-service-document.ts",
    "./xml-error.ts",
    "./xml-entity-error.ts",
    "./mod.ts",
  ],
  { query: "?raw", import: "default", eager: true },
);

const ASSERTION = /^(\s*)((?:if \(.*\) )?)(.+?);\s*\/\/ (.+)$/;

const examples = Object.entries(lineStyleSources).flatMap(([file, source]) =>
  exampleBlocks(source).map(({ title, lines }) => {
    let assertions = 0;
    const code = lines
      .map((line) => {
        const match = ASSERTION.exec(line);
        if (match === null) return line;
        assertions++;
        const [, indent, guard, expression, value] = match;
        return `${indent}${guard}{ expect(${expression}).toEqual(${value}); checked(); }`;
      })
      .join("\n");
    return { file, title, code, assertions };
  }),
);

describe("@ctct-bulk/core's JSDoc examples", () => {
  it("every public function and class has an example", () => {
    for (const [name, value] of Object.entries(core)) {
      if (typeof value !== "function") continue;
      expect(hasExample(name, allSources), name).toBe(true);
    }
  });

  it.each(examples.map((example) => [`${example.file}: ${example.title}`, example] as const))(
    "%s",
    async (_, example) => {
      let checked = 0;
      const run = new AsyncFunction(...Object.keys(core), "expect", "checked", example.code);
      await run(...Object.values(core), expect, () => checked++);
      expect(example.assertions).toBeGreaterThan(0);
      expect(checked).toBe(example.assertions);
    },
  );
});
