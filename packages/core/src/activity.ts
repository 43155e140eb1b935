import type { ContactColumn } from "./columns.ts";

/**
 * The activity types a client may ask for in `activityType` when it creates an activity.
 *
 * @example Checking a requested type
 * ```ts
 * import { REQUESTED_ACTIVITY_TYPES } from "@ctct-bulk/core";
 * REQUESTED_ACTIVITY_TYPES.includes("SV_ADD"); // true
 * ```
 */
export const REQUESTED_ACTIVITY_TYPES = [
  "SV_ADD",
  "ADD_CONTACTS",
  "ADD_CONTACT_DETAIL",
  "REMOVE_CONTACTS_FROM_LISTS",
  "CLEAR_CONTACTS_FROM_LISTS",
  "EXPORT_CONTACTS",
] as const;

/**
 * An `activityType` a client may send. `SV_ADD` is the same job as `ADD_CONTACTS`.
 *
 * @example A typed request
 * ```ts
 * import type { RequestedActivityType } from "@ctct-bulk/core";
 * const type: RequestedActivityType = "SV_ADD";
 * ```
 */
export type RequestedActivityType = (typeof REQUESTED_ACTIVITY_TYPES)[number];

/**
 * The activity types the server reports in an activity's `Type` (never `SV_ADD`).
 *
 * @example SV_ADD is never reported
 * ```ts
 * import { ACTIVITY_TYPES } from "@ctct-bulk/core";
 * (ACTIVITY_TYPES as readonly string[]).includes("SV_ADD"); // false
 * ```
 */
export const ACTIVITY_TYPES = [
  "ADD_CONTACTS",
  "ADD_CONTACT_DETAIL",
  "REMOVE_CONTACTS_FROM_LISTS",
  "CLEAR_CONTACTS_FROM_LISTS",
  "EXPORT_CONTACTS",
] as const;

/**
 * What an activity does, as the server reports it.
 *
 * @example A typed report
 * ```ts
 * import type { ActivityType } from "@ctct-bulk/core";
 * const type: ActivityType = "ADD_CONTACT_DETAIL";
 * ```
 */
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/**
 * The requested types that add contacts; the server reports each as one of the two add types.
 *
 * @example Is this request an add?
 * ```ts
 * import { ADD_ACTIVITY_TYPES } from "@ctct-bulk/core";
 * ADD_ACTIVITY_TYPES.includes("ADD_CONTACT_DETAIL"); // true
 * ```
 */
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

/**
 * The statuses an activity moves through; `COMPLETE` and `ERROR` are final.
 *
 * @example The order of statuses
 * ```ts
 * import { ACTIVITY_STATUSES } from "@ctct-bulk/core";
 * ACTIVITY_STATUSES.indexOf("QUEUED") < ACTIVITY_STATUSES.indexOf("RUNNING"); // true
 * ```
 */
export const ACTIVITY_STATUSES = [
  "UNCONFIRMED",
  "PENDING",
  "QUEUED",
  "RUNNING",
  "COMPLETE",
  "ERROR",
] as const;

/**
 * Where an activity is.
 *
 * @example A typed status
 * ```ts
 * import type { ActivityStatus } from "@ctct-bulk/core";
 * const status: ActivityStatus = "COMPLETE";
 * ```
 */
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
