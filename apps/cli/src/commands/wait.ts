import type { CommandDefinition } from "../command.ts";
import { connect } from "../connection.ts";
import { ACTIVITY_TABLE_HEADER, activityRow } from "../format.ts";
import { formatTable } from "../output.ts";
import { exitCodeOf, waitWithDisplay } from "../waiting.ts";
import { refuseExportFile } from "./_activity-ref.ts";
import { TIMEOUT_OPTION } from "./_options.ts";

/** `ctct-bulk wait <id…>`: until activities finish. */
export const waitCommand: CommandDefinition = {
  command: "wait <ids..>",
  describe:
    "Wait until activities finish, showing their status; the exit code tells how they ended",
  positionals: {
    ids: {
      type: "string",
      array: true,
      describe: "Activity ids (a07e…) or URIs",
      demandOption: true,
      // yargs gives a variadic positional a default of []: contradictory next to [required].
      default: undefined,
    },
  },
  options: { timeout: TIMEOUT_OPTION },
  examples: [
    [
      "$0 wait a07e1ffaxjyffmvqgiz a07e2ggbykzggnwrhja --timeout 600",
      "Both, for at most ten minutes",
    ],
  ],
  async run(args, session) {
    const ids = (args.ids as string[]).map(String);
    for (const id of ids) refuseExportFile(id, "wait");
    const { client } = await connect(session);
    const activities = await waitWithDisplay(session, client, ids, {
      timeoutSeconds: args.timeout as number | undefined,
    });
    session.output.result(activities, () =>
      formatTable(ACTIVITY_TABLE_HEADER, activities.map(activityRow)),
    );
    return exitCodeOf(activities);
  },
};
