/**
 * Reading a push's body: JSON (`action`, `lists`, `contacts` as objects) or CSV (a contact file,
 * with the action and lists as query parameters). The partner's field mapping turns payload
 * fields into contact columns; every row is checked the way the API checks it (core's
 * `validateContactRow`), and every problem is reported at once, by field and line.
 *
 * @module
 */
import {
  CONTACT_COLUMNS,
  type ContactColumn,
  ContactFileError,
  type ContactHeader,
  findContactColumn,
  listUri,
  nearestContactColumn,
  openContactFile,
  parseListUri,
  validateContactRow,
} from "@ctct-bulk/core";
import { z } from "zod";
import type { PartnerConfig } from "./config.ts";
import type { PushAction, PushContacts } from "./store.ts";

/** One problem of a payload: the field (`contacts[2].email`, `lists[0]`, `action`) and/or line. */
export interface PayloadIssue {
  field?: string;
  line?: number;
  message: string;
}

/** A payload read and checked, not yet authorized. */
export interface ParsedPush {
  action: PushAction;
  account: string;
  /** The list URIs, sorted, without duplicates. */
  lists: string[];
  contacts: PushContacts;
}

/** The outcome of {@linkcode parsePushPayload}. */
export type PayloadResult =
  | { ok: true; push: ParsedPush }
  | { ok: false; status: 400 | 403 | 415; message: string; issues: PayloadIssue[] };

/** @internal A JSON push as its schema accepts it. */
export interface JsonPush {
  action: "add" | "remove" | "clear";
  account?: string | undefined;
  lists: string[];
  contacts?: Record<string, string | number | boolean | null>[] | undefined;
}

/** @internal The schema of a JSON push (exported for its tests). */
export const jsonSchema: z.ZodType<JsonPush> = z.strictObject({
  action: z.enum(["add", "remove", "clear"]),
  account: z.string().min(1).optional(),
  lists: z.array(z.string().min(1)).min(1, "Missing lists: give at least one list"),
  contacts: z
    .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])))
    .optional(),
});

type RawContact = Record<string, string | number | boolean | null>;

const ACTIONS = new Set(["add", "remove", "clear"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether `jsonSchema` would accept a parsed body as it is, checked by hand: true only for the
 * shapes the schema passes unchanged, so that a valid push (nearly all of them) skips zod, which
 * cost more than the rest of the parsing (pushes benchmark; ADR 0090). Anything else, valid or
 * not, goes through zod, which words the issues.
 *
 * @internal Exported for its tests.
 * @param input A parsed JSON body.
 * @returns Whether the schema accepts it unchanged.
 */
export function isPlainJsonPush(input: unknown): input is JsonPush {
  if (!isPlainObject(input)) return false;
  for (const key in input) {
    if (key !== "action" && key !== "account" && key !== "lists" && key !== "contacts") {
      return false;
    }
  }
  const { action, account, lists, contacts } = input;
  if (typeof action !== "string" || !ACTIONS.has(action)) return false;
  if ("account" in input && (typeof account !== "string" || account.length === 0)) return false;
  if (!Array.isArray(lists) || lists.length === 0) return false;
  for (const list of lists) if (typeof list !== "string" || list.length === 0) return false;
  if (!("contacts" in input)) return true;
  if (!Array.isArray(contacts)) return false;
  for (const contact of contacts) {
    if (!isPlainObject(contact) || Object.hasOwn(contact, "__proto__")) return false;
    for (const key in contact) {
      const value = contact[key];
      if (
        value !== null &&
        typeof value !== "string" &&
        typeof value !== "number" &&
        typeof value !== "boolean"
      ) {
        return false;
      }
    }
  }
  return true;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}

/** Where a payload field goes, for one partner. */
function columnOf(partner: PartnerConfig, field: string): ContactColumn | undefined {
  if (partner.fieldMapping) return partner.fieldMapping.get(field);
  return findContactColumn(field);
}

/**
 * Why a JSON key is refused, and the column it was likely meant for. JSON keys are the partner's
 * mapped fields (or, without a mapping, the columns), so only those are suggested: the nearest
 * mapped field by spelling, else a field mapped to the column nearest the key.
 */
function unknownField(
  partner: PartnerConfig,
  field: string,
): { message: string; meant: ContactColumn | undefined } {
  const mapping = partner.fieldMapping;
  if (mapping) {
    const suggested =
      nearestName(field, [...mapping.keys()]) ??
      [...mapping].find(([, column]) => column === nearestContactColumn(field))?.[0];
    if (suggested !== undefined)
      return {
        meant: mapping.get(suggested),
        message: `Unknown field "${field}": did you mean "${suggested}"?`,
      };
    return {
      meant: undefined,
      message: `Unknown field "${field}": expected one of ${[...mapping.keys()].map((k) => `"${k}"`).join(", ")}`,
    };
  }
  const nearest = nearestContactColumn(field);
  return {
    meant: nearest,
    message: `Unknown field "${field}": expected a contact column${nearest ? ` (did you mean "${nearest}"?)` : ""}`,
  };
}

/**
 * The name among `names` nearest `wanted` (case aside), when it is a likely typo: at most a third
 * of the longer name's edits, and always 2 (core's rule for columns, whose distance it does not
 * export). Mapped field names are few and short, so the quadratic distance costs nothing.
 */
function nearestName(wanted: string, names: readonly string[]): string | undefined {
  const a = wanted.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const b = name.toLowerCase();
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++)
        current[j] = Math.min(
          previous[j]! + 1,
          current[j - 1]! + 1,
          previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
      previous = current;
    }
    const distance = previous[b.length]!;
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= Math.max(2, Math.floor(Math.max(a.length, best.length) / 3))
    ? best
    : undefined;
}

/** What a contact without an email is told: the partner's field for it, else the column. */
function missingEmailMessage(partner: PartnerConfig): string {
  const fields = [...(partner.fieldMapping ?? [])]
    .filter(([, column]) => column === "EMAIL ADDRESS")
    .map(([field]) => `"${field}"`);
  return fields.length > 0
    ? `Missing field ${fields.join(" or ")}`
    : 'Missing column "EMAIL ADDRESS"';
}

/**
 * Why a CSV header name is refused (it is neither a mapped field nor a column): the nearest
 * column, with the partner's fields mapped to it, or else the names it could have used.
 */
function unknownHeaderName(
  partner: PartnerConfig,
  name: string,
): { message: string; meant: ContactColumn | undefined } {
  const meant = nearestContactColumn(name);
  if (meant) {
    const names: string[] = [];
    for (const [field, column] of partner.fieldMapping ?? [])
      if (column === meant) names.push(field);
    names.push(meant);
    const quoted = names.map((n) => `"${n}"`);
    const last = quoted.pop()!;
    const options = quoted.length > 0 ? `${quoted.join(", ")} or ${last}` : last;
    return { meant, message: `Unknown field "${name}": did you mean ${options}?` };
  }
  const expected = partner.fieldMapping
    ? `a mapped field (${[...partner.fieldMapping.keys()].map((k) => `"${k}"`).join(", ")}) or a contact column name`
    : "a contact column name";
  return { meant, message: `Unknown field "${name}": expected ${expected}` };
}

/** Resolves the lists to URIs of one account, naming each bad entry. */
function resolveLists(
  partner: PartnerConfig,
  entries: readonly string[],
  account: string | undefined,
  fieldOf: (index: number) => string,
  issues: PayloadIssue[],
): { account: string | undefined; lists: string[] } {
  const accounts = new Set<string>();
  const uris: string[] = [];
  const partnerAccounts = [...partner.lists.keys()];
  const implicitAccount =
    account ?? (partnerAccounts.length === 1 ? partnerAccounts[0] : undefined);
  entries.forEach((entry, index) => {
    try {
      if (entry.includes("/")) {
        const parsed = parseListUri(entry);
        accounts.add(parsed.username);
        uris.push(listUri(parsed.username, parsed.listId));
      } else if (implicitAccount === undefined) {
        issues.push({
          field: fieldOf(index),
          message: `Ambiguous list "${entry}": give "account" or the list's full URI`,
        });
      } else {
        accounts.add(implicitAccount);
        uris.push(listUri(implicitAccount, entry));
      }
    } catch (error) {
      issues.push({ field: fieldOf(index), message: (error as Error).message });
    }
  });
  if (account !== undefined) accounts.add(account);
  if (accounts.size > 1) {
    issues.push({
      field: "lists",
      message: `Lists of several accounts: ${[...accounts].map((a) => `"${a}"`).join(", ")}: send one push per account`,
    });
  }
  return { account: [...accounts][0], lists: [...new Set(uris)].sort() };
}

/**
 * Checks that the partner may touch the account and lists: `403` naming the first one it may not.
 *
 * @param partner The partner.
 * @param account The push's account.
 * @param lists The push's list URIs.
 * @returns `undefined` when allowed, else the message.
 */
function forbidden(
  partner: PartnerConfig,
  account: string,
  lists: readonly string[],
): string | undefined {
  const allowed = partner.lists.get(account);
  if (!allowed) return `Forbidden account "${account}": partner "${partner.id}" may not touch it`;
  for (const list of lists) {
    if (!allowed.has(list))
      return `Forbidden list "${list}": partner "${partner.id}" may not touch it`;
  }
  return undefined;
}

function orderColumns(columns: Iterable<ContactColumn>): ContactColumn[] {
  const set = new Set(columns);
  return CONTACT_COLUMNS.filter((c) => set.has(c));
}

function header(columns: ContactColumn[]): ContactHeader {
  return { names: [...columns], columns: [...columns], delimiter: ",", line: 1 };
}

function activityTypeOf(action: PushAction) {
  return action === "remove" ? ("REMOVE_CONTACTS_FROM_LISTS" as const) : ("ADD_CONTACTS" as const);
}

function finish(
  partner: PartnerConfig,
  action: PushAction,
  resolved: { account: string | undefined; lists: string[] },
  contacts: PushContacts,
  issues: PayloadIssue[],
): PayloadResult {
  if (issues.length > 0) {
    return { ok: false, status: 400, message: "Invalid push", issues };
  }
  if (resolved.account === undefined) {
    return {
      ok: false,
      status: 400,
      message: "Invalid push",
      issues: [{ field: "account", message: 'Missing account: give "account" or full list URIs' }],
    };
  }
  const refusal = forbidden(partner, resolved.account, resolved.lists);
  if (refusal) return { ok: false, status: 403, message: refusal, issues: [] };
  return { ok: true, push: { action, account: resolved.account, lists: resolved.lists, contacts } };
}

/**
 * Reads a JSON push: `{ action, account?, lists, contacts }`.
 *
 * @param partner The partner (its field mapping and allowed lists).
 * @param body The body's text.
 * @returns The push, or the status and every issue.
 *
 * @example Two contacts added to list 1
 * ```ts
 * import { parseJsonPush } from "@ctct-bulk/webhook";
 * // partner: from parseWebhookConfig(...).partners.get("shop")
 * // parseJsonPush(partner, '{"action":"add","lists":["1"],"contacts":[{"email":"a@example.com"}]}')
 * ```
 */
export function parseJsonPush(partner: PartnerConfig, body: string): PayloadResult {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch (error) {
    const where = /line \d+ column \d+|position \d+/.exec((error as Error).message);
    return {
      ok: false,
      status: 400,
      message: "Invalid push",
      issues: [{ message: `Invalid JSON${where ? `: at ${where[0]}` : ""}` }],
    };
  }
  const parsed = isPlainJsonPush(input)
    ? { success: true as const, data: input }
    : jsonSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      message: "Invalid push",
      issues: parsed.error.issues.map((issue) => ({
        field: formatPath(issue.path) || undefined,
        message: issue.message,
      })),
    };
  }
  const { action, account, lists, contacts = [] } = parsed.data;
  const issues: PayloadIssue[] = [];
  const resolved = resolveLists(partner, lists, account, (i) => `lists[${i}]`, issues);
  if (action === "clear" && contacts.length > 0) {
    issues.push({ field: "contacts", message: "Unexpected contacts: a clear takes none" });
  }
  if (action !== "clear" && contacts.length === 0) {
    issues.push({
      field: "contacts",
      message: `Missing contacts: an ${action} needs at least one`,
    });
  }
  return finish(
    partner,
    action,
    resolved,
    mapJsonContacts(partner, action, contacts, issues),
    issues,
  );
}

function mapJsonContacts(
  partner: PartnerConfig,
  action: PushAction,
  contacts: readonly RawContact[],
  issues: PayloadIssue[],
): PushContacts {
  const used = new Set<ContactColumn>();
  const mapped: Map<ContactColumn, { field: string; value: string }>[] = [];
  contacts.forEach((contact, index) => {
    const row = new Map<ContactColumn, { field: string; value: string }>();
    // an unknown key reported as meant for the email: "Missing" would contradict it (QA W4)
    let emailMisspelt = false;
    for (const [field, raw] of Object.entries(contact)) {
      const column = columnOf(partner, field);
      if (!column) {
        if (partner.unknownFields === "reject") {
          const unknown = unknownField(partner, field);
          if (unknown.meant === "EMAIL ADDRESS") emailMisspelt = true;
          issues.push({ field: `contacts[${index}].${field}`, message: unknown.message });
        }
        continue;
      }
      if (row.has(column)) {
        issues.push({
          field: `contacts[${index}].${field}`,
          message: `Duplicate column "${column}": also given as "${row.get(column)!.field}"`,
        });
        continue;
      }
      const value = raw === null ? "" : String(raw).trim();
      if (/[\r\n]/.test(value)) {
        issues.push({
          field: `contacts[${index}].${field}`,
          message: "Invalid value: line breaks are not allowed",
        });
      }
      row.set(column, { field, value });
      used.add(column);
    }
    if (!row.has("EMAIL ADDRESS") && !emailMisspelt) {
      issues.push({ field: `contacts[${index}]`, message: missingEmailMessage(partner) });
    }
    mapped.push(row);
  });
  used.add("EMAIL ADDRESS");
  const columns = action === "remove" ? (["EMAIL ADDRESS"] as ContactColumn[]) : orderColumns(used);
  const rows = mapped.map((row) => columns.map((c) => row.get(c)?.value ?? ""));
  const checkHeader = header(columns);
  rows.forEach((fields, index) => {
    if (!mapped[index]!.has("EMAIL ADDRESS")) return;
    for (const diagnostic of validateContactRow(
      checkHeader,
      { line: index + 1, fields },
      {
        activityType: activityTypeOf(action),
      },
    )) {
      if (diagnostic.severity !== "error") continue;
      const column = diagnostic.field as ContactColumn | undefined;
      const field = column ? mapped[index]!.get(column)?.field : undefined;
      issues.push({
        field: field ? `contacts[${index}].${field}` : `contacts[${index}]`,
        message: diagnostic.message,
      });
    }
  });
  return { columns, rows, sources: rows.map((_, i) => i + 1) };
}

/**
 * Reads a CSV push: a contact file whose header names the partner's mapped fields or the columns
 * (a name is looked up in the mapping first, then as a column in any case),
 * with `action`, `lists` (repeated or comma-separated) and `account` as query parameters.
 *
 * @param partner The partner (its field mapping and allowed lists).
 * @param body The body's bytes (UTF-8).
 * @param query The request's query parameters.
 * @returns The push, or the status and every issue (by line and field).
 *
 * @example A CSV body
 * ```ts
 * import { parseCsvPush } from "@ctct-bulk/webhook";
 * // await parseCsvPush(partner, bytes("email\na@example.com\n"), new URLSearchParams("action=add&lists=1"))
 * ```
 */
export async function parseCsvPush(
  partner: PartnerConfig,
  body: Uint8Array,
  query: URLSearchParams,
): Promise<PayloadResult> {
  const issues: PayloadIssue[] = [];
  const actionText = query.get("action");
  const action =
    actionText === "add" || actionText === "remove" || actionText === "clear"
      ? actionText
      : undefined;
  if (!action) {
    issues.push({
      field: "action",
      message:
        actionText === null
          ? 'Missing query parameter "action": expected add, remove or clear'
          : `Invalid action "${actionText}": expected add, remove or clear`,
    });
  }
  const listEntries = query
    .getAll("lists")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  if (listEntries.length === 0)
    issues.push({ field: "lists", message: 'Missing query parameter "lists"' });
  const resolved = resolveLists(
    partner,
    listEntries,
    query.get("account") ?? undefined,
    () => "lists",
    issues,
  );
  if (action === "clear") {
    if (body.length > 0 && new TextDecoder().decode(body).trim() !== "") {
      issues.push({ field: "body", message: "Unexpected contacts: a clear takes none" });
    }
    return finish(partner, "clear", resolved, { columns: [], rows: [], sources: [] }, issues);
  }
  const contacts: PushContacts = { columns: [], rows: [], sources: [] };
  try {
    // Rows with extra fields are yielded and reported here, line by line, so that one does not
    // stop the checks of the lines after it (QA W1: a 400 names every bad line).
    const table = await openContactFile(body, { fileName: "body", extraFields: "keep" });
    const expected = table.header.names.length;
    // whether an unknown name was reported as meant for the email: then "Missing column" would
    // contradict it (the header has the column, misspelt), so it is not said as well
    let emailMisspelt = false;
    const columns: (ContactColumn | undefined)[] = table.header.names.map((name, i) => {
      // a mapped field first, then the name as a column (core's lookup: any case and spacing)
      const column = partner.fieldMapping?.get(name) ?? table.header.columns[i];
      if (!column && partner.unknownFields === "reject") {
        const unknown = unknownHeaderName(partner, name);
        if (unknown.meant === "EMAIL ADDRESS") emailMisspelt = true;
        issues.push({ line: 1, field: name, message: unknown.message });
      }
      return column;
    });
    const seen = new Set<ContactColumn>();
    columns.forEach((column, i) => {
      if (!column) return;
      if (seen.has(column))
        issues.push({
          line: 1,
          field: table.header.names[i],
          message: `Duplicate column "${column}"`,
        });
      seen.add(column);
    });
    if (!seen.has("EMAIL ADDRESS") && !emailMisspelt)
      issues.push({ line: 1, message: 'Missing column "EMAIL ADDRESS"' });
    const kept = action === "remove" ? (["EMAIL ADDRESS"] as ContactColumn[]) : orderColumns(seen);
    const positions = kept.map((c) => columns.indexOf(c));
    const checkHeader = header(kept);
    for await (const row of table.rows) {
      const fields = positions.map((p) => (p < 0 ? "" : (row.fields[p] ?? "")));
      if (row.fields.length > expected) {
        issues.push({
          line: row.line,
          message: `Too many fields: expected ${expected} (as in the header), got ${row.fields.length}`,
        });
      } else if (seen.has("EMAIL ADDRESS")) {
        for (const diagnostic of validateContactRow(
          checkHeader,
          { line: row.line, fields },
          { activityType: activityTypeOf(action ?? "add") },
        )) {
          if (diagnostic.severity !== "error") continue;
          const issue: PayloadIssue = { line: row.line, message: diagnostic.message };
          if (diagnostic.field) issue.field = diagnostic.field;
          issues.push(issue);
        }
      }
      contacts.rows.push(fields);
      contacts.sources.push(row.line);
    }
    contacts.columns = kept;
  } catch (error) {
    if (error instanceof ContactFileError) {
      const issue: PayloadIssue = { line: error.line, message: error.message };
      if (error.field) issue.field = error.field;
      issues.push(issue);
    } else throw error;
  }
  if (contacts.rows.length === 0 && issues.length === 0) {
    issues.push({ field: "body", message: `Missing contacts: an ${action} needs at least one` });
  }
  if (!action) return { ok: false, status: 400, message: "Invalid push", issues };
  return finish(partner, action, resolved, contacts, issues);
}
