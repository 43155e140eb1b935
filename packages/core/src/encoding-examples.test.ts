// Runs the `@example` blocks of the encoding, request and chunking modules' JSDoc: each line
// `expression; // value` becomes an assertion that the expression equals the value, so the
// documentation cannot drift from the code. Examples may `await`.
import { describe, expect, it } from "vitest";
import * as encoding from "./_encoding.ts";
import { openContactFile } from "./contact-file.ts";

const sources = import.meta.glob<string>(
  [
    "./form-urlencoded.ts",
    "./form-body-error.ts",
    "./multipart.ts",
    "./activity-request.ts",
    "./activity-request-error.ts",
    "./chunker.ts",
    "./row-too-large-error.ts",
  ],
  { query: "?raw", import: "default", eager: true },
);

const scope: Record<string, unknown> = { ...encoding, openContactFile };

interface Example {
  file: string;
  title: string;
  code: string;
  assertions: number;
}

const ASSERTION = /^(\s*)((?:if \(.*\) )?)(.+?);\s*\/\/ (.+)$/;
const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

function examplesOf(file: string, source: string): Example[] {
  const examples: Example[] = [];
  for (const block of source.matchAll(/@example ([^\n]*)\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)) {
    let assertions = 0;
    const code = block[2]!
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .filter((line) => !line.startsWith("import "))
      .map((line) => {
        const match = ASSERTION.exec(line);
        if (match === null) return line;
        assertions++;
        const [, indent, guard, expression, value] = match;
        return `${indent}${guard}{ expect(${expression}).toEqual(${value}); checked(); }`;
      })
      .join("\n");
    examples.push({ file, title: block[1]!, code, assertions });
  }
  return examples;
}

const examples = Object.entries(sources).flatMap(([file, source]) => examplesOf(file, source));

describe("the encoding modules' JSDoc examples", () => {
  it("every public function and error class of the encoding modules has an example", () => {
    for (const [name, value] of Object.entries(encoding)) {
      if (typeof value !== "function") continue;
      const documented = Object.values(sources).some((source) =>
        new RegExp(`@example[\\s\\S]*?\\b${name}\\b`).test(source),
      );
      expect(documented, name).toBe(true);
    }
  });

  it.each(examples.map((example) => [`${example.file}: ${example.title}`, example] as const))(
    "%s",
    async (_, example) => {
      let checked = 0;
      const run = new AsyncFunction(...Object.keys(scope), "expect", "checked", example.code);
      await run(...Object.values(scope), expect, () => checked++);
      expect(example.assertions).toBeGreaterThan(0);
      expect(checked).toBe(example.assertions);
    },
  );
});
