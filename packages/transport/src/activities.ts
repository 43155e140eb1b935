import {
  type Activity,
  type ActivityEntry,
  type ActivityRequest,
  type AddRequestType,
  CONTACT_COLUMNS,
  type ContactColumn,
  type ContactPayload,
  type ContactTable,
  createMultipartBoundary,
  type Diagnostic,
  encodeActivityRequest,
  findContactColumn,
  formEncodedLength,
  isActivityId,
  isClearableList,
  openContactFile,
  parseActivityEntry,
  parseActivityFeed,
  parseActivityUri,
  parseListUri,
  SYSTEM_LISTS,
  UNCLEARABLE_LIST_NAMES,
  validateActivityRequest,
  validateHeader,
} from "@ctct-bulk/core";
import { resolveApiUrl } from "./_api-urls.ts";
import type { HttpContext, HttpRequest } from "./_context.ts";
import {
  type CreatedActivity,
  type CreateKind,
  type CreateState,
  createActivity,
} from "./_create.ts";
import { readFeedPages } from "./_feed-pages.ts";
import { readText, sendWithRetry } from "./_http.ts";
import { unexpectedBody } from "./_response-errors.ts";
import {
  blobName,
  type ContactInput,
  isBlob,
  isExcelFile,
  readContactText,
  toContactSource,
} from "./contact-input.ts";
import { InvalidRequestError } from "./errors/invalid-request-error.ts";
import { type ImportOptions, type ImportResult, importContacts } from "./import-contacts.ts";
import type { ContactLists, SignalOptions } from "./lists.ts";
import {
  pollActivities,
  type StatusChange,
  type WaitOptions,
  type WaitResult,
  waitForActivities,
} from "./wait.ts";

/** An activity named by its id, its URI, or an object that has its id (an `Activity`, a `CreatedActivity`). */
export type ActivityRef = string | { id: string };

/**
 * The largest encoded `data` one request may carry (the API's 1.9 MB): more goes through
 * `importContacts()`, which splits it.
 *
 * @example Deciding between one activity and a big import
 * ```ts
 * import { MAX_ENCODED_DATA_BYTES } from "@ctct-bulk/transport";
 * MAX_ENCODED_DATA_BYTES; // 1900000
 * ```
 */
export const MAX_ENCODED_DATA_BYTES = 1_900_000;

/** Options of `addContacts()` and `removeContacts()`. */
export interface ContactActivityOptions extends SignalOptions {
  /**
   * The lists: ids, URIs or names (names are looked up, see `client.lists.resolve()`). Numbered
   * lists only: a system list (`active`, `do-not-mail`, `removed`) takes no adds or removes.
   */
  lists: readonly (string | number)[];
  /**
   * For adds, the `activityType` to send (default `SV_ADD`; the server decides between
   * `ADD_CONTACTS` and `ADD_CONTACT_DETAIL` from the columns either way).
   */
  activityType?: "SV_ADD" | "ADD_CONTACTS" | "ADD_CONTACT_DETAIL";
  /** The file's name: for messages, for Excel detection and as the multipart `filename`. */
  fileName?: string;
  /**
   * How to send: `"auto"` (default) sends text, rows and streams urlencoded and a `Blob`/`File`
   * as multipart; Excel data is always multipart.
   */
  encoding?: "auto" | "urlencoded" | "multipart";
}

/** Options of `exportContacts()`: every parameter of an `EXPORT_CONTACTS` activity. */
export interface ExportOptions extends SignalOptions {
  /** The list to export: id, URI or name (system lists such as `do-not-mail` included). */
  list: string | number;
  /** `"CSV"` (default) or `"TXT"`. */
  fileType?: "CSV" | "TXT";
  /**
   * The columns, by name in any case (default: all of them). `EMAIL ADDRESS` is always exported
   * and always sent first.
   */
  columns?: readonly string[];
  /** Include the date each contact was added or removed (`exportOptDate`, default `false`). */
  includeDate?: boolean;
  /** Include who added or removed each contact (`exportOptSource`, default `false`). */
  includeSource?: boolean;
  /** Include the list's name (`exportListName`, default `false`). */
  includeListName?: boolean;
  /** `"EMAIL_ADDRESS"` (ascending, default) or `"DATE_DESC"` (newest first). */
  sortBy?: "EMAIL_ADDRESS" | "DATE_DESC";
}

const ATOM = "application/atom+xml";

// An export's file is the activity's URI plus `.csv` or `.txt` (SPEC §1, §3).
const EXPORT_FILE_SUFFIX = /\.(?:csv|txt)$/i;

/**
 * The id of an activity named by id, URI or object. Ids are lower-case in the API, and an id or
 * URI in another case names the same activity, so the id is lower-cased (ADR 0120). With
 * `exportFile`, an export's file URI or name (`{id}.csv`, `{id}.txt`) names its activity too.
 */
function activityIdOf(ref: ActivityRef, username: string, exportFile = false): string {
  if (typeof ref === "object" && ref !== null && typeof ref.id === "string") return ref.id;
  const text = String(ref).trim();
  const file = EXPORT_FILE_SUFFIX.test(text);
  // Only the last path segment (the id, perhaps with its suffix) is lower-cased: the username
  // keeps its case, and a URI's scheme and host are compared without regard to case anyway.
  const lowered = (file && exportFile ? text.replace(EXPORT_FILE_SUFFIX, "") : text).replace(
    /[^/]*$/,
    (last) => last.toLowerCase(),
  );
  if (isActivityId(lowered)) return lowered;
  let parsed: { username: string; activityId: string };
  try {
    parsed = parseActivityUri(lowered.replace(/^https:/i, "http:"));
  } catch {
    throw new InvalidRequestError(
      file && !exportFile
        ? `Invalid activity "${text}": it names an export's file; read it with downloadExport() or readExport(), or name the activity without "${text.slice(-4)}"`
        : `Invalid activity "${text}": expected an activity id (a07e…) or URI${exportFile ? ", or an export's file URI (….csv, ….txt)" : ""}`,
      {
        diagnostics: [{ severity: "error", message: `Invalid activity "${text}"` }],
      },
    );
  }
  if (parsed.username.toLowerCase() !== username.toLowerCase())
    throw new InvalidRequestError(
      `Invalid activity "${text}": it belongs to the account "${parsed.username}", not "${username}"`,
      { diagnostics: [{ severity: "error", message: `Activity of another account "${text}"` }] },
    );
  return parsed.activityId;
}

/** Throws an {@linkcode InvalidRequestError} for the errors among `diagnostics`. */
function refuse(what: string, diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  if (errors.length === 0) return;
  throw new InvalidRequestError(`Invalid ${what}: ${errors.map((d) => d.message).join("; ")}`, {
    diagnostics,
  });
}

function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/**
 * The account's bulk activities: `client.activities`.
 *
 * @example Adding contacts and waiting for the job
 * ```ts
 * import { createClient } from "@ctct-bulk/transport";
 * const client = createClient({ username: "joesflowers", apiKey: "…", password: "…" });
 * const created = await client.activities.addContacts(
 *   "EMAIL ADDRESS,FIRST NAME\nann@example.com,Ann\n",
 *   { lists: ["VIP customers"] },
 * );
 * const { outcome, activity } = await client.activities.wait(created);
 * outcome; // "complete" | "complete-with-errors" | "error"
 * ```
 */
export class Activities {
  readonly #http: HttpContext;
  readonly #lists: ContactLists;
  readonly #state: CreateState = { known: new Set() };

  /**
   * @param http The client's private request context.
   * @param lists The client's lists, to resolve list names.
   */
  constructor(http: HttpContext, lists: ContactLists) {
    this.#http = http;
    this.#lists = lists;
  }

  /**
   * Every activity of the account (kept 14 days), newest first, page after page, following
   * `rel="next"` links.
   *
   * @param options A signal to stop.
   * @returns An async iterable of activities.
   */
  async *list(options: SignalOptions = {}): AsyncGenerator<Activity, void, undefined> {
    for await (const page of readFeedPages(
      this.#http,
      `${this.#http.accountUrl}/activities`,
      parseActivityFeed,
      options.signal,
    )) {
      yield* page.entries;
    }
  }

  /**
   * One activity, by id or URI.
   *
   * @param ref The activity's id (`a07e1ffaxjyffmvqgiz`, in any case), URI, or an object with its `id`.
   * @param options A signal to stop.
   * @returns The activity, with its status, counts and per-line errors.
   * @throws {NotFoundError} When there is no such activity (or it expired after 14 days).
   */
  async get(ref: ActivityRef, options: SignalOptions = {}): Promise<ActivityEntry> {
    const id = activityIdOf(ref, this.#http.username);
    const request: HttpRequest = {
      method: "GET",
      url: `${this.#http.accountUrl}/activities/${id}`,
      accept: ATOM,
      signal: options.signal,
    };
    const response = await sendWithRetry(this.#http, request);
    const xml = await readText(this.#http, request, response);
    try {
      return parseActivityEntry(xml);
    } catch (error) {
      throw unexpectedBody(request, response.status, error);
    }
  }

  /**
   * Creates one add-contacts activity (up to 1.9 MB of encoded data: for more, use
   * {@linkcode Activities.importContacts}). The header is checked before anything is sent.
   *
   * @param contacts The contacts: text, bytes, a `Blob`/`File` (Excel included), a stream, rows or records.
   * @param options The lists (ids, URIs or names), the activity type, the file name, the encoding.
   * @returns The created activity (poll it with {@linkcode Activities.wait}).
   * @throws {InvalidRequestError} Before any request, for a bad header, no list, a system list
   *   (given by id or URI; by name, after reading the lists), or too much data.
   */
  async addContacts(
    contacts: ContactInput,
    options: ContactActivityOptions,
  ): Promise<CreatedActivity> {
    return this.#contactActivity("add", contacts, options);
  }

  /**
   * Creates one remove-contacts activity: takes the contacts (by `EMAIL ADDRESS`) off the lists.
   *
   * @param contacts The contacts, in any form {@linkcode Activities.addContacts} takes.
   * @param options The lists (ids, URIs or names), the file name, the encoding.
   * @returns The created activity.
   * @throws {InvalidRequestError} Before any request, for a bad header, no list, a system list
   *   (given by id or URI; by name, after reading the lists), or too much data.
   */
  async removeContacts(
    contacts: ContactInput,
    options: Omit<ContactActivityOptions, "activityType">,
  ): Promise<CreatedActivity> {
    return this.#contactActivity("remove", contacts, options);
  }

  /**
   * Creates a clear-lists activity: every contact is taken off the lists (not deleted). The
   * system lists (Active, Do-Not-Mail, Removed, …) cannot be cleared: asking for one throws
   * before any request. Add nothing to these lists until the clear is complete.
   *
   * @param lists The lists: ids, URIs or names.
   * @param options A signal to stop.
   * @returns The created activity.
   * @throws {InvalidRequestError} Before any request, for a system list or no list.
   */
  async clearLists(
    lists: readonly (string | number)[],
    options: SignalOptions = {},
  ): Promise<CreatedActivity> {
    if (lists.length === 0)
      refuse("clear request", validateActivityRequest({ kind: "clear", lists: [] }));
    // By name first (no request needed): the named lists of the API's pages and the system ids.
    const unclearable = lists.map(String).filter((list) => {
      const text = list.trim();
      if (/^\d+$/.test(text) || /^https?:\/\//i.test(text)) return false;
      const folded = text.toLowerCase().replace(/\s+/g, "-");
      return (
        (SYSTEM_LISTS as readonly string[]).includes(folded) ||
        UNCLEARABLE_LIST_NAMES.some((name) => name.toLowerCase().replace(/\s+/g, "-") === folded)
      );
    });
    if (unclearable.length > 0) refuseSystemLists(unclearable);
    const uris = await this.#lists.resolveAll(lists, options);
    const system = uris.filter((uri) => !isClearableList(uri));
    if (system.length > 0) refuseSystemLists(system);
    // A numbered list may bear a named list's name ("Do-Not-Mail"): the server refuses to clear
    // it, so the names are read (once) to refuse it here, before any create, as by name.
    const names = new Map<string, string>();
    for await (const list of this.#lists.list(options))
      names.set(parseListUri(list.uri).listId, list.name);
    const named = uris
      .map((uri) => ({ uri, name: names.get(parseListUri(uri).listId) }))
      .filter(({ uri, name }) => !isClearableList(uri, name));
    if (named.length > 0) refuseNamedLists(named);
    const request: ActivityRequest = { kind: "clear", lists: uris };
    refuse("clear request", validateActivityRequest(request));
    return this.#create("clear", request, options.signal);
  }

  /**
   * Creates an export of one list to a CSV or TXT file. When it is complete, download the file
   * with {@linkcode Activities.downloadExport} or read its rows with {@linkcode Activities.readExport}.
   *
   * @param options The list and every export parameter (file type, columns, date, source, list name, sort).
   * @returns The created activity.
   * @throws {InvalidRequestError} Before any request, for an unknown column.
   */
  async exportContacts(options: ExportOptions): Promise<CreatedActivity> {
    const columns: string[] = ["EMAIL ADDRESS"];
    for (const name of options.columns ?? CONTACT_COLUMNS) {
      const column: ContactColumn | undefined = findContactColumn(name);
      const value = column ?? name;
      if (!columns.includes(value)) columns.push(value);
    }
    const [listId] = await this.#lists.resolveAll([options.list], options);
    const request: ActivityRequest = {
      kind: "export",
      listId: listId!,
      fileType: options.fileType ?? "CSV",
      columns,
      exportOptDate: options.includeDate ?? false,
      exportOptSource: options.includeSource ?? false,
      exportListName: options.includeListName ?? false,
      sortBy: options.sortBy ?? "EMAIL_ADDRESS",
    };
    refuse("export request", validateActivityRequest(request));
    return this.#create("export", request, options.signal);
  }

  /**
   * The big import: any number of contacts, read as a stream, split into chunks under the 1.9 MB
   * limit by core's chunker, submitted in order, then waited for; every per-line error is mapped
   * back to the source file's line. Memory stays constant whatever the size. See
   * `docs/guides/big-imports.md` for progress events and resuming.
   *
   * @param contacts The contacts (not Excel: convert it to CSV first).
   * @param options The lists, the activity type (add by default, or `REMOVE_CONTACTS_FROM_LISTS`),
   *   progress, resume (`startAtChunk`, `onChunkAccepted`), waiting.
   * @returns Every activity created and every rejected line, by source line.
   * @throws {InvalidRequestError} Before any request, for a bad header, Excel data, no list (before
   *   the contacts are read) or a system list.
   * @throws {ContactFileError} From core, when a row of the file is malformed (an unterminated
   *   quote, too many fields): the chunks before it were sent and reported to `onChunkAccepted`.
   * @throws {RowTooLargeError} From core, when one row cannot fit in a request.
   */
  async importContacts(contacts: ContactInput, options: ImportOptions): Promise<ImportResult> {
    const kind = options.activityType === "REMOVE_CONTACTS_FROM_LISTS" ? "remove" : "add";
    // No list is refused before the contacts are read, as addContacts() refuses it before any request.
    if ((options.lists ?? []).length === 0) refuseContactLists("import request", kind, []);
    return importContacts(
      {
        http: this.#http,
        resolveLists: async (lists, signal) => {
          const uris = await this.#lists.resolveAll(lists, signal ? { signal } : {});
          refuseContactLists("import request", kind, uris);
          return uris;
        },
        create: (kind, body, signal) => createActivity(this.#http, this.#state, kind, body, signal),
        read: (id, signal) => this.get(id, signal ? { signal } : {}),
      },
      contacts,
      options,
    );
  }

  /**
   * Waits for one activity to finish (COMPLETE or ERROR), polling with backoff.
   * A process that restarts can wait again by id alone.
   *
   * @param ref The activity: id, URI or object.
   * @param options Deadline, no-progress timeout, signal, `onStatus`, `throwOnError`, polling.
   * @returns The finished activity and its outcome: `"complete"`, `"complete-with-errors"` or `"error"`.
   * @throws {WaitTimeoutError} At the deadline, or when the job makes no progress in time.
   * @throws {ActivityFailedError} When it ends in ERROR and `throwOnError` is set.
   */
  async wait(ref: ActivityRef, options?: WaitOptions): Promise<WaitResult>;
  /**
   * Waits for several activities to finish.
   *
   * @param refs The activities: ids, URIs or objects.
   * @param options Deadline, no-progress timeout, signal, `onStatus`, `throwOnError`, polling.
   * @returns The results, in the order of `refs`.
   */
  async wait(refs: readonly ActivityRef[], options?: WaitOptions): Promise<WaitResult[]>;
  async wait(
    refs: ActivityRef | readonly ActivityRef[],
    options: WaitOptions = {},
  ): Promise<WaitResult | WaitResult[]> {
    const many = Array.isArray(refs);
    const ids = (many ? refs : [refs as ActivityRef]).map((ref) =>
      activityIdOf(ref, this.#http.username),
    );
    const results = await waitForActivities(
      ids,
      (id, signal) => this.get(id, signal ? { signal } : {}),
      options,
      this.#http.clock,
      this.#http.random,
    );
    return many ? results : results[0]!;
  }

  /**
   * The status changes of one or more activities as an async iterator, ending when all are
   * finished (the same polling as {@linkcode Activities.wait}).
   *
   * @param refs The activities: ids, URIs or objects.
   * @param options Deadline, no-progress timeout, signal, polling.
   * @returns An async iterable of status changes.
   */
  watch(
    refs: ActivityRef | readonly ActivityRef[],
    options: Omit<WaitOptions, "onStatus"> = {},
  ): AsyncIterable<StatusChange> {
    const ids = (Array.isArray(refs) ? refs : [refs as ActivityRef]).map((ref) =>
      activityIdOf(ref, this.#http.username),
    );
    const read = (id: string, signal?: AbortSignal) => this.get(id, signal ? { signal } : {});
    const { clock, random } = this.#http;
    return {
      [Symbol.asyncIterator]: () => pollActivities(ids, read, options, clock, random),
    };
  }

  /**
   * Downloads a completed export's file as a stream of bytes, with the client's credentials.
   * The file's URI (`FileName`, `rel="edit-media"`) is an identifier on `http://api.constantcontact.com`:
   * it is fetched against the configured base URL (see ADR 0042).
   *
   * @param ref The export activity (id, URI or object; an `Activity` already read saves a request),
   *   or its file's URI (`FileName`, the `edit-media` link) or name (`{id}.csv`).
   * @param options A signal to stop.
   * @returns The file's bytes, streamed.
   * @throws {InvalidRequestError} When the activity is not an export, or not complete.
   */
  async downloadExport(
    ref: ActivityRef | Activity,
    options: SignalOptions = {},
  ): Promise<ReadableStream<Uint8Array>> {
    const { response } = await this.#openExport(ref, options);
    return response.body ?? new Response("").body!;
  }

  /**
   * Reads a completed export's file as contact rows, with core's contact-file reader.
   *
   * @param ref The export activity (id, URI or object), or its file's URI or name, as
   *   {@linkcode Activities.downloadExport} takes.
   * @param options A signal to stop.
   * @returns The file's header and rows (each with its line number).
   */
  async readExport(
    ref: ActivityRef | Activity,
    options: SignalOptions = {},
  ): Promise<ContactTable> {
    const { response, fileName } = await this.#openExport(ref, options);
    return openContactFile(response.body ?? "", { fileName });
  }

  async #openExport(
    ref: ActivityRef | Activity,
    options: SignalOptions,
  ): Promise<{ response: Response; fileName: string }> {
    let activity = ref as Partial<Activity>;
    if (
      typeof ref !== "object" ||
      activity.status !== "COMPLETE" ||
      !(activity.fileName || activity.editMediaLink)
    ) {
      // A file URI names its activity, which is read for its type, status and file link.
      activity = await this.get(
        activityIdOf(ref as ActivityRef, this.#http.username, true),
        options,
      );
    }
    const id = activity.id!;
    if (activity.type !== "EXPORT_CONTACTS")
      throw new InvalidRequestError(
        `Activity "${id}" is not an export: its type is ${activity.type}`,
        {
          diagnostics: [],
        },
      );
    if (activity.status !== "COMPLETE")
      throw new InvalidRequestError(
        `Export "${id}" is not complete: its status is ${activity.status}; wait for it first`,
        { diagnostics: [] },
      );
    const fileUri = activity.editMediaLink || activity.fileName;
    if (!fileUri)
      throw new InvalidRequestError(`Export "${id}" names no file`, { diagnostics: [] });
    const request: HttpRequest = {
      method: "GET",
      url: resolveApiUrl(this.#http, fileUri, `${this.#http.accountUrl}/activities/${id}`),
      signal: options.signal,
    };
    const response = await sendWithRetry(this.#http, request);
    return { response, fileName: new URL(request.url).pathname.split("/").pop() ?? `${id}.csv` };
  }

  async #contactActivity(
    kind: "add" | "remove",
    contacts: ContactInput,
    options: ContactActivityOptions,
  ): Promise<CreatedActivity> {
    const activityType =
      kind === "remove" ? "REMOVE_CONTACTS_FROM_LISTS" : (options.activityType ?? "SV_ADD");
    const blob = isBlob(contacts) ? contacts : undefined;
    const fileName = options.fileName ?? (blob ? blobName(blob) : undefined);
    const excel = isExcelFile(fileName, blob?.type);
    if (excel && options.encoding === "urlencoded")
      throw new InvalidRequestError(
        `Invalid encoding for "${fileName ?? "the Excel data"}": Excel data is sent only as multipart`,
        {
          diagnostics: [
            {
              severity: "error",
              message: "Excel data is sent only as multipart",
              parameter: "dataFile",
            },
          ],
        },
      );
    const multipart =
      excel ||
      options.encoding === "multipart" ||
      (options.encoding !== "urlencoded" && blob !== undefined);
    let file: { text?: string; bytes?: Uint8Array };
    if (excel) {
      file = { bytes: blob ? new Uint8Array(await blob.arrayBuffer()) : await readBytes(contacts) };
    } else {
      let text: string;
      try {
        text = await readContactText(contacts, MAX_ENCODED_DATA_BYTES * 3);
      } catch (error) {
        if (error instanceof RangeError) throw tooMuchData(fileName);
        throw error;
      }
      const { header } = await openContactFile(text, fileName ? { fileName } : {});
      refuse(
        `contact file${fileName ? ` "${fileName}"` : ""}`,
        validateHeader(header, { activityType }),
      );
      file = { text };
    }
    const lists = await this.#lists.resolveAll(options.lists, options);
    const payload: ContactPayload = multipart
      ? {
          file: {
            fileName: fileName ?? (excel ? "contacts.xls" : "contacts.csv"),
            ...(excel && blob?.type ? { contentType: blob.type } : {}),
            data: file.bytes ?? file.text!,
          },
        }
      : { data: file.text! };
    const request: ActivityRequest =
      kind === "add"
        ? { kind, activityType: activityType as AddRequestType, lists, ...payload }
        : { kind, lists, ...payload };
    refuse(`${kind} request`, validateActivityRequest(request));
    const size = multipart
      ? typeof payload.file!.data === "string"
        ? payload.file!.data.length
        : payload.file!.data.byteLength
      : formEncodedLength(file.text!);
    if (size > MAX_ENCODED_DATA_BYTES) throw tooMuchData(fileName);
    return this.#create(kind, request, options.signal);
  }

  async #create(
    kind: CreateKind,
    request: ActivityRequest,
    signal: AbortSignal | undefined,
  ): Promise<CreatedActivity> {
    const uploads =
      (request.kind === "add" || request.kind === "remove") && request.file !== undefined;
    const { body, contentType } = encodeActivityRequest(
      request,
      uploads ? { boundary: createMultipartBoundary(randomBytes(16)) } : {},
    );
    return createActivity(this.#http, this.#state, kind, { payload: body, contentType }, signal);
  }
}

/**
 * Refuses the lists an add or remove cannot name, none or a system list, with core's checks of
 * a create (the contacts' own checks left out): for the big import, which creates its requests
 * in core's chunker rather than through `validateActivityRequest`.
 */
function refuseContactLists(what: string, kind: "add" | "remove", lists: readonly string[]): void {
  const probe: ActivityRequest =
    kind === "add"
      ? { kind, activityType: "SV_ADD", data: "EMAIL ADDRESS", lists }
      : { kind, data: "EMAIL ADDRESS", lists };
  refuse(
    what,
    validateActivityRequest(probe).filter((diagnostic) => diagnostic.parameter === "lists"),
  );
}

function refuseNamedLists(lists: readonly { uri: string; name?: string | undefined }[]): never {
  throw new InvalidRequestError(
    `Invalid lists to clear: the lists named ${UNCLEARABLE_LIST_NAMES.join(", ")} cannot be cleared: ${lists.map((list) => `"${list.uri}" ("${list.name}")`).join(", ")}`,
    {
      diagnostics: lists.map((list) => ({
        severity: "error" as const,
        message: `List "${list.uri}" named "${list.name}" cannot be cleared`,
        parameter: "lists",
      })),
    },
  );
}

function refuseSystemLists(lists: readonly string[]): never {
  throw new InvalidRequestError(
    `Invalid lists to clear: system lists cannot be cleared: ${lists.map((list) => `"${list}"`).join(", ")}`,
    {
      diagnostics: lists.map((list) => ({
        severity: "error" as const,
        message: `System list "${list}" cannot be cleared`,
        parameter: "lists",
      })),
    },
  );
}

function tooMuchData(fileName: string | undefined): InvalidRequestError {
  return new InvalidRequestError(
    `Too much contact data${fileName ? ` in "${fileName}"` : ""} for one activity: over 1.9 MB encoded; use importContacts(), which splits it`,
    {
      diagnostics: [
        { severity: "error", message: "Over 1.9 MB of encoded contact data", parameter: "data" },
      ],
    },
  );
}

async function readBytes(input: ContactInput): Promise<Uint8Array> {
  const source = toContactSource(input);
  if (source instanceof Uint8Array) return source;
  if (typeof source === "string") return new TextEncoder().encode(source);
  if (typeof (source as ReadableStream).getReader === "function")
    return new Uint8Array(await new Response(source as ReadableStream).arrayBuffer());
  const parts: Uint8Array[] = [];
  for await (const piece of source as AsyncIterable<string | Uint8Array>) {
    parts.push(typeof piece === "string" ? new TextEncoder().encode(piece) : piece);
  }
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}
