/**
 * The 32 canonical column names of a contact file, `EMAIL ADDRESS` first, in the order of the
 * API's documentation. Header names are matched without regard to case
 * (see {@linkcode findContactColumn}).
 *
 * @example The required column comes first
 * ```ts
 * import { CONTACT_COLUMNS } from "@ctct-bulk/core";
 * CONTACT_COLUMNS[0]; // "EMAIL ADDRESS"
 * CONTACT_COLUMNS.length; // 32
 * ```
 */
export const CONTACT_COLUMNS = [
  "EMAIL ADDRESS",
  "FIRST NAME",
  "MIDDLE NAME",
  "LAST NAME",
  "JOB TITLE",
  "COMPANY NAME",
  "WORK PHONE",
  "HOME PHONE",
  "ADDRESS LINE 1",
  "ADDRESS LINE 2",
  "ADDRESS LINE 3",
  "CITY",
  "STATE",
  "STATE/PROVINCE (US/CANADA)",
  "COUNTRY",
  "POSTAL CODE",
  "SUB POSTAL CODE",
  "CUSTOM FIELD 1",
  "CUSTOM FIELD 2",
  "CUSTOM FIELD 3",
  "CUSTOM FIELD 4",
  "CUSTOM FIELD 5",
  "CUSTOM FIELD 6",
  "CUSTOM FIELD 7",
  "CUSTOM FIELD 8",
  "CUSTOM FIELD 9",
  "CUSTOM FIELD 10",
  "CUSTOM FIELD 11",
  "CUSTOM FIELD 12",
  "CUSTOM FIELD 13",
  "CUSTOM FIELD 14",
  "CUSTOM FIELD 15",
] as const;

/**
 * A canonical contact column name, as the API spells it.
 *
 * @example A typed column
 * ```ts
 * import type { ContactColumn } from "@ctct-bulk/core";
 * const column: ContactColumn = "FIRST NAME";
 * ```
 */
export type ContactColumn = (typeof CONTACT_COLUMNS)[number];

/**
 * The 31 optional columns, which an export may ask for in `columns` (`EMAIL ADDRESS` is always
 * exported, whether asked for or not).
 *
 * @example Exporting every column
 * ```ts
 * import { EXPORT_COLUMNS } from "@ctct-bulk/core";
 * EXPORT_COLUMNS.length; // 31
 * EXPORT_COLUMNS.includes("SUB POSTAL CODE"); // true
 * ```
 */
export const EXPORT_COLUMNS: readonly Exclude<ContactColumn, "EMAIL ADDRESS">[] =
  CONTACT_COLUMNS.slice(1) as Exclude<ContactColumn, "EMAIL ADDRESS">[];

/**
 * The extra columns an export file carries when its options ask for them (ADR 0001): the
 * add/remove date (`exportOptDate`), who added or removed the contact (`exportOptSource`) and the
 * list's name (`exportListName`). They are never accepted in an upload's header.
 *
 * @example The list-name column of an export
 * ```ts
 * import { EXPORT_OPTION_COLUMNS } from "@ctct-bulk/core";
 * EXPORT_OPTION_COLUMNS.listName; // "LIST NAME"
 * ```
 */
export const EXPORT_OPTION_COLUMNS: {
  readonly date: "ADD/REMOVE DATE";
  readonly source: "ADDED/REMOVED BY";
  readonly listName: "LIST NAME";
} = {
  date: "ADD/REMOVE DATE",
  source: "ADDED/REMOVED BY",
  listName: "LIST NAME",
};

/**
 * The name of an export-only column (see {@linkcode EXPORT_OPTION_COLUMNS}).
 *
 * @example A typed export-only column
 * ```ts
 * import type { ExportOptionColumn } from "@ctct-bulk/core";
 * const column: ExportOptionColumn = "ADD/REMOVE DATE";
 * ```
 */
export type ExportOptionColumn = (typeof EXPORT_OPTION_COLUMNS)[keyof typeof EXPORT_OPTION_COLUMNS];

/** Upper-cases, trims and collapses inner whitespace: the form in which names are compared. */
function normalizeColumnName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toUpperCase();
}

const COLUMNS_BY_NAME: ReadonlyMap<string, ContactColumn> = new Map(
  CONTACT_COLUMNS.map((column) => [column, column]),
);

const EXPORT_OPTION_COLUMNS_BY_NAME: ReadonlyMap<string, ExportOptionColumn> = new Map(
  Object.values(EXPORT_OPTION_COLUMNS).map((column) => [column, column]),
);

/**
 * The canonical column a header name stands for: matched without regard to case, around
 * whitespace trimmed and inner runs of whitespace taken as one space.
 *
 * @param name A name from a contact file's header, or from an export's `columns`.
 * @returns The canonical column, or `undefined` when the name is no column.
 *
 * @example Case and spacing do not matter
 * ```ts
 * import { findContactColumn } from "@ctct-bulk/core";
 * findContactColumn(" Email  Address "); // "EMAIL ADDRESS"
 * findContactColumn("FIRST NAM"); // undefined
 * ```
 */
export function findContactColumn(name: string): ContactColumn | undefined {
  return COLUMNS_BY_NAME.get(normalizeColumnName(name));
}

/**
 * The export-only column a header name stands for, matched like {@linkcode findContactColumn}.
 *
 * @param name A name from an export file's header.
 * @returns The export-only column, or `undefined`.
 *
 * @example The list name of an export
 * ```ts
 * import { findExportOptionColumn } from "@ctct-bulk/core";
 * findExportOptionColumn("List Name"); // "LIST NAME"
 * ```
 */
export function findExportOptionColumn(name: string): ExportOptionColumn | undefined {
  return EXPORT_OPTION_COLUMNS_BY_NAME.get(normalizeColumnName(name));
}

/** Levenshtein distance; the inputs are short column names, so the quadratic table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Names spreadsheets commonly use for a column, suggested (never accepted) in their place. */
const COMMON_NAMES: ReadonlyMap<string, ContactColumn> = new Map<string, ContactColumn>([
  ["EMAIL", "EMAIL ADDRESS"],
  ["E-MAIL", "EMAIL ADDRESS"],
  ["E-MAIL ADDRESS", "EMAIL ADDRESS"],
  ["EMAILADDRESS", "EMAIL ADDRESS"],
  ["FIRST", "FIRST NAME"],
  ["FIRSTNAME", "FIRST NAME"],
  ["GIVEN NAME", "FIRST NAME"],
  ["LAST", "LAST NAME"],
  ["LASTNAME", "LAST NAME"],
  ["SURNAME", "LAST NAME"],
  ["FAMILY NAME", "LAST NAME"],
  ["MIDDLE", "MIDDLE NAME"],
  ["TITLE", "JOB TITLE"],
  ["COMPANY", "COMPANY NAME"],
  ["ORGANIZATION", "COMPANY NAME"],
  ["PHONE", "HOME PHONE"],
  ["ADDRESS", "ADDRESS LINE 1"],
  ["STREET", "ADDRESS LINE 1"],
  ["ADDRESS 1", "ADDRESS LINE 1"],
  ["ADDRESS 2", "ADDRESS LINE 2"],
  ["ADDRESS 3", "ADDRESS LINE 3"],
  ["PROVINCE", "STATE/PROVINCE (US/CANADA)"],
  ["STATE/PROVINCE", "STATE/PROVINCE (US/CANADA)"],
  ["ZIP", "POSTAL CODE"],
  ["ZIP CODE", "POSTAL CODE"],
  ["ZIPCODE", "POSTAL CODE"],
  ["POSTCODE", "POSTAL CODE"],
]);

/**
 * The canonical column closest to a name that is not one, for "did you mean" messages: a common
 * spreadsheet name's column (`Email`, `Zip`, `Company`), else the column at the smallest edit
 * distance (compared upper-case, spacing normalized), provided that distance is at most a third
 * of the longer name (and at least 2 edits are always allowed).
 *
 * @param name A name that {@linkcode findContactColumn} did not find.
 * @returns The nearest column, or `undefined` when none is close enough to be a likely typo.
 *
 * @example A typo and a stranger
 * ```ts
 * import { nearestContactColumn } from "@ctct-bulk/core";
 * nearestContactColumn("FIRST NAM"); // "FIRST NAME"
 * nearestContactColumn("favourite colour"); // undefined
 * ```
 */
export function nearestContactColumn(name: string): ContactColumn | undefined {
  const normalized = normalizeColumnName(name);
  if (normalized === "") return undefined;
  const common = COMMON_NAMES.get(normalized);
  if (common !== undefined) return common;
  let best: ContactColumn | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const column of CONTACT_COLUMNS) {
    const distance = editDistance(normalized, column);
    if (distance < bestDistance) {
      best = column;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(Math.max(normalized.length, best!.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * Whether the server ignores a column when it is supplied (`SUB POSTAL CODE` is read-only now).
 *
 * @param column A canonical column.
 * @returns `true` for `SUB POSTAL CODE`.
 *
 * @example SUB POSTAL CODE is ignored
 * ```ts
 * import { isIgnoredColumn } from "@ctct-bulk/core";
 * isIgnoredColumn("SUB POSTAL CODE"); // true
 * isIgnoredColumn("POSTAL CODE"); // false
 * ```
 */
export function isIgnoredColumn(column: ContactColumn): boolean {
  return column === "SUB POSTAL CODE";
}
