/**
 * Create-activity requests (SPEC §2) as typed values: building their form parameters in the
 * seed's order for a client, reading and checking them for a server.
 *
 * @module
 */
import { isRequestedActivityType, REQUESTED_ACTIVITY_TYPES } from "./activity.ts";
import { ActivityRequestError } from "./activity-request-error.ts";
import {
  type ContactColumn,
  findContactColumn,
  findExportOptionColumn,
  nearestContactColumn,
} from "./columns.ts";
import {
  encodeFormBodyBytes,
  FORM_URLENCODED_CONTENT_TYPE,
  type FormParams,
} from "./form-urlencoded.ts";
import {
  type DecodedMultipartFile,
  encodeMultipartBody,
  type MultipartFile,
  multipartContentType,
} from "./multipart.ts";
import { API_ID_ROOT, isClearableList, parseListUri, UNCLEARABLE_LIST_NAMES } from "./uris.ts";
import type { Diagnostic } from "./validation.ts";

/** The `activityType` values that add contacts; the server reports `ADD_CONTACTS` or `ADD_CONTACT_DETAIL`. */
export const ADD_REQUEST_TYPES = ["SV_ADD", "ADD_CONTACTS", "ADD_CONTACT_DETAIL"] as const;
/** An `activityType` that adds contacts. */
export type AddRequestType = (typeof ADD_REQUEST_TYPES)[number];
/** The file types an export can produce (`fileType`). */
export const EXPORT_FILE_TYPES = ["CSV", "TXT"] as const;
/** An export's `fileType`. */
export type ExportFileType = (typeof EXPORT_FILE_TYPES)[number];
/** An export's orders (`sortBy`): email address ascending, or date descending. */
export const EXPORT_SORT_ORDERS = ["EMAIL_ADDRESS", "DATE_DESC"] as const;
/** An export's `sortBy`. */
export type ExportSortOrder = (typeof EXPORT_SORT_ORDERS)[number];

/** The name of the multipart part that carries an uploaded contact file. */
export const DATA_FILE_FIELD = "dataFile";

/** A contact file uploaded whole, as the multipart part `dataFile`. */
export interface ContactUpload {
  /** The file's name, e.g. `contacts.csv` (`.csv`, `.txt`, `.xls`). */
  fileName: string;
  /** The file's media type; guessed from the file name's extension when absent. */
  contentType?: string;
  /** The file's content; text is sent as UTF-8. */
  data: Uint8Array | string;
}

/** The contacts of an add or remove: the file's text as `data`, or a whole file as `dataFile`. */
export type ContactPayload =
  | { data: string; file?: undefined }
  | { file: ContactUpload; data?: undefined };

/** Add contacts to lists (`SV_ADD`, `ADD_CONTACTS` or `ADD_CONTACT_DETAIL`). */
export type AddContactsRequest = {
  kind: "add";
  /** The requested type; the server reports the job as `ADD_CONTACTS` or `ADD_CONTACT_DETAIL`. */
  activityType: AddRequestType;
  /** The list URIs to add to (one or more). */
  lists: readonly string[];
} & ContactPayload;

/** Remove contacts from lists (`REMOVE_CONTACTS_FROM_LISTS`). */
export type RemoveContactsRequest = {
  kind: "remove";
  /** The list URIs to remove from (one or more). */
  lists: readonly string[];
} & ContactPayload;

/** Take every contact off lists (`CLEAR_CONTACTS_FROM_LISTS`); named lists cannot be cleared. */
export interface ClearListsRequest {
  kind: "clear";
  /** The list URIs to clear (one or more). */
  lists: readonly string[];
}

/** Export a list's contacts to a file (`EXPORT_CONTACTS`). */
export interface ExportContactsRequest {
  kind: "export";
  /** The list URI to export (system lists such as `do-not-mail` too). */
  listId: string;
  fileType: ExportFileType;
  /** The columns to export; `EMAIL ADDRESS` is always exported, listed or not. */
  columns: readonly string[];
  /** The order (default `EMAIL_ADDRESS`). */
  sortBy?: ExportSortOrder;
  /** Include the add/remove date (default `false`). */
  exportOptDate?: boolean;
  /** Include who added/removed the contact (default `false`). */
  exportOptSource?: boolean;
  /** Include the list's name (default `false`). */
  exportListName?: boolean;
}

/** A create-activity request, told apart by `kind`. */
export type ActivityRequest =
  | AddContactsRequest
  | RemoveContactsRequest
  | ClearListsRequest
  | ExportContactsRequest;

/** A problem found in a request (structurally a `Diagnostic`). */
interface RequestProblem {
  severity: "error" | "warning";
  message: string;
  parameter: string;
}

const TYPE_LIST = REQUESTED_ACTIVITY_TYPES.join(", ");

/** A value as quoted in a message: long values are cut, so that a 400 body stays short. */
function shown(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

function requestedType(request: ActivityRequest): string {
  switch (request.kind) {
    case "add":
      return request.activityType;
    case "remove":
      return "REMOVE_CONTACTS_FROM_LISTS";
    case "clear":
      return "CLEAR_CONTACTS_FROM_LISTS";
    case "export":
      return "EXPORT_CONTACTS";
  }
}

/**
 * The media type to send a contact file as, from its name's extension.
 *
 * @param fileName A file name such as `contacts.csv`.
 * @returns `text/csv`, `text/plain`, `application/vnd.ms-excel`, or `application/octet-stream`.
 *
 * @example Three kinds of file
 * ```ts
 * import { contactFileContentType } from "@ctct-bulk/core";
 * contactFileContentType("contacts.CSV"); // "text/csv"
 * contactFileContentType("contacts.txt"); // "text/plain"
 * contactFileContentType("contacts.xls"); // "application/vnd.ms-excel"
 * ```
 */
export function contactFileContentType(fileName: string): string {
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  switch (extension) {
    case "csv":
      return "text/csv";
    case "txt":
      return "text/plain";
    case "xls":
      return "application/vnd.ms-excel";
    case "xlsx":
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    default:
      return "application/octet-stream";
  }
}

/**
 * The form parameters of a request, in the seed's order: `activityType`, then `data`, then each
 * of `lists`; for an export `activityType`, `fileType`, `exportOptDate`, `exportOptSource`,
 * `exportListName`, `sortBy`, each of `columns`, `listId`. An uploaded file is not among them: see
 * {@linkcode activityRequestFile}.
 *
 * @param request The request.
 * @returns Its parameters, a name repeated for each of its values.
 *
 * @example The seed's clear request
 * ```ts
 * import { activityRequestParams } from "@ctct-bulk/core";
 * const params = activityRequestParams({
 *   kind: "clear",
 *   lists: ["http://api.constantcontact.com/ws/customers/joesflowers/lists/2"],
 * });
 * params[0]; // ["activityType", "CLEAR_CONTACTS_FROM_LISTS"]
 * params[1]; // ["lists", "http://api.constantcontact.com/ws/customers/joesflowers/lists/2"]
 * ```
 */
export function activityRequestParams(request: ActivityRequest): FormParams {
  const params: [string, string][] = [["activityType", requestedType(request)]];
  if (request.kind === "export") {
    params.push(
      ["fileType", request.fileType],
      ["exportOptDate", String(request.exportOptDate ?? false)],
      ["exportOptSource", String(request.exportOptSource ?? false)],
      ["exportListName", String(request.exportListName ?? false)],
      ["sortBy", request.sortBy ?? "EMAIL_ADDRESS"],
    );
    for (const column of request.columns)
      params.push(["columns", findContactColumn(column) ?? column]);
    params.push(["listId", request.listId]);
    return params;
  }
  if (request.kind !== "clear" && request.data !== undefined) params.push(["data", request.data]);
  for (const list of request.lists) params.push(["lists", list]);
  return params;
}

/**
 * The file part of a request that uploads a whole file, for {@linkcode encodeMultipartBody}.
 *
 * @param request The request.
 * @returns The `dataFile` part, or `undefined` when the request has no file.
 *
 * @example An add with a file
 * ```ts
 * import { activityRequestFile } from "@ctct-bulk/core";
 * const file = activityRequestFile({
 *   kind: "add", activityType: "SV_ADD", lists: [],
 *   file: { fileName: "contacts.csv", data: "EMAIL ADDRESS\na@example.com" },
 * });
 * file?.field; // "dataFile"
 * file?.contentType; // "text/csv"
 * ```
 */
export function activityRequestFile(request: ActivityRequest): MultipartFile | undefined {
  if ((request.kind !== "add" && request.kind !== "remove") || request.file === undefined)
    return undefined;
  const { fileName, contentType, data } = request.file;
  return {
    field: DATA_FILE_FIELD,
    fileName,
    contentType: contentType ?? contactFileContentType(fileName),
    data,
  };
}

/** Options of {@linkcode encodeActivityRequest}. */
export interface EncodeActivityRequestOptions {
  /** The multipart boundary, required when the request uploads a file. */
  boundary?: string;
}

/**
 * Encodes a request as a POST body: form-urlencoded, or multipart when it uploads a whole file.
 *
 * @param request The request.
 * @param options The boundary for a multipart body.
 * @returns The body and its `Content-Type`.
 * @throws {TypeError} When the request uploads a file and no valid boundary is given.
 *
 * @example The seed's export request
 * ```ts
 * import { encodeActivityRequest } from "@ctct-bulk/core";
 * const { body, contentType } = encodeActivityRequest({
 *   kind: "export", listId: "http://api.constantcontact.com/ws/customers/joesflowers/lists/2",
 *   fileType: "CSV", columns: ["FIRST NAME"], sortBy: "DATE_DESC",
 * });
 * contentType; // "application/x-www-form-urlencoded"
 * new TextDecoder().decode(body).startsWith("activityType=EXPORT_CONTACTS&fileType=CSV&"); // true
 * ```
 */
export function encodeActivityRequest(
  request: ActivityRequest,
  options: EncodeActivityRequestOptions = {},
): { body: Uint8Array; contentType: string } {
  const params = activityRequestParams(request);
  const file = activityRequestFile(request);
  if (file === undefined)
    return { body: encodeFormBodyBytes(params), contentType: FORM_URLENCODED_CONTENT_TYPE };
  if (options.boundary === undefined)
    throw new TypeError(
      `Missing multipart boundary: the request uploads the file "${shown(file.fileName)}"`,
    );
  return {
    body: encodeMultipartBody(params, file, options.boundary),
    contentType: multipartContentType(options.boundary),
  };
}

/** The parameters each kind of request takes; a known parameter outside its kind is refused. */
const PARAMETERS_OF: Record<ActivityRequest["kind"], readonly string[]> = {
  add: ["activityType", "data", DATA_FILE_FIELD, "lists"],
  remove: ["activityType", "data", DATA_FILE_FIELD, "lists"],
  clear: ["activityType", "lists"],
  export: [
    "activityType",
    "fileType",
    "exportOptDate",
    "exportOptSource",
    "exportListName",
    "sortBy",
    "columns",
    "listId",
  ],
};
const KNOWN_PARAMETERS: ReadonlySet<string> = new Set(Object.values(PARAMETERS_OF).flat());

function kindOf(activityType: string): ActivityRequest["kind"] {
  if ((ADD_REQUEST_TYPES as readonly string[]).includes(activityType)) return "add";
  if (activityType === "REMOVE_CONTACTS_FROM_LISTS") return "remove";
  if (activityType === "CLEAR_CONTACTS_FROM_LISTS") return "clear";
  return "export";
}

/** Options of {@linkcode parseActivityRequest}. */
export interface ParseActivityRequestOptions {
  /** The files of a multipart body (from {@linkcode decodeMultipartBody}). */
  files?: readonly DecodedMultipartFile[];
}

/**
 * Reads a create-activity request from its parameters, as the server does: the activity type,
 * the parameters it takes, and every check whose failure is a `400 Bad Request` (SPEC §4).
 * Unknown parameter names are ignored; a parameter of another kind of activity is refused.
 *
 * @param params The decoded body's parameters ({@linkcode decodeFormBody} or the multipart
 *   body's `params`).
 * @param options The multipart body's files, where `dataFile` carries an uploaded contact file.
 * @returns The request, with canonical column names and defaults filled in for an export
 *   (`sortBy` `EMAIL_ADDRESS`, options `false`).
 * @throws {ActivityRequestError} On an unknown `activityType`, a missing `lists`/`listId`/`data`,
 *   an unknown column, a malformed list URI, a named list to clear, a value out of range; the
 *   message is the 400 body and `parameter` names the parameter.
 *
 * @example The seed's add request
 * ```ts
 * import { decodeFormBody, parseActivityRequest } from "@ctct-bulk/core";
 * const request = parseActivityRequest(decodeFormBody(
 *   "activityType=SV_ADD&data=EMAIL+ADDRESS%0Aa%40example.com" +
 *     "&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2",
 * ));
 * request.kind; // "add"
 * ```
 */
export function parseActivityRequest(
  params: FormParams,
  options: ParseActivityRequestOptions = {},
): ActivityRequest {
  const files = options.files ?? [];
  const valuesOf = (name: string): string[] =>
    params.filter(([param]) => param === name).map(([, value]) => value);
  const single = (name: string): string | undefined => {
    const values = valuesOf(name);
    if (values.length > 1)
      throw new ActivityRequestError(
        `Repeated parameter "${shown(name)}": expected one value, got ${values.length}`,
        name,
      );
    return values[0];
  };

  const activityType = single("activityType");
  if (activityType === undefined || activityType === "")
    throw new ActivityRequestError(
      `Missing parameter "activityType": expected one of ${TYPE_LIST}`,
      "activityType",
    );
  if (!isRequestedActivityType(activityType))
    throw new ActivityRequestError(
      `Unknown activityType "${shown(activityType)}": expected one of ${TYPE_LIST}`,
      "activityType",
    );
  const kind = kindOf(activityType);
  const allowed = PARAMETERS_OF[kind];
  const present = [...params.map(([name]) => name), ...files.map((file) => file.field)];
  for (const name of present)
    if (KNOWN_PARAMETERS.has(name) && !allowed.includes(name))
      throw new ActivityRequestError(
        `Unexpected parameter "${shown(name)}" for ${activityType}: expected only ${allowed.join(", ")}`,
        name,
      );

  let request: ActivityRequest;
  if (kind === "export") {
    request = {
      kind,
      listId: single("listId") ?? "",
      fileType: (single("fileType") ?? "CSV") as ExportFileType,
      columns: valuesOf("columns").flatMap(splitColumns),
      sortBy: (single("sortBy") ?? "EMAIL_ADDRESS") as ExportSortOrder,
      exportOptDate: parseBoolean("exportOptDate", single("exportOptDate")),
      exportOptSource: parseBoolean("exportOptSource", single("exportOptSource")),
      exportListName: parseBoolean("exportListName", single("exportListName")),
    };
  } else if (kind === "clear") {
    request = { kind, lists: valuesOf("lists") };
  } else {
    let data = single("data");
    const uploads = files.filter((file) => file.field === DATA_FILE_FIELD);
    if (uploads.length > 1)
      throw new ActivityRequestError(
        `Repeated parameter "${DATA_FILE_FIELD}": expected one file, got ${uploads.length}`,
        DATA_FILE_FIELD,
      );
    let upload = uploads[0];
    // An HTML form sends every field: an empty textarea beside a chosen file, or an unchosen file
    // (filename "", no bytes) beside a filled textarea. The empty one is read as absent (ADR 0111).
    if (data === "" && upload !== undefined) data = undefined;
    if (data !== undefined && upload?.fileName === "" && upload.data.length === 0)
      upload = undefined;
    // `dataFile` only travels as a multipart file part (SPEC §2): as a text parameter it was
    // urlencoded by mistake, which "Missing parameter data" would not explain.
    if (data === undefined && upload === undefined && valuesOf(DATA_FILE_FIELD).length > 0)
      throw new ActivityRequestError(
        `Invalid parameter "${DATA_FILE_FIELD}": expected a file part of a multipart/form-data body; in an urlencoded body, send the contacts as "data"`,
        DATA_FILE_FIELD,
      );
    if (data === "" && upload === undefined)
      throw new ActivityRequestError(
        `Empty contact file in parameter "data": expected a header line naming the columns`,
        "data",
      );
    if (data !== undefined && upload !== undefined)
      throw new ActivityRequestError(
        `Conflicting parameters "data" and "${DATA_FILE_FIELD}": send the contacts in one of them`,
        "data",
      );
    const payload: ContactPayload =
      upload !== undefined
        ? {
            file: { fileName: upload.fileName, contentType: upload.contentType, data: upload.data },
          }
        : { data: data ?? "" };
    const lists = valuesOf("lists");
    request =
      kind === "add"
        ? { kind, activityType: activityType as AddRequestType, lists, ...payload }
        : { kind, lists, ...payload };
  }
  const error = checkActivityRequest(request).find((problem) => problem.severity === "error");
  if (error) throw new ActivityRequestError(error.message, error.parameter);
  if (request.kind === "export")
    request.columns = request.columns.map((column) => findContactColumn(column)!);
  return request;
}

/** Reads `columns=FIRST NAME,LAST NAME` as two columns (one seed table calls it comma-separated). */
function splitColumns(value: string): string[] {
  if (findContactColumn(value) !== undefined || !value.includes(",")) return [value];
  return value.split(",").filter((part) => part.trim() !== "");
}

function parseBoolean(parameter: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const lower = value.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new ActivityRequestError(
    `Invalid ${parameter} "${shown(value)}": expected true or false`,
    parameter,
  );
}

const LIST_URI_FORM = `${API_ID_ROOT}/{username}/lists/{id}`;

function checkListUri(uri: string, parameter: string, problems: RequestProblem[]): boolean {
  try {
    parseListUri(uri);
    return true;
  } catch {
    problems.push({
      severity: "error",
      message: `Invalid list URI "${shown(uri)}" in parameter "${parameter}": expected ${LIST_URI_FORM}`,
      parameter,
    });
    return false;
  }
}

function checkLists(
  request: { lists?: readonly string[] },
  problems: RequestProblem[],
  kind: "add" | "remove" | "clear",
): void {
  const lists = Array.isArray(request.lists) ? (request.lists as readonly string[]) : [];
  if (lists.length === 0) {
    problems.push({
      severity: "error",
      message: 'Missing parameter "lists": expected one or more list URIs',
      parameter: "lists",
    });
    return;
  }
  const seen = new Set<string>();
  for (const list of lists) {
    if (seen.has(list))
      problems.push({
        severity: "warning",
        message: `Repeated list "${shown(list)}" in parameter "lists": it counts once`,
        parameter: "lists",
      });
    seen.add(list);
    if (!checkListUri(list, "lists", problems)) continue;
    if (kind === "clear" && !isClearableList(list))
      problems.push({
        severity: "error",
        message: `List "${shown(list)}" cannot be cleared: the named lists (${UNCLEARABLE_LIST_NAMES.join(", ")}) cannot be cleared`,
        parameter: "lists",
      });
    const { listId, system } = parseListUri(list);
    // Only numbered lists hold members that adds and removes change (ADR 0032, ADR 0120).
    if (kind !== "clear" && system)
      problems.push({
        severity: "error",
        message: `Invalid list "${shown(list)}" for ${kind === "add" ? "an add" : "a remove"}: "${listId}" is a system list; contacts are added to or removed from numbered lists, not system lists`,
        parameter: "lists",
      });
  }
}

function checkPayload(
  request: { data?: unknown; file?: unknown },
  problems: RequestProblem[],
): void {
  const hasData = typeof request.data === "string" && request.data.trim() !== "";
  const hasFile = request.file !== undefined && request.file !== null;
  if (hasData && hasFile)
    problems.push({
      severity: "error",
      message: `Conflicting parameters "data" and "${DATA_FILE_FIELD}": send the contacts in one of them`,
      parameter: "data",
    });
  else if (!hasData && !hasFile)
    problems.push({
      severity: "error",
      message: `Missing parameter "data": expected the contacts as "data" or as the file "${DATA_FILE_FIELD}"`,
      parameter: "data",
    });
}

function checkForeign(
  request: object,
  kind: ActivityRequest["kind"],
  problems: RequestProblem[],
): void {
  const own: Record<ActivityRequest["kind"], readonly string[]> = {
    add: ["kind", "activityType", "data", "file", "lists"],
    remove: ["kind", "data", "file", "lists"],
    clear: ["kind", "lists"],
    export: [
      "kind",
      "listId",
      "fileType",
      "columns",
      "sortBy",
      "exportOptDate",
      "exportOptSource",
      "exportListName",
    ],
  };
  for (const [key, value] of Object.entries(request))
    if (value !== undefined && !own[kind].includes(key))
      problems.push({
        severity: "error",
        message: `Unexpected parameter "${shown(key)}" for ${requestedType({ kind } as ActivityRequest)}: expected only ${own[kind].filter((name) => name !== "kind").join(", ")}`,
        parameter: key,
      });
}

function checkExport(request: ExportContactsRequest, problems: RequestProblem[]): void {
  if (typeof request.listId !== "string" || request.listId === "")
    problems.push({
      severity: "error",
      message: 'Missing parameter "listId": expected the URI of the list to export',
      parameter: "listId",
    });
  else checkListUri(request.listId, "listId", problems);
  if (!(EXPORT_FILE_TYPES as readonly string[]).includes(request.fileType))
    problems.push({
      severity: "error",
      message: `Invalid fileType "${shown(String(request.fileType))}": expected CSV or TXT`,
      parameter: "fileType",
    });
  const sortBy = request.sortBy ?? "EMAIL_ADDRESS";
  if (!(EXPORT_SORT_ORDERS as readonly string[]).includes(sortBy))
    problems.push({
      severity: "error",
      message: `Invalid sortBy "${shown(String(sortBy))}": expected EMAIL_ADDRESS or DATE_DESC`,
      parameter: "sortBy",
    });
  for (const option of ["exportOptDate", "exportOptSource", "exportListName"] as const) {
    const value: unknown = request[option];
    if (value !== undefined && typeof value !== "boolean")
      problems.push({
        severity: "error",
        message: `Invalid ${option} "${shown(String(value))}": expected true or false`,
        parameter: option,
      });
  }
  const columns = Array.isArray(request.columns) ? (request.columns as readonly string[]) : [];
  const seen = new Set<ContactColumn>();
  for (const name of columns) {
    const column = findContactColumn(name);
    if (column === undefined) {
      const option = findExportOptionColumn(name);
      const nearest = nearestContactColumn(name);
      const hint =
        option !== undefined
          ? `it is an export option: set ${option === "LIST NAME" ? "exportListName" : option === "ADD/REMOVE DATE" ? "exportOptDate" : "exportOptSource"} instead`
          : nearest !== undefined
            ? `did you mean "${nearest}"?`
            : "expected a contact column such as FIRST NAME or CUSTOM FIELD 1";
      problems.push({
        severity: "error",
        message: `Unknown column "${shown(name)}" in parameter "columns": ${hint}`,
        parameter: "columns",
      });
    } else if (seen.has(column))
      problems.push({
        severity: "warning",
        message: `Repeated column "${column}" in parameter "columns": it is exported once`,
        parameter: "columns",
      });
    else seen.add(column);
  }
}

/** Every problem of a request; shared by {@linkcode parseActivityRequest} and the validator. */
function checkActivityRequest(request: ActivityRequest): RequestProblem[] {
  const problems: RequestProblem[] = [];
  const kind = (request as { kind?: unknown }).kind;
  switch (kind) {
    case "add": {
      const type = (request as { activityType?: unknown }).activityType;
      if (!(ADD_REQUEST_TYPES as readonly unknown[]).includes(type))
        problems.push({
          severity: "error",
          message: `Invalid activityType "${shown(String(type))}" for an add: expected ${ADD_REQUEST_TYPES.join(", ")}`,
          parameter: "activityType",
        });
      checkForeign(request, kind, problems);
      checkPayload(request as ContactPayload, problems);
      checkLists(request as { lists?: readonly string[] }, problems, "add");
      break;
    }
    case "remove":
      checkForeign(request, kind, problems);
      checkPayload(request as ContactPayload, problems);
      checkLists(request as { lists?: readonly string[] }, problems, "remove");
      break;
    case "clear":
      checkForeign(request, kind, problems);
      checkLists(request as { lists?: readonly string[] }, problems, "clear");
      break;
    case "export":
      checkForeign(request, kind, problems);
      checkExport(request as ExportContactsRequest, problems);
      break;
    default:
      problems.push({
        severity: "error",
        message: `Unknown request kind "${shown(String(kind))}": expected add, remove, clear or export`,
        parameter: "activityType",
      });
  }
  return problems;
}

/**
 * Checks a request before it is sent, as the server would: the activity type against the
 * parameters, the contacts given once (`data` or `dataFile`), at least one list, well-formed list
 * URIs, named lists not cleared, numbered lists only for adds and removes, and for an export the list, `fileType`, `sortBy` and known
 * columns. The contact file's own content is checked by `validateHeader` and `validateContactRow`.
 *
 * @param request The request (typed, or built by JavaScript code that the compiler did not see).
 * @returns Errors (the server answers 400) and warnings (repeated lists or columns); empty when
 *   the request is good. Each carries the `parameter` at fault.
 *
 * @example Clearing a named list
 * ```ts
 * import { validateActivityRequest } from "@ctct-bulk/core";
 * const [problem] = validateActivityRequest({
 *   kind: "clear",
 *   lists: ["http://api.constantcontact.com/ws/customers/joesflowers/lists/do-not-mail"],
 * });
 * problem?.severity; // "error"
 * problem?.parameter; // "lists"
 * ```
 */
export function validateActivityRequest(request: ActivityRequest): Diagnostic[] {
  return checkActivityRequest(request);
}
