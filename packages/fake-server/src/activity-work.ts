import {
  CONTACT_COLUMNS,
  type ContactColumn,
  type ContactHeader,
  type ContactRow,
  EXPORT_OPTION_COLUMNS,
  exportFileUri,
  formatContactLine,
  isIgnoredColumn,
  validateContactRow,
} from "@ctct-bulk/core";
import type { ActivityLineErrorRecord, ActivityRecord, JobExecutor } from "./jobs.ts";
import type { ServerState } from "./server-state.ts";
import { type AccountState, API_SOURCE, type ListMember, type MembershipRecord } from "./state.ts";

/** A contact file read at `POST` time, to be applied when the job runs. */
export interface ContactFileWork {
  header: ContactHeader;
  rows: ContactRow[];
  /** A problem past the header that stopped the reading: the job then ends in `ERROR`. */
  fileError?: ActivityLineErrorRecord;
}

/** What an activity does when it runs. */
export type ActivityWork =
  | ({ kind: "add"; listIds: string[] } & ContactFileWork)
  | ({ kind: "remove"; listIds: string[] } & ContactFileWork)
  | { kind: "clear"; listIds: string[] }
  | {
      kind: "export";
      listId: string;
      fileType: "CSV" | "TXT";
      /** The optional columns asked for (EMAIL ADDRESS is always exported). */
      columns: ContactColumn[];
      includeDate: boolean;
      includeSource: boolean;
      includeListName: boolean;
      sortBy: "EMAIL_ADDRESS" | "DATE_DESC";
    };

/** A stored activity of the fake server. */
export type FakeActivity = ActivityRecord<ActivityWork>;

/**
 * The executor of the server's jobs: applies an activity's work to its account when the job
 * finishes running.
 *
 * @param state The server state.
 * @returns The executor.
 */
export function createActivityExecutor(
  state: ServerState<ActivityWork>,
): JobExecutor<ActivityWork> {
  return (activity, at) => {
    const account = state.requireAccount(activity.username);
    const work = activity.work;
    if (work === undefined) return;
    switch (work.kind) {
      case "add":
        applyContactFile(account, activity, work, at, "add");
        return;
      case "remove":
        applyContactFile(account, activity, work, at, "remove");
        return;
      case "clear": {
        const cleared = new Set<string>();
        for (const listId of work.listIds) {
          for (const member of account.members(listId) ?? [])
            cleared.add(member.email.toLowerCase());
          account.clearList(listId, at, API_SOURCE);
        }
        activity.transactionCount = cleared.size;
        return;
      }
      case "export": {
        const members = account.members(work.listId);
        if (members === undefined) throw new Error(`The list "${work.listId}" no longer exists`);
        activity.exportFile = {
          fileType: work.fileType,
          pieces: renderExportPieces(members, work, account.listName(work.listId) ?? ""),
        };
        activity.fileName = exportFileUri(activity.username, activity.id, work.fileType);
        activity.transactionCount = members.length;
        return;
      }
    }
  };
}

function applyContactFile(
  account: AccountState<FakeActivity>,
  activity: FakeActivity,
  work: ContactFileWork & { listIds: string[] },
  at: number,
  mode: "add" | "remove",
): void {
  if (work.fileError !== undefined) {
    activity.errors.push(work.fileError);
    throw new Error(work.fileError.message);
  }
  const { header } = work;
  const emailIndex = header.columns.indexOf("EMAIL ADDRESS");
  // The columns stored on a contact, and where each is in a row.
  const stored: string[] = [];
  const positions: number[] = [];
  header.columns.forEach((column, index) => {
    if (column === undefined || column === "EMAIL ADDRESS" || isIgnoredColumn(column)) return;
    stored.push(column);
    positions.push(index);
  });
  const values: string[] = new Array(stored.length);
  let processed = 0;
  const membership: MembershipRecord = { addedAt: at, source: API_SOURCE, activityId: activity.id };
  for (const row of work.rows) {
    const email = row.fields[emailIndex] ?? "";
    const problem = validateContactRow(header, row, {
      activityType: mode === "remove" ? "REMOVE_CONTACTS_FROM_LISTS" : "SV_ADD",
    }).find((diagnostic) => diagnostic.severity === "error");
    if (problem !== undefined) {
      const error: ActivityLineErrorRecord = { line: row.line, message: problem.message };
      if (email !== "") error.email = email;
      activity.errors.push(error);
      continue;
    }
    if (mode === "add") {
      for (let index = 0; index < positions.length; index++)
        values[index] = row.fields[positions[index]!] ?? "";
      const contact = account.upsertContactFields(email, stored, values, at, API_SOURCE);
      for (const listId of work.listIds) account.addMembership(contact, listId, membership);
    } else {
      for (const listId of work.listIds) account.removeMembership(email, listId, at, API_SOURCE);
    }
    processed++;
  }
  activity.transactionCount = processed;
}

/**
 * Writes an export's file: `EMAIL ADDRESS`, the asked columns in the order of
 * `CONTACT_COLUMNS`, then the option columns (ADR 0001); comma-separated for CSV, tab-separated
 * for TXT; LF line ends; dates as ISO 8601 in UTC.
 *
 * @param members The list's members.
 * @param work The export's options.
 * @param listName The list's name (for `exportListName`).
 * @returns The file's text.
 */
export function renderExportFile(
  members: readonly ListMember[],
  work: Extract<ActivityWork, { kind: "export" }>,
  listName: string,
): string {
  return renderExportPieces(members, work, listName).join("");
}

/** Lines of an export file joined into one piece (a piece stays far below V8's string limit). */
const LINES_PER_PIECE = 10_000;

/**
 * The export's file as {@linkcode renderExportFile} writes it, in pieces of
 * {@linkcode LINES_PER_PIECE} lines (each ending with its line feed): a list of five million
 * members makes a file longer than the longest string V8 can hold, and joining the lines a piece
 * at a time lets them be collected as it goes.
 *
 * @param members The list's members.
 * @param work The export's options.
 * @param listName The list's name (for `exportListName`).
 * @returns The file's text, in order.
 */
export function renderExportPieces(
  members: readonly ListMember[],
  work: Extract<ActivityWork, { kind: "export" }>,
  listName: string,
): string[] {
  const delimiter = work.fileType === "TXT" ? "\t" : ",";
  const asked = new Set<ContactColumn>(work.columns);
  const columns = CONTACT_COLUMNS.filter(
    (column) => column !== "EMAIL ADDRESS" && asked.has(column),
  );
  const header: string[] = ["EMAIL ADDRESS", ...columns];
  if (work.includeDate) header.push(EXPORT_OPTION_COLUMNS.date);
  if (work.includeSource) header.push(EXPORT_OPTION_COLUMNS.source);
  if (work.includeListName) header.push(EXPORT_OPTION_COLUMNS.listName);
  // Each address is lower-cased once, not twice per comparison: a list of two million members
  // took minutes to sort, with the server's event loop blocked all along.
  const keyed = members.map((member) => ({ member, key: member.email.toLowerCase() }));
  keyed.sort((a, b) => {
    if (work.sortBy === "DATE_DESC" && a.member.date !== b.member.date)
      return b.member.date - a.member.date;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const pieces: string[] = [];
  let lines = [formatContactLine(header, delimiter)];
  for (const { member } of keyed) {
    const fields = [member.email, ...columns.map((column) => member.fields[column] ?? "")];
    if (work.includeDate) fields.push(new Date(member.date).toISOString());
    if (work.includeSource) fields.push(member.source);
    if (work.includeListName) fields.push(listName);
    lines.push(formatContactLine(fields, delimiter));
    if (lines.length === LINES_PER_PIECE) {
      pieces.push(`${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) pieces.push(`${lines.join("\n")}\n`);
  return pieces;
}
