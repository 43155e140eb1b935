import { styleText } from "node:util";
import cliProgress from "cli-progress";
import stringWidth from "string-width";
import type { CliContext, CliWritable } from "./context.ts";
import { redactSecrets } from "./secrets.ts";

/** How results are written to stdout: for people, one JSON document, or one JSON event a line. */
export type OutputMode = "human" | "json" | "ndjson";

/** Options of {@linkcode createOutput}, from the global flags. */
export interface OutputOptions {
  /** `--json` → `"json"`, `--ndjson` → `"ndjson"`. */
  mode?: OutputMode;
  /** `--quiet`: nothing on stderr but errors. */
  quiet?: boolean;
  /** `--verbose`: cause chains and request details on stderr. */
  verbose?: boolean;
  /** `--color` gives `true` and `--no-color` `false`, over `NO_COLOR`; unset follows the terminal and `NO_COLOR`. */
  color?: boolean;
}

/** A progress display; does nothing where displays are off. */
export interface ProgressDisplay {
  /** Moves the bar to `value` and updates the named values of its format. */
  update(value: number, payload?: Record<string, string | number>): void;
  /** Changes the total (for example once a stream's length is known). */
  setTotal(total: number): void;
  /** Removes the display (stops redrawing). */
  stop(): void;
}

/** A line-per-item status display (one line per awaited activity). */
export interface StatusDisplay {
  /** Sets the text of the line for `key`, adding it when new. */
  set(key: string, text: string): void;
  /** Removes the display. */
  stop(): void;
}

type Style = Parameters<typeof styleText>[0];

const NO_PROGRESS: ProgressDisplay = { update() {}, setTotal() {}, stop() {} };
const NO_STATUS: StatusDisplay = { set() {}, stop() {} };

/**
 * Where everything the CLI says goes. Results go to stdout (a table or summary for people,
 * `--json` one document, `--ndjson` one event a line); messages, warnings, progress bars and
 * status displays go to stderr; progress displays only when stderr is a terminal and neither
 * `--quiet` nor `NO_COLOR` is set.
 */
export interface Output {
  readonly mode: OutputMode;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Whether progress bars and status displays are drawn. */
  readonly interactive: boolean;
  /** A message for people on stderr (not with `--quiet`). */
  info(message: string): void;
  /** A warning on stderr (not with `--quiet`). */
  warn(message: string): void;
  /** Detail printed only with `--verbose`. */
  debug(message: string): void;
  /** An error on stderr, always. */
  error(message: string): void;
  /** With `--ndjson`, one event line on stdout; nothing otherwise. */
  event(type: string, data: Record<string, unknown>): void;
  /** The command's result: JSON with `--json`, a `result` event with `--ndjson`, else `human()`. */
  result(data: unknown, human: () => string): void;
  /**
   * The result of a listing command (`activities`, `lists`): JSON array with `--json`; with
   * `--ndjson` one line per item, the item itself (what `jq -c` and `while read` expect); else
   * `human()`.
   */
  items(items: readonly unknown[], human: () => string): void;
  /** Text for people on stdout (tables, summaries). */
  print(text: string): void;
  /** `text` styled for the given stream when colour is on there. */
  style(stream: "stdout" | "stderr", format: Style, text: string): string;
  /** A progress bar on stderr; `payload` fills the format's named values from the start. */
  progress(
    format: string,
    total: number,
    payload?: Record<string, string | number>,
  ): ProgressDisplay;
  /** A status display on stderr, one line per key. */
  status(): StatusDisplay;
}

function colorOn(
  stream: CliWritable,
  env: CliContext["env"],
  option: boolean | undefined,
): boolean {
  // A flag typed for this run wins over the environment (no-color.org: NO_COLOR is a default).
  if (option !== undefined) return option;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/**
 * Creates the output layer for one run.
 *
 * @param context The process's streams and environment.
 * @param options The global output flags.
 * @returns The output layer.
 * @example Writing a result for scripts
 * ```ts
 * import { createOutput, processContext } from "@ctct-bulk/cli";
 * const output = createOutput(processContext(), { mode: "json" });
 * output.result({ rows: 3 }, () => "3 rows"); // prints {"rows":3}
 * ```
 */
export function createOutput(context: CliContext, options: OutputOptions = {}): Output {
  const mode = options.mode ?? "human";
  const quiet = options.quiet === true;
  const verbose = options.verbose === true && !quiet;
  const { stdout, stderr, env } = context;
  const color = {
    stdout: colorOn(stdout, env, options.color),
    stderr: colorOn(stderr, env, options.color),
  };
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  const interactive = stderr.isTTY === true && !quiet && !noColorEnv && env.TERM !== "dumb";
  // cli-progress wants a Node stream; ours may be a stand-in with write() only.
  const barStream = stderr as unknown as NodeJS.WritableStream;
  let active: { stop(): void } | undefined;

  const style = (stream: "stdout" | "stderr", format: Style, text: string): string =>
    color[stream] ? styleText(format, text, { validateStream: false }) : text;

  // Messages printed while a bar is drawn would be overwritten: clear the bar's line first.
  // Every message goes through the redaction: no credential, and no URL's password, is printed.
  const writeErr = (text: string): void => {
    if (active && interactive) stderr.write("\r\u001b[2K");
    stderr.write(`${redactSecrets(text)}\n`);
  };

  return {
    mode,
    quiet,
    verbose,
    interactive,
    info(message) {
      if (!quiet) writeErr(message);
    },
    warn(message) {
      if (!quiet) writeErr(`${style("stderr", "yellow", "Warning:")} ${message}`);
    },
    debug(message) {
      if (verbose) writeErr(style("stderr", "dim", message));
    },
    error(message) {
      writeErr(message);
    },
    event(type, data) {
      if (mode === "ndjson") stdout.write(`${JSON.stringify({ type, ...data })}\n`);
    },
    result(data, human) {
      if (mode === "json") stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else if (mode === "ndjson")
        stdout.write(`${JSON.stringify({ type: "result", result: data })}\n`);
      else {
        const text = human();
        if (text !== "") stdout.write(text.endsWith("\n") ? text : `${text}\n`);
      }
    },
    items(items, human) {
      if (mode === "ndjson") for (const item of items) stdout.write(`${JSON.stringify(item)}\n`);
      else this.result(items, human);
    },
    print(text) {
      stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    style,
    progress(format, total, payload = {}) {
      if (!interactive) return NO_PROGRESS;
      const bar = new cliProgress.SingleBar(
        {
          format,
          stream: barStream,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          barsize: 30,
          noTTYOutput: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, payload);
      const handle = {
        stop() {
          bar.stop();
          if (active === handle) active = undefined;
        },
      };
      active = handle;
      return {
        update: (value, payload) => bar.update(value, payload ?? {}),
        setTotal: (value) => bar.setTotal(value),
        stop: handle.stop,
      };
    },
    status() {
      if (!interactive) return NO_STATUS;
      const multi = new cliProgress.MultiBar({
        format: "{text}",
        stream: barStream,
        hideCursor: true,
        clearOnComplete: true,
        noTTYOutput: false,
      });
      const lines = new Map<string, cliProgress.SingleBar>();
      const handle = {
        stop() {
          multi.stop();
          if (active === handle) active = undefined;
        },
      };
      active = handle;
      return {
        set(key, text) {
          const line = lines.get(key);
          if (line) line.update(0, { text });
          else lines.set(key, multi.create(1, 0, { text }));
        },
        stop: handle.stop,
      };
    },
  };
}

/**
 * Lays out rows as a plain-text table with aligned columns (hand-written: a dozen lines, where
 * table libraries bring borders and colour handling we do not want in output that scripts read).
 *
 * @param header The column titles.
 * @param rows The cells, one array a row.
 * @returns The table, one line a row, no trailing line break.
 * @example Two columns
 * ```ts
 * import { formatTable } from "@ctct-bulk/cli";
 * formatTable(["ID", "NAME"], [["1", "General Interest"]]);
 * // "ID  NAME\n1   General Interest"
 * ```
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  // Columns line up by the width a terminal gives each cell (string-width: a CJK letter takes two
  // columns, a combining accent none), not by its UTF-16 length: list names and contact fields
  // are anyone's text.
  const widths = header.map((title, column) =>
    Math.max(stringWidth(title), ...rows.map((row) => stringWidth(row[column] ?? ""))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === cells.length - 1
          ? cell
          : cell + " ".repeat(Math.max(0, (widths[column] ?? 0) - stringWidth(cell))),
      )
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
