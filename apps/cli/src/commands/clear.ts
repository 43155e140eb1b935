import { isClearableList, parseListUri } from "@ctct-bulk/core";
import { ListNotFoundError } from "@ctct-bulk/transport";
import { CliError, usageError } from "../cli-error.ts";
import type { CommandDefinition } from "../command.ts";
import { connect } from "../connection.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import { isNeverClearable } from "../list-names.ts";
import { ask, canPrompt } from "../prompt.ts";
import { exitCodeOf, waitWithDisplay } from "../waiting.ts";
import {
  DRY_RUN_ONE_REQUEST_OPTION,
  LIST_OPTION,
  TIMEOUT_OPTION,
  WAIT_OPTION,
} from "./_options.ts";
import { describeActivity } from "./status.ts";

const UNCLEARABLE =
  "system lists and the lists named Do-Not-Mail, Removed, Awaiting Confirmation, All and Active cannot be cleared";

/** `ctct-bulk clear --list …`: take every contact off lists. */
export const clearCommand: CommandDefinition = {
  command: "clear",
  describe:
    "Take every contact off lists (the contacts stay in the account); asks first on a terminal",
  options: {
    list: LIST_OPTION,
    yes: {
      alias: "y",
      type: "boolean",
      default: false,
      describe: "Do not ask for confirmation (required when not on a terminal)",
    },
    wait: WAIT_OPTION,
    timeout: TIMEOUT_OPTION,
    "dry-run": DRY_RUN_ONE_REQUEST_OPTION,
  },
  examples: [
    ["$0 clear --list 4 --yes --wait", "Empty list 4 and wait until it is done"],
    ['$0 clear --list "Spring promo"', "Empty the list named Spring promo, after asking"],
  ],
  epilogue:
    "Named lists (Do-Not-Mail, Removed, Awaiting Confirmation, All, Active) are refused before any request. Add contacts to a list only after its clear has finished: contacts added before it runs may be cleared too.",
  async run(args, session) {
    const { output, context } = session;
    const given = (args.list as string[]).map(String);
    for (const value of given)
      if (isNeverClearable(value)) throw usageError(`Cannot clear list "${value}": ${UNCLEARABLE}`);
    const { client } = await connect(session);
    const signal = context.signal ? { signal: context.signal } : {};
    const uris = await client.lists.resolveAll(given, signal);
    for (const [index, uri] of uris.entries())
      if (!isClearableList(uri))
        throw usageError(`Cannot clear list "${given[index] ?? uri}": ${UNCLEARABLE}`);
    // A numbered list may bear a named list's name: refused alike, by reading the names once.
    const listNames = new Map<string, string>();
    for await (const list of client.lists.list(signal))
      listNames.set(parseListUri(list.uri).listId, list.name);
    for (const [index, uri] of uris.entries()) {
      const { listId, system } = parseListUri(uri);
      // An id or URI of a list the account does not have: refused like a name that is not there.
      if (!system && !listNames.has(listId))
        throw new ListNotFoundError(`Unknown list "${given[index] ?? uri}"`, {
          list: given[index] ?? uri,
        });
      const name = listNames.get(listId);
      if (!isClearableList(uri, name))
        throw usageError(
          `Cannot clear list "${given[index] ?? uri}" (named "${name}"): ${UNCLEARABLE}`,
        );
    }
    const lists = uris.map((uri) => ({ uri }));
    const names = given.map((value) => `"${value}"`).join(", ");
    const shownLists = `${given.length === 1 ? "list" : "lists"} ${names}`;
    if (args.dryRun) {
      const request = {
        activityType: "CLEAR_CONTACTS_FROM_LISTS",
        lists: lists.map((list) => list.uri),
      };
      output.event("request", { index: 0, ...request });
      output.result({ dryRun: true, requests: [request] }, () =>
        [
          `Would send 1 request: POST /activities`,
          `  activityType=CLEAR_CONTACTS_FROM_LISTS`,
          ...request.lists.map((uri) => `  lists=${uri}`),
        ].join("\n"),
      );
      return EXIT_CODES.SUCCESS;
    }
    if (!args.yes) {
      if (!canPrompt(context))
        throw usageError("Refusing to clear lists without --yes: not on a terminal, so cannot ask");
      const answer = await ask(
        context,
        `Take every contact off ${shownLists}? The contacts stay in the account. [y/N] `,
      );
      if (!/^y(es)?$/i.test(answer))
        throw new CliError("Nothing cleared: not confirmed", { exitCode: EXIT_CODES.OTHER });
    }
    const created = await client.activities.clearLists(uris, signal);
    output.event("created", { id: created.id, uri: created.uri });
    if (!args.wait) {
      output.result({ activity: created }, () => created.id);
      output.info(
        `Clearing ${shownLists}: activity ${created.id} (follow it with ctct-bulk wait ${created.id})`,
      );
      return EXIT_CODES.SUCCESS;
    }
    const [activity] = await waitWithDisplay(session, client, [created.id], {
      timeoutSeconds: args.timeout as number | undefined,
      labels: new Map([[created.id, `Clear of ${shownLists} (${created.id})`]]),
    });
    output.result({ activity }, () => describeActivity(activity!, 20));
    return exitCodeOf([activity!]);
  },
};
