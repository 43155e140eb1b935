import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { AcceptedChunk } from "@ctct-bulk/transport";
import { CliError } from "./cli-error.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import type { PrefixDigest } from "./prefix-digest.ts";

/** One chunk the server accepted (answered 201), as the state file keeps it. */
export interface JournaledChunk extends AcceptedChunk {
  /** The digest of the input through this chunk's last line: what a resume checks. */
  prefix: PrefixDigest;
  acceptedAt: string;
}

/** The chunk being sent when the state was written: its answer may have been lost. */
export interface PendingChunk {
  index: number;
  /** When it was about to be sent (this machine's clock). */
  since: string;
}

/** What must be the same to continue an import. */
export interface ImportRequestKey {
  command: "import" | "remove";
  activityType: string;
  lists: string[];
  maxEncodedBytes: number;
}

/** The resume state file of an import. */
export interface ImportState {
  version: 1;
  input: { path: string; fileName: string };
  request: ImportRequestKey;
  chunks: JournaledChunk[];
  pending: PendingChunk | null;
  completed: boolean;
  startedAt: string;
  updatedAt: string;
}

/**
 * Where the resume state of an input is kept by default: beside it, as `<file>.ctct-bulk.json`
 * for an import and `<file>.ctct-bulk-remove.json` for a remove (one command's unfinished run
 * never stands in the other's way).
 *
 * @param inputPath The input's path as given (`-` has no default).
 * @param cwd The directory it is relative to.
 * @param command The command whose state it is (default `import`).
 * @returns The state file's path, or `undefined` for stdin.
 * @example Beside the input
 * ```ts
 * import { defaultStatePath } from "./resume-state.ts"; // internal to @ctct-bulk/cli
 * defaultStatePath("contacts.csv", "/data"); // "/data/contacts.csv.ctct-bulk.json"
 * defaultStatePath("gone.csv", "/data", "remove"); // "/data/gone.csv.ctct-bulk-remove.json"
 * ```
 */
export function defaultStatePath(
  inputPath: string,
  cwd: string,
  command: ImportRequestKey["command"] = "import",
): string | undefined {
  if (inputPath === "-") return undefined;
  return `${resolve(cwd, inputPath)}.ctct-bulk${command === "remove" ? "-remove" : ""}.json`;
}

/**
 * Reads a state file.
 *
 * @param path The state file.
 * @returns The state, or `undefined` when there is no file.
 * @throws {CliError} when the file is not a state file of this version.
 * @example Checking for an interrupted import
 * ```ts
 * import { readImportState } from "./resume-state.ts"; // internal to @ctct-bulk/cli
 * const state = await readImportState("contacts.csv.ctct-bulk.json");
 * state?.completed;
 * ```
 */
export async function readImportState(path: string): Promise<ImportState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as { code?: string }).code === "ENOENT") return undefined;
    throw new CliError(`Cannot read the state file "${path}": ${(cause as Error).message}`, {
      cause,
    });
  }
  let state: ImportState;
  try {
    state = JSON.parse(text) as ImportState;
  } catch (cause) {
    throw new CliError(`Cannot read the state file "${path}": it is not JSON`, {
      hint: "Delete it to start the import over",
      cause,
    });
  }
  if (state?.version !== 1 || !Array.isArray(state.chunks))
    throw new CliError(
      `Cannot read the state file "${path}": it is not a ctct-bulk import state (version 1)`,
      {
        hint: "Delete it to start the import over",
      },
    );
  return state;
}

/** Writes a state file after each step, atomically (write beside, then rename). */
export interface ImportStateWriter {
  readonly state: ImportState;
  /** Records that a chunk is about to be sent. */
  sending(chunk: PendingChunk): Promise<void>;
  /** Records the server's 201 for a chunk (nothing is pending until the next `sending`). */
  accepted(chunk: JournaledChunk): Promise<void>;
  /** Records that the pending chunk's create was refused outright: it is not in doubt. */
  settle(): Promise<void>;
  /** Records that every chunk was accepted. */
  complete(): Promise<void>;
  /** Deletes the state file: for a run that ended with nothing accepted and nothing in doubt. */
  remove(): Promise<void>;
}

/**
 * Starts writing a state file (creating it now).
 *
 * @param path The state file.
 * @param state The state to start from (new, or read from an interrupted run).
 * @returns The writer.
 * @example Starting a new import's state
 * ```ts
 * import { createImportStateWriter } from "./resume-state.ts"; // internal to @ctct-bulk/cli
 * const writer = await createImportStateWriter("contacts.csv.ctct-bulk.json", state);
 * ```
 */
export async function createImportStateWriter(
  path: string,
  state: ImportState,
): Promise<ImportStateWriter> {
  const save = async (): Promise<void> => {
    state.updatedAt = new Date().toISOString();
    const temporary = `${path}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(state, null, 1)}\n`);
      await rename(temporary, path);
    } catch (cause) {
      throw new CliError(`Cannot write the state file "${path}": ${(cause as Error).message}`, {
        exitCode: EXIT_CODES.OTHER,
        hint: "Choose a writable place with --state",
        cause,
      });
    }
  };
  await save();
  return {
    state,
    async sending(chunk) {
      state.pending = chunk;
      await save();
    },
    async accepted(chunk) {
      state.chunks.push(chunk);
      state.pending = null;
      await save();
    },
    async settle() {
      if (state.pending === null) return;
      state.pending = null;
      await save();
    },
    async remove() {
      await rm(path, { force: true });
      await rm(`${path}.tmp`, { force: true });
    },
    async complete() {
      state.completed = true;
      state.pending = null;
      await save();
    },
  };
}
