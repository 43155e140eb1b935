import {
  type ActivityStatus,
  type ActivityType,
  activityUri,
  listUri,
  parseListUri,
} from "@ctct-bulk/core";
import type { FakeAccountSeed, FakeContactSeed, FakeListSeed, FakeSeed } from "./accounts.ts";
import type { ActivityWork, FakeActivity } from "./activity-work.ts";
import type { ActiveFault, FaultRule } from "./faults.ts";
import type { ActivityLineErrorRecord } from "./jobs.ts";
import { timingsForDelay } from "./jobs.ts";
import type { RecordedRequest } from "./requests-log.ts";
import type { ServerState } from "./server-state.ts";
import { type AccountState, type ContactStatus, isSystemListId } from "./state.ts";

/** Which account a control call is about (default: the default account, `joesflowers`). */
export interface AccountOption {
  username?: string;
}

/** A list member as the control API shows it. */
export interface MemberSnapshot {
  email: string;
  fields: Record<string, string>;
  /** When the contact was added to the list (on a system list: when it got that status). */
  date: string;
  /** Who added it (`"Site Owner"` for the API). */
  source: string;
  /** The activity that added it, if any. */
  activityId?: string;
}

/** A numbered list as the control API shows it. */
export interface ListSnapshot {
  id: number;
  /** Its URI (`http://api.constantcontact.com/ws/customers/{username}/lists/{id}`). */
  uri: string;
  name: string;
  contactCount: number;
}

/** A contact as the control API shows it. */
export interface ContactSnapshot {
  email: string;
  fields: Record<string, string>;
  status: ContactStatus;
  /** The numbered lists it is on, as list ids (`"1"`, `"2"`, …), ascending. */
  lists: string[];
}

/** An activity as the control API shows it. */
export interface ActivitySnapshot {
  id: string;
  /** Its URI (the `http://api.constantcontact.com/…` identifier form). */
  uri: string;
  username: string;
  type: ActivityType;
  status: ActivityStatus;
  /** The lists it touches (list ids). */
  listIds: string[];
  insertTime: string;
  queuedTime?: string;
  runStartTime?: string;
  runFinishTime?: string;
  transactionCount: number;
  errors: ActivityLineErrorRecord[];
  fileName: string;
  /** Whether it is older than 14 days by the server clock (the API answers 404 for it). */
  expired: boolean;
}

/**
 * The typed inspection API of a fake server, for tests: seed accounts, lists and contacts, read
 * memberships and activities, list the requests received, move the clock and jobs, inject
 * faults, reset. Everything here is also reachable over HTTP under `/_fake/…`.
 *
 * @example Seeding, then reading a list
 * ```ts
 * import { createFakeServer } from "@ctct-bulk/fake-server";
 * const { control } = createFakeServer();
 * control.addContacts([{ email: "ann@example.com", fields: { "FIRST NAME": "Ann" }, lists: [2] }]);
 * control.members(2).map((member) => member.email); // ["ann@example.com"]
 * control.contact("ANN@example.com")?.lists; // ["2"]
 * ```
 */
export interface FakeControl {
  /** The usernames of the accounts. */
  accountNames(): string[];
  /** The account's numbered lists, by sort order, with how many contacts each holds. */
  lists(options?: AccountOption): ListSnapshot[];
  /** Applies a seed (accounts, lists, contacts). */
  seed(seed: FakeSeed): void;
  /** Creates an account (with the default lists unless it names its own). */
  addAccount(account: FakeAccountSeed): void;
  /** Creates or renames a numbered list. */
  addList(list: FakeListSeed, options?: AccountOption): void;
  /** Stores contacts. */
  addContacts(contacts: readonly FakeContactSeed[], options?: AccountOption): void;
  /**
   * The members of a list, sorted by email.
   *
   * @param list A list number, a system list id (`"active"`, `"do-not-mail"`, `"removed"`) or
   *   a list URI.
   */
  members(list: number | string, options?: AccountOption): MemberSnapshot[];
  /** One contact by email (any case). */
  contact(email: string, options?: AccountOption): ContactSnapshot | undefined;
  /** Every contact, sorted by email. */
  contacts(options?: AccountOption): ContactSnapshot[];
  /** The account's activities, newest first (expired ones too, marked). */
  activities(options?: AccountOption): ActivitySnapshot[];
  /** One activity by id or URI. */
  activity(idOrUri: string, options?: AccountOption): ActivitySnapshot | undefined;
  /** The file an export activity produced, once complete. */
  exportFile(idOrUri: string, options?: AccountOption): string | undefined;
  /** The requests received, oldest first (no credentials are ever recorded). */
  requests(): RecordedRequest[];
  /** Forgets the requests received. */
  clearRequests(): void;
  /** The server clock's time. */
  now(): Date;
  /** Moves the server clock forward, then moves every job whose next step is due. */
  advance(ms: number): void;
  /** Runs every unfinished job to its final status now, in order. */
  runJobs(): void;
  /** Changes how long each job status step takes from now on, ms. */
  setJobDelay(ms: number): void;
  /** Adds a fault; returns its id. */
  addFault(rule: FaultRule): string;
  /** Removes a fault; returns whether it existed. */
  removeFault(id: string): boolean;
  /** The faults, with how many requests each has hit. */
  faults(): ActiveFault[];
  /** Removes every fault. */
  clearFaults(): void;
  /** Puts the server back as it was created: accounts, lists, contacts, jobs, clock, faults, log. */
  reset(): void;
}

function listIdOf(list: number | string): string {
  if (typeof list === "number") return String(list);
  if (/^\d+$/.test(list) || isSystemListId(list)) return list;
  return parseListUri(list).listId;
}

function activityIdOf(idOrUri: string): string {
  const match = /\/activities\/([^/?#.]+)/.exec(idOrUri);
  return match?.[1] ?? idOrUri;
}

const iso = (time: number | undefined): string | undefined =>
  time === undefined ? undefined : new Date(time).toISOString();

/**
 * A snapshot of an activity.
 *
 * @param state The server state.
 * @param activity The activity.
 * @returns Its snapshot.
 */
export function snapshotActivity(
  state: ServerState<ActivityWork>,
  activity: FakeActivity,
): ActivitySnapshot {
  const snapshot: ActivitySnapshot = {
    id: activity.id,
    uri: activityUri(activity.username, activity.id),
    username: activity.username,
    type: activity.type,
    status: activity.status,
    listIds: [...activity.listIds],
    insertTime: iso(activity.insertTime)!,
    transactionCount: activity.transactionCount,
    errors: activity.errors.map((error) => ({ ...error })),
    fileName: activity.fileName,
    expired: state.isExpired(activity),
  };
  if (activity.queuedAt !== undefined) snapshot.queuedTime = iso(activity.queuedAt)!;
  if (activity.runStartTime !== undefined) snapshot.runStartTime = iso(activity.runStartTime)!;
  if (activity.runFinishTime !== undefined) snapshot.runFinishTime = iso(activity.runFinishTime)!;
  return snapshot;
}

function snapshotContact(
  account: AccountState<FakeActivity>,
  key: string,
): ContactSnapshot | undefined {
  const contact = account.contacts.get(key);
  if (contact === undefined) return undefined;
  const lists: string[] = [];
  for (const list of account.lists.values()) if (list.members.has(key)) lists.push(list.id);
  lists.sort((a, b) => Number(a) - Number(b));
  return { email: contact.email, fields: { ...contact.fields }, status: contact.status, lists };
}

/**
 * Builds the control API over a server state.
 *
 * @param state The server state.
 * @returns The control API.
 */
export function createControl(state: ServerState<ActivityWork>): FakeControl {
  const account = (options?: AccountOption): AccountState<FakeActivity> => {
    state.catchUp();
    return state.requireAccount(options?.username);
  };
  return {
    accountNames: () => state.accounts().map((target) => target.account.username),
    lists: (options) => {
      const target = account(options);
      return [...target.lists.values()]
        .sort((a, b) => a.sortOrder - b.sortOrder || Number(a.id) - Number(b.id))
        .map((list) => ({
          id: Number(list.id),
          uri: listUri(target.account.username, list.id),
          name: list.name,
          contactCount: list.members.size,
        }));
    },
    seed: (seed) => state.seed(seed),
    addAccount: (seed) => {
      state.putAccount(seed);
    },
    addList: (list, options) => {
      account(options).putList(list, state.now());
    },
    addContacts: (contacts, options) => {
      const target = account(options);
      for (const contact of contacts) target.putContact(contact, state.now());
    },
    members: (list, options) => {
      const listId = listIdOf(list);
      const members = account(options).members(listId);
      if (members === undefined)
        throw new RangeError(
          `Unknown list "${list}" in account "${options?.username ?? "joesflowers"}"`,
        );
      return members
        .map((member) => {
          const snapshot: MemberSnapshot = {
            email: member.email,
            fields: { ...member.fields },
            date: iso(member.date)!,
            source: member.source,
          };
          if (member.activityId !== undefined) snapshot.activityId = member.activityId;
          return snapshot;
        })
        .sort((a, b) => (a.email.toLowerCase() < b.email.toLowerCase() ? -1 : 1));
    },
    contact: (email, options) => snapshotContact(account(options), email.toLowerCase()),
    contacts: (options) => {
      const target = account(options);
      return [...target.contacts.keys()].sort().map((key) => snapshotContact(target, key)!);
    },
    activities: (options) =>
      account(options)
        .activities.slice()
        .reverse()
        .map((activity) => snapshotActivity(state, activity)),
    activity: (idOrUri, options) => {
      const activity = account(options).activitiesById.get(activityIdOf(idOrUri));
      return activity && snapshotActivity(state, activity);
    },
    exportFile: (idOrUri, options) =>
      account(options).activitiesById.get(activityIdOf(idOrUri))?.exportFile?.pieces.join(""),
    requests: () => state.requests.list(),
    clearRequests: () => state.requests.clear(),
    now: () => new Date(state.now()),
    advance: (ms) => {
      state.clock.advance(ms);
      state.catchUp();
    },
    runJobs: () => {
      state.catchUp();
      state.engine.runAll();
    },
    setJobDelay: (ms) => state.engine.setTimings(timingsForDelay(ms)),
    addFault: (rule) => state.faults.add(rule),
    removeFault: (id) => state.faults.remove(id),
    faults: () => state.faults.list(),
    clearFaults: () => state.faults.clear(),
    reset: () => state.reset(),
  };
}
