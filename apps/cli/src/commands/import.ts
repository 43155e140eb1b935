import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { Writable } from "node:stream";
import {
  type Activity,
  chunkContactRows,
  DEFAULT_MAX_ENCODED_BYTES,
  type Diagnostic,
  decideAddType,
  openContactFile,
  validateHeader,
} from "@ctct-bulk/core";
import type {
  AcceptedChunk,
  ChunkSummary,
  CtctClient,
  ImportedChunk,
  ImportLineError,
  ImportProgressEvent,
  ImportResult,
} from "@ctct-bulk/transport";
import { CliError, usageError } from "../cli-error.ts";
import type { CommandDefinition, Session } from "../command.ts";
import { connect } from "../connection.ts";
import { describeError } from "../describe-error.ts";
import { EXIT_CODES, type ExitCode } from "../exit-codes.ts";
import { plural } from "../format.ts";
import { type OpenedInput, openInputFile } from "../input.ts";
import { formatTable, type ProgressDisplay } from "../output.ts";
import { checkOutputPaths, checkWritable, REJECTS_HINT } from "../output-paths.ts";
import { createPrefixDigester, type PrefixDigest, type PrefixDigester } from "../prefix-digest.ts";
import { createRejectsWriter } from "../rejects.ts";
import { looksLikeRejectsFile, withoutRejectColumns } from "../rejects-input.ts";
import {
  createImportStateWriter,
  defaultStatePath,
  type ImportRequestKey,
  type ImportState,
  type ImportStateWriter,
  type JournaledChunk,
  readImportState,
} from "../resume-state.ts";
import { lockStateFile } from "../state-lock.ts";
import {
  DRY_RUN_OPTION,
  FILE_POSITIONAL,
  fileArgument,
  INPUT_OPTIONS,
  inputOptions,
  LIST_OPTION,
  REJECTS_OPTION,
  TIMEOUT_OPTION,
  WAIT_OPTION,
} from "./_options.ts";

type Kind = "import" | "remove";

/** One chunk in the JSON result of `ctct-bulk import`. */
export interface ImportChunkResult {
  index: number;
  activityId: string;
  activityUri: string;
  firstLine: number;
  lastLine: number;
  rowCount: number;
  /** The activity's status, when it was waited for. */
  status?: string;
  /** Sent by an earlier, interrupted run. */
  resumed: boolean;
  /** Its create's answer was lost and the activity found on the server instead. */
  recovered: boolean;
}

/** The JSON result of `ctct-bulk import` and `ctct-bulk remove`. */
export interface ImportCommandResult {
  command: Kind;
  file: string;
  lists: string[];
  rows: number;
  chunks: ImportChunkResult[];
  /** `"submitted"` without `--wait`; else `"complete"`, `"complete-with-errors"` or `"error"`. */
  outcome: ImportResult["outcome"];
  errorCount: number;
  errors: ImportLineError[];
  warnings: Diagnostic[];
  stateFile?: string;
  rejectsFile?: string;
}

const MIN_CHUNK_BYTES = 1_000;
/** How far behind ours the server's clock may be when looking for a lost chunk's activity. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** How many activities a "cannot tell" error names. */
const SHOWN_CANDIDATES = 3;
/** Errors that mean the server refused a create outright: the chunk is not on the server. */
const REFUSALS = new Set([
  "BadRequestError",
  "InvalidRequestError",
  "UnauthorizedError",
  "ForbiddenError",
  "PayloadTooLargeError",
  "UnsupportedMediaTypeError",
  "ListNotFoundError",
  "AmbiguousListNameError",
  "MethodNotAllowedError",
  "NotFoundError",
]);
const EXAMPLE_ERRORS = 20;
const TABLE_CHUNKS = 10;

function chunkResult(chunk: ImportedChunk, resumed: ReadonlySet<number>): ImportChunkResult {
  return {
    index: chunk.index,
    activityId: chunk.activityId,
    activityUri: chunk.activityUri,
    firstLine: chunk.firstLine,
    lastLine: chunk.lastLine,
    rowCount: chunk.rowCount,
    ...(chunk.activity ? { status: chunk.activity.status } : {}),
    resumed: resumed.has(chunk.index),
    recovered: chunk.recovered,
  };
}

/** "an import", "a remove". */
function withArticle(command: Kind): string {
  return `${command === "import" ? "an" : "a"} ${command}`;
}

function sameRequest(a: ImportRequestKey, b: ImportRequestKey): string | undefined {
  if (a.command !== b.command)
    return `it was ${withArticle(a.command)}, not ${withArticle(b.command)}`;
  if (a.maxEncodedBytes !== b.maxEncodedBytes) return `it used --chunk-size ${a.maxEncodedBytes}`;
  if ([...a.lists].sort().join(" ") !== [...b.lists].sort().join(" "))
    return `it was for the lists ${a.lists.map((uri) => `"${uri}"`).join(", ")}`;
  return undefined;
}

/** The contact text to hand to the client: a rejects file loses its two added columns. */
async function contactSource(
  input: OpenedInput,
  stream: ReadableStream<Uint8Array>,
  output: Session["output"],
): Promise<ReadableStream<Uint8Array> | AsyncIterable<string>> {
  if (!(await looksLikeRejectsFile(input.head))) return stream;
  output.info(
    `Reading "${input.displayName}" as a rejects file: its REJECTED columns are left out`,
  );
  return withoutRejectColumns(
    await openContactFile(stream, { fileName: input.displayName, extraFields: "keep" }),
  );
}

function clientFileName(input: OpenedInput): string {
  // The client refuses to chunk a name ending in .xls(x); the rows are CSV text by now.
  return input.format === "excel"
    ? `${input.displayName}, sheet ${input.sheet}`
    : input.displayName;
}

/**
 * On resume, when the state says a chunk was being sent: the activities that could be its. The
 * journal cannot say whether it arrived (the process may have died between the server's 201 and
 * the journal's write), so the account's newest activities are read, back to the newest journaled
 * one (or, with none, to two minutes before the chunk was sent, for a server clock behind ours):
 * those of the kind the chunk creates that the journal does not know.
 */
async function lostChunkCandidates(
  client: CtctClient,
  state: ImportState,
  signal: AbortSignal | undefined,
): Promise<Activity[]> {
  const pending = state.pending!;
  const known = new Set(state.chunks.map((chunk) => chunk.activityId));
  const newestKnown = state.chunks.at(-1)?.activityId;
  const types =
    state.request.command === "remove"
      ? ["REMOVE_CONTACTS_FROM_LISTS"]
      : ["ADD_CONTACTS", "ADD_CONTACT_DETAIL"];
  // Created after the chunk's request was about to be sent (less two minutes, for a server clock
  // behind ours); the feed is newest first, so the first older one ends the search.
  const notBefore = Date.parse(pending.since) - CLOCK_SKEW_MS;
  const candidates: Activity[] = [];
  let seen = 0;
  for await (const activity of client.activities.list(signal ? { signal } : {})) {
    if (activity.id === newestKnown || ++seen > 500) break;
    const inserted = activity.insertTime ? Date.parse(activity.insertTime) : Number.NaN;
    if (inserted < notBefore) break;
    if (!known.has(activity.id) && types.includes(activity.type)) candidates.push(activity);
  }
  return candidates;
}

/**
 * Which of the candidates is the lost chunk's activity: those whose type and (once finished)
 * counts fit the chunk. One fits: it is the chunk's. None: the chunk never arrived. Several:
 * another client is creating activities on the account, and the CLI does not guess.
 *
 * @param candidates Activities of the import's kind the journal does not know.
 * @param chunk The pending chunk, rebuilt from the file.
 * @param reportedType The activity type the server reports for the file's columns.
 * @returns The chunk's activity, or `undefined` when it never arrived.
 * @throws {CliError} When several activities could be the chunk's.
 * @example One candidate of another type
 * ```ts
 * import { matchLostChunk } from "./commands/import.ts"; // internal to @ctct-bulk/cli
 * matchLostChunk([exportActivity], chunk, "ADD_CONTACTS"); // undefined
 * ```
 */
export function matchLostChunk(
  candidates: readonly Activity[],
  chunk: JournaledChunk,
  reportedType: string,
): Activity | undefined {
  const fitting = candidates.filter(
    (activity) =>
      activity.type === reportedType &&
      (activity.status !== "COMPLETE" ||
        activity.transactionCount + Math.max(activity.errorCount, activity.errors.length) ===
          chunk.rowCount),
  );
  if (fitting.length > 1) {
    const shown = fitting.slice(0, SHOWN_CANDIDATES).map((a) => `"${a.id}"`);
    const more = fitting.length - shown.length;
    throw new CliError(
      `Cannot tell whether chunk ${chunk.index} (lines ${chunk.firstLine}–${chunk.lastLine}) of the interrupted run reached the server: ${fitting.length} activities could be its: ${shown.join(", ")}${more > 0 ? ` … and ${more} more` : ""}`,
      {
        hint: "Check them with ctct-bulk status <id>; if none holds that chunk, resume with --resume --forget-pending (the chunk is sent again)",
      },
    );
  }
  return fitting[0];
}

/**
 * Rebuilds a chunk's journal entry (line map, digest) from the input with core's chunker, and the
 * activity type the server reports for the file's columns.
 */
async function rebuildChunk(
  input: OpenedInput,
  index: number,
  maxEncodedBytes: number,
  output: Session["output"],
  verify: { expected: PrefixDigest | undefined; changed: (detail: string) => CliError },
): Promise<{ chunk: Omit<JournaledChunk, "activityId" | "activityUri">; reportedType: string }> {
  const { compressLineMap } = await import("@ctct-bulk/transport");
  // The part already sent must be the same before anything is built on this reading of the file.
  let problem: string | undefined;
  const digester = createPrefixDigester(
    verify.expected ? { expect: verify.expected, onChecked: (found) => (problem = found) } : {},
  );
  const source = await contactSource(input, input.stream.pipeThrough(digester.stream), output);
  const table = await openContactFile(source, { fileName: input.displayName });
  const columns = table.header.columns.filter((column) => column !== undefined);
  const reportedType = decideAddType(columns);
  for await (const chunk of chunkContactRows(table, { maxEncodedBytes })) {
    if (chunk.index < index) continue;
    const firstLine = chunk.lineMap[1] ?? 1;
    const lastLine = chunk.lineMap[chunk.lineMap.length - 1] ?? 1;
    const prefix = digester.throughLine(lastLine);
    if (problem) throw verify.changed(problem);
    if (!prefix) break;
    return {
      chunk: {
        index,
        rowCount: chunk.rowCount,
        encodedBytes: chunk.encodedBytes,
        firstLine,
        lastLine,
        lineRuns: compressLineMap(chunk.lineMap),
        recovered: true,
        prefix,
        acceptedAt: new Date().toISOString(),
      },
      reportedType,
    };
  }
  if (problem) throw verify.changed(problem);
  throw new CliError(
    `Chunk ${index} of the interrupted import is not in "${input.displayName}" any more`,
    { hint: "The file changed: restore it, or delete the state file to start over" },
  );
}

/**
 * Writes the rows the server refused, found by their line in a second reading of the input.
 *
 * @param path The rejects file, as given.
 * @param reread Opens the input again.
 * @param errors The refused lines, in any order (jobs finish in any order).
 * @param session The run.
 * @returns How many rows were written.
 * @example After an import
 * ```ts
 * import { writeRejects } from "./commands/import.ts"; // internal to @ctct-bulk/cli
 * await writeRejects("refused.csv", () => openInputFile("contacts.csv", context), result.errors, session);
 * ```
 */
export async function writeRejects(
  path: string,
  reread: () => Promise<OpenedInput>,
  errors: readonly ImportLineError[],
  session: Session,
): Promise<number> {
  // Sorted by line and merged with the rows, not kept in a map by line: a file with half a million
  // refused rows would hold a map entry and an array per line (about 100 bytes each) on top of the
  // errors, at the moment the import's memory is highest.
  const placed = errors
    .filter((error): error is ImportLineError & { line: number } => error.line !== undefined)
    .sort((a, b) => a.line - b.line);
  const unplaced = errors.filter((error) => error.line === undefined);
  const input = await reread();
  const opened = await openContactFile(input.stream, {
    fileName: input.displayName,
    extraFields: "keep",
  });
  const fromRejects = (await looksLikeRejectsFile(input.head)) && opened.header.names.length > 2;
  const header = fromRejects
    ? {
        ...opened.header,
        names: opened.header.names.slice(0, -2),
        columns: opened.header.columns.slice(0, -2),
      }
    : opened.header;
  const writer = createRejectsWriter(path, header, session.context.cwd);
  try {
    let next = 0;
    for await (const row of opened.rows) {
      while (next < placed.length && placed[next]!.line < row.line) next++;
      if (next === placed.length) break;
      const reasons: string[] = [];
      while (next < placed.length && placed[next]!.line === row.line)
        reasons.push(placed[next++]!.message);
      if (reasons.length > 0)
        await writer.write({ line: row.line, fields: row.fields, reason: reasons.join("; ") });
    }
    const emailColumn = Math.max(0, header.columns.indexOf("EMAIL ADDRESS"));
    for (const error of unplaced) {
      const fields = header.names.map((_, index) =>
        index === emailColumn ? (error.email ?? "") : "",
      );
      await writer.write({
        line: 0,
        fields,
        reason: `${error.message} (the server gave no line number)`,
      });
    }
  } finally {
    await writer.close();
  }
  return writer.count;
}

async function dryRun(
  kind: Kind,
  args: Record<string, unknown>,
  session: Session,
  maxEncodedBytes: number,
): Promise<ExitCode> {
  const { context, output } = session;
  const activityType = kind === "import" ? "SV_ADD" : "REMOVE_CONTACTS_FROM_LISTS";
  const input = await openInputFile(fileArgument(args.file), context, inputOptions(args));
  const table = await openContactFile(await contactSource(input, input.stream, output), {
    fileName: input.displayName,
  });
  const findings = validateHeader(table.header, { activityType });
  const lists = (args.list as string[]).map(String);
  const requests: Record<string, unknown>[] = [];
  for await (const chunk of chunkContactRows(table, { maxEncodedBytes })) {
    const request = {
      index: chunk.index,
      method: "POST",
      path: "/activities",
      activityType,
      lists,
      rows: chunk.rowCount,
      firstLine: chunk.lineMap[1] ?? 1,
      lastLine: chunk.lineMap[chunk.lineMap.length - 1] ?? 1,
      encodedBytes: chunk.encodedBytes,
    };
    requests.push(request);
    output.event("request", request);
  }
  const errors = findings.filter((finding) => finding.severity === "error");
  output.result(
    {
      dryRun: true,
      file: input.displayName,
      header: table.header.names,
      diagnostics: findings,
      requests,
    },
    () =>
      [
        `Would send ${plural(requests.length, "request")} for "${input.displayName}": POST /activities, activityType=${activityType}, lists=${lists.join(", ")}`,
        formatTable(
          ["CHUNK", "LINES", "ROWS", "ENCODED BYTES"],
          requests.map((request) => [
            String(request.index),
            `${request.firstLine}–${request.lastLine}`,
            Number(request.rows).toLocaleString("en-US"),
            Number(request.encodedBytes).toLocaleString("en-US"),
          ]),
        ),
        ...findings.map(
          (finding) =>
            `${input.displayName}:1: ${finding.severity === "warning" ? "warning: " : ""}${finding.message}`,
        ),
      ].join("\n"),
  );
  return errors.length > 0 ? EXIT_CODES.USAGE : EXIT_CODES.SUCCESS;
}

async function runImport(
  kind: Kind,
  args: Record<string, unknown>,
  session: Session,
): Promise<ExitCode> {
  const { context } = session;
  const file = fileArgument(args.file);
  const activityType = kind === "import" ? "SV_ADD" : "REMOVE_CONTACTS_FROM_LISTS";
  const maxEncodedBytes = (args.chunkSize as number | undefined) ?? DEFAULT_MAX_ENCODED_BYTES;
  if (
    !Number.isInteger(maxEncodedBytes) ||
    maxEncodedBytes < MIN_CHUNK_BYTES ||
    maxEncodedBytes > DEFAULT_MAX_ENCODED_BYTES
  )
    throw usageError(
      `Invalid --chunk-size "${String(args.chunkSize)}": expected a whole number of bytes from ${MIN_CHUNK_BYTES} to ${DEFAULT_MAX_ENCODED_BYTES}`,
    );
  if (args.dryRun) return dryRun(kind, args, session, maxEncodedBytes);
  const rejectsPath = typeof args.rejects === "string" ? args.rejects : undefined;
  // Refused lines are known only once the jobs have run.
  const wait = args.wait === true || rejectsPath !== undefined;
  const statePath =
    typeof args.state === "string"
      ? resolve(context.cwd, args.state)
      : defaultStatePath(file, context.cwd, kind);
  checkOutputPaths(context.cwd, file, [
    { option: "--state", path: statePath },
    { option: "--rejects", path: rejectsPath },
  ]);
  // Refused rows are written once every job has finished: a bad path is found now, not then.
  if (rejectsPath)
    await checkWritable(rejectsPath, resolve(context.cwd, rejectsPath), REJECTS_HINT);
  // The state file beside the input needs a writable directory (not so on a read-only mount).
  if (statePath)
    await checkWritable(
      relative(context.cwd, statePath) || statePath,
      statePath,
      "Choose a writable place for the state file with --state",
    );
  if (args.resume && !statePath)
    throw usageError(
      `Cannot resume ${withArticle(kind)} from stdin without --state: name the state file of the first run`,
    );
  if (args.forgetPending && !args.resume)
    throw usageError("--forget-pending goes with --resume: it is about an interrupted run's chunk");

  // One run at a time on a state file: two would read the same journal and send the same chunks.
  const lock = statePath
    ? await lockStateFile(statePath, relative(context.cwd, statePath) || statePath)
    : undefined;
  try {
    return await sendImport(kind, args, session, {
      file,
      activityType,
      maxEncodedBytes,
      rejectsPath,
      wait,
      statePath,
    });
  } finally {
    await lock?.release();
  }
}

/** What {@linkcode runImport} has checked before the run, for {@linkcode sendImport}. */
interface CheckedImport {
  file: string;
  activityType: "SV_ADD" | "REMOVE_CONTACTS_FROM_LISTS";
  maxEncodedBytes: number;
  rejectsPath: string | undefined;
  wait: boolean;
  statePath: string | undefined;
}

/** The import or remove itself, once its options are checked (and its state file locked). */
async function sendImport(
  kind: Kind,
  args: Record<string, unknown>,
  session: Session,
  checked: CheckedImport,
): Promise<ExitCode> {
  const { context, output } = session;
  const { file, activityType, maxEncodedBytes, rejectsPath, wait, statePath } = checked;
  const { client } = await connect(session);
  const signalOption = context.signal ? { signal: context.signal } : {};
  // Ids and URIs are checked against the account's lists too (one read, shared with names), so
  // that a list that is not there is a usage error before any create, not a 400 after it.
  const lists = await client.lists.resolveAll((args.list as string[]).map(String), {
    ...signalOption,
    existing: true,
  });
  const key: ImportRequestKey = { command: kind, activityType, lists, maxEncodedBytes };
  const shownState = statePath ? relative(context.cwd, statePath) || statePath : undefined;

  // The journal: a new one, or the interrupted run's.
  const previous = statePath ? await readImportState(statePath) : undefined;
  if (previous && previous.request.command !== kind && !previous.completed)
    throw usageError(
      `"${shownState}" holds the state of an unfinished ${previous.request.command} of "${previous.input.path}", not of ${withArticle(kind)}: name another file with --state, or delete it`,
    );
  if (previous && !args.resume && !previous.completed)
    throw usageError(
      `An interrupted ${previous.request.command} of "${previous.input.path}" left "${shownState}": continue it with --resume, or delete the file to start over`,
    );
  if (args.resume && !previous)
    throw usageError(`Nothing to resume: there is no state file "${shownState}"`);
  const resuming = args.resume === true && previous !== undefined;
  if (resuming) {
    const different = sameRequest(previous.request, key);
    if (different)
      throw usageError(`Cannot resume with other options than the interrupted run's: ${different}`);
  }
  const openInput = (): Promise<OpenedInput> => openInputFile(file, context, inputOptions(args));
  const state: ImportState = resuming
    ? previous
    : {
        version: 1,
        input: { path: file, fileName: file === "-" ? "stdin" : file },
        request: key,
        chunks: [],
        pending: null,
        completed: false,
        startedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      };
  // What the file must start with: the digest journaled after the last chunk the server accepted
  // (taken before a lost chunk's entry is rebuilt from the file as it is now).
  const expected = resuming ? state.chunks.findLast((chunk) => chunk.prefix)?.prefix : undefined;
  const changed = (detail: string): CliError =>
    new CliError(`Cannot resume: "${file}" is not the file the interrupted run sent: ${detail}`, {
      hint: `Restore the file, or delete "${shownState}" to start over`,
    });
  if (resuming && args.forgetPending && state.pending) {
    output.warn(
      `Forgetting chunk ${state.pending.index} of the interrupted run: it is sent again (--forget-pending)`,
    );
    state.pending = null;
  }
  if (resuming && state.completed && state.chunks.length > 0) {
    output.info(`The ${kind} of "${file}" was already complete: nothing to send (${shownState})`);
  } else if (resuming && state.pending && state.pending.index === state.chunks.length) {
    const candidates = await lostChunkCandidates(client, state, context.signal);
    if (candidates.length > 0) {
      if (file === "-")
        throw new CliError(
          `Cannot tell whether chunk ${state.pending.index} of the interrupted import reached the server: stdin cannot be read again to check`,
          { hint: "Save the input to a file and resume from it with the same --state" },
        );
      const rebuilt = await rebuildChunk(
        await openInput(),
        state.pending.index,
        maxEncodedBytes,
        output,
        {
          expected,
          changed,
        },
      );
      const reportedType = kind === "remove" ? "REMOVE_CONTACTS_FROM_LISTS" : rebuilt.reportedType;
      const activity = matchLostChunk(
        candidates,
        { ...rebuilt.chunk, activityId: "", activityUri: "" },
        reportedType,
      );
      if (activity) {
        output.warn(
          `Chunk ${state.pending.index} reached the server before the interruption: it is activity ${activity.id}, not sent again`,
        );
        state.chunks.push({ ...rebuilt.chunk, activityId: activity.id, activityUri: activity.uri });
      }
    }
  }
  const resumedIndexes = new Set(resuming ? state.chunks.map((chunk) => chunk.index) : []);
  const startAtChunk = resuming ? state.chunks.length : 0;

  // One controller stops the client: Ctrl-C, or a resumed file that is not the one sent.
  const controller = new AbortController();
  const abortWith = (reason: unknown): void => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  context.signal?.addEventListener("abort", () => abortWith(context.signal?.reason), {
    once: true,
  });
  if (context.signal?.aborted) abortWith(context.signal.reason);
  const input = await openInput();
  let digester: PrefixDigester | undefined;
  let stream = input.stream;
  if (statePath) {
    digester = createPrefixDigester(
      expected
        ? { expect: expected, onChecked: (problem) => problem && abortWith(changed(problem)) }
        : {},
    );
    stream = stream.pipeThrough(digester.stream);
  }
  // Ctrl-C also stops a read that waits for input (a slow pipe): the input fails with the reason.
  stream = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(transform) {
        const stop = (): void => transform.error(controller.signal.reason);
        if (controller.signal.aborted) stop();
        else controller.signal.addEventListener("abort", stop, { once: true });
      },
    }),
  );
  // stdin cannot be read twice: keep a copy for the rejects file.
  let spool:
    | { dir: string; path: string; copy: WritableStreamDefaultWriter<Uint8Array> }
    | undefined;
  if (rejectsPath && file === "-") {
    const dir = await mkdtemp(join(tmpdir(), "ctct-bulk-"));
    const path = join(dir, "stdin");
    // Each chunk is written before it is passed on: one reader, so stdin is read no faster than
    // the import takes it (a tee would let the disk side run ahead and queue the rest in memory).
    const copy = Writable.toWeb(createWriteStream(path)).getWriter();
    stream = stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        async transform(chunk, controller) {
          await copy.write(chunk);
          controller.enqueue(chunk);
        },
        flush: () => copy.close(),
      }),
    );
    spool = { dir, path, copy };
  }

  // The state file is written once a chunk may reach the server (just before its request), so a
  // run refused before that (header, list, credentials) leaves nothing to resume. A resumed run
  // rewrites its file at once: a chunk found on the server above is journaled now.
  let journal: ImportStateWriter | undefined =
    statePath && resuming ? await createImportStateWriter(statePath, state) : undefined;
  /** The chunk whose request may be on its way (from onChunkSending to onChunkAccepted). */
  let inFlight: ChunkSummary | undefined;
  const acceptedNow: AcceptedChunk[] = [];
  const onChunkSending = async (chunk: ChunkSummary): Promise<void> => {
    inFlight = chunk;
    if (!statePath) return;
    state.pending = { index: chunk.index, since: new Date().toISOString() };
    if (journal) await journal.sending(state.pending);
    else journal = await createImportStateWriter(statePath, state);
  };
  let completing: Promise<void> | undefined;
  const markSubmitted = (): void => {
    completing ??= journal?.complete();
  };

  // The bar follows the bytes the server has accepted (the journal's digests say exactly where
  // each accepted request ends); for compressed files and stdin, the bytes read.
  const verbing = kind === "import" ? "Importing" : "Removing";
  // `rowsText` and `requestsText` are the counts with their nouns ("1 row", "2 requests").
  const payload = {
    chunks: "0",
    rowsText: plural(0, "row"),
    requestsText: plural(0, "request"),
    phase: "sending",
  };
  const bar = output.progress(
    input.size === undefined
      ? `${verbing} ${input.displayName} | {rowsText} | {requestsText} | {phase}`
      : `${verbing} ${input.displayName} {bar} {percentage}% | {rowsText} | {requestsText} | {phase}`,
    input.size ?? 1,
    payload,
  );
  let acceptedBytes = expected?.bytes ?? 0;
  const progressBytes = (): number =>
    input.compressed || !digester ? input.bytesRead() : acceptedBytes;
  const progress = importProgress(bar, input.size ?? 1);
  const tick = setInterval(() => progress.tick(progressBytes(), payload), 250);
  tick.unref?.();
  const finished = new Map<string, string>();
  const onProgress = (event: ImportProgressEvent): void => {
    payload.chunks = String(event.totals.chunksSubmitted + event.totals.chunksSkipped);
    payload.rowsText = plural(event.totals.rowsRead, "row");
    payload.requestsText = plural(Number(payload.chunks), "request");
    if (event.type === "chunk-skipped") {
      const journaled = state.chunks[event.chunk.index];
      const { chunk } = event;
      if (
        !journaled ||
        journaled.rowCount !== chunk.rowCount ||
        journaled.encodedBytes !== chunk.encodedBytes ||
        journaled.firstLine !== chunk.firstLine ||
        journaled.lastLine !== chunk.lastLine
      )
        abortWith(
          changed(
            `chunk ${chunk.index} (lines ${chunk.firstLine}–${chunk.lastLine}) is not the one sent`,
          ),
        );
      output.event("chunk-skipped", { chunk });
    } else if (event.type === "chunk-submitted") {
      const { chunk } = event;
      output.event("chunk", { chunk: { ...chunk, lineRuns: undefined } });
      progress.tick(progressBytes(), payload);
      if (!output.interactive)
        output.info(
          `Chunk ${chunk.index}: lines ${chunk.firstLine}–${chunk.lastLine} (${plural(chunk.rowCount, "row")}) → activity ${chunk.activityId}`,
        );
    } else {
      markSubmitted();
      const { change } = event;
      output.event("status", {
        chunkIndex: event.chunkIndex,
        id: change.id,
        status: change.status,
        previous: change.previous,
      });
      if (change.outcome) finished.set(change.id, change.status);
      payload.phase = `waiting: ${finished.size}/${payload.chunks} done`;
      progress.waiting(finished.size, Number(payload.chunks), payload);
      if (!output.interactive && change.outcome)
        output.info(`Activity ${change.id} (chunk ${event.chunkIndex}): ${change.status}`);
    }
  };

  let result: ImportResult;
  try {
    result = await client.activities.importContacts(await contactSource(input, stream, output), {
      lists,
      activityType,
      fileName: clientFileName(input),
      maxEncodedBytes,
      startAtChunk,
      previousChunks: state.chunks,
      onChunkSending,
      onChunkAccepted: async (chunk: AcceptedChunk) => {
        inFlight = undefined;
        acceptedNow.push(chunk);
        if (!journal || !digester) return;
        const prefix = digester.throughLine(chunk.lastLine);
        if (prefix) acceptedBytes = prefix.bytes;
        await journal.accepted({
          ...chunk,
          ...(prefix ? { prefix } : {}),
          acceptedAt: new Date().toISOString(),
        } as JournaledChunk);
      },
      onProgress,
      wait: wait
        ? typeof args.timeout === "number"
          ? { timeout: args.timeout * 1000 }
          : {}
        : false,
      signal: controller.signal,
    });
    markSubmitted();
    await completing;
  } catch (error) {
    // The copy of stdin holds contacts: it does not outlive a failed run.
    if (spool) await rm(spool.dir, { recursive: true, force: true });
    // The client reports an abort as its own error: say why it was aborted instead.
    const reason = controller.signal.reason;
    const cause = controller.signal.aborted && CliError.isInstance(reason) ? reason : error;
    // A create that never connected (refused, DNS) says so: `notSent`, nothing was created.
    const notSent =
      (cause as Error)?.name === "NetworkError" &&
      (cause as { notSent?: unknown }).notSent === true;
    const inDoubt = inFlight !== undefined && !notSent && !REFUSALS.has((cause as Error)?.name);
    if (journal && !inDoubt) {
      // Nothing may be on the server but what the journal holds: no resume guard for nothing.
      if (!resuming && acceptedNow.length === 0) await journal.remove();
      else await journal.settle();
    }
    throw explainFailure(cause, {
      kind,
      file,
      displayName: input.displayName,
      interrupted: context.signal?.aborted === true,
      resumable: statePath !== undefined && (resuming || acceptedNow.length > 0 || inDoubt),
      accepted: acceptedNow,
      inDoubt: inDoubt ? inFlight : undefined,
      stateFile: shownState,
      resumeCommand: resumeCommandLine(kind, args),
      unfinished: [
        ...new Set([...state.chunks, ...acceptedNow].map((chunk) => chunk.activityId)),
      ].filter((id) => !finished.has(id)),
    });
  } finally {
    clearInterval(tick);
    bar.stop();
    // Closed by the end of the input already, unless the import stopped first.
    if (spool) await spool.copy.close().catch(() => {});
  }

  let rejectsWritten: number | undefined;
  try {
    if (rejectsPath)
      rejectsWritten = await writeRejects(
        rejectsPath,
        () => (spool ? openInputFile(spool.path, context) : openInput()),
        result.errors,
        session,
      );
  } finally {
    if (spool) await rm(spool.dir, { recursive: true, force: true });
  }

  const summary: ImportCommandResult = {
    command: kind,
    file: input.displayName,
    lists,
    rows: result.rowCount,
    chunks: result.chunks.map((chunk) => chunkResult(chunk, resumedIndexes)),
    outcome: result.outcome,
    errorCount: result.errorCount,
    errors: result.errors,
    warnings: result.warnings,
    ...(statePath && journal ? { stateFile: statePath } : {}),
    ...(rejectsPath ? { rejectsFile: rejectsPath } : {}),
  };
  if (result.rowCount === 0 && result.chunks.length === 0) {
    // A header and no rows: no request was made (exit 0: there was nothing to do).
    output.result(
      summary,
      () =>
        `Nothing to ${kind}: "${input.displayName}" has a header and no contacts${input.sheet ? ` (sheet "${input.sheet}")` : ""}`,
    );
    return EXIT_CODES.SUCCESS;
  }
  for (const warning of result.warnings) output.warn(warning.message);
  output.result(summary, () => describeImport(summary, rejectsWritten));
  if (result.outcome === "error") return EXIT_CODES.JOB_FAILED;
  if (result.outcome === "complete-with-errors" || result.errorCount > 0)
    return EXIT_CODES.LINE_ERRORS;
  return EXIT_CODES.SUCCESS;
}

/** The import's progress bar: what it measures in each phase, never going back. */
export interface ImportProgress {
  /** While sending: the bytes accepted (or read) so far; ignored once waiting. */
  tick(bytes: number, payload: Record<string, string>): void;
  /** While waiting: the jobs finished out of all of them. */
  waiting(finished: number, jobs: number, payload: Record<string, string>): void;
}

/**
 * Drives an import's bar with one measure a phase: bytes while sending, then finished jobs while
 * waiting (the bar starts again from the left, once). Within a phase the bar never goes back.
 *
 * @param bar The progress display.
 * @param totalBytes The input's size (1 when unknown: the format then shows no bar).
 * @returns The bar's driver.
 * @example Sending, then waiting for two jobs
 * ```ts
 * import { importProgress } from "./commands/import.ts"; // internal to @ctct-bulk/cli
 * const progress = importProgress(bar, 1000);
 * progress.tick(400, payload);
 * progress.waiting(1, 2, payload); // the bar is at 50%
 * ```
 */
export function importProgress(bar: ProgressDisplay, totalBytes: number): ImportProgress {
  let phase: "sending" | "waiting" = "sending";
  let value = 0;
  let total = totalBytes;
  const move = (next: number, payload: Record<string, string>): void => {
    value = Math.max(value, Math.min(next, total));
    bar.update(value, payload);
  };
  return {
    tick(bytes, payload) {
      if (phase === "sending") move(bytes, payload);
      else bar.update(value, payload);
    },
    waiting(finished, jobs, payload) {
      if (phase === "sending") {
        phase = "waiting";
        total = Math.max(1, jobs);
        value = 0;
        bar.setTotal(total);
      }
      move(finished, payload);
    },
  };
}

/** What a failed run had done, to explain the failure. */
interface FailureContext {
  kind: Kind;
  file: string;
  displayName: string;
  /** The user interrupted it (Ctrl-C). */
  interrupted: boolean;
  /** A state file holds what was sent: `--resume` works. */
  resumable: boolean;
  /** The chunks this run had sent. */
  accepted: readonly AcceptedChunk[];
  /** The chunk whose create may or may not have reached the server. */
  inDoubt: ChunkSummary | undefined;
  /** The state file, as shown to the user. */
  stateFile?: string | undefined;
  /** The command line that continues the run (`ctct-bulk import … --resume`). */
  resumeCommand?: string | undefined;
  /** The activities created (now or before a resume) that had not finished. */
  unfinished: readonly string[];
}

/** An argument as a POSIX shell reads it back: bare when safe, else in single quotes. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that continues an interrupted run: the options that must be the same (file, lists,
 * chunk size, state file, input reading) and the ones that shape the output, then `--resume`.
 * Typed once, so an operator does not have to rebuild it from the shell's history.
 *
 * @param kind Import or remove.
 * @param args The run's parsed arguments.
 * @returns The command line.
 */
export function resumeCommandLine(kind: Kind, args: Record<string, unknown>): string {
  const words = ["ctct-bulk", kind, fileArgument(args.file)];
  for (const list of (args.list as unknown[] | undefined) ?? []) words.push("--list", String(list));
  const valued: [string, unknown][] = [
    ["--chunk-size", args.chunkSize],
    ["--state", args.state],
    ["--sheet", args.sheet],
    ["--encoding", args.encoding],
    ["--rejects", args.rejects],
    ["--timeout", args.timeout],
    ["--base-url", args.baseUrl],
    ["--rate-limit", args.rateLimit],
  ];
  for (const [option, value] of valued)
    if (value !== undefined && value !== null) words.push(option, String(value));
  if (args.wait === true && args.rejects === undefined) words.push("--wait");
  words.push("--resume");
  return words.map(shellWord).join(" ");
}

/** The client's errors after which running again may succeed (the network, the server's load). */
const TRANSIENT_ERRORS = new Set([
  "NetworkError",
  "TimeoutError",
  "ServerError",
  "RateLimitedError",
  "ResponseLostError",
]);

function linesOf(chunks: readonly AcceptedChunk[]): string {
  return `lines ${chunks[0]!.firstLine}–${chunks.at(-1)!.lastLine}`;
}

/** The error a failed import reports, with the advice that fits what was sent. */
function explainFailure(error: unknown, run: FailureContext): unknown {
  const { accepted } = run;
  const sent =
    accepted.length === 0
      ? ""
      : `${plural(accepted.length, "chunk")} accepted (${linesOf(accepted)}): activities ${accepted.map((chunk) => chunk.activityId).join(", ")}`;
  if (run.interrupted && !CliError.isInstance(error)) {
    if (run.file === "-" && !run.resumable)
      return new CliError(
        accepted.length === 0 && !run.inDoubt
          ? "Interrupted before any chunk was sent"
          : `Interrupted: stdin cannot be resumed: ${sent || "no chunk accepted"}${run.inDoubt ? `; chunk ${run.inDoubt.index} (lines ${run.inDoubt.firstLine}–${run.inDoubt.lastLine}) may have reached the server` : ""}`,
        {
          exitCode: EXIT_CODES.INTERRUPTED,
          hint:
            accepted.length === 0 && !run.inDoubt
              ? "Nothing was sent: run the same command again"
              : `Send the rest${accepted.length > 0 ? ` (from line ${accepted.at(-1)!.lastLine + 1})` : ""} as a new ${run.kind}; next time pass --state <file> to be able to resume`,
          cause: error,
        },
      );
    if (!run.resumable)
      return new CliError("Interrupted before any chunk was sent", {
        exitCode: EXIT_CODES.INTERRUPTED,
        hint: "Nothing was sent: run the same command again",
        cause: error,
      });
    return new CliError("Interrupted", {
      exitCode: EXIT_CODES.INTERRUPTED,
      hint: `Continue where it stopped with: ${run.resumeCommand ?? `ctct-bulk ${run.kind} ${run.file} … --resume (the same options)`}`,
      cause: error,
    });
  }
  if (error instanceof Error && error.name === "ContactFileError") {
    return new CliError(error.message, {
      exitCode: EXIT_CODES.USAGE,
      hint: run.resumable
        ? "Fix that line, then run the same command with --resume: what was sent stays sent (ctct-bulk validate lists every problem)"
        : accepted.length > 0
          ? `Fix that line; ${sent} were sent and stdin cannot be resumed: send the rest (from line ${accepted.at(-1)!.lastLine + 1}) as a new ${run.kind}`
          : error.message.includes("Invalid UTF-8")
            ? "Nothing was sent: save the file as UTF-8, or name its encoding with --encoding (windows-1252 for Excel's CSV on Windows)"
            : "Fix the file (ctct-bulk validate lists every problem) and run the same command again: nothing was sent",
      cause: error,
    });
  }
  if (error instanceof Error && error.name === "RowTooLargeError") {
    const { line, encodedBytes, maxEncodedBytes } = error as Error & {
      line: number;
      encodedBytes: number;
      maxEncodedBytes: number;
    };
    const lowered = maxEncodedBytes < DEFAULT_MAX_ENCODED_BYTES;
    return new CliError(
      `${line === 1 ? "Header" : "Row"} at line ${line} of "${run.displayName}" is too large for one request: ${encodedBytes} bytes once form-encoded${line === 1 ? "" : " with the header"}, over the limit of ${maxEncodedBytes}`,
      {
        exitCode: EXIT_CODES.USAGE,
        hint: lowered
          ? "Raise --chunk-size (up to 1900000), or shorten that row"
          : run.resumable
            ? "Shorten that row's fields (or take the row out), then run the same command with --resume: what was sent stays sent"
            : "Shorten that row's fields (or take the row out) and run the same command again: nothing was sent",
        cause: error,
      },
    );
  }
  // Every request was accepted; the generic advice ("wait <id>") would leave the ids to find.
  if (error instanceof Error && error.name === "WaitTimeoutError" && run.unfinished.length > 0) {
    const one = run.unfinished.length === 1;
    return new CliError(error.message, {
      exitCode: EXIT_CODES.OTHER,
      hint: `${one ? "The job is" : "The jobs are"} still running: follow ${one ? "it" : "them"} later with ctct-bulk wait ${run.unfinished.join(" ")}`,
      cause: error,
    });
  }
  // The state file left behind stops a plain second run: the advice is --resume, not "run again".
  if (run.resumable && error instanceof Error && TRANSIENT_ERRORS.has(error.name)) {
    return new CliError(describeError(error).lines[0]!.replace(/^Error: /, ""), {
      exitCode: EXIT_CODES.OTHER,
      hint: `"${run.stateFile}" records what the server accepted: when it can be reached, continue with: ${run.resumeCommand ?? "the same command and --resume"}`,
      cause: error,
    });
  }
  return error;
}

/**
 * What an import did, for people.
 *
 * @param result The import's result.
 * @param rejectsWritten How many rows went to the rejects file, if one was written.
 * @returns The text.
 * @example A small import
 * ```ts
 * import { describeImport } from "./commands/import.ts"; // internal to @ctct-bulk/cli
 * describeImport(result, undefined);
 * ```
 */
export function describeImport(
  result: ImportCommandResult,
  rejectsWritten: number | undefined,
): string {
  const verb = result.command === "import" ? "Imported" : "Removed";
  const resumed = result.chunks.filter((chunk) => chunk.resumed).length;
  // A big import makes hundreds of requests: show the first and last few (--json has them all).
  // Elided only when it hides two rows or more: an ellipsis line is as long as the row it hides.
  const shown =
    result.chunks.length <= TABLE_CHUNKS + 1
      ? result.chunks
      : [...result.chunks.slice(0, TABLE_CHUNKS / 2), ...result.chunks.slice(-TABLE_CHUNKS / 2)];
  const rows = shown.map((chunk) => [
    String(chunk.index),
    chunk.activityId,
    `${chunk.firstLine}–${chunk.lastLine}`,
    chunk.rowCount.toLocaleString("en-US"),
    chunk.status ?? "submitted",
  ]);
  if (shown.length < result.chunks.length)
    rows.splice(TABLE_CHUNKS / 2, 0, [
      "…",
      `${result.chunks.length - shown.length} more`,
      "",
      "",
      "",
    ]);
  const lines = [
    `${verb} "${result.file}": ${plural(result.rows, "row")} in ${plural(result.chunks.length, "request")}` +
      (resumed > 0 ? ` (${resumed} sent before the interruption)` : ""),
    formatTable(["CHUNK", "ACTIVITY", "LINES", "ROWS", "STATUS"], rows),
  ];
  if (result.outcome === "submitted")
    lines.push(
      result.chunks.length <= TABLE_CHUNKS + 1
        ? `Follow the jobs with: ctct-bulk wait ${result.chunks.map((chunk) => chunk.activityId).join(" ")}`
        : "Follow the jobs with ctct-bulk wait <id>… (--json lists every activity), or import with --wait",
    );
  else if (result.errorCount === 0)
    lines.push(
      result.chunks.length === 1
        ? "The job completed, no line refused"
        : `All ${result.chunks.length.toLocaleString("en-US")} jobs completed, no line refused`,
    );
  else {
    lines.push(`${plural(result.errorCount, "line")} refused:`);
    lines.push(
      formatTable(
        ["LINE", "EMAIL", "REASON"],
        result.errors
          .slice(0, EXAMPLE_ERRORS)
          .map((error) => [
            error.line === undefined ? "?" : String(error.line),
            error.email ?? "",
            error.message,
          ]),
      )
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n"),
    );
    if (result.errors.length > EXAMPLE_ERRORS)
      lines.push(`  … and ${(result.errors.length - EXAMPLE_ERRORS).toLocaleString("en-US")} more`);
    lines.push(
      rejectsWritten !== undefined
        ? `Refused rows written to "${result.rejectsFile}" (${plural(rejectsWritten, "row")}): fix them and import that file`
        : "Write the refused rows to a file with --rejects <file>",
    );
  }
  if (result.outcome === "error") {
    // Which jobs, and so which lines of the file, did not go in: what the operator sends again.
    const failed = result.chunks.filter((chunk) => chunk.status === "ERROR");
    lines.push(
      failed.length === 0
        ? "A job failed (status ERROR): see ctct-bulk status <activity>"
        : `${failed.length === 1 ? "A job" : `${failed.length} jobs`} failed (status ERROR), lines ${failed
            .map((chunk) => `${chunk.firstLine}–${chunk.lastLine}`)
            .join(", ")} of "${result.file}": see ctct-bulk status ${failed
            .slice(0, 3)
            .map((chunk) => chunk.activityId)
            .join(" ")}${failed.length > 3 ? " …" : ""}`,
    );
  }
  return lines.join("\n");
}

const RESUME_OPTIONS = {
  resume: {
    type: "boolean",
    default: false,
    describe:
      "Continue an interrupted run after the last chunk the server accepted (no chunk is sent twice)",
  },
  state: {
    type: "string",
    requiresArg: true,
    describe:
      "The resume state file (default: beside the input, <file>.ctct-bulk.json, for a remove <file>.ctct-bulk-remove.json; needed to resume stdin)",
  },
  "forget-pending": {
    type: "boolean",
    default: false,
    describe:
      "With --resume: treat the chunk an interrupted run was sending as never received, and send it again (when the CLI cannot tell and you checked)",
  },
  "chunk-size": {
    type: "number",
    requiresArg: true,
    describe: `The most bytes of encoded data per request (${MIN_CHUNK_BYTES} to ${DEFAULT_MAX_ENCODED_BYTES}, the default)`,
  },
} as const;

function importLike(kind: Kind): CommandDefinition {
  return {
    command: `${kind} <file>`,
    describe:
      kind === "import"
        ? "Add (or update) the contacts of a file and put them on lists, in as many requests as it takes"
        : "Take the contacts of a file off lists (only EMAIL ADDRESS is needed)",
    positionals: { file: FILE_POSITIONAL },
    options: {
      list: LIST_OPTION,
      wait: WAIT_OPTION,
      timeout: TIMEOUT_OPTION,
      rejects: REJECTS_OPTION,
      "dry-run": DRY_RUN_OPTION,
      ...RESUME_OPTIONS,
      ...INPUT_OPTIONS,
    },
    examples:
      kind === "import"
        ? [
            ["$0 import contacts.csv --list 2 --wait", "Add to list 2 and wait for the jobs"],
            [
              '$0 import big.csv.gz --list "VIP customers" --list 4 --rejects refused.csv',
              "Two lists; refused rows to a file",
            ],
            [
              "$0 import big.csv.gz --list 4 --resume",
              "Continue after Ctrl-C, a crash or a network loss",
            ],
            [
              "zcat export.csv.gz | $0 import - --list 2 --state import.json",
              "From stdin, resumable",
            ],
          ]
        : [["$0 remove unsubscribed.csv --list 2 --wait", "Take those addresses off list 2"]],
    epilogue:
      "Each request carries at most 1.9 MB of encoded data; the file is read as a stream, so any size works in little memory. After each request the server accepts, the state file records it; --resume continues after the last one, checking first that the part of the file already sent has not changed. --rejects implies --wait.",
    run: (args, session) => runImport(kind, args, session),
  };
}

/** `ctct-bulk import <file>`: the big import. */
export const importCommand: CommandDefinition = importLike("import");

/** `ctct-bulk remove <file>`: the big remove. */
export const removeCommand: CommandDefinition = importLike("remove");
