// Runs the `@example` blocks of the vocabulary, contact-file and validation modules: each
// statement `expression; // value` becomes an assertion that the expression equals the value (a
// value may continue on following `//` lines), so the documentation cannot drift from the code.
import { describe, expect, it } from "vitest";
import { AsyncFunction, exampleBlocks, hasExample } from "./_test_examples.ts";
import * as contacts from "./mod.ts";

const sources = import.meta.glob<string>(
  ["./activity.ts", "./columns.ts", "./uris.ts", "./contact-file.ts", "./validation.ts"],
  { query: "?raw", import: "default", eager: true },
);

interface Example {
  file: string;
  title: string;
  code: string;
  assertions: number;
}

/** Joins an example's lines into statements (brackets balanced), each with its trailing comment. */
function statementsOf(lines: string[]): { code: string; comment?: string }[] {
  const statements: { code: string; comment?: string }[] = [];
  let code = "";
  let depth = 0;
  for (const line of lines) {
    const commentOnly = /^\s*\/\/ ?(.*)$/.exec(line);
    const last = statements.at(-1);
    if (commentOnly && depth === 0 && code === "" && last !== undefined) {
      last.comment =
        last.comment === undefined ? commentOnly[1] : `${last.comment} ${commentOnly[1]}`;
      continue;
    }
    const [, body = line, comment] = /^(.*?);?\s*\/\/ (.*)$/.exec(line) ?? [];
    for (const char of body.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, "")) {
      if ("([{".includes(char)) depth++;
      else if (")]}".includes(char)) depth--;
    }
    code += (code ? "\n" : "") + (comment === undefined ? line : body);
    if (depth <= 0) {
      statements.push(comment === undefined ? { code } : { code, comment });
      code = "";
      depth = 0;
    }
  }
  if (code) statements.push({ code });
  return statements;
}

function examplesOf(file: string, source: string): Example[] {
  const examples: Example[] = [];
  for (const { title, lines } of exampleBlocks(source)) {
    let assertions = 0;
    const code = statementsOf(lines)
      .map(({ code, comment }) => {
        // Strip the little TypeScript the examples use, for `new AsyncFunction`.
        const plain = code
          .replace(/^const (\w+): [\w[\]<>]+ =/, "const $1 =")
          .replace(/ as readonly string\[\]/g, "")
          .replace(/\)!/g, ")");
        const isExpression = !/^\s*(?:const|let|for|if|try|console|await openContactFile)\b/.test(
          plain,
        );
        if (
          comment === undefined ||
          !isExpression ||
          comment.includes("…") ||
          /, then /.test(comment)
        )
          return plain;
        assertions++;
        return `expect(${plain.replace(/;\s*$/, "")}).toEqual(${comment}); checked();`;
      })
      .join("\n");
    examples.push({ file, title, code, assertions });
  }
  return examples;
}

const examples = Object.entries(sources).flatMap(([file, source]) => examplesOf(file, source));

describe("the vocabulary, contact-file and validation JSDoc examples", () => {
  it("every public value of these modules has an example", async () => {
    const modules = [
      await import("./activity.ts"),
      await import("./columns.ts"),
      await import("./uris.ts"),
      await import("./contact-file.ts"),
      await import("./validation.ts"),
    ];
    for (const name of modules.flatMap((module) => Object.keys(module)))
      expect(hasExample(name, sources), name).toBe(true);
  });

  it("asserts something in most examples", () => {
    const asserting = examples.filter((example) => example.assertions > 0);
    expect(asserting.length).toBeGreaterThan(examples.length * 0.75);
  });

  it.each(examples.map((example) => [`${example.file}: ${example.title}`, example] as const))(
    "%s",
    async (_, example) => {
      let checked = 0;
      const run = new AsyncFunction(...Object.keys(contacts), "expect", "checked", example.code);
      const log = console.log;
      console.log = () => {};
      try {
        await run(...Object.values(contacts), expect, () => checked++);
      } finally {
        console.log = log;
      }
      expect(checked).toBe(example.assertions);
    },
  );
});
