import {
  CONTACT_COLUMNS,
  findContactColumn,
  isValidEmailAddress,
  nearestContactColumn,
} from "@ctct-bulk/core";
import { ownString } from "./_strings.ts";
import type { FakeAccount, FakeContactSeed, FakeListSeed } from "./accounts.ts";

/** Who did an add or remove through the API, as an export's `ADDED/REMOVED BY` shows it. */
export const API_SOURCE = "Site Owner";

/** A contact's status, which decides the system list it is on. */
export type ContactStatus = "active" | "removed" | "do-not-mail";

/** The system lists, whose members follow from the contacts' statuses. */
export type SystemListId = "active" | "do-not-mail" | "removed";

/** One contact's place on a numbered list (never mutated: records are shared). */
export interface MembershipRecord {
  /** When it was added, ms since the epoch. */
  addedAt: number;
  /** Who added it (`"Site Owner"` for the API, or a seed's source). */
  source: string;
  /** The activity that added it, if any. */
  activityId?: string;
}

/** A stored contact. */
export interface ContactRecord {
  /** The contact's number in its account (its URI ends in `/contacts/{id}`). */
  id: number;
  /** The address as first received. */
  email: string;
  /** The other columns, by canonical name; an empty value in an upload does not erase one. */
  fields: Record<string, string>;
  status: ContactStatus;
  /** When the status last changed (the date a system list's export shows). */
  statusChangedAt: number;
  /** Who changed it. */
  statusSource: string;
  /** How many numbered lists the contact is on. */
  listCount: number;
}

/** A numbered list. */
export interface ListRecord {
  id: string;
  name: string;
  shortName: string;
  optInDefault: boolean;
  displayOnSignup: boolean;
  sortOrder: number;
  updated: number;
  /** Members by lower-cased email. */
  members: Map<string, MembershipRecord>;
}

/** One row of a list's members, as the inspection API and an export see it. */
export interface ListMember {
  /** The contact's number. */
  contactId: number;
  email: string;
  fields: Readonly<Record<string, string>>;
  /** When the contact was added to the list (or, on a system list, got its status). */
  date: number;
  /** Who did it. */
  source: string;
  activityId?: string;
}

/** The display names of the system lists, as the real lists feed spells them. */
export const SYSTEM_LIST_NAMES: Readonly<Record<SystemListId, string>> = {
  active: "Active",
  "do-not-mail": "Do Not Mail",
  removed: "Removed",
};

/** Whether a list id names a system list. */
export function isSystemListId(listId: string): listId is SystemListId {
  return listId === "active" || listId === "do-not-mail" || listId === "removed";
}

/**
 * Everything one account holds: its lists, contacts and (kept by the job engine) activities.
 * Contacts are keyed by lower-cased email; list membership lives on the lists (a map per list),
 * which keeps a million contacts affordable.
 */
export class AccountState<Activity = unknown> {
  readonly account: FakeAccount;
  readonly lists: Map<string, ListRecord> = new Map();
  readonly contacts: Map<string, ContactRecord> = new Map();
  /** Activities in creation order (the feed shows them newest first). */
  readonly activities: Activity[] = [];
  readonly activitiesById: Map<string, Activity> = new Map();
  #nextContactId = 1;

  /**
   * @param account The account's credentials.
   */
  constructor(account: FakeAccount) {
    this.account = { ...account };
  }

  /**
   * Creates or renames a numbered list.
   *
   * @param seed The list.
   * @param now The server's time.
   * @returns The stored list.
   */
  putList(seed: FakeListSeed, now: number): ListRecord {
    if (!Number.isInteger(seed.id) || seed.id < 1)
      throw new RangeError(`Invalid list id "${seed.id}": expected a positive integer`);
    if (typeof seed.name !== "string" || seed.name.trim() === "")
      throw new TypeError(`Invalid list name for list "${seed.id}": expected a non-empty text`);
    const id = String(seed.id);
    const existing = this.lists.get(id);
    const list: ListRecord = {
      id,
      name: seed.name,
      shortName: seed.shortName ?? seed.name,
      optInDefault: seed.optInDefault ?? false,
      displayOnSignup: seed.displayOnSignup ?? true,
      sortOrder: seed.sortOrder ?? seed.id,
      updated: now,
      members: existing?.members ?? new Map(),
    };
    this.lists.set(id, list);
    return list;
  }

  /**
   * Stores a seeded contact.
   *
   * @param seed The contact.
   * @param now The server's time (the default add date).
   */
  putContact(seed: FakeContactSeed, now: number): void {
    const { email, fields } = checkContactSeed(seed);
    const at = seed.addedAt === undefined ? now : Date.parse(seed.addedAt);
    if (Number.isNaN(at))
      throw new TypeError(
        `Invalid addedAt "${seed.addedAt}" for contact "${email}": expected an ISO 8601 date`,
      );
    const source = seed.source ?? API_SOURCE;
    for (const listId of seed.lists ?? []) {
      if (!this.lists.has(String(listId)))
        throw new RangeError(
          `Unknown list "${listId}" for contact "${email}" in account "${this.account.username}"`,
        );
    }
    const contact = this.upsertContact(email, fields, at, source);
    const membership: MembershipRecord = { addedAt: at, source };
    for (const listId of seed.lists ?? []) this.addMembership(contact, String(listId), membership);
    const status = seed.status ?? (contact.listCount > 0 ? "active" : "removed");
    if (status !== contact.status) {
      contact.status = status;
      contact.statusChangedAt = at;
      contact.statusSource = source;
    }
  }

  /**
   * Creates a contact or updates its fields (non-empty values only).
   *
   * @param email The address.
   * @param fields Columns by canonical name.
   * @param at The server's time.
   * @param source Who did it.
   * @returns The stored contact.
   */
  upsertContact(
    email: string,
    fields: Readonly<Record<string, string>>,
    at: number,
    source: string,
  ): ContactRecord {
    const names = Object.keys(fields);
    return this.upsertContactFields(
      email,
      names,
      names.map((name) => fields[name]!),
      at,
      source,
    );
  }

  /**
   * Creates a contact or updates its fields from parallel arrays (a contact file's columns and a
   * row's values; non-empty values only). Contacts read from one file get their fields in the
   * same order, so they share one object shape.
   *
   * @param email The address.
   * @param names Canonical column names.
   * @param values The values, by position.
   * @param at The server's time.
   * @param source Who did it.
   * @returns The stored contact.
   */
  upsertContactFields(
    email: string,
    names: readonly string[],
    values: readonly string[],
    at: number,
    source: string,
  ): ContactRecord {
    const key = ownString(email.toLowerCase());
    let contact = this.contacts.get(key);
    if (contact === undefined) {
      contact = {
        id: this.#nextContactId++,
        email: key === email ? key : ownString(email),
        fields: {},
        status: "removed",
        statusChangedAt: at,
        statusSource: source,
        listCount: 0,
      };
      this.contacts.set(key, contact);
    }
    const target = contact.fields;
    for (let index = 0; index < names.length; index++) {
      const value = values[index];
      if (value !== undefined && value !== "") target[names[index]!] = ownString(value);
    }
    return contact;
  }

  /**
   * Puts a contact on a numbered list (a contact already on it keeps its first add date). A
   * removed contact becomes active again; a do-not-mail contact stays off every list.
   *
   * @param contact The stored contact.
   * @param listId The list.
   * @param membership When, by whom, by which activity: one record may be shared by every
   *   contact an activity adds (they are never mutated), which keeps big lists cheap.
   * @returns Whether the contact is on the list afterwards.
   */
  addMembership(contact: ContactRecord, listId: string, membership: MembershipRecord): boolean {
    if (contact.status === "do-not-mail") return false;
    const list = this.lists.get(listId);
    if (list === undefined) throw new RangeError(`Unknown list "${listId}"`);
    const key = contact.email.toLowerCase();
    if (list.members.has(key)) return true;
    list.members.set(key, membership);
    contact.listCount++;
    if (contact.status === "removed") {
      contact.status = "active";
      contact.statusChangedAt = membership.addedAt;
      contact.statusSource = membership.source;
    }
    return true;
  }

  /**
   * Takes a contact off a numbered list; a contact left on no list becomes `removed` (it then
   * shows on the `removed` system list, with this date and source).
   *
   * @returns Whether the contact was on the list.
   */
  removeMembership(email: string, listId: string, at: number, source: string): boolean {
    const key = email.toLowerCase();
    const contact = this.contacts.get(key);
    const list = this.lists.get(listId);
    if (contact === undefined || list === undefined || !list.members.delete(key)) return false;
    contact.listCount--;
    if (contact.listCount === 0 && contact.status === "active") {
      contact.status = "removed";
      contact.statusChangedAt = at;
      contact.statusSource = source;
    }
    return true;
  }

  /**
   * Takes every contact off a numbered list.
   *
   * @returns How many contacts were on it.
   */
  clearList(listId: string, at: number, source: string): number {
    const list = this.lists.get(listId);
    if (list === undefined) return 0;
    const emails = [...list.members.keys()];
    for (const key of emails) this.removeMembership(key, listId, at, source);
    return emails.length;
  }

  /**
   * The members of a numbered or system list.
   *
   * @param listId A list number (as text) or a system list's id.
   * @returns The members, in no particular order, or `undefined` for an unknown list.
   */
  members(listId: string): ListMember[] | undefined {
    if (isSystemListId(listId)) {
      const members: ListMember[] = [];
      for (const contact of this.contacts.values()) {
        if (contact.status !== listId) continue;
        members.push({
          contactId: contact.id,
          email: contact.email,
          fields: contact.fields,
          date: contact.statusChangedAt,
          source: contact.statusSource,
        });
      }
      return members;
    }
    const list = this.lists.get(listId);
    if (list === undefined) return undefined;
    const members: ListMember[] = [];
    for (const [key, membership] of list.members) {
      const contact = this.contacts.get(key)!;
      const member: ListMember = {
        contactId: contact.id,
        email: contact.email,
        fields: contact.fields,
        date: membership.addedAt,
        source: membership.source,
      };
      if (membership.activityId !== undefined) member.activityId = membership.activityId;
      members.push(member);
    }
    return members;
  }

  /**
   * The display name of a numbered or system list.
   *
   * @returns The name, or `undefined` for an unknown list.
   */
  listName(listId: string): string | undefined {
    if (isSystemListId(listId)) return SYSTEM_LIST_NAMES[listId];
    return this.lists.get(listId)?.name;
  }

  /** Whether a numbered or system list exists. */
  hasList(listId: string): boolean {
    return isSystemListId(listId) || this.lists.has(listId);
  }
}

const CONTACT_STATUSES: readonly ContactStatus[] = ["active", "removed", "do-not-mail"];

/**
 * Checks a seeded contact as the API would have let it in: a valid email address, known columns
 * (any case, given back by their canonical names), text values, a known status and a list array.
 * A seed is test data, but a contact the real server could never hold would make tests lie.
 */
function checkContactSeed(seed: FakeContactSeed): {
  email: string;
  fields: Record<string, string>;
} {
  if (typeof seed !== "object" || seed === null)
    throw new TypeError(
      `Invalid contact seed: expected an object with an "email", got ${describeValue(seed)}`,
    );
  const email = typeof seed.email === "string" ? seed.email.trim() : seed.email;
  if (typeof email !== "string" || !isValidEmailAddress(email))
    throw new TypeError(
      `Invalid email address ${JSON.stringify(seed.email) ?? "undefined"} for a seeded contact: expected one "@", a local part and a domain with a dot`,
    );
  if (seed.status !== undefined && !CONTACT_STATUSES.includes(seed.status))
    throw new TypeError(
      `Invalid status "${String(seed.status)}" for contact "${email}": expected active, removed or do-not-mail`,
    );
  if (seed.lists !== undefined && !Array.isArray(seed.lists))
    throw new TypeError(
      `Invalid lists for contact "${email}": expected an array of list numbers, got ${describeValue(seed.lists)}`,
    );
  const fields: Record<string, string> = {};
  if (seed.fields !== undefined) {
    if (typeof seed.fields !== "object" || seed.fields === null || Array.isArray(seed.fields))
      throw new TypeError(
        `Invalid fields for contact "${email}": expected an object of column names and texts, got ${describeValue(seed.fields)}`,
      );
    for (const [name, value] of Object.entries(seed.fields)) {
      const column = findContactColumn(name);
      if (column === undefined || column === "EMAIL ADDRESS") {
        const nearest = column ?? nearestContactColumn(name);
        throw new TypeError(
          `Unknown column "${name}" for contact "${email}": ${
            column === "EMAIL ADDRESS"
              ? 'the address goes in "email"'
              : nearest === undefined
                ? `expected one of ${CONTACT_COLUMNS.slice(1).join(", ")}`
                : `did you mean "${nearest}"?`
          }`,
        );
      }
      if (typeof value !== "string")
        throw new TypeError(
          `Invalid value of "${column}" for contact "${email}": expected a text, got ${describeValue(value)}`,
        );
      fields[column] = value;
    }
  }
  return { email, fields };
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
