import type { Activity } from "@ctct-bulk/core";
import type { CommandDefinition } from "../command.ts";
import { connect } from "../connection.ts";
import { errorCountOf, plural, shortTime } from "../format.ts";
import { formatTable } from "../output.ts";
import { refuseExportFile } from "./_activity-ref.ts";

/**
 * An activity in detail, for people: its fields, then its per-line errors.
 *
 * @param activity The activity.
 * @param maxErrors How many per-line errors to show.
 * @returns The text.
 * @example A completed import
 * ```ts
 * import { describeActivity } from "./commands/status.ts"; // internal to @ctct-bulk/cli
 * describeActivity(activity, 20);
 * ```
 */
export function describeActivity(activity: Activity, maxErrors: number): string {
  const fields: [string, string][] = [
    ["Activity", activity.id],
    ["Type", activity.type],
    ["Status", activity.status],
    ["Contacts", activity.transactionCount.toLocaleString("en-US")],
    ["Errors", errorCountOf(activity).toLocaleString("en-US")],
    // In UTC whatever the machine's zone, and said so: the API's times are UTC.
    ["Created", utc(shortTime(activity.insertTime))],
    ["Started", utc(shortTime(activity.runStartTime))],
    ["Finished", utc(shortTime(activity.runFinishTime))],
  ];
  if (activity.fileName) fields.push(["File", activity.fileName]);
  // The file needs the account's credentials: say which command fetches it.
  if (activity.type === "EXPORT_CONTACTS" && activity.status === "COMPLETE")
    fields.push(["Download", `ctct-bulk export --activity ${activity.id} --out FILE`]);
  const lines = fields
    .filter(([, value]) => value !== "")
    .map(([name, value]) => `${`${name}:`.padEnd(10)}${value}`);
  if (activity.errors.length > 0) {
    const shown = activity.errors.slice(0, maxErrors);
    lines.push(
      "",
      formatTable(
        ["LINE", "EMAIL", "ERROR"],
        shown.map((error) => [
          error.line === undefined ? "" : String(error.line),
          error.email ?? "",
          error.message,
        ]),
      ),
    );
    if (activity.errors.length > shown.length)
      lines.push(
        `… and ${plural(activity.errors.length - shown.length, "more error")} (--json shows them all)`,
      );
  }
  return lines.join("\n");
}

/** A time of {@linkcode shortTime}, with its zone; empty stays empty. */
function utc(time: string): string {
  return time === "" ? "" : `${time} UTC`;
}

/** `ctct-bulk status <id>`: one activity. */
export const statusCommand: CommandDefinition = {
  command: "status <id>",
  describe: "Show one activity: its status, counts, times and per-line errors",
  positionals: {
    id: { type: "string", describe: "The activity's id (a07e…) or URI", demandOption: true },
  },
  options: {
    "max-errors": {
      type: "number",
      default: 50,
      describe: "Show at most this many per-line errors (all with --json)",
    },
  },
  examples: [["$0 status a07e1ffaxjyffmvqgiz", "Where that job is"]],
  check(args) {
    // A negative count would show all but the last errors, a fraction round down.
    const maxErrors = args.maxErrors as number;
    if (!Number.isInteger(maxErrors) || maxErrors < 0)
      throw new Error(
        `Invalid --max-errors "${String(args.maxErrors)}": expected a whole number from 0`,
      );
  },
  async run(args, session) {
    refuseExportFile(String(args.id), "status");
    const { client } = await connect(session);
    const activity = await client.activities.get(
      String(args.id),
      session.context.signal ? { signal: session.context.signal } : {},
    );
    session.output.result(activity, () => describeActivity(activity, args.maxErrors as number));
    return undefined;
  },
};
