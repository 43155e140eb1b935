import {
  type ActivityRequest,
  type AddContactsRequest,
  activityUri,
  type ContactColumn,
  ContactFileError,
  type ContactRow,
  DATA_FILE_FIELD,
  type DecodedMultipartFile,
  decideAddType,
  decodeFormBody,
  decodeMultipartBody,
  FORM_URLENCODED_CONTENT_TYPE,
  type FormParams,
  findContactColumn,
  isClearableList,
  listUri,
  openContactFile,
  parseActivityRequest,
  parseListUri,
  type RemoveContactsRequest,
  renderMinimalEntry,
  UNCLEARABLE_LIST_NAMES,
  validateActivityRequest,
  validateHeader,
} from "@ctct-bulk/core";
import type { Context } from "hono";
import { textError, xmlResponse } from "./_responses.ts";
import type { ActivityWork, ContactFileWork, FakeActivity } from "./activity-work.ts";
import type { ApiSettings, FakeEnv } from "./api-routes.ts";
import { logValue } from "./requests-log.ts";
import type { ServerState } from "./server-state.ts";
import { isSpreadsheet, spreadsheetToCsv } from "./spreadsheet.ts";
import type { AccountState } from "./state.ts";

const URLENCODED = FORM_URLENCODED_CONTENT_TYPE;
const MULTIPART = "multipart/form-data";
/** No request body is read past 4× the data limit and 64 KiB: room for any honest request. */
const BODY_LIMIT_FACTOR = 4;
const BODY_LIMIT_SLACK = 65_536;

/** A refusal: the status and the plain-text reason. */
class Refusal extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const DATA_NAME = [0x64, 0x61, 0x74, 0x61]; // "data"

/**
 * The encoded size of the `data` parameter(s) of a form-urlencoded body, counted on the raw
 * bytes (the limit is on the data as sent, before decoding).
 */
export function encodedDataBytes(body: Uint8Array): number {
  let total = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf(AMPERSAND, start);
    if (end < 0) end = body.length;
    const isData =
      end - start >= 5 &&
      DATA_NAME.every((byte, index) => body[start + index] === byte) &&
      body[start + 4] === EQUALS;
    if (isData) total += end - start - 5;
    start = end + 1;
  }
  return total;
}

function formatBytes(count: number): string {
  return count.toLocaleString("en-US");
}

/**
 * The body's bytes, or `undefined` as soon as more than `limit` have come: a body without a
 * `Content-Length` (chunked) is not read to its end, so a runaway upload cannot fill the memory.
 */
async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const pieces: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    pieces.push(value);
  }
  if (pieces.length === 1) return pieces[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    body.set(piece, offset);
    offset += piece.length;
  }
  return body;
}

function isKnownCharset(label: string): boolean {
  try {
    new TextDecoder(label.trim());
    return true;
  } catch {
    return false;
  }
}

interface DecodedRequest {
  params: FormParams;
  files: DecodedMultipartFile[];
}

async function decodeBody(c: Context<FakeEnv>, settings: ApiSettings): Promise<DecodedRequest> {
  const record = c.get("record");
  const contentType = c.req.header("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (mediaType !== URLENCODED && mediaType !== MULTIPART)
    throw new Refusal(
      415,
      `Unsupported content type "${contentType}": expected ${URLENCODED} or ${MULTIPART}`,
    );
  // A compressed body is refused rather than read as text (RFC 9110 §15.5.16: 415, with the
  // codings taken in Accept-Encoding); ADR 0112.
  const coding = (c.req.header("content-encoding") ?? "").trim().toLowerCase();
  if (coding !== "" && coding !== "identity")
    throw new Refusal(
      415,
      `Unsupported content encoding "${c.req.header("content-encoding")}": send the body uncompressed`,
      { "accept-encoding": "identity" },
    );
  // A declared charset is honoured for urlencoded bodies (an HTML form in ISO-8859-1 escapes é as
  // %E9); one the platform does not know is refused before the body is read (ADR 0112).
  const charset = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const declaredCharset = charset === null ? undefined : (charset[1] ?? charset[2] ?? "");
  if (mediaType === URLENCODED && declaredCharset !== undefined && !isKnownCharset(declaredCharset))
    throw new Refusal(
      415,
      `Unsupported charset "${declaredCharset}" in content type "${contentType}": expected UTF-8 or another charset such as ISO-8859-1`,
    );
  const bodyLimit = settings.maxDataBytes * BODY_LIMIT_FACTOR + BODY_LIMIT_SLACK;
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > bodyLimit)
    throw new Refusal(
      413,
      `Request too large: ${formatBytes(declared)} bytes, over the limit of ${formatBytes(bodyLimit)}`,
    );
  const body = await readBody(c.req.raw, bodyLimit);
  if (body === undefined)
    throw new Refusal(413, `Request too large: over the limit of ${formatBytes(bodyLimit)} bytes`);
  record.bodyBytes = body.length;
  let decoded: DecodedRequest;
  try {
    if (mediaType === URLENCODED) {
      const dataBytes = encodedDataBytes(body);
      record.dataBytes = dataBytes;
      if (dataBytes > settings.maxDataBytes)
        throw new Refusal(
          413,
          `Too much data: the encoded data is ${formatBytes(dataBytes)} bytes, over the limit of ${formatBytes(settings.maxDataBytes)}; split it into batches`,
        );
      decoded = { params: decodeFormBody(body, { charset: declaredCharset }), files: [] };
    } else {
      // `dataFile` is the file even without a filename (curl -F 'dataFile=<f' sends none): ADR 0111.
      const multipart = await decodeMultipartBody(body, contentType, {
        fileFields: [DATA_FILE_FIELD],
      });
      decoded = { params: multipart.params, files: multipart.files };
      const file = multipart.files.find((part) => part.field === DATA_FILE_FIELD);
      if (file !== undefined) {
        record.dataBytes = file.data.length;
        record.files = multipart.files.map((part) => ({
          field: part.field,
          fileName: part.fileName,
          contentType: part.contentType,
          bytes: part.data.length,
        }));
        if (file.data.length > settings.maxDataBytes)
          throw new Refusal(
            413,
            `Too much data: the file${file.fileName === "" ? "" : ` "${file.fileName}"`} is ${formatBytes(file.data.length)} bytes, over the limit of ${formatBytes(settings.maxDataBytes)}; split it into batches`,
          );
      }
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal(400, (error as Error).message);
  }
  record.params = decoded.params.map(([name, value]) => [name, logValue(value)]);
  return decoded;
}

/** Checks that every list URI names a list of this account; returns the list ids. */
function resolveLists(account: AccountState<FakeActivity>, uris: readonly string[]): string[] {
  const username = account.account.username;
  return uris.map((uri) => {
    let parsed: ReturnType<typeof parseListUri>;
    try {
      parsed = parseListUri(uri);
    } catch (error) {
      throw new Refusal(400, (error as Error).message);
    }
    if (parsed.username.toLowerCase() !== username.toLowerCase() || !account.hasList(parsed.listId))
      throw new Refusal(
        400,
        `Unknown list "${uri}": no such list in account "${username}" (e.g. ${listUri(username, 1)})`,
      );
    return parsed.listId;
  });
}

async function readContactFile(
  request: AddContactsRequest | RemoveContactsRequest,
): Promise<ContactFileWork & { fileName: string }> {
  const activityType = request.kind === "add" ? request.activityType : "REMOVE_CONTACTS_FROM_LISTS";
  let source: string | Uint8Array;
  let fileName = "";
  if (request.file !== undefined) {
    const file = request.file;
    const data = typeof file.data === "string" ? new TextEncoder().encode(file.data) : file.data;
    fileName = file.fileName;
    try {
      source = isSpreadsheet({ fileName, contentType: file.contentType ?? "", data })
        ? spreadsheetToCsv(data, fileName)
        : data;
    } catch (error) {
      throw new Refusal(400, (error as Error).message);
    }
  } else {
    source = request.data;
  }
  let table: Awaited<ReturnType<typeof openContactFile>>;
  try {
    table = await openContactFile(source, {
      ...(fileName === "" ? {} : { fileName }),
      extraFields: "keep",
    });
  } catch (error) {
    throw new Refusal(400, (error as Error).message);
  }
  const headerErrors = validateHeader(table.header, { activityType }).filter(
    (diagnostic) => diagnostic.severity === "error",
  );
  if (headerErrors.length > 0)
    throw new Refusal(400, headerErrors.map((diagnostic) => diagnostic.message).join("\n"));
  const rows: ContactRow[] = [];
  const work: ContactFileWork & { fileName: string } = { header: table.header, rows, fileName };
  try {
    for await (const row of table.rows) rows.push(row);
  } catch (error) {
    if (!ContactFileError.isInstance(error)) throw error;
    work.fileError = { line: error.line, message: error.message };
  }
  return work;
}

/**
 * Answers `POST /activities`: decodes the body with core (either form encoding), checks the
 * request (415, 413, 400 with a plain-text reason), reads the contact file, stores the activity
 * and hands it to the job engine; answers 201 with `Location` and the minimal entry.
 *
 * @param c The request's context.
 * @param state The server state.
 * @param settings The size limit.
 * @returns The response.
 */
export async function createActivity(
  c: Context<FakeEnv>,
  state: ServerState<ActivityWork>,
  settings: ApiSettings,
): Promise<Response> {
  try {
    return await createActivityOrRefuse(c, state, settings);
  } catch (error) {
    if (error instanceof Refusal) return textError(error.status, error.message, error.headers);
    throw error;
  }
}

async function createActivityOrRefuse(
  c: Context<FakeEnv>,
  state: ServerState<ActivityWork>,
  settings: ApiSettings,
): Promise<Response> {
  const account = c.get("account");
  const decoded = await decodeBody(c, settings);
  let request: ActivityRequest;
  try {
    request = parseActivityRequest(decoded.params, { files: decoded.files });
  } catch (error) {
    throw new Refusal(400, (error as Error).message);
  }
  const problems = validateActivityRequest(request).filter(
    (diagnostic) => diagnostic.severity === "error",
  );
  if (problems.length > 0)
    throw new Refusal(400, problems.map((diagnostic) => diagnostic.message).join("\n"));

  let work: ActivityWork;
  let type: FakeActivity["type"];
  let fileName = "";
  let listIds: string[];
  switch (request.kind) {
    case "add":
    case "remove": {
      listIds = resolveLists(account, request.lists);
      const numbered = listIds.filter((id) => /^\d+$/.test(id));
      if (numbered.length !== listIds.length)
        throw new Refusal(
          400,
          `Invalid lists: contacts are added to or removed from numbered lists, not system lists (${listIds
            .filter((id) => !/^\d+$/.test(id))
            .map((id) => `"${id}"`)
            .join(", ")})`,
        );
      const file = await readContactFile(request);
      fileName = file.fileName;
      const { fileName: _, ...contactFile } = file;
      work = { kind: request.kind, listIds, ...contactFile };
      type =
        request.kind === "add"
          ? decideAddType(
              file.header.columns.filter((column): column is ContactColumn => column !== undefined),
            )
          : "REMOVE_CONTACTS_FROM_LISTS";
      break;
    }
    case "clear": {
      listIds = resolveLists(account, request.lists);
      // Core refused the system lists already; the named ones are known here by their names.
      const named = request.lists.find(
        (uri, index) => !isClearableList(uri, account.listName(listIds[index]!)),
      );
      if (named !== undefined)
        throw new Refusal(
          400,
          `List "${named}" cannot be cleared: the named lists (${UNCLEARABLE_LIST_NAMES.join(", ")}) cannot be cleared`,
        );
      work = { kind: "clear", listIds };
      type = "CLEAR_CONTACTS_FROM_LISTS";
      break;
    }
    case "export": {
      listIds = resolveLists(account, [request.listId]);
      work = {
        kind: "export",
        listId: listIds[0]!,
        fileType: request.fileType,
        columns: request.columns
          .map((name) => findContactColumn(name))
          .filter((column): column is ContactColumn => column !== undefined),
        includeDate: request.exportOptDate ?? false,
        includeSource: request.exportOptSource ?? false,
        includeListName: request.exportListName ?? false,
        sortBy: request.sortBy ?? "EMAIL_ADDRESS",
      };
      type = "EXPORT_CONTACTS";
      break;
    }
  }

  const now = state.now();
  const id = state.newActivityId(account);
  const { username } = account.account;
  const activity: FakeActivity = {
    id,
    username,
    type,
    status: "PENDING",
    listIds,
    insertTime: now,
    updated: now,
    fileName,
    transactionCount: 0,
    errors: [],
    work,
    failJob: c.get("failJob"),
  };
  account.activities.push(activity);
  account.activitiesById.set(id, activity);
  c.get("record").activityId = id;
  state.engine.submit(activity);

  const path = `/ws/customers/${username}/activities/${id}`;
  const origin = new URL(c.req.url).origin;
  return xmlResponse(
    renderMinimalEntry({
      uri: activityUri(username, id),
      id,
      editLink: path,
      updated: new Date(now).toISOString(),
    }),
    "application/atom+xml",
    201,
    { location: `${origin}${path}` },
  );
}
