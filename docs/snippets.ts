// The docs' snippet checker: pulls the TypeScript blocks out of a Markdown page, turns them into
// programs (one per page, blocks in order, plus one per "typecheck-only" block), type-checks them
// with the workspace's compiler settings and runs them. Written by hand: the Markdown tools we have
// (VitePress's markdown-it) render fences but do not hand back their source lines and markers.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, delimiter, join, relative } from "node:path";
import ts from "typescript";

/**
 * How a block is checked: `"run"` (a `ts` block: type-checked and run), `"typecheck-only"`,
 * `"shell"` (an `sh` block marked to run, with bash, in a scratch folder with `ctct-bulk` on the
 * `PATH`), or `"output"` (a block of any language whose lines the run before it must print, in
 * order).
 */
export type SnippetMode = "run" | "typecheck-only" | "shell" | "output";

/** One fenced `ts` block of a page. */
export interface Snippet {
  /** The block's source, without its fences, ending with a line break. */
  code: string;
  /** The page line (1-based) of the block's first line of code. */
  line: number;
  /** From a `<!-- snippet: … -->` comment above the fence; `"run"` otherwise. */
  mode: SnippetMode;
}

/** A program written from a page's snippets, with a map back to the page's lines. */
export interface SnippetProgram {
  /** The page, relative to `docs/` (`getting-started/sdk.md`). */
  page: string;
  /** What the program is for: a TypeScript run, a TypeScript type check, or a shell run. */
  mode: "run" | "typecheck-only" | "shell";
  /** The program's source. */
  code: string;
  /** `lineMap[i]` is the page line of the program's line `i + 1`. */
  lineMap: number[];
  /** For a run: the lines it must print, in this order (from the page's output blocks). */
  expectedOutput: string[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/;
const MARKER = /^<!--\s*snippet:\s*([\w-]+)\s*-->$/;
const MODES = new Set<string>(["typecheck-only", "shell", "output"]);
const TS_LANGS = new Set(["ts", "typescript", "mts"]);
const SHELL_LANGS = new Set(["sh", "bash", "shell"]);

/**
 * Finds the fenced TypeScript blocks of a Markdown page, and the shell and output blocks marked
 * with a `<!-- snippet: shell -->` or `<!-- snippet: output -->` comment.
 *
 * @param markdown The page's source.
 * @param page The page's name, for error messages.
 * @returns The blocks in page order.
 * @throws {SyntaxError} When a fence is never closed or a snippet marker is unknown, naming the page
 *   and line.
 * @example A page with one block
 * ```ts
 * extractSnippets("# Hi\n\n```ts\nconsole.log(1);\n```\n", "hi.md");
 * // [{ code: "console.log(1);\n", line: 4, mode: "run" }]
 * ```
 */
export function extractSnippets(markdown: string, page: string): Snippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  let pendingMode: SnippetMode | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const marker = MARKER.exec(text.trim());
    if (marker) {
      const mode = marker[1]!;
      if (!MODES.has(mode)) {
        throw new SyntaxError(
          `Unknown snippet marker "${mode}" in ${page}:${i + 1}: expected "typecheck-only", "shell" or "output"`,
        );
      }
      pendingMode = mode as SnippetMode;
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      if (text.trim() !== "") pendingMode = undefined;
      continue;
    }
    const [, indent, ticks, lang] = fence as unknown as [string, string, string, string];
    const closing = new RegExp(`^\\s*${ticks[0] === "`" ? "`" : "~"}{${ticks.length},}\\s*$`);
    const start = i + 1;
    let end = start;
    while (end < lines.length && !closing.test(lines[end]!)) end++;
    if (end >= lines.length) {
      throw new SyntaxError(`Unclosed code fence in ${page}:${i + 1}: expected a closing ${ticks}`);
    }
    const isTs = TS_LANGS.has(lang.toLowerCase());
    const misplaced =
      (pendingMode === "output" && isTs) ||
      (pendingMode === "shell" && !SHELL_LANGS.has(lang.toLowerCase())) ||
      (pendingMode === "typecheck-only" && !isTs);
    if (misplaced) {
      throw new SyntaxError(
        `Misplaced snippet marker "${pendingMode}" in ${page}:${i + 1}: not for a "${lang}" block`,
      );
    }
    if (isTs || pendingMode !== undefined) {
      const body = lines
        .slice(start, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      snippets.push({
        code: body.length > 0 ? `${body.join("\n")}\n` : "",
        line: start + 1,
        mode: pendingMode ?? "run",
      });
    }
    pendingMode = undefined;
    i = end;
  }
  return snippets;
}

/**
 * Turns a page's blocks into programs: the "run" blocks in order as one program (a page is one
 * tutorial), the "shell" blocks in order as another, each "typecheck-only" block as its own. An
 * output block belongs to the run or shell program of the block before it.
 *
 * @param page The page, relative to `docs/`.
 * @param snippets The page's blocks, from {@link extractSnippets}.
 * @returns The programs: the run program, then the shell program, when there are such blocks.
 * @throws {SyntaxError} When an output block follows no runnable block, naming the page and line.
 */
export function buildPrograms(page: string, snippets: readonly Snippet[]): SnippetProgram[] {
  const programs: SnippetProgram[] = [];
  const joined = new Map<"run" | "shell", SnippetProgram>();
  let last: SnippetProgram | undefined;
  for (const snippet of snippets) {
    if (snippet.mode === "output") {
      if (!last) {
        throw new SyntaxError(
          `Misplaced output block in ${page}:${snippet.line}: no runnable block comes before it`,
        );
      }
      last.expectedOutput.push(...snippet.code.split("\n").filter((line) => line.trim() !== ""));
      continue;
    }
    if (snippet.mode === "typecheck-only") continue;
    let program = joined.get(snippet.mode);
    if (!program) {
      program = { page, mode: snippet.mode, code: "", lineMap: [], expectedOutput: [] };
      joined.set(snippet.mode, program);
    }
    const count = snippet.code.split("\n").length - 1;
    for (let k = 0; k < count; k++) program.lineMap.push(snippet.line + k);
    program.code += snippet.code;
    last = program;
  }
  for (const mode of ["run", "shell"] as const) {
    const program = joined.get(mode);
    if (program) programs.push(program);
  }
  for (const snippet of snippets.filter((s) => s.mode === "typecheck-only")) {
    const count = snippet.code.split("\n").length - 1;
    programs.push({
      page,
      mode: "typecheck-only",
      code: snippet.code,
      lineMap: Array.from({ length: count }, (_, k) => snippet.line + k),
      expectedOutput: [],
    });
  }
  return programs;
}

/** A program written to disk. */
export interface WrittenProgram extends SnippetProgram {
  /** Where it was written. */
  file: string;
}

/**
 * Writes programs as `.ts` files into a folder inside the repository, so that they resolve the
 * workspace's packages the way a user's code resolves installed ones.
 *
 * @param programs The programs.
 * @param dir The folder (created if needed).
 * @returns The programs with their file paths.
 */
export function writePrograms(programs: readonly SnippetProgram[], dir: string): WrittenProgram[] {
  mkdirSync(dir, { recursive: true });
  const counts = new Map<string, number>();
  return programs.map((program) => {
    const stem = program.page.replace(/\.md$/, "").replaceAll("/", "__");
    const n = counts.get(stem) ?? 0;
    counts.set(stem, n + 1);
    const extension = program.mode === "shell" ? "sh" : "ts";
    const file = join(dir, `${stem}${n === 0 ? "" : `.${n}`}.${extension}`);
    writeFileSync(file, program.code);
    return { ...program, file };
  });
}

/**
 * Type-checks programs with the compiler settings of `tsconfig.base.json` (Node types, DOM lib).
 *
 * @param programs The written programs.
 * @param baseConfig The path of the tsconfig to extend.
 * @returns One message per error in a program, `page.md:line: TSnnnn message`, or per error in
 *   the settings, `TSnnnn: message`; empty when all is well.
 */
export function typecheckPrograms(
  programs: readonly WrittenProgram[],
  baseConfig: string,
): string[] {
  const configText = readFileSync(baseConfig, "utf8");
  const parsed = ts.parseJsonConfigFileContent(
    ts.parseConfigFileTextToJson(baseConfig, configText).config,
    ts.sys,
    join(baseConfig, ".."),
  );
  // A reader's program is not a library: no declarations, so no isolatedDeclarations either.
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    isolatedDeclarations: false,
  };
  const typescript = programs.filter((p) => p.mode !== "shell");
  const program = ts.createProgram(
    typescript.map((p) => p.file),
    options,
  );
  const byFile = new Map(typescript.map((p) => [program.getSourceFile(p.file)?.fileName, p]));
  const messages: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || diagnostic.start === undefined) {
      messages.push(`TS${diagnostic.code}: ${text}`);
      continue;
    }
    // Errors inside the packages' own sources are `pnpm typecheck`'s to report, not the pages'.
    const owner = byFile.get(diagnostic.file.fileName);
    if (!owner) continue;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    messages.push(`${owner.page}:${owner.lineMap[line] ?? "?"}: TS${diagnostic.code} ${text}`);
  }
  return messages;
}

/** What running a program gave. */
export interface RunResult {
  /** The exit code (`null` when it was killed). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Whether it was killed for taking longer than the timeout. */
  timedOut: boolean;
}

/**
 * Runs a program: TypeScript with the current Node (type stripping), shell with bash.
 *
 * @param program The written program.
 * @param options `cwd` (default: the current directory), `timeoutMs` (default 60 s), `env` additions.
 * @returns Its exit code and output.
 */
export function runProgram(
  program: WrittenProgram,
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // A shell block runs with bash; `ctct-bulk` and the other bins of the workspace are on its PATH.
    const bin = join(import.meta.dirname, "..", "node_modules", ".bin");
    const [command, args, path] =
      program.mode === "shell"
        ? ["bash", [program.file], `${bin}${delimiter}${process.env.PATH ?? ""}`]
        : [process.execPath, [program.file], process.env.PATH ?? ""];
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, PATH: path, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/**
 * Checks that a run printed the expected lines, in order (other lines may come in between).
 *
 * @param expected The lines the page says the run prints.
 * @param stdout What the run printed.
 * @returns The first expected line not found after the previous one, or `undefined` when all were.
 * @example Lines in order, with others between
 * ```ts
 * missingOutputLine(["a", "c"], "a\nb\nc\n"); // undefined
 * missingOutputLine(["c", "a"], "a\nb\nc\n"); // "a"
 * ```
 */
export function missingOutputLine(expected: readonly string[], stdout: string): string | undefined {
  const lines = stdout.split(/\r?\n/).map((line) => line.trimEnd());
  let at = 0;
  for (const want of expected) {
    const found = lines.indexOf(want.trimEnd(), at);
    if (found < 0) return want;
    at = found + 1;
  }
  return undefined;
}

/**
 * Rewrites a run's stderr so that stack frames in a written program name the page line instead.
 *
 * @param program The program that ran.
 * @param stderr Its standard error.
 * @returns The text with `file.ts:LINE` replaced by `page.md:LINE`.
 */
export function mapStackToPage(program: WrittenProgram, stderr: string): string {
  const name = basename(program.file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return stderr.replace(
    new RegExp(`(?:file://)?[^\\s(]*${name}:(\\d+)(?::\\d+)?`, "g"),
    (_, line: string) => `${program.page}:${program.lineMap[Number(line) - 1] ?? line}`,
  );
}

/**
 * The page name used in messages: the path relative to `docs/`.
 *
 * @param docsRoot The docs folder.
 * @param file A page's path.
 * @returns The page, e.g. `getting-started/sdk.md`.
 */
export function pageName(docsRoot: string, file: string): string {
  return relative(docsRoot, file).replaceAll("\\", "/");
}
