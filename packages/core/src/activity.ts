import type { ContactColumn } from "./columns.ts";

/** The activity types a client may ask for in `activityType` when it creates an activity. */
export const REQUESTED_ACTIVITY_TYPES = [
  "SV_ADD",
  "ADD_CONTACTS",
  "ADD_CONTACT_DETAIL",
  "REMOVE_CONTACTS_FROM_LISTS",
  "CLEAR_CONTACTS_FROM_LISTS",
  "EXPORT_CONTACTS",
] as const;

/** An `activityType` a client may send. `SV_ADD` is the same job as `ADD_CONTACTS`. */
export type RequestedActivityType = (typeof REQUESTED_ACTIVITY_TYPES)[number];

/** The activity types the server reports in an activity's `Type` (never `SV_ADD`). */
export const ACTIVITY_TYPES = [
  "ADD_CONTACTS",
  "ADD_CONTACT_DETAIL",
  "REMOVE_CONTACTS_FROM_LISTS",
  "CLEAR_CONTACTS_FROM_LISTS",
  "EXPORT_CONTACTS",
] as const;

/** What an activity does, as the server reports it. */
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** The requested types that add contacts; the server reports each as one of the two add types. */
export const ADD_ACTIVITY_TYPES: readonly RequestedActivityType[] = [
  "SV_ADD",
  "ADD_CONTACTS",
  "ADD_CONTACT_DETAIL",
];

/**
 * Whether a text is an activity type a client may send (case-sensitive, as the server is).
 *
 * @param text The value of an `activityType` parameter.
 * @returns `true` when `text` is one of {@linkcode REQUESTED_ACTIVITY_TYPES}.
 *
 * @example Known and unknown types
 * ```ts
 * import { isRequestedActivityType } from "@ctct-bulk/core";
 * isRequestedActivityType("SV_ADD"); // true
 * isRequestedActivityType("sv_add"); // false
 * ```
 */
export function isRequestedActivityType(text: string): text is RequestedActivityType {
  return (REQUESTED_ACTIVITY_TYPES as readonly string[]).includes(text);
}

/**
 * Whether a text is an activity type the server reports.
 *
 * @param text The text of an activity's `Type` element.
 * @returns `true` when `text` is one of {@linkcode ACTIVITY_TYPES}.
 *
 * @example The server never reports SV_ADD
 * ```ts
 * import { isActivityType } from "@ctct-bulk/core";
 * isActivityType("ADD_CONTACTS"); // true
 * isActivityType("SV_ADD"); // false
 * ```
 */
export function isActivityType(text: string): text is ActivityType {
  return (ACTIVITY_TYPES as readonly string[]).includes(text);
}

/** The columns that keep an add an `ADD_CONTACTS` job (SPEC §4): the address and the names. */
const NAME_ONLY_COLUMNS: ReadonlySet<ContactColumn> = new Set<ContactColumn>([
  "EMAIL ADDRESS",
  "FIRST NAME",
  "MIDDLE NAME",
  "LAST NAME",
]);

/**
 * Which add type the server reports for a contact file with these columns (SPEC §4):
 * `ADD_CONTACTS` when the header holds `EMAIL ADDRESS` and name columns only, `ADD_CONTACT_DETAIL`
 * when any other column is present. The requested type (`SV_ADD`, `ADD_CONTACTS`,
 * `ADD_CONTACT_DETAIL`) does not change the decision.
 *
 * @param columns The canonical columns of the file's header.
 * @returns The type the server reports for the add.
 *
 * @example Names only, then a detail column
 * ```ts
 * import { decideAddType } from "@ctct-bulk/core";
 * decideAddType(["EMAIL ADDRESS", "FIRST NAME", "LAST NAME"]); // "ADD_CONTACTS"
 * decideAddType(["EMAIL ADDRESS", "CITY"]); // "ADD_CONTACT_DETAIL"
 * ```
 */
export function decideAddType(
  columns: readonly ContactColumn[],
): "ADD_CONTACTS" | "ADD_CONTACT_DETAIL" {
  return columns.every((column) => NAME_ONLY_COLUMNS.has(column))
    ? "ADD_CONTACTS"
    : "ADD_CONTACT_DETAIL";
}

/**
 * The type the server reports for a requested type, where that does not depend on the data:
 * `SV_ADD` is reported as `ADD_CONTACTS`; every other type as itself. For adds, prefer
 * {@linkcode decideAddType}, which looks at the columns.
 *
 * @param type The requested `activityType`.
 * @returns The reported type.
 *
 * @example SV_ADD is ADD_CONTACTS
 * ```ts
 * import { reportedActivityType } from "@ctct-bulk/core";
 * reportedActivityType("SV_ADD"); // "ADD_CONTACTS"
 * reportedActivityType("EXPORT_CONTACTS"); // "EXPORT_CONTACTS"
 * ```
 */
export function reportedActivityType(type: RequestedActivityType): ActivityType {
  return type === "SV_ADD" ? "ADD_CONTACTS" : type;
}

/** The statuses an activity moves through; `COMPLETE` and `ERROR` are final. */
export const ACTIVITY_STATUSES = [
  "UNCONFIRMED",
  "PENDING",
  "QUEUED",
  "RUNNING",
  "COMPLETE",
  "ERROR",
] as const;

/** Where an activity is. */
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/**
 * Whether a text is an activity status.
 *
 * @param text The text of an activity's `Status` element.
 * @returns `true` when `text` is one of {@linkcode ACTIVITY_STATUSES}.
 *
 * @example Known and unknown statuses
 * ```ts
 * import { isActivityStatus } from "@ctct-bulk/core";
 * isActivityStatus("QUEUED"); // true
 * isActivityStatus("DONE"); // false
 * ```
 */
export function isActivityStatus(text: string): text is ActivityStatus {
  return (ACTIVITY_STATUSES as readonly string[]).includes(text);
}

/**
 * Whether an activity in this status will never change again.
 *
 * @param status The activity's status.
 * @returns `true` for `COMPLETE` and `ERROR`.
 *
 * @example Final and non-final statuses
 * ```ts
 * import { isFinalStatus } from "@ctct-bulk/core";
 * isFinalStatus("COMPLETE"); // true
 * isFinalStatus("RUNNING"); // false
 * ```
 */
export function isFinalStatus(status: ActivityStatus): boolean {
  return status === "COMPLETE" || status === "ERROR";
}
