import { readFeedInfo, readSource, writeFeedInfo, writeSource, writeTitle } from "./_xml-atom.ts";
import {
  attribute,
  findLink,
  linkHref,
  optionalText,
  readCount,
  readDateTime,
  readLinks,
  readXmlDocument,
  repeatedElements,
  requiredElement,
  requiredText,
  type XmlNode,
  type XmlParseOptions,
} from "./_xml-reader.ts";
import {
  ATOM_NAMESPACE,
  CTCT_CONTENT_TYPE,
  CTCT_NAMESPACE,
  escapeAttribute,
  pathOf,
  XML_DECLARATION,
  XmlLines,
} from "./_xml-writer.ts";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  type ActivityStatus,
  type ActivityType,
} from "./activity.ts";
import type { AtomFeedInfo, AtomSource } from "./xml-atom.ts";
import { XmlError } from "./xml-error.ts";

/**
 * One rejected line of an activity's contact file, from the activity's `Errors`. Which fields are
 * there depends on the shape the server used: a list of `<Error>` elements has all three; a
 * `Line 355: Invalid email` string has `line` and `message`.
 */
export interface ActivityLineError {
  /** The line in the file the request sent, the header being line 1 (`<LineNumber>`). */
  line?: number | undefined;
  /** The rejected address (`<EmailAddress>`). */
  email?: string | undefined;
  /** Why the line was rejected (`<Message>`), e.g. `Unknown US/Canadian state/prov "Test2"`. */
  message: string;
}

/**
 * An activity (a background job) as the API reports it: an entry of `GET /activities`, or
 * `GET /activities/{id}`. Dates are ISO 8601 strings in UTC (`2008-06-25T15:48:01.615Z`).
 */
export interface Activity {
  /** The activity's URI, its identifier: `http://api.constantcontact.com/ws/customers/{username}/activities/{id}`. */
  uri: string;
  /** The activity id, the URI's last segment (`a07e1ffaxjxffmvj6qd`). */
  id: string;
  /** What the job does (`<Type>`). */
  type: ActivityType;
  /** Where the job is (`<Status>`); `COMPLETE` and `ERROR` are final. */
  status: ActivityStatus;
  /** `<FileName>`: for a completed export, the URI of the exported file; often empty. */
  fileName: string;
  /** `<TransactionCount>`: for a completed job, the number of addresses processed (0 when absent). */
  transactionCount: number;
  /** The rejected lines, in the order given (empty when the server gave only a count). */
  errors: ActivityLineError[];
  /** How many lines were rejected: the count the server gave, or the number of `errors`. */
  errorCount: number;
  /** `<InsertTime>`: when the activity was created. */
  insertTime?: string | undefined;
  /** `<RunStartTime>`: when the job started to run. */
  runStartTime?: string | undefined;
  /** `<RunFinishTime>`: when the job finished. */
  runFinishTime?: string | undefined;
  /** The entry's Atom `<updated>`. */
  updated?: string | undefined;
  /** The entry's Atom `<title>`, when not empty (an export's names its type and list). */
  title?: string | undefined;
  /** `<link rel="edit">`: the activity's path (`/ws/customers/{username}/activities/{id}`). */
  editLink?: string | undefined;
  /** `<link rel="edit-media">`: a completed export's file. */
  editMediaLink?: string | undefined;
}

/** An activity fetched alone (`GET /activities/{id}`), with the `<source>` naming its feed. */
export interface ActivityEntry extends Activity {
  /** What the activities feed says about itself. */
  source?: AtomSource | undefined;
}

/** A page of `GET /activities`: the feed's metadata and its entries, newest first. */
export interface ActivityFeed extends AtomFeedInfo {
  /** The activities on this page. */
  entries: Activity[];
}

/** The minimal entry of a `201 Created` answer to `POST /activities`. */
export interface MinimalEntry {
  /** The new activity's URI (the entry's `<id>`). */
  uri: string;
  /** The new activity's id. */
  id: string;
  /** `<link rel="edit">`: the activity's path, to poll. */
  editLink: string;
  /** `<updated>`: when the activity was created. */
  updated: string;
}

/**
 * How a renderer writes an activity's `Errors` (clients in the wild met all three, SPEC §3):
 * `"elements"` (the seed's list of `<Error>` with `LineNumber`, `EmailAddress`, `Message`),
 * `"count"` (`<Errors>5</Errors>`) or `"lines"` (`<Error>Line 355: Invalid email</Error>`).
 */
export type ActivityErrorsShape = "elements" | "count" | "lines";

/** Options of {@linkcode renderActivityEntry} and {@linkcode renderActivityFeed}. */
export interface RenderActivityOptions {
  /** How to write `Errors`; default `"elements"`, as the seed. */
  errorsShape?: ActivityErrorsShape;
}

/** Options of {@linkcode renderActivityEntry}. */
export interface RenderActivityEntryOptions extends RenderActivityOptions {
  /** The `<source>` to write after the content (default: the activity's own `source`, if any). */
  source?: AtomSource | undefined;
}

const STATUSES: ReadonlySet<string> = new Set(ACTIVITY_STATUSES);
const TYPES: ReadonlySet<string> = new Set(ACTIVITY_TYPES);
const ERROR_LINE = /^\s*Line\s+(\d{1,15})\s*:/i;
const ACTIVITY_URI = /\/activities\/([^/?#\s]+)\/?$/;

/** The activity id at the end of an activity URI or path. */
function activityIdOf(uri: string, element: string, context: string): string {
  const match = ACTIVITY_URI.exec(uri);
  if (match === null)
    throw new XmlError(
      `Expected an activity URI (…/activities/{id}) in ${element} in ${context}: got "${uri}"`,
      { element },
    );
  return match[1]!;
}

function readType(activity: XmlNode, context: string): ActivityType {
  const raw = requiredText(activity, "Type", context);
  if (TYPES.has(raw)) return raw as ActivityType; // as the API writes it: no copies made
  const type = raw.trim().toUpperCase();
  if (TYPES.has(type)) return type as ActivityType;
  if (type === "SV_ADD") return "ADD_CONTACTS"; // the API's own alias (`ADD_CONTACTS (which=SV_ADD)`)
  throw new XmlError(
    `Unknown activity type "${raw.trim()}" in <Type> in ${context}: expected one of ${ACTIVITY_TYPES.join(", ")}`,
    { element: "Type" },
  );
}

function readStatus(activity: XmlNode, context: string): ActivityStatus {
  const raw = requiredText(activity, "Status", context);
  if (STATUSES.has(raw)) return raw as ActivityStatus;
  const status = raw.trim().toUpperCase();
  if (STATUSES.has(status)) return status as ActivityStatus;
  throw new XmlError(
    `Unknown activity status "${raw.trim()}" in <Status> in ${context}: expected one of ${ACTIVITY_STATUSES.join(", ")}`,
    { element: "Status" },
  );
}

/** `Line 355: Invalid email` → line 355, message `Invalid email`; other text is all message. */
function readErrorString(text: string): ActivityLineError {
  const match = ERROR_LINE.exec(text);
  if (match !== null)
    return {
      line: Number(match[1]),
      email: undefined,
      message: text.slice(match[0].length).trim(),
    };
  return { line: undefined, email: undefined, message: text.trim() };
}

function readErrorElement(value: unknown, context: string): ActivityLineError {
  if (typeof value === "string") return readErrorString(value);
  const error = value as XmlNode;
  const lineNumber = optionalText(error, "LineNumber", context);
  const email = optionalText(error, "EmailAddress", context);
  const message = optionalText(error, "Message", context);
  if (lineNumber === undefined && email === undefined && message === undefined) {
    const text = error["#text"];
    return readErrorString(typeof text === "string" ? text : "");
  }
  return {
    line: readCount(lineNumber, "LineNumber", context),
    email,
    message: message ?? "",
  };
}

/** Reads text inside `<Errors>`: a count, or one `Line N: message` string a line. */
function readErrorsText(text: string, errors: ActivityLineError[], context: string): number {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  if (/^\d+$/.test(trimmed)) return readCount(trimmed, "Errors", context)!;
  for (const line of trimmed.split(/\r?\n/))
    if (line.trim() !== "") errors.push(readErrorString(line));
  return 0;
}

function readActivityContent(entry: XmlNode, context: string): Activity {
  const content = requiredElement(entry, "content", context);
  const activity = requiredElement(content, "Activity", `<content> of ${context}`);
  const activityContext = `<Activity> of ${context}`;
  const uri = (attribute(activity, "@_id") ?? optionalText(entry, "id", context) ?? "").trim();
  if (uri === "")
    throw new XmlError(`Expected the activity's URI in the id of ${activityContext}: got none`, {
      element: "Activity",
    });
  const errors: ActivityLineError[] = [];
  let count = 0;
  for (const value of repeatedElements(activity, "Errors")) {
    if (typeof value === "string") {
      count += readErrorsText(value, errors, activityContext);
      continue;
    }
    const node = value as XmlNode;
    const elements = repeatedElements(node, "Error");
    for (const error of elements) errors.push(readErrorElement(error, `<Errors> of ${context}`));
    const text = node["#text"];
    if (elements.length === 0 && typeof text === "string")
      count += readErrorsText(text, errors, activityContext);
  }
  // The seed's field table also lists a bare `Error` (a string) directly in the Activity.
  for (const error of repeatedElements(activity, "Error"))
    errors.push(readErrorElement(error, activityContext));
  const title = optionalText(entry, "title", context);
  return {
    uri,
    id: activityIdOf(uri, "the id of <Activity>", context),
    type: readType(activity, activityContext),
    status: readStatus(activity, activityContext),
    fileName: optionalText(activity, "FileName", activityContext) ?? "",
    transactionCount:
      readCount(
        optionalText(activity, "TransactionCount", activityContext),
        "TransactionCount",
        activityContext,
      ) ?? 0,
    errors,
    errorCount: count > 0 && errors.length === 0 ? count : errors.length,
    insertTime: readDateTime(
      optionalText(activity, "InsertTime", activityContext),
      "InsertTime",
      activityContext,
    ),
    runStartTime: readDateTime(
      optionalText(activity, "RunStartTime", activityContext),
      "RunStartTime",
      activityContext,
    ),
    runFinishTime: readDateTime(
      optionalText(activity, "RunFinishTime", activityContext),
      "RunFinishTime",
      activityContext,
    ),
    updated: readDateTime(optionalText(entry, "updated", context), "updated", context),
    title: title === "" ? undefined : title,
    editLink: findLink(entry, "edit"),
    editMediaLink: findLink(entry, "edit-media"),
  };
}

/**
 * Maps `GET /activities` (an Atom feed) to its metadata and activities.
 *
 * @param xml The response body, as text or as bytes (UTF-8 unless a BOM or its XML declaration
 *   says otherwise).
 * @param options `strict`: check every well-formedness rule of XML first ({@linkcode XmlParseOptions}).
 * @returns The feed: `id`, `title`, `author`, `updated`, the links (`nextLink` when there is a
 *   next page) and `entries`.
 * @throws {XmlEntityError} When the document declares a DOCTYPE or entities.
 * @throws {XmlError} When it is not well-formed or not an activities feed (the message names the
 *   element and the entry).
 *
 * @example The seed's feed
 * ```ts
 * import { parseActivityFeed } from "@ctct-bulk/core";
 * const feed = parseActivityFeed(`<feed xmlns="http://www.w3.org/2005/Atom">
 *   <id>http://api.constantcontact.com/ws/customers/joesflowers/activities</id>
 *   <title type="text">Bulk Activity</title>
 *   <author><name>joesflowers</name></author>
 *   <updated>2008-04-29T19:31:00.545Z</updated>
 *   <link href="/ws/customers/joesflowers/activities?next=abc" rel="next" />
 * </feed>`);
 * feed.author; // "joesflowers"
 * feed.nextLink; // "/ws/customers/joesflowers/activities?next=abc"
 * feed.entries; // []
 * ```
 */
export function parseActivityFeed(
  xml: string | Uint8Array,
  options?: XmlParseOptions,
): ActivityFeed {
  const feed = readXmlDocument(xml, "feed", "an Atom <feed>", options);
  const info = readFeedInfo(feed, "the feed");
  const entries: Activity[] = [];
  const elements = repeatedElements(feed, "entry");
  for (let index = 0; index < elements.length; index++) {
    const entry = elements[index];
    const context = `entry ${index + 1} of the feed`;
    // An `<entry>` with only text in it is parsed as a string: it has no `<content>`.
    const node = typeof entry === "object" && entry !== null ? (entry as XmlNode) : {};
    entries.push(readActivityContent(node, context));
  }
  return { ...info, entries };
}

/**
 * Maps `GET /activities/{id}` (an Atom entry) to the activity, with its `<source>`.
 *
 * @param xml The response body, as text or as bytes (UTF-8 unless a BOM or its XML declaration
 *   says otherwise).
 * @param options `strict`: check every well-formedness rule of XML first ({@linkcode XmlParseOptions}).
 * @returns The activity; `source` when the entry has one.
 * @throws {XmlEntityError} When the document declares a DOCTYPE or entities.
 * @throws {XmlError} When it is not well-formed or not an activity entry (an HTML error page
 *   gives `Expected an Atom <entry> element: got <html>`).
 *
 * @example A completed export
 * ```ts
 * import { parseActivityEntry } from "@ctct-bulk/core";
 * const activity = parseActivityEntry(`<entry xmlns="http://www.w3.org/2005/Atom">
 *   <id>http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1gpfcd3fhysynnp</id>
 *   <content type="application/vnd.ctct+xml">
 *     <Activity xmlns="http://ws.constantcontact.com/ns/1.0/" id="http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1gpfcd3fhysynnp">
 *       <Type>EXPORT_CONTACTS</Type><Status>COMPLETE</Status><Errors>2</Errors>
 *     </Activity>
 *   </content>
 *   <link href="http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1gpfcd3fhysynnp.csv" rel="edit-media" />
 * </entry>`);
 * activity.id; // "a07e1gpfcd3fhysynnp"
 * activity.errorCount; // 2
 * activity.editMediaLink; // "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1gpfcd3fhysynnp.csv"
 * ```
 */
export function parseActivityEntry(
  xml: string | Uint8Array,
  options?: XmlParseOptions,
): ActivityEntry {
  const entry = readXmlDocument(xml, "entry", "an Atom <entry>", options);
  const activity: ActivityEntry = readActivityContent(entry, "the entry");
  activity.source = readSource(entry, "the entry");
  return activity;
}

/**
 * Maps the minimal entry of a `201 Created` (the answer to `POST /activities`).
 *
 * @param xml The response body, as text or as bytes (UTF-8 unless a BOM or its XML declaration
 *   says otherwise).
 * @param options `strict`: check every well-formedness rule of XML first ({@linkcode XmlParseOptions}).
 * @returns The new activity's URI, id, edit link and creation time.
 * @throws {XmlEntityError} When the document declares a DOCTYPE or entities.
 * @throws {XmlError} When it is not well-formed, or lacks `<id>`, `<link rel="edit">` or
 *   `<updated>`.
 *
 * @example The seed's minimal entry
 * ```ts
 * import { parseMinimalEntry } from "@ctct-bulk/core";
 * const created = parseMinimalEntry(`<entry xmlns="http://www.w3.org/2005/Atom">
 *   <link href="/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz" rel="edit" />
 *   <id>http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz</id>
 *   <title type="text"></title>
 *   <updated>2008-04-29T19:35:54.923Z</updated>
 * </entry>`);
 * created.id; // "a07e1ffaxjyffmvqgiz"
 * created.editLink; // "/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz"
 * ```
 */
export function parseMinimalEntry(
  xml: string | Uint8Array,
  options?: XmlParseOptions,
): MinimalEntry {
  const entry = readXmlDocument(xml, "entry", "an Atom <entry>", options);
  const context = "the entry";
  const uri = requiredText(entry, "id", context).trim();
  const editLink = linkHref(readLinks(entry), "edit");
  if (editLink === undefined)
    throw new XmlError(`Expected <link rel="edit"> in ${context}: got none`, { element: "link" });
  const updated = readDateTime(optionalText(entry, "updated", context), "updated", context);
  if (updated === undefined)
    throw new XmlError(`Expected <updated> in ${context}: got none`, { element: "updated" });
  return { uri, id: activityIdOf(uri, "<id>", context), editLink, updated };
}

function writeErrorElements(lines: XmlLines, depth: number, errors: readonly ActivityLineError[]) {
  lines.line(depth, "<Errors>");
  for (const error of errors) {
    lines.line(depth + 1, "<Error>");
    if (error.line !== undefined) lines.element(depth + 2, "LineNumber", String(error.line));
    if (error.email !== undefined) lines.element(depth + 2, "EmailAddress", error.email);
    lines.element(depth + 2, "Message", error.message);
    lines.line(depth + 1, "</Error>");
  }
  lines.line(depth, "</Errors>");
}

function writeErrorLines(lines: XmlLines, depth: number, errors: readonly ActivityLineError[]) {
  lines.line(depth, "<Errors>");
  for (const error of errors) {
    const text = error.line === undefined ? error.message : `Line ${error.line}: ${error.message}`;
    lines.element(depth + 1, "Error", text);
  }
  lines.line(depth, "</Errors>");
}

function writeActivityEntry(
  lines: XmlLines,
  depth: number,
  activity: Activity,
  open: string,
  shape: ActivityErrorsShape,
  source: AtomSource | undefined,
): void {
  lines.line(depth, open);
  const inner = depth + 1;
  lines.link(inner, activity.editLink ?? pathOf(activity.uri), "edit");
  lines.element(inner, "id", activity.uri);
  writeTitle(lines, inner, activity.title ?? "");
  lines.element(inner, "updated", activity.updated ?? "");
  lines.line(inner, `<content type="${CTCT_CONTENT_TYPE}">`);
  const fields = inner + 2;
  lines.line(
    inner + 1,
    `<Activity xmlns="${CTCT_NAMESPACE}" id="${escapeAttribute(activity.uri)}">`,
  );
  lines.element(fields, "Type", activity.type);
  lines.element(fields, "Status", activity.status);
  // As in the seeds: a list of errors comes before FileName; an empty `<Errors>` (the export seed)
  // comes after TransactionCount.
  const { errors, errorCount } = activity;
  const asCount = shape === "count" || (errors.length === 0 && errorCount > 0);
  if (asCount && errorCount > 0) lines.element(fields, "Errors", String(errorCount));
  else if (errors.length > 0 && shape === "lines") writeErrorLines(lines, fields, errors);
  else if (errors.length > 0) writeErrorElements(lines, fields, errors);
  lines.element(fields, "FileName", activity.fileName);
  lines.element(fields, "TransactionCount", String(activity.transactionCount));
  if (errors.length === 0 && errorCount === 0) lines.element(fields, "Errors", "");
  if (activity.runStartTime !== undefined)
    lines.element(fields, "RunStartTime", activity.runStartTime);
  if (activity.runFinishTime !== undefined)
    lines.element(fields, "RunFinishTime", activity.runFinishTime);
  if (activity.insertTime !== undefined) lines.element(fields, "InsertTime", activity.insertTime);
  lines.line(inner + 1, "</Activity>");
  lines.line(inner, "</content>");
  if (activity.editMediaLink !== undefined) lines.link(inner, activity.editMediaLink, "edit-media");
  if (source !== undefined) writeSource(lines, inner, source);
  lines.line(depth, "</entry>");
}

/**
 * Writes an activity as `GET /activities/{id}` answers it (the fake server's answer): the seed's
 * element order, the `Activity` namespace, `<link rel="edit-media">` after the content of a
 * completed export, and the `<source>` last. Every text and attribute value is escaped.
 *
 * @param activity The activity (an {@linkcode ActivityEntry}'s own `source` is written too).
 * @param options `source`: the feed's metadata to write in `<source>`; `errorsShape`.
 * @returns The XML document (with its XML declaration, no line break at the end).
 *
 * @example A queued job, read back
 * ```ts
 * import { parseActivityEntry, renderActivityEntry } from "@ctct-bulk/core";
 * const xml = renderActivityEntry({
 *   uri: "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz",
 *   id: "a07e1ffaxjyffmvqgiz", type: "ADD_CONTACTS", status: "QUEUED", fileName: "",
 *   transactionCount: 0, errors: [], errorCount: 0, updated: "2008-04-29T19:35:54.923Z",
 * });
 * xml.includes('<link href="/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz" rel="edit" />'); // true
 * parseActivityEntry(xml).status; // "QUEUED"
 * ```
 */
export function renderActivityEntry(
  activity: ActivityEntry,
  options?: RenderActivityEntryOptions,
): string {
  const lines = new XmlLines();
  lines.line(0, XML_DECLARATION);
  writeActivityEntry(
    lines,
    0,
    activity,
    `<entry xmlns="${ATOM_NAMESPACE}">`,
    options?.errorsShape ?? "elements",
    options?.source ?? activity.source,
  );
  return lines.toString();
}

/**
 * Writes a page of `GET /activities` (the fake server's answer): the feed's metadata as the seed
 * has it (`<link href="" />`, `<link href="" rel="self" />`, author, updated), its paging links
 * (`next` on every page but the last, `first`/`current` on the last, as given), then the entries.
 *
 * @param feed The page.
 * @param options `errorsShape`: how to write each activity's `Errors`.
 * @returns The XML document (with its XML declaration, no line break at the end).
 *
 * @example A page with a next page
 * ```ts
 * import { parseActivityFeed, renderActivityFeed } from "@ctct-bulk/core";
 * const xml = renderActivityFeed({
 *   id: "http://api.constantcontact.com/ws/customers/joesflowers/activities",
 *   title: "Bulk Activity", author: "joesflowers", updated: "2008-04-29T19:31:00.545Z",
 *   nextLink: "/ws/customers/joesflowers/activities?next=a07e1ffaxjxffmvj6qd", entries: [],
 * });
 * xml.includes('rel="next"'); // true
 * parseActivityFeed(xml).nextLink; // "/ws/customers/joesflowers/activities?next=a07e1ffaxjxffmvj6qd"
 * ```
 */
export function renderActivityFeed(feed: ActivityFeed, options?: RenderActivityOptions): string {
  const shape = options?.errorsShape ?? "elements";
  const lines = new XmlLines();
  lines.line(0, XML_DECLARATION);
  lines.line(0, `<feed xmlns="${ATOM_NAMESPACE}">`);
  writeFeedInfo(lines, 1, feed);
  for (const activity of feed.entries)
    writeActivityEntry(lines, 1, activity, "<entry>", shape, undefined);
  lines.line(0, "</feed>");
  return lines.toString();
}

/**
 * The paging links of a page of `GET /activities`, as the API writes them (SPEC §1.2): an absolute
 * path with the next page's token, `/ws/customers/{username}/activities?next={token}`, on every page
 * but the last; `first` and `current` (the collection's path) on the last.
 *
 * @param username The account's username.
 * @param nextToken The token of the next page; `undefined` on the last page.
 * @returns The links, to spread into an {@linkcode ActivityFeed}.
 *
 * @example A middle page and the last page
 * ```ts
 * import { activityFeedPageLinks } from "@ctct-bulk/core";
 * activityFeedPageLinks("joesflowers", "a07e1ffaxjxffmvj6qd"); // { nextLink: "/ws/customers/joesflowers/activities?next=a07e1ffaxjxffmvj6qd" }
 * activityFeedPageLinks("joesflowers"); // { firstLink: "/ws/customers/joesflowers/activities", currentLink: "/ws/customers/joesflowers/activities" }
 * ```
 */
export function activityFeedPageLinks(
  username: string,
  nextToken?: string,
): Pick<AtomFeedInfo, "firstLink" | "currentLink" | "nextLink"> {
  const path = `/ws/customers/${username}/activities`;
  if (nextToken !== undefined) return { nextLink: `${path}?next=${encodeURIComponent(nextToken)}` };
  return { firstLink: path, currentLink: path };
}

/**
 * Writes the minimal entry of a `201 Created` (the fake server's answer to `POST /activities`).
 *
 * @param entry The new activity's URI, id, edit link and creation time.
 * @returns The XML document (with its XML declaration, no line break at the end).
 *
 * @example Read back
 * ```ts
 * import { parseMinimalEntry, renderMinimalEntry } from "@ctct-bulk/core";
 * const xml = renderMinimalEntry({
 *   uri: "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz",
 *   id: "a07e1ffaxjyffmvqgiz",
 *   editLink: "/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz",
 *   updated: "2008-04-29T19:35:54.923Z",
 * });
 * parseMinimalEntry(xml).id; // "a07e1ffaxjyffmvqgiz"
 * ```
 */
export function renderMinimalEntry(entry: MinimalEntry): string {
  const lines = new XmlLines();
  lines.line(0, XML_DECLARATION);
  lines.line(0, `<entry xmlns="${ATOM_NAMESPACE}">`);
  lines.link(1, entry.editLink, "edit");
  lines.element(1, "id", entry.uri);
  writeTitle(lines, 1, "");
  lines.element(1, "updated", entry.updated);
  lines.line(0, "</entry>");
  return lines.toString();
}
