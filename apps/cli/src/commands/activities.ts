import { ACTIVITY_STATUSES, ACTIVITY_TYPES, type Activity } from "@ctct-bulk/core";
import type { CommandDefinition } from "../command.ts";
import { connect } from "../connection.ts";
import { ACTIVITY_TABLE_HEADER, activityRow } from "../format.ts";
import { formatTable } from "../output.ts";

/** `ctct-bulk activities`: the account's recent activities. */
export const activitiesCommand: CommandDefinition = {
  command: "activities",
  describe: "List the account's activities (kept 14 days), newest first",
  options: {
    status: {
      type: "string",
      array: true,
      choices: [...ACTIVITY_STATUSES],
      coerce: (values: string[]) => values.map((value) => String(value).toUpperCase()),
      describe: "Only activities in this status (repeatable)",
    },
    type: {
      type: "string",
      array: true,
      choices: [...ACTIVITY_TYPES],
      coerce: (values: string[]) => values.map((value) => String(value).toUpperCase()),
      describe: "Only activities of this type (repeatable)",
    },
    limit: { type: "number", default: 50, describe: "At most this many activities" },
  },
  examples: [
    ["$0 activities --status RUNNING --status QUEUED", "What is still running"],
    ["$0 activities --type EXPORT_CONTACTS --limit 5 --json", "The last five exports, as JSON"],
  ],
  check(args) {
    const limit = args.limit as number;
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`Invalid --limit "${String(args.limit)}": expected a whole number from 1`);
  },
  async run(args, session) {
    const { client } = await connect(session);
    const statuses = new Set((args.status as string[] | undefined) ?? []);
    const types = new Set((args.type as string[] | undefined) ?? []);
    const limit = args.limit as number;
    const found: Activity[] = [];
    for await (const activity of client.activities.list(
      session.context.signal ? { signal: session.context.signal } : {},
    )) {
      if (statuses.size > 0 && !statuses.has(activity.status)) continue;
      if (types.size > 0 && !types.has(activity.type)) continue;
      found.push(activity);
      if (found.length >= limit) break;
    }
    session.output.items(found, () =>
      found.length === 0
        ? "No activities"
        : formatTable(ACTIVITY_TABLE_HEADER, found.map(activityRow)),
    );
    return undefined;
  },
};
