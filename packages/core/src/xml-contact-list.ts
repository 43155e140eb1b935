import {
  readFeedInfo,
  readSource,
  writeAuthor,
  writeFeedInfo,
  writeSource,
  writeTitle,
} from "./_xml-atom.ts";
import {
  attribute,
  linkHref,
  optionalText,
  readBoolean,
  readCount,
  readDateTime,
  readLinks,
  readXmlDocument,
  repeatedElements,
  requiredElement,
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
import type { AtomFeedInfo, AtomSource } from "./xml-atom.ts";
import { XmlError } from "./xml-error.ts";

/**
 * A contact list, as `GET /lists` and `GET /lists/{id}` describe it. The system lists (`active`,
 * `do-not-mail`, `removed`) carry only a name.
 */
export interface ContactList {
  /** The list's URI, its identifier: `http://api.constantcontact.com/ws/customers/{username}/lists/{id}`. */
  uri: string;
  /** The URI's last segment: a number, or a system list's name (`do-not-mail`). */
  id: string;
  /** `<Name>`. */
  name: string;
  /** `<ShortName>` (the name when absent). */
  shortName: string;
  /** `<OptInDefault>`. */
  optInDefault?: boolean | undefined;
  /** `<DisplayOnSignup>` (`Yes`/`No`). */
  displayOnSignup?: boolean | undefined;
  /** `<SortOrder>`. */
  sortOrder?: number | undefined;
  /** `<ContactCount>`. */
  contactCount?: number | undefined;
  /** Whether this is one of the system lists `active`, `do-not-mail`, `removed`. */
  system: boolean;
  /** The entry's Atom `<updated>`. */
  updated?: string | undefined;
  /** `<link rel="edit">`: the list's path (`/ws/customers/{username}/lists/{id}`). */
  editLink?: string | undefined;
}

/** A list fetched alone (`GET /lists/{id}`), with the `<source>` naming the lists feed. */
export interface ContactListEntry extends ContactList {
  /** What the lists feed says about itself. */
  source?: AtomSource | undefined;
}

/** A page of `GET /lists`: the system lists first, then the numbered lists. */
export interface ContactListFeed extends AtomFeedInfo {
  /** The lists on this page. */
  entries: ContactList[];
}

/** A member of a list, as `GET /lists/{id}/members` describes it. */
export interface ContactListMember {
  /** The contact's URI (`http://api.constantcontact.com/ws/customers/{username}/contacts/{id}`). */
  uri: string;
  /** The contact id, the URI's last segment. */
  id: string;
  /** `<EmailAddress>`. */
  email: string;
  /** `<Name>` (`Last, First` as recorded; may be empty). */
  name: string;
  /** The entry's Atom `<updated>`. */
  updated?: string | undefined;
  /** `<link rel="edit">`: the membership's path (`/ws/customers/{username}/lists/{id}/members/{contact}`). */
  editLink?: string | undefined;
}

/** A page of `GET /lists/{id}/members`. */
export interface ContactListMembersFeed extends AtomFeedInfo {
  /** The members on this page. */
  entries: ContactListMember[];
}

const SYSTEM_LIST_IDS: ReadonlySet<string> = new Set(["active", "do-not-mail", "removed"]);
/** Every entry of the recorded lists and members feeds has this author. */
const LIST_AUTHOR = "Constant Contact";

function lastSegment(uri: string, element: string, context: string): string {
  const match = /\/([^/?#\s]+)\/?$/.exec(uri);
  if (match === null)
    throw new XmlError(`Expected a URI in ${element} in ${context}: got "${uri}"`, { element });
  return match[1]!;
}

function entryUri(entry: XmlNode, content: XmlNode, what: string, context: string): string {
  const uri = (attribute(content, "@_id") ?? optionalText(entry, "id", context) ?? "").trim();
  if (uri === "")
    throw new XmlError(`Expected the URI in the id of <${what}> in ${context}: got none`, {
      element: what,
    });
  return uri;
}

function readContactList(entry: XmlNode, context: string): ContactList {
  const content = requiredElement(entry, "content", context);
  const list = requiredElement(content, "ContactList", `<content> of ${context}`);
  const listContext = `<ContactList> of ${context}`;
  const uri = entryUri(entry, list, "ContactList", context);
  const id = lastSegment(uri, "the id of <ContactList>", context);
  const name = optionalText(list, "Name", listContext) ?? optionalText(entry, "title", context);
  if (name === undefined)
    throw new XmlError(`Expected <Name> in ${listContext}: got none`, { element: "Name" });
  return {
    uri,
    id,
    name,
    shortName: optionalText(list, "ShortName", listContext) ?? name,
    optInDefault: readBoolean(
      optionalText(list, "OptInDefault", listContext),
      "OptInDefault",
      listContext,
    ),
    displayOnSignup: readBoolean(
      optionalText(list, "DisplayOnSignup", listContext),
      "DisplayOnSignup",
      listContext,
    ),
    sortOrder: readCount(optionalText(list, "SortOrder", listContext), "SortOrder", listContext),
    contactCount: readCount(
      optionalText(list, "ContactCount", listContext),
      "ContactCount",
      listContext,
    ),
    system: SYSTEM_LIST_IDS.has(id.toLowerCase()),
    updated: readDateTime(optionalText(entry, "updated", context), "updated", context),
    editLink: linkHref(readLinks(entry), "edit"),
  };
}

function readMember(entry: XmlNode, context: string): ContactListMember {
  const content = requiredElement(entry, "content", context);
  const member = requiredElement(content, "ContactListMember", `<content> of ${context}`);
  const memberContext = `<ContactListMember> of ${context}`;
  const uri = entryUri(entry, member, "ContactListMember", context);
  const email = optionalText(member, "EmailAddress", memberContext);
  if (email === undefined)
    throw new XmlError(`Expected <EmailAddress> in ${memberContext}: got none`, {
      element: "EmailAddress",
    });
  return {
    uri,
    id: lastSegment(uri, "the id of <ContactListMember>", context),
    email,
    name: optionalText(member, "Name", memberContext) ?? "",
    updated: readDateTime(optionalText(entry, "updated", context), "updated", context),
    editLink: linkHref(readLinks(entry), "edit"),
  };
}

function readEntries<T>(feed: XmlNode, read: (entry: XmlNode, context: string) => T): T[] {
  const entries: T[] = [];
  const elements = repeatedElements(feed, "entry");
  for (let index = 0; index < elements.length; index++) {
    const entry = elements[index];
    // An `<entry>` with only text in it is parsed as a string: it has no `<content>`.
    const node = typeof entry === "object" && entry !== null ? (entry as XmlNode) : {};
    entries.push(read(node, `entry ${index + 1} of the feed`));
  }
  return entries;
}

/**
 * Maps `GET /lists` (an Atom feed) to its metadata and lists.
 *
 * @param xml The response body, as text or as bytes (UTF-8 unless a BOM or its XML declaration
 *   says otherwise).
 * @param options `strict`: check every well-formedness rule of XML first ({@linkcode XmlParseOptions}).
 * @returns The feed; `entries` are the lists, system lists first as the API orders them.
 * @throws {XmlEntityError} When the document declares a DOCTYPE or entities.
 * @throws {XmlError} When it is not well-formed or not a lists feed.
 *
 * @example A system list and a numbered list
 * ```ts
 * import { parseContactListFeed } from "@ctct-bulk/core";
 * const feed = parseContactListFeed(`<feed xmlns="http://www.w3.org/2005/Atom">
 *   <id>http://api.constantcontact.com/ws/customers/joesflowers/lists</id>
 *   <entry><content type="application/vnd.ctct+xml">
 *     <ContactList id="http://api.constantcontact.com/ws/customers/joesflowers/lists/active"><Name>Active</Name></ContactList>
 *   </content></entry>
 *   <entry><content type="application/vnd.ctct+xml">
 *     <ContactList id="http://api.constantcontact.com/ws/customers/joesflowers/lists/2"><Name>Clients</Name><SortOrder>2</SortOrder></ContactList>
 *   </content></entry>
 * </feed>`);
 * feed.entries.map((list) => [list.id, list.system]); // [["active", true], ["2", false]]
 * ```
 */
export function parseContactListFeed(
  xml: string | Uint8Array,
  options?: XmlParseOptions,
): ContactListFeed {
  const feed = readXmlDocument(xml, "feed", "an Atom <feed>", options);
  return { ...readFeedInfo(feed, "the feed"), entries: readEntries(feed, readContactList) };
}

/**
 * Maps `GET /lists/{id}` (an Atom entry) to the list, with its `<source>`.
 *
 * @param xml The response body, as text or as bytes (UTF-8 unless a BOM or its XML declaration
 *   says otherwise).
 * @param options `strict`: check every well-formedness rule of XML first ({@linkcode XmlParseOptions}).
 * @returns The list; its URI from `<ContactList id>` or, when absent (as recorded), the entry's `<id>`.
 * @throws {XmlEntityError} When the document declares a DOCTYPE or entities.
 * @throws {XmlError} When it is not well-formed or not a list entry.
 *
 * @example A recorded list entry
 * ```ts
 * import { parseContactListEntry } from "@ctct-bulk/core";
 * const list = parseContactListEntry(`<entry xmlns="http://www.w3.org/2005/Atom">
 *   <id>http://api.constantcontact.com/ws/customers/recordkick/lists/1</id>
 *   <content type="application/vnd.ctct+xml">
 *     <ContactList><OptInDefault>true</OptInDefault><Name>General Interest</Name><DisplayOnSignup>Yes</DisplayOnSignup></ContactList>
 *   </content>
 * </entry>`);
 * list.id; // "1"
 * list.displayOnSignup; // true
 * ```
 */
export function parseContactListEntry(
  xml: string | Uint8Array,
  options?: XmlParseOptions,
): ContactListEntry {
  const entry = readXmlDocument(xml, "entry", "an Atom <entry>", options);
  const list: ContactListEntry = readContactList(entry, "the entry");
  list.source = readSource(entry, "the entry");
  return list;
}

/**
 * Maps `GET /lists/{id}/members` (an Atom feed) to its metadata and members.
 *
 * @param xml The response body, as text or as bytes (UTF-8 unless a BOM or its XML declaration
 *   says otherwise).
 * @param options `strict`: check every well-formedness rule of XML first ({@linkcode XmlParseOptions}).
 * @returns The feed; `entries` are the members.
 * @throws {XmlEntityError} When the document declares a DOCTYPE or entities.
 * @throws {XmlError} When it is not well-formed or not a members feed.
 *
 * @example One member
 * ```ts
 * import { parseContactListMembersFeed } from "@ctct-bulk/core";
 * const feed = parseContactListMembersFeed(`<feed xmlns="http://www.w3.org/2005/Atom">
 *   <id>http://api.constantcontact.com/ws/customers/recordkick/lists/2/members</id>
 *   <entry><content type="application/vnd.ctct+xml">
 *     <ContactListMember id="http://api.constantcontact.com/ws/customers/recordkick/contacts/17">
 *       <EmailAddress>marian@brown.biz</EmailAddress><Name>O'Keefe, Lizeth</Name>
 *     </ContactListMember>
 *   </content></entry>
 * </feed>`);
 * feed.entries[0]?.email; // "marian@brown.biz"
 * ```
 */
export function parseContactListMembersFeed(
  xml: string | Uint8Array,
  options?: XmlParseOptions,
): ContactListMembersFeed {
  const feed = readXmlDocument(xml, "feed", "an Atom <feed>", options);
  return { ...readFeedInfo(feed, "the feed"), entries: readEntries(feed, readMember) };
}

function writeContactList(
  lines: XmlLines,
  depth: number,
  list: ContactList,
  open: string,
  source: AtomSource | undefined,
): void {
  lines.line(depth, open);
  const inner = depth + 1;
  lines.link(inner, list.editLink ?? pathOf(list.uri), "edit");
  lines.element(inner, "id", list.uri);
  writeTitle(lines, inner, list.name);
  lines.element(inner, "updated", list.updated ?? "");
  writeAuthor(lines, inner, LIST_AUTHOR);
  lines.line(inner, `<content type="${CTCT_CONTENT_TYPE}">`);
  lines.line(
    inner + 1,
    `<ContactList xmlns="${CTCT_NAMESPACE}" id="${escapeAttribute(list.uri)}">`,
  );
  const fields = inner + 2;
  // System lists carry only their names, as recorded.
  if (!list.system && list.optInDefault !== undefined)
    lines.element(fields, "OptInDefault", String(list.optInDefault));
  lines.element(fields, "Name", list.name);
  lines.element(fields, "ShortName", list.shortName);
  if (!list.system) {
    if (list.displayOnSignup !== undefined)
      lines.element(fields, "DisplayOnSignup", list.displayOnSignup ? "Yes" : "No");
    if (list.sortOrder !== undefined) lines.element(fields, "SortOrder", String(list.sortOrder));
    if (list.contactCount !== undefined)
      lines.element(fields, "ContactCount", String(list.contactCount));
    lines.line(fields, `<Members id="${escapeAttribute(`${list.uri}/members`)}"></Members>`);
  }
  lines.line(inner + 1, "</ContactList>");
  lines.line(inner, "</content>");
  if (source !== undefined) writeSource(lines, inner, source);
  lines.line(depth, "</entry>");
}

/**
 * Writes a page of `GET /lists` (the fake server's answer) exactly as the recorded feed is shaped:
 * metadata, paging links, then one entry a list (system lists with only `Name`/`ShortName`).
 *
 * @param feed The page.
 * @returns The XML document (with its XML declaration, no line break at the end).
 *
 * @example Read back
 * ```ts
 * import { parseContactListFeed, renderContactListFeed } from "@ctct-bulk/core";
 * const xml = renderContactListFeed({
 *   id: "http://api.constantcontact.com/ws/customers/joesflowers/lists", title: "Contact Lists",
 *   author: "joesflowers", updated: "2009-07-07T23:30:17.373Z", entries: [{
 *     uri: "http://api.constantcontact.com/ws/customers/joesflowers/lists/active", id: "active",
 *     name: "Active", shortName: "Active", system: true,
 *   }],
 * });
 * parseContactListFeed(xml).entries[0]?.system; // true
 * ```
 */
export function renderContactListFeed(feed: ContactListFeed): string {
  const lines = new XmlLines();
  lines.line(0, XML_DECLARATION);
  lines.line(0, `<feed xmlns="${ATOM_NAMESPACE}">`);
  writeFeedInfo(lines, 1, feed);
  for (const list of feed.entries) writeContactList(lines, 1, list, "<entry>", undefined);
  lines.line(0, "</feed>");
  return lines.toString();
}

/**
 * Writes `GET /lists/{id}` (the fake server's answer): the list's entry, with a `<source>`.
 *
 * @param list The list (a {@linkcode ContactListEntry}'s own `source` is written too).
 * @param options `source`: the lists feed's metadata, for `<source>`.
 * @returns The XML document (with its XML declaration, no line break at the end).
 *
 * @example Read back
 * ```ts
 * import { parseContactListEntry, renderContactListEntry } from "@ctct-bulk/core";
 * const xml = renderContactListEntry({
 *   uri: "http://api.constantcontact.com/ws/customers/joesflowers/lists/2", id: "2",
 *   name: "Clients", shortName: "Clients", optInDefault: false, system: false,
 * });
 * parseContactListEntry(xml).optInDefault; // false
 * ```
 */
export function renderContactListEntry(
  list: ContactListEntry,
  options?: { source?: AtomSource | undefined },
): string {
  const lines = new XmlLines();
  lines.line(0, XML_DECLARATION);
  writeContactList(
    lines,
    0,
    list,
    `<entry xmlns="${ATOM_NAMESPACE}">`,
    options?.source ?? list.source,
  );
  return lines.toString();
}

/**
 * Writes a page of `GET /lists/{id}/members` (the fake server's answer), shaped as recorded.
 *
 * @param feed The page.
 * @returns The XML document (with its XML declaration, no line break at the end).
 *
 * @example Read back
 * ```ts
 * import { parseContactListMembersFeed, renderContactListMembersFeed } from "@ctct-bulk/core";
 * const xml = renderContactListMembersFeed({
 *   id: "http://api.constantcontact.com/ws/customers/joesflowers/lists/2/members",
 *   title: "Contacts for Customer: joesflowers", author: "joesflowers", entries: [{
 *     uri: "http://api.constantcontact.com/ws/customers/joesflowers/contacts/51", id: "51",
 *     email: "a&b@example.com", name: "Test, Fred",
 *   }],
 * });
 * parseContactListMembersFeed(xml).entries[0]?.email; // "a&b@example.com"
 * ```
 */
export function renderContactListMembersFeed(feed: ContactListMembersFeed): string {
  const lines = new XmlLines();
  lines.line(0, XML_DECLARATION);
  lines.line(0, `<feed xmlns="${ATOM_NAMESPACE}">`);
  writeFeedInfo(lines, 1, feed);
  for (const member of feed.entries) {
    lines.line(1, "<entry>");
    lines.link(2, member.editLink ?? pathOf(member.uri), "edit");
    lines.element(2, "id", member.uri);
    writeTitle(lines, 2, `Contact: ${member.email}`);
    lines.element(2, "updated", member.updated ?? "");
    writeAuthor(lines, 2, LIST_AUTHOR);
    lines.line(2, `<content type="${CTCT_CONTENT_TYPE}">`);
    lines.line(
      3,
      `<ContactListMember xmlns="${CTCT_NAMESPACE}" id="${escapeAttribute(member.uri)}">`,
    );
    lines.element(4, "EmailAddress", member.email);
    lines.element(4, "Name", member.name);
    lines.line(3, "</ContactListMember>");
    lines.line(2, "</content>");
    lines.line(1, "</entry>");
  }
  lines.line(0, "</feed>");
  return lines.toString();
}
