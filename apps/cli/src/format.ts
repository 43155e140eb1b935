import type { Activity } from "@ctct-bulk/core";

/**
 * A count with its noun, in the plural unless it is one: `1 row`, `3,000 rows`.
 *
 * @param count The number.
 * @param noun The singular noun.
 * @returns The phrase.
 * @example Rows
 * ```ts
 * import { plural } from "./format.ts"; // internal to @ctct-bulk/cli
 * plural(3000, "row"); // "3,000 rows"
 * ```
 */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * A date-time for tables: `2026-11-23 18:04:05` in UTC, or empty.
 *
 * @param iso An ISO 8601 date-time.
 * @returns The short form.
 * @example A run's start
 * ```ts
 * import { shortTime } from "./format.ts"; // internal to @ctct-bulk/cli
 * shortTime("2026-11-23T18:04:05.123Z"); // "2026-11-23 18:04:05"
 * ```
 */
export function shortTime(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 19).replace("T", " ");
}

/** The columns of an activities table. */
export const ACTIVITY_TABLE_HEADER: readonly string[] = [
  "ID",
  "TYPE",
  "STATUS",
  "CONTACTS",
  "ERRORS",
  "CREATED (UTC)",
];

/**
 * One activity as a row of {@linkcode ACTIVITY_TABLE_HEADER}.
 *
 * @param activity The activity.
 * @returns The cells.
 * @example A completed import
 * ```ts
 * import { activityRow } from "./format.ts"; // internal to @ctct-bulk/cli
 * activityRow(activity); // ["a07e1ffaxjyffmvqgiz", "ADD_CONTACTS", "COMPLETE", "3", "0", "2026-11-23 18:04:05"]
 * ```
 */
export function activityRow(activity: Activity): string[] {
  return [
    activity.id,
    activity.type,
    activity.status,
    activity.transactionCount.toLocaleString("en-US"),
    Math.max(activity.errorCount, activity.errors.length).toLocaleString("en-US"),
    shortTime(activity.insertTime),
  ];
}

/**
 * The number of rejected lines an activity reports (the list, or the count where only a count is
 * given).
 *
 * @param activity The activity.
 * @returns The count.
 * @example No errors
 * ```ts
 * import { errorCountOf } from "./format.ts"; // internal to @ctct-bulk/cli
 * errorCountOf({ errors: [], errorCount: 0 }); // 0
 * ```
 */
export function errorCountOf(activity: Pick<Activity, "errors" | "errorCount">): number {
  return Math.max(activity.errorCount, activity.errors.length);
}
