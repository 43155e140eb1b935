import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildPrograms,
  extractSnippets,
  mapStackToPage,
  missingOutputLine,
  pageName,
  runProgram,
  type Snippet,
  typecheckPrograms,
  type WrittenProgram,
  writePrograms,
} from "./snippets.ts";

const docsRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = join(docsRoot, "..");

describe("extractSnippets()", () => {
  it("extractSnippets() finds ts and typescript blocks and skips the others", () => {
    const page = [
      "# Title", // 1
      "", // 2
      "```sh", // 3
      "npm install x", // 4
      "```", // 5
      "", // 6
      "```ts", // 7
      "const a = 1;", // 8
      "```", // 9
      "", // 10
      "```typescript [file.ts]", // 11
      "const b = 2;", // 12
      "const c = 3;", // 13
      "```", // 14
    ].join("\n");
    expect(extractSnippets(page, "p.md")).toEqual([
      { code: "const a = 1;\n", line: 8, mode: "run" },
      { code: "const b = 2;\nconst c = 3;\n", line: 12, mode: "run" },
    ]);
  });

  it("extractSnippets() reads a typecheck-only marker only for the block right after it", () => {
    const page = [
      "<!-- snippet: typecheck-only -->",
      "",
      "```ts",
      "one();",
      "```",
      "",
      "```ts",
      "two();",
      "```",
      "<!-- snippet: typecheck-only -->",
      "A sentence in between cancels the marker.",
      "```ts",
      "three();",
      "```",
    ].join("\n");
    expect(extractSnippets(page, "p.md").map((s) => s.mode)).toEqual([
      "typecheck-only",
      "run",
      "run",
    ]);
  });

  it("extractSnippets() keeps a longer fence's inner fences as code", () => {
    const page = ["````ts", "const md = `", "```ts", "x", "```", "`;", "````"].join("\n");
    expect(extractSnippets(page, "p.md")).toEqual([
      { code: "const md = `\n```ts\nx\n```\n`;\n", line: 2, mode: "run" },
    ]);
  });

  it("extractSnippets() names the page and line of an unclosed fence", () => {
    expect(() => extractSnippets("text\n\n```ts\nconst a = 1;\n", "guide.md")).toThrow(
      "Unclosed code fence in guide.md:3: expected a closing ```",
    );
  });

  it("extractSnippets() refuses an unknown marker, naming it", () => {
    expect(() => extractSnippets("<!-- snippet: skip -->\n```ts\nx\n```\n", "guide.md")).toThrow(
      'Unknown snippet marker "skip" in guide.md:1: expected "typecheck-only", "shell" or "output"',
    );
  });

  it("extractSnippets() reads an output block of any language, and refuses one in TypeScript", () => {
    const page = ["```ts", "log();", "```", "<!-- snippet: output -->", "```text", "done", "```"];
    expect(extractSnippets(page.join("\n"), "p.md")).toEqual([
      { code: "log();\n", line: 2, mode: "run" },
      { code: "done\n", line: 6, mode: "output" },
    ]);
    expect(() => extractSnippets("<!-- snippet: output -->\n```ts\nx\n```\n", "g.md")).toThrow(
      'Misplaced snippet marker "output" in g.md:2: not for a "ts" block',
    );
  });

  it("extractSnippets() runs a shell block only when it is marked, and only an sh block", () => {
    const page = ["```sh", "npm i x", "```", "<!-- snippet: shell -->", "```sh", "ls", "```"];
    expect(extractSnippets(page.join("\n"), "p.md")).toEqual([
      { code: "ls\n", line: 6, mode: "shell" },
    ]);
    expect(() => extractSnippets("<!-- snippet: shell -->\n```ts\nx\n```\n", "g.md")).toThrow(
      'Misplaced snippet marker "shell" in g.md:2: not for a "ts" block',
    );
  });

  it("missingOutputLine() wants the page's lines in order, other lines allowed between", () => {
    expect(missingOutputLine(["a", "c"], "a\nb\nc\n")).toBeUndefined();
    expect(missingOutputLine(["c", "a"], "a\nb\nc\n")).toBe("a");
    expect(missingOutputLine(["a  "], "a\r\n")).toBeUndefined();
    expect(missingOutputLine(["x"], "")).toBe("x");
  });

  // Blocks of arbitrary code lines (no fences inside) between arbitrary prose come back unchanged,
  // each with the page line of its first line of code.
  const codeLine = fc
    .string({ maxLength: 30 })
    .filter((s) => !/[\r\n]/.test(s) && !/^\s*(`{3,}|~{3,})/.test(s));
  const proseLine = codeLine.filter((s) => !s.trim().startsWith("<!--"));
  const block = fc.record({
    prose: fc.array(proseLine, { maxLength: 3 }),
    lang: fc.constantFrom("ts", "typescript", "sh", "json"),
    code: fc.array(codeLine, { maxLength: 6 }),
  });

  it("extractSnippets() returns every ts block's code and first line, whatever surrounds it", () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), (blocks) => {
        const lines: string[] = [];
        const expected: Snippet[] = [];
        for (const b of blocks) {
          lines.push(...b.prose, "", `\`\`\`${b.lang}`);
          if (b.lang === "ts" || b.lang === "typescript") {
            expected.push({
              code: b.code.length > 0 ? `${b.code.join("\n")}\n` : "",
              line: lines.length + 1,
              mode: "run",
            });
          }
          lines.push(...b.code, "```");
        }
        expect(extractSnippets(lines.join("\n"), "p.md")).toEqual(expected);
      }),
    );
  });
});

describe("buildPrograms()", () => {
  it("buildPrograms() maps every program line back to the same text on the page", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            code: fc.array(fc.stringMatching(/^[a-z =;()]{0,12}$/), { maxLength: 5 }),
            typecheckOnly: fc.boolean(),
          }),
          { maxLength: 5 },
        ),
        (blocks) => {
          const lines = ["# Page"];
          for (const b of blocks) {
            if (b.typecheckOnly) lines.push("<!-- snippet: typecheck-only -->");
            lines.push("```ts", ...b.code, "```", "");
          }
          const programs = buildPrograms("p.md", extractSnippets(lines.join("\n"), "p.md"));
          for (const program of programs) {
            const programLines = program.code.split("\n").slice(0, -1);
            expect(program.lineMap).toHaveLength(programLines.length);
            programLines.forEach((text, i) => {
              expect(lines[program.lineMap[i]! - 1]).toBe(text);
            });
          }
          expect(programs.filter((p) => p.mode === "typecheck-only")).toHaveLength(
            blocks.filter((b) => b.typecheckOnly).length,
          );
        },
      ),
    );
  });

  it("buildPrograms() gives each output block to the runnable block before it", () => {
    const programs = buildPrograms("p.md", [
      { code: "one();\n", line: 2, mode: "run" },
      { code: "1\n", line: 5, mode: "output" },
      { code: "ls\n", line: 8, mode: "shell" },
      { code: "a\n\nb\n", line: 11, mode: "output" },
      { code: "two();\n", line: 15, mode: "run" },
      { code: "2\n", line: 18, mode: "output" },
    ]);
    expect(programs.map((p) => [p.mode, p.code, p.lineMap, p.expectedOutput])).toEqual([
      ["run", "one();\ntwo();\n", [2, 15], ["1", "2"]],
      ["shell", "ls\n", [8], ["a", "b"]],
    ]);
    expect(() => buildPrograms("p.md", [{ code: "1\n", line: 3, mode: "output" }])).toThrow(
      "Misplaced output block in p.md:3: no runnable block comes before it",
    );
  });

  it("mapStackToPage() points a stack frame at the page line", () => {
    const [program] = buildPrograms("getting-started/sdk.md", [
      { code: "a();\nb();\n", line: 10, mode: "run" },
    ]) as [WrittenProgram];
    const written = { ...program, file: "/tmp/x/getting-started__sdk.ts" };
    expect(mapStackToPage(written, "at file:///tmp/x/getting-started__sdk.ts:2:3")).toBe(
      "at getting-started/sdk.md:11",
    );
  });
});

it("the docs' own TypeScript (checker, site config, page helpers) type-checks", {
  timeout: 120_000,
}, () => {
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(docsRoot, "tsconfig.json")], {
    encoding: "utf8",
  });
  expect(result.stdout + result.stderr).toBe("");
  expect(result.status).toBe(0);
});

// The getting-started pages and the guides, as a reader would run them: every ts block
// type-checked with the workspace's settings, every page's blocks run in order as one program
// (against the in-process fake server the pages set up themselves). The guides' fragments against
// a real account (`declare const client`) are marked typecheck-only, each checked on its own.
// Pages without TypeScript (the CLI's) get no test here.
describe("the getting-started pages and the guides", () => {
  const programs = ["getting-started", "guides"].flatMap((section) => {
    const folder = join(docsRoot, section);
    return readdirSync(folder)
      .filter((name) => name.endsWith(".md"))
      .sort()
      .flatMap((name) => {
        const page = pageName(docsRoot, join(folder, name));
        return buildPrograms(page, extractSnippets(readFileSync(join(folder, name), "utf8"), page));
      });
  });
  const written = writePrograms(programs, join(docsRoot, ".vitepress", "cache", "snippets"));
  let diagnostics: string[] = [];

  beforeAll(() => {
    diagnostics = typecheckPrograms(written, join(repoRoot, "tsconfig.base.json"));
  }, 120_000);

  it("the SDK, webhook and fake-server pages have TypeScript to run", () => {
    const pages = new Set(written.filter((p) => p.mode === "run").map((p) => p.page));
    for (const page of ["sdk", "webhook", "fake-server"]) {
      expect(pages).toContain(`getting-started/${page}.md`);
    }
    expect(pages).toContain("guides/fake-server.md");
  });

  for (const program of written) {
    if (program.mode === "shell") {
      it(`${program.page} runs its shell blocks as written`, { timeout: 120_000 }, async () => {
        const scratch = mkdtempSync(join(tmpdir(), "ctct-docs-"));
        try {
          const result = await runProgram(program, { cwd: scratch });
          const output = `${result.stdout}${result.stderr}`;
          expect(result.timedOut, `${program.page} timed out:\n${output}`).toBe(false);
          expect(output).not.toMatch(/command not found/);
          const missing = missingOutputLine(program.expectedOutput, output);
          expect(missing, `${program.page} did not print this line:\n${output}`).toBeUndefined();
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      });
      continue;
    }
    const name = `${program.page}${program.mode === "run" ? "" : ` (typecheck-only block at line ${program.lineMap[0]})`}`;
    it(`${name} type-checks`, () => {
      const own = new Set(program.lineMap.map((line) => `${program.page}:${line}:`));
      expect(diagnostics.filter((d) => own.has(d.slice(0, d.indexOf(": ") + 1)))).toEqual([]);
    });
    if (program.mode !== "run") continue;
    it(`${program.page} runs as written`, { timeout: 120_000 }, async () => {
      const result = await runProgram(program, { cwd: repoRoot });
      const detail = mapStackToPage(program, `${result.stdout}\n${result.stderr}`);
      expect(result.timedOut, `${program.page} timed out:\n${detail}`).toBe(false);
      expect(result.code, `${program.page} failed:\n${detail}`).toBe(0);
      const missing = missingOutputLine(program.expectedOutput, result.stdout);
      expect(missing, `${program.page} did not print this line:\n${result.stdout}`).toBeUndefined();
    });
  }

  it("the snippets' compiler settings are valid", () => {
    expect(diagnostics.filter((d) => d.startsWith("TS"))).toEqual([]);
  });
});
