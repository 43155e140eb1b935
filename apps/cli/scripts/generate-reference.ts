// Writes docs/cli/reference.md from the CLI's yargs definitions: the commands, their arguments
// and options, examples, the global options and the exit codes. CI regenerates it and compares
// (generate-reference.test.ts), so the page cannot drift from `--help`.
//   node apps/cli/scripts/generate-reference.ts           writes the page
//   node apps/cli/scripts/generate-reference.ts --check   exits 1 when the page is stale
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Options, PositionalOptions } from "yargs";
import {
  buildCli,
  type CliContext,
  COMMANDS,
  type CommandDefinition,
  EXIT_CODE_MEANINGS,
  GLOBAL_OPTIONS,
} from "../src/mod.ts";

/** The generated page, in the repository. */
export const REFERENCE_PATH: string = fileURLToPath(
  new URL("../../../docs/cli/reference.md", import.meta.url),
);

const HEADER = `<!-- Generated from the yargs definitions by apps/cli/scripts/generate-reference.ts: do not edit.
     Regenerate with: node apps/cli/scripts/generate-reference.ts -->`;

/** Text for a Markdown table cell or paragraph: VitePress reads `<file>` as an HTML tag. */
function cell(text: string): string {
  return text
    .replaceAll("|", "\\|")
    .replaceAll("\n", " ")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

function typeOf(option: Options | PositionalOptions): string {
  const base = option.type ?? "string";
  const choices = option.choices
    ? ` (${(option.choices as readonly unknown[]).map((c) => `\`${String(c)}\``).join(", ")})`
    : "";
  return `${(option as Options).array ? `${base}, repeatable` : base}${choices}`;
}

function defaultOf(option: Options): string {
  if (option.default === undefined) return option.demandOption ? "required" : "";
  return `\`${JSON.stringify(option.default)}\``;
}

function optionTable(options: Record<string, Options>): string[] {
  const rows = Object.entries(options).map(([name, option]) => {
    const alias =
      option.alias === undefined ? [] : Array.isArray(option.alias) ? option.alias : [option.alias];
    const flags = [
      `--${name}`,
      ...alias.map((short) => (short.length === 1 ? `-${short}` : `--${short}`)),
    ];
    return `| ${flags.map((flag) => `\`${flag}\``).join(", ")} | ${typeOf(option)} | ${defaultOf(option)} | ${cell(option.describe ?? "")} |`;
  });
  return ["| option | type | default | what it does |", "| --- | --- | --- | --- |", ...rows];
}

/** The command's `--help` text, exactly as yargs prints it at 100 columns. */
function helpText(name: string): Promise<string> {
  const context: CliContext = {
    env: {},
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: { write: () => true, columns: 100 },
    stderr: { write: () => true },
  };
  return new Promise((resolve, reject) => {
    buildCli([name, "--help"], context, { wrap: 100 }).parse(
      [name, "--help"],
      {},
      (error, _args, output) => (error ? reject(error) : resolve(output)),
    );
  });
}

async function commandSection(definition: CommandDefinition): Promise<string[]> {
  const name = definition.command.split(" ")[0]!;
  const lines = [`## \`ctct-bulk ${definition.command}\``, "", `${cell(definition.describe)}.`, ""];
  const positionals = Object.entries(definition.positionals ?? {});
  if (positionals.length > 0) {
    lines.push("| argument | type | what it is |", "| --- | --- | --- |");
    for (const [key, positional] of positionals)
      lines.push(`| \`<${key}>\` | ${typeOf(positional)} | ${cell(positional.describe ?? "")} |`);
    lines.push("");
  }
  if (Object.keys(definition.options ?? {}).length > 0)
    lines.push(...optionTable(definition.options ?? {}), "");
  if (definition.epilogue) lines.push(cell(definition.epilogue), "");
  if (definition.examples?.length) {
    lines.push("Examples:", "", "```sh");
    for (const [example, meaning] of definition.examples)
      lines.push(`# ${meaning}`, example.replace("$0", "ctct-bulk"));
    lines.push("```", "");
  }
  lines.push(
    "<details><summary><code>--help</code></summary>",
    "",
    "```text",
    await helpText(name),
    "```",
    "",
    "</details>",
    "",
  );
  return lines;
}

/**
 * Renders the reference page.
 *
 * @returns The Markdown of `docs/cli/reference.md`.
 */
export async function renderReference(): Promise<string> {
  const lines = [
    "# CLI reference",
    "",
    HEADER,
    "",
    "`ctct-bulk <command> [options]`: every command, its arguments and options. The guide is in",
    "[the CLI guide](./index.md); `ctct-bulk <command> --help` prints the same as each section's",
    "last block.",
    "",
    "## Commands",
    "",
    "| command | what it does |",
    "| --- | --- |",
    ...COMMANDS.map(
      (definition) =>
        `| [\`${definition.command}\`](#${`ctct-bulk-${definition.command}`
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, "")
          .replaceAll(" ", "-")}) | ${cell(definition.describe)} |`,
    ),
    "",
    "## Global options",
    "",
    "Every command takes these.",
    "",
    ...optionTable(GLOBAL_OPTIONS),
    "",
    "## Exit codes",
    "",
    "| code | meaning |",
    "| --- | --- |",
    ...EXIT_CODE_MEANINGS.map(({ code, meaning }) => `| ${code} | ${cell(meaning)} |`),
    "",
    "## Environment",
    "",
    "| variable | what it is |",
    "| --- | --- |",
    "| `CTCT_USERNAME` | The account's login name |",
    "| `CTCT_API_KEY`, `CTCT_PASSWORD` | The API key and the account's password (HTTP Basic) |",
    "| `CTCT_ACCESS_TOKEN` | An OAuth 2 access token, instead of the key and password |",
    "| `CTCT_BASE_URL` | The API root, the username is appended (default `https://api.constantcontact.com/ws/customers`) |",
    "| `XDG_CONFIG_HOME` | Where `login` keeps `ctct-bulk/config.json` (default `~/.config`) |",
    "| `NO_COLOR` | No colour and no progress bars |",
    "",
  ];
  for (const definition of COMMANDS) lines.push(...(await commandSection(definition)));
  return `${lines.join("\n").trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = await renderReference();
  if (process.argv.includes("--check")) {
    const current = await readFile(REFERENCE_PATH, "utf8").catch(() => "");
    if (current !== page) {
      console.error(`${REFERENCE_PATH} is stale: run node apps/cli/scripts/generate-reference.ts`);
      process.exitCode = 1;
    }
  } else {
    await writeFile(REFERENCE_PATH, page);
    console.log(`Wrote ${REFERENCE_PATH}`);
  }
}
