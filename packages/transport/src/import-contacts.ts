import {
  type Activity,
  type AddRequestType,
  ChunkBodyWriter,
  ChunkBufferPool,
  type ChunkRequest,
  type ContactChunk,
  chunkContactRows,
  DEFAULT_MAX_ENCODED_BYTES,
  type Diagnostic,
  FORM_URLENCODED_CONTENT_TYPE,
  openContactFile,
  smallBatchWarning,
  validateHeader,
} from "@ctct-bulk/core";
import type { HttpContext } from "./_context.ts";
import type { CreatedActivity, CreateKind } from "./_create.ts";
import { yieldingTable } from "./_yielding-rows.ts";
import {
  blobName,
  type ContactInput,
  isBlob,
  isExcelFile,
  toContactSource,
} from "./contact-input.ts";
import { InvalidRequestError } from "./errors/invalid-request-error.ts";
import { compressLineMap, type LineRun, mapChunkLine } from "./line-map.ts";
import {
  type ActivityOutcome,
  type StatusChange,
  type WaitOptions,
  waitForActivities,
} from "./wait.ts";

/**
 * A chunk the server accepted: what the CLI journals to resume an import without sending a
 * chunk twice. Plain data (JSON-safe).
 */
export interface AcceptedChunk {
  /** The chunk's index, from 0, in submission order. */
  index: number;
  /** The activity the chunk created. */
  activityId: string;
  /** The activity's URI. */
  activityUri: string;
  /** The contacts in the chunk. */
  rowCount: number;
  /** The size of the chunk's encoded `data`, in bytes. */
  encodedBytes: number;
  /** The source line of the chunk's first row. */
  firstLine: number;
  /** The source line of the chunk's last row. */
  lastLine: number;
  /** The chunk's line map, compressed: how its lines map back to the source file. */
  lineRuns: LineRun[];
  /** Whether the create's answer was lost and the activity found in the activities list. */
  recovered: boolean;
}

/** A chunk's activity at the end of an import. */
export interface ImportedChunk extends AcceptedChunk {
  /**
   * The activity as last read (after waiting). Its per-line errors are not repeated here: they
   * are in the result's `errors`, mapped to source lines (`errors` is empty, `errorCount` keeps
   * their number).
   */
  activity?: Activity;
  /** How it finished (after waiting). */
  outcome?: ActivityOutcome;
}

/** A rejected line of an import, by its line in the source file. */
export interface ImportLineError {
  /** The line in the source file (the header is line 1), when the server gave one. */
  line?: number;
  /** The line as the server reported it, in the chunk's own file. */
  chunkLine?: number;
  /** The chunk's index. */
  chunkIndex: number;
  /** The activity that rejected it. */
  activityId: string;
  /** The rejected address. */
  email?: string;
  /** The server's reason. */
  message: string;
}

/** Running totals, in every progress event. */
export interface ImportTotals {
  /** Rows read from the source so far (skipped chunks included). */
  rowsRead: number;
  /** Bytes of request bodies accepted by the server so far. */
  bytesSent: number;
  /** Chunks submitted (this run). */
  chunksSubmitted: number;
  /** Chunks skipped because an earlier run submitted them (`startAtChunk`). */
  chunksSkipped: number;
  /** Activities that reached COMPLETE or ERROR. */
  activitiesFinished: number;
}

/** A chunk's place in the source, for progress events. */
export interface ChunkSummary {
  index: number;
  rowCount: number;
  encodedBytes: number;
  firstLine: number;
  lastLine: number;
}

/** What `importContacts()` reports as it goes. */
export type ImportProgressEvent =
  | { type: "chunk-skipped"; chunk: ChunkSummary; totals: ImportTotals }
  | { type: "chunk-submitted"; chunk: AcceptedChunk; totals: ImportTotals }
  | { type: "status"; change: StatusChange; chunkIndex: number; totals: ImportTotals };

/** Options of `client.activities.importContacts()`. */
export interface ImportOptions {
  /** The lists: ids, URIs or names. */
  lists: readonly (string | number)[];
  /** `SV_ADD` (default), `ADD_CONTACTS`, `ADD_CONTACT_DETAIL`, or `REMOVE_CONTACTS_FROM_LISTS` for a big remove. */
  activityType?: "SV_ADD" | "ADD_CONTACTS" | "ADD_CONTACT_DETAIL" | "REMOVE_CONTACTS_FROM_LISTS";
  /** The source file's name, for messages. */
  fileName?: string;
  /** The largest encoded `data` per chunk (default 1,900,000 bytes). */
  maxEncodedBytes?: number;
  /**
   * Resume: chunks before this index are read and skipped, not sent (an earlier run sent them).
   * The chunking is deterministic: the same file and `maxEncodedBytes` give the same chunks.
   */
  startAtChunk?: number;
  /** Resume: the chunks an earlier run had sent, to wait for and report with the rest. */
  previousChunks?: readonly AcceptedChunk[];
  /**
   * Called (and awaited) after the server accepted each chunk and before the next is sent: journal
   * it here to resume after a crash without sending any chunk twice.
   */
  onChunkAccepted?: (chunk: AcceptedChunk) => void | Promise<void>;
  /**
   * Called (and awaited) just before each chunk's create is sent: from here until
   * `onChunkAccepted` (or an error), the chunk may reach the server. Nothing is sent before the
   * first call, so a run that fails before it has changed nothing on the account.
   */
  onChunkSending?: (chunk: ChunkSummary) => void | Promise<void>;
  /** Progress: chunks skipped and submitted, status changes, running totals. */
  onProgress?: (event: ImportProgressEvent) => void;
  /** Wait for every activity to finish (default `true`), with these options. */
  wait?: boolean | Omit<WaitOptions, "signal" | "onStatus" | "throwOnError">;
  /** Stops the import; chunks already accepted stay accepted (see `onChunkAccepted`). */
  signal?: AbortSignal;
}

/** What an import did. */
export interface ImportResult {
  /** Every chunk's activity, in order (those of `previousChunks` included). */
  chunks: ImportedChunk[];
  /** Every rejected line, by source line. */
  errors: ImportLineError[];
  /** How many lines were rejected (also those the server gave only as a count). */
  errorCount: number;
  /** The contacts read from the source. */
  rowCount: number;
  /** Warnings found before sending (ignored columns, a batch under 25 contacts). */
  warnings: Diagnostic[];
  /**
   * `"submitted"` when not waited for; otherwise `"error"` if any activity failed,
   * `"complete-with-errors"` if any line was rejected, else `"complete"`.
   */
  outcome: ActivityOutcome | "submitted";
}

/** What the import needs from the client. */
export interface ImportDependencies {
  http: HttpContext;
  resolveLists(lists: readonly (string | number)[], signal?: AbortSignal): Promise<string[]>;
  /**
   * Creates one chunk's activity. `body.payload` (the body, or its pieces when the client streams
   * bodies) is reused for a later chunk once this settles: do not keep it.
   */
  create(
    kind: CreateKind,
    body: { payload: Uint8Array | readonly Uint8Array[]; contentType: string },
    signal?: AbortSignal,
  ): Promise<CreatedActivity>;
  read(id: string, signal?: AbortSignal): Promise<Activity>;
}

function summary(chunk: ContactChunk): ChunkSummary {
  return {
    index: chunk.index,
    rowCount: chunk.rowCount,
    encodedBytes: chunk.encodedBytes,
    firstLine: chunk.lineMap[1] ?? 1,
    lastLine: chunk.lineMap[chunk.lineMap.length - 1] ?? 1,
  };
}

/** What the import keeps of a chunk it has read: its bytes, its place and its line map as runs. */
interface ReadChunk {
  summary: ChunkSummary;
  encodedData: Uint8Array;
  lineRuns: LineRun[];
}

/**
 * The chunker's next chunk, its line map compressed to runs as soon as it is emitted, and the
 * chunk's own `lineMap` (a number per line: 256 KB for a 1.9 MB chunk) cut off from it.
 *
 * Why cut: reading a chunk takes long enough for the promise of `iterator.next()` to be moved to
 * V8's old generation, and a young collection counts whatever an old object points to as alive,
 * dead or not (only a full collection finds that the old object is dead). That promise's result
 * is the chunk, so each chunk's line map, though nothing used it any more, was found alive by the
 * next young collection and moved to the old generation too: 8 MB a million rows, which is what
 * grew the young generation from 8 to 16 MB semi-spaces and the process by about 16 MB (ADR 0145).
 * The chunk never leaves the import.
 */
async function readChunk(
  iterator: AsyncIterator<ContactChunk, void>,
): Promise<IteratorResult<ReadChunk, void>> {
  const step = await iterator.next();
  if (step.done) return step;
  const chunk = step.value;
  const read: ReadChunk = {
    summary: summary(chunk),
    encodedData: chunk.encodedData,
    lineRuns: compressLineMap(chunk.lineMap),
  };
  chunk.lineMap = [];
  return { done: false, value: read };
}

/**
 * The messages of the per-line errors, each repeat ("Invalid email address", an unknown state
 * repeated from line to line) kept once. Hand-written: a plain Map, bounded so that a file whose
 * messages all differ costs no more than the strings themselves.
 */
class StringPool {
  static readonly LIMIT = 10_000;
  readonly #pool = new Map<string, string>();

  /** `text`, the same string for every repeat while the pool has room. */
  shared(text: string): string {
    const known = this.#pool.get(text);
    if (known !== undefined) return known;
    if (this.#pool.size < StringPool.LIMIT) this.#pool.set(text, text);
    return text;
  }
}

/** One rejected line, by its source line: its own fields only, its message shared. */
function importLineError(
  chunk: AcceptedChunk,
  lineError: Activity["errors"][number],
  strings: StringPool,
): ImportLineError {
  const message = strings.shared(lineError.message);
  const chunkLine = lineError.line;
  if (chunkLine === undefined)
    return lineError.email === undefined
      ? { chunkIndex: chunk.index, activityId: chunk.activityId, message }
      : {
          chunkIndex: chunk.index,
          activityId: chunk.activityId,
          email: lineError.email,
          message,
        };
  const line = mapChunkLine(chunk.lineRuns, chunkLine);
  // One literal per shape (a spread of optional parts makes a bigger object per error).
  if (line === undefined)
    return lineError.email === undefined
      ? { chunkLine, chunkIndex: chunk.index, activityId: chunk.activityId, message }
      : {
          chunkLine,
          chunkIndex: chunk.index,
          activityId: chunk.activityId,
          email: lineError.email,
          message,
        };
  return lineError.email === undefined
    ? { line, chunkLine, chunkIndex: chunk.index, activityId: chunk.activityId, message }
    : {
        line,
        chunkLine,
        chunkIndex: chunk.index,
        activityId: chunk.activityId,
        email: lineError.email,
        message,
      };
}

/**
 * The engine of `client.activities.importContacts()`: validate the header, resolve the lists,
 * chunk with core, submit in order (reading the next chunk while one uploads), wait, map errors.
 *
 * @param deps The client's pieces.
 * @param contacts The contacts.
 * @param options The import's options.
 * @returns What the import did.
 */
export async function importContacts(
  deps: ImportDependencies,
  contacts: ContactInput,
  options: ImportOptions,
): Promise<ImportResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const activityType = options.activityType ?? "SV_ADD";
  const kind: "add" | "remove" = activityType === "REMOVE_CONTACTS_FROM_LISTS" ? "remove" : "add";
  const blob = isBlob(contacts) ? contacts : undefined;
  const fileName = options.fileName ?? (blob ? blobName(blob) : undefined);
  if (isExcelFile(fileName, blob?.type))
    throw new InvalidRequestError(
      `Cannot import "${fileName ?? "Excel data"}" in chunks: convert the workbook to CSV first, or send it whole with addContacts()`,
      {
        diagnostics: [
          { severity: "error", message: "Excel data cannot be chunked", parameter: "dataFile" },
        ],
      },
    );
  const startAtChunk = options.startAtChunk ?? 0;
  if (!Number.isInteger(startAtChunk) || startAtChunk < 0)
    throw new RangeError(`Invalid startAtChunk "${startAtChunk}": expected a whole number ≥ 0`);

  const table = await openContactFile(toContactSource(contacts), fileName ? { fileName } : {});
  const headerFindings = validateHeader(table.header, { activityType });
  const headerErrors = headerFindings.filter((finding) => finding.severity === "error");
  if (headerErrors.length > 0)
    throw new InvalidRequestError(
      `Invalid header${fileName ? ` in "${fileName}"` : ""}: ${headerErrors.map((d) => d.message).join("; ")}`,
      { diagnostics: headerFindings },
    );
  const warnings = headerFindings.filter((finding) => finding.severity === "warning");
  const lists = await deps.resolveLists(options.lists, signal);

  const totals: ImportTotals = {
    rowsRead: 0,
    bytesSent: 0,
    chunksSubmitted: 0,
    chunksSkipped: 0,
    activitiesFinished: 0,
  };
  const chunks: ImportedChunk[] = [...(options.previousChunks ?? [])].map((chunk) => ({
    ...chunk,
  }));
  const emit = (event: ImportProgressEvent) => {
    try {
      options.onProgress?.(event);
    } catch {
      // a progress listener's failure must not stop the import
    }
  };

  const request: ChunkRequest =
    kind === "add"
      ? { kind, activityType: activityType as AddRequestType, lists }
      : { kind, lists };
  const bodies = new ChunkBodyWriter(request);
  // Chunk buffers go back to the chunker once their bytes are sent (streamed) or copied (into the
  // body buffer): it writes later chunks into them instead of a new 2 MB buffer each (ADR 0100).
  const buffers = new ChunkBufferPool();
  const stream = deps.http.streamBodies;
  // Reading gives the event loop a turn every few ms, so the create uploading meanwhile is written
  // to the socket and answered while the next chunk is read, not after it (ADR 0145).
  const iterator = chunkContactRows(yieldingTable(table), {
    maxEncodedBytes: options.maxEncodedBytes ?? DEFAULT_MAX_ENCODED_BYTES,
    buffers,
  })[Symbol.asyncIterator]();
  try {
    // At most one chunk is read ahead: the next one is read while this one uploads, and reading
    // stops there until this one's create has answered (core's chunker reads rows only when
    // asked for a chunk). So memory holds the chunk in flight, the next chunk and the chunker's
    // own (and, when bodies are not streamed, one body buffer), whatever the size of the file.
    let pending = readChunk(iterator);
    for (;;) {
      let step: IteratorResult<ReadChunk, void> | undefined = await pending;
      if (step.done) break;
      signal?.throwIfAborted();
      let chunk: ReadChunk | undefined = step.value;
      step = undefined;
      totals.rowsRead += chunk.summary.rowCount;
      if (chunk.summary.index < startAtChunk) {
        buffers.release(chunk);
        pending = readChunk(iterator);
        totals.chunksSkipped++;
        emit({ type: "chunk-skipped", chunk: chunk.summary, totals: { ...totals } });
        continue;
      }
      // Streamed: the body is the chunk's own bytes between the other parameters, sent as they
      // are, so the chunk's buffer stays out of the pool until its create has answered (every
      // attempt reads it again). Not streamed: the body is copied into the writer's buffer (which
      // fetch copies again when it builds its Request), and the chunk's buffer is free at once.
      const payload: Uint8Array | readonly Uint8Array[] = stream
        ? bodies.parts(chunk)
        : bodies.write(chunk);
      const sent = stream ? { encodedData: chunk.encodedData } : undefined;
      if (!stream) buffers.release(chunk);
      const { lineRuns, summary: chunkSummary } = chunk;
      const payloadBytes =
        payload instanceof Uint8Array
          ? payload.byteLength
          : payload.reduce((bytes, part) => bytes + part.byteLength, 0);
      // The chunk is let go before the upload (an async function keeps its locals alive across an
      // await); its bytes live on in `payload`.
      chunk = undefined;
      // Read the next chunk while this one uploads; its rejection is handled when awaited. The
      // chunker writes it into a buffer released before, never into the one uploading.
      pending = readChunk(iterator);
      pending.catch(() => {});
      await options.onChunkSending?.(chunkSummary);
      signal?.throwIfAborted();
      // `payload` is valid until the next write() (the writer's buffer) or until its chunk is
      // released (streamed): both after this create.
      const created = await deps.create(
        kind,
        { payload, contentType: FORM_URLENCODED_CONTENT_TYPE },
        signal,
      );
      if (sent) buffers.release(sent);
      const accepted: AcceptedChunk = {
        ...chunkSummary,
        activityId: created.id,
        activityUri: created.uri,
        lineRuns,
        recovered: created.recovered,
      };
      totals.bytesSent += payloadBytes;
      totals.chunksSubmitted++;
      chunks.push({ ...accepted });
      await options.onChunkAccepted?.(accepted);
      emit({ type: "chunk-submitted", chunk: accepted, totals: { ...totals } });
    }
  } finally {
    await iterator.return?.();
  }

  const rowCount = totals.rowsRead;
  // No contacts at all is not a small batch: nothing was sent.
  const small = rowCount > 0 ? smallBatchWarning(rowCount) : undefined;
  if (small) warnings.push(small);
  if (options.wait === false || chunks.length === 0) {
    return {
      chunks,
      errors: [],
      errorCount: 0,
      rowCount,
      warnings,
      outcome: chunks.length === 0 ? "complete" : "submitted",
    };
  }

  const waitOptions = typeof options.wait === "object" ? options.wait : {};
  const chunkOf = new Map(chunks.map((chunk) => [chunk.activityId, chunk]));
  // Each activity's per-line errors are mapped to source lines as soon as it finishes, and the
  // activity is kept without them: the raw ones (the parser's objects and strings) are let go
  // then, not held until the last activity finishes.
  const strings = new StringPool();
  const chunkErrors: ImportLineError[][] = chunks.map(() => []);
  const settle = (activity: Activity, index: number): Activity => {
    if (activity.errors.length === 0) return activity;
    const chunk = chunks[index]!;
    const mapped = chunkErrors[index]!;
    for (const lineError of activity.errors)
      mapped.push(importLineError(chunk, lineError, strings));
    return {
      ...activity,
      errors: [],
      errorCount: Math.max(activity.errorCount, activity.errors.length),
    };
  };
  const results = await waitForActivities(
    chunks.map((chunk) => chunk.activityId),
    deps.read,
    {
      ...waitOptions,
      ...(signal ? { signal } : {}),
      onStatus: (change) => {
        if (change.outcome) totals.activitiesFinished++;
        emit({
          type: "status",
          change,
          chunkIndex: chunkOf.get(change.id)?.index ?? -1,
          totals: { ...totals },
        });
      },
    },
    deps.http.clock,
    deps.http.random,
    settle,
  );

  let errorCount = 0;
  let outcome: ActivityOutcome = "complete";
  for (const [i, result] of results.entries()) {
    const chunk = chunks[i]!;
    chunk.activity = result.activity;
    chunk.outcome = result.outcome;
    if (result.outcome === "error") outcome = "error";
    else if (result.outcome === "complete-with-errors" && outcome === "complete")
      outcome = "complete-with-errors";
    errorCount += Math.max(result.activity.errorCount, result.activity.errors.length);
  }
  // In chunk order, then by source line (a line the server did not number goes last).
  const errors = chunkErrors.flat();
  chunkErrors.length = 0;
  errors.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  return { chunks, errors, errorCount, rowCount, warnings, outcome };
}
