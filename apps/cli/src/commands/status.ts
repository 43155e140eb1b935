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
    ["Created", shortTime(activity.insertTime)],
    ["Started", shortTime(activity.runStartTime)],
    ["Finished", shortTime(activity.runFinishTime)],
  ];
  if (activity.fileName) fields.push(["File", activity.fileName]);
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
