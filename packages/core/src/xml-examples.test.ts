// Runs the `@example` blocks of the XML modules' JSDoc: each line `expression; // value` becomes an
// assertion that the expression equals the value, so the documentation cannot drift from the code.
import { describe, expect, it } from "vitest";
import * as xml from "./_xml.ts";

const sources = import.meta.glob<string>(
  [
    "./xml.ts",
    "./xml-contact-list.ts",
    "./xml-service-document.ts",
    "./xml-error.ts",
    "./xml-entity-error.ts",
  ],
  { query: "?raw", import: "default", eager: true },
);

interface Example {
  file: string;
  title: string;
  code: string;
  assertions: number;
}

const ASSERTION = /^(\s*)((?:if \(.*\) )?)(.+?);\s*\/\/ (.+)$/;

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

describe("the XML modules' JSDoc examples", () => {
  it("every public function and error class of the XML modules has an example", () => {
    for (const name of Object.keys(xml)) {
      const documented = Object.values(sources).some((source) =>
        new RegExp(`@example[\\s\\S]*?\\b${name}\\b`).test(source),
      );
      expect(documented, name).toBe(true);
    }
  });

  it.each(examples.map((example) => [`${example.file}: ${example.title}`, example] as const))(
    "%s",
    (_, example) => {
      let checked = 0;
      const run = new Function(...Object.keys(xml), "expect", "checked", example.code) as (
        ...args: unknown[]
      ) => void;
      run(...Object.values(xml), expect, () => checked++);
      expect(example.assertions).toBeGreaterThan(0);
      expect(checked).toBe(example.assertions);
    },
  );
});
