import type { CommandDefinition } from "../command.ts";
import { activitiesCommand } from "./activities.ts";
import { clearCommand } from "./clear.ts";
import { exportCommand } from "./export.ts";
import { fakeServerCommand } from "./fake-server.ts";
import { importCommand, removeCommand } from "./import.ts";
import { listsCommand } from "./lists.ts";
import { loginCommand } from "./login.ts";
import { statusCommand } from "./status.ts";
import { validateCommand } from "./validate.ts";
import { waitCommand } from "./wait.ts";

/**
 * Every `ctct-bulk` command, in the order `--help` lists them.
 *
 * @example The command names
 * ```ts
 * import { COMMANDS } from "@ctct-bulk/cli";
 * COMMANDS.map((definition) => definition.command.split(" ")[0]); // ["import", "remove", "clear", …]
 * ```
 */
export const COMMANDS: readonly CommandDefinition[] = [
  importCommand,
  removeCommand,
  clearCommand,
  exportCommand,
  statusCommand,
  waitCommand,
  activitiesCommand,
  listsCommand,
  validateCommand,
  loginCommand,
  fakeServerCommand,
];
