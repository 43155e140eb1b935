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
 * Whether an activity in this status will never change again.
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
