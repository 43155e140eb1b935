import type { ContactList } from "@ctct-bulk/core";
import type { CommandDefinition } from "../command.ts";
import { connect } from "../connection.ts";
import { formatTable } from "../output.ts";

/** `ctct-bulk lists`: the account's contact lists. */
export const listsCommand: CommandDefinition = {
  command: "lists",
  describe: "List the account's contact lists (ids, names, contact counts)",
  examples: [
    ["$0 lists", "A table of the lists"],
    ["$0 lists --json", "The lists as JSON"],
  ],
  async run(_args, session) {
    const { client } = await connect(session);
    const lists: ContactList[] = [];
    for await (const list of client.lists.list(
      session.context.signal ? { signal: session.context.signal } : {},
    ))
      lists.push(list);
    session.output.items(lists, () =>
      formatTable(
        ["ID", "NAME", "CONTACTS", "URI"],
        lists.map((list) => [
          list.id,
          list.system ? `${list.name} (system)` : list.name,
          list.contactCount === undefined ? "" : list.contactCount.toLocaleString("en-US"),
          list.uri,
        ]),
      ),
    );
    return undefined;
  },
};
