import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { type Activity, EXPORT_COLUMNS, findContactColumn } from "@ctct-bulk/core";
import type { CtctClient } from "@ctct-bulk/transport";
import { CliError, usageError } from "../cli-error.ts";
import type { CommandDefinition, Session } from "../command.ts";
import { connect } from "../connection.ts";
import { EXIT_CODES, type ExitCode } from "../exit-codes.ts";
import { plural } from "../format.ts";
import { checkWritable, writeReason } from "../output-paths.ts";
import { exitCodeOf, waitWithDisplay } from "../waiting.ts";
import { exportActivityOf } from "./_activity-ref.ts";
import { DRY_RUN_ONE_REQUEST_OPTION, TIMEOUT_OPTION } from "./_options.ts";
import { describeActivity } from "./status.ts";

/** The JSON result of `ctct-bulk export --json`. */
export interface ExportResult {
  activity: Pick<Activity, "id" | "uri"> & Partial<Activity>;
  /** Where the file was written (`-` for stdout); absent with `--no-wait`. */
  out?: string;
  /** The contacts in the file (the export activity's `TransactionCount`). */
  rows?: number;
  bytes?: number;
}

/** `ctct-bulk export --list … --out …`: create an export, wait, download. */
export const exportCommand: CommandDefinition = {
  command: "export",
  describe: "Export a list to a file: creates the export, waits for it and downloads it",
  options: {
    list: {
      alias: "l",
      type: "string",
      requiresArg: true,
      describe:
        "The list, by id (2), URI or name; system lists (active, do-not-mail, removed) too (required unless --activity)",
    },
    activity: {
      type: "string",
      requiresArg: true,
      describe:
        "Download an export created before (its id or URI, or its file's URI, e.g. from --no-wait or a run that timed out) instead of creating one: waits for it, then writes --out",
    },
    out: {
      alias: "o",
      type: "string",
      requiresArg: true,
      describe: "Where to write the file; - writes it to stdout",
    },
    columns: {
      type: "string",
      array: true,
      describe: `Columns to export besides EMAIL ADDRESS (repeatable or comma-separated; default: all): ${EXPORT_COLUMNS.join(", ")}`,
    },
    sort: {
      type: "string",
      choices: ["email", "date"],
      default: "email",
      describe: "Email ascending, or date (newest first)",
    },
    "file-type": {
      type: "string",
      choices: ["csv", "txt"],
      default: "csv",
      describe: "The file's format",
    },
    "include-date": {
      type: "boolean",
      default: false,
      describe: "Add the date each contact was added or removed",
    },
    "include-source": {
      type: "boolean",
      default: false,
      describe: "Add who added or removed each contact",
    },
    "include-list-name": { type: "boolean", default: false, describe: "Add the list's name" },
    wait: {
      type: "boolean",
      default: true,
      describe: "Wait and download (--no-wait only creates the export and prints its id)",
    },
    timeout: TIMEOUT_OPTION,
    "dry-run": DRY_RUN_ONE_REQUEST_OPTION,
  },
  examples: [
    ["$0 export --list 2 --out list-2.csv", "Every column of list 2, sorted by email"],
    [
      '$0 export --list "VIP customers" --columns "FIRST NAME,LAST NAME" --include-date --out - > vip.csv',
      "Names and dates to stdout",
    ],
    [
      "$0 export --activity a07e1gpfcd3fhysynnp --out list-2.csv",
      "Download an export created with --no-wait",
    ],
  ],
  check(args) {
    if (args.list === undefined && args.activity === undefined)
      throw new Error(
        "Missing --list: name the list to export (or --activity, an export created before)",
      );
    if (args.list !== undefined && args.activity !== undefined)
      throw new Error(
        "--list creates a new export and --activity downloads one created before: choose one",
      );
    if (args.activity !== undefined && (args.wait === false || args.dryRun === true))
      throw new Error(
        "--activity downloads an existing export: --no-wait and --dry-run do not apply",
      );
    if (args.wait !== false && args.dryRun !== true && typeof args.out !== "string")
      throw new Error("Missing --out: name the file to write, or - for stdout (or pass --no-wait)");
    if (args.out === "-" && (args.json === true || args.ndjson === true))
      throw new Error(
        "--out - writes the file to stdout, where --json and --ndjson write too: choose one",
      );
  },
  async run(args, session) {
    const { output, context } = session;
    const columns: string[] = [];
    const given = (args.columns as string[] | undefined)?.map(String);
    // An empty --columns is a slip (an unset shell variable): not "every column".
    if (given?.every((value) => value.split(",").every((name) => name.trim() === "")))
      throw usageError(
        `Invalid --columns "${given.join(",")}": name at least one column (leave --columns out to export them all)`,
        "export",
      );
    for (const value of given ?? [])
      for (const name of value.split(",")) {
        if (name.trim() === "") continue;
        const column = findContactColumn(name);
        if (
          !column ||
          (column !== "EMAIL ADDRESS" && !(EXPORT_COLUMNS as readonly string[]).includes(column))
        )
          throw usageError(
            `Unknown export column "${name.trim()}": expected one of EMAIL ADDRESS (always exported), ${EXPORT_COLUMNS.join(", ")}`,
          );
        if (column !== "EMAIL ADDRESS" && !columns.includes(column)) columns.push(column);
      }
    if (args.wait !== false && typeof args.out === "string" && args.out !== "-")
      await checkWritable(
        args.out,
        resolve(context.cwd, args.out),
        "Choose a file in an existing, writable directory with --out (- writes to stdout)",
      );
    const { client } = await connect(session);
    const signal = context.signal ? { signal: context.signal } : {};
    if (typeof args.activity === "string") {
      // An export created before (--no-wait, a run that timed out or was interrupted): follow it
      // and download it; creating another would export the list again.
      // Its file's URI (the File: of `status`) or name names it too.
      const existing = await client.activities.get(exportActivityOf(args.activity), signal);
      if (existing.type !== "EXPORT_CONTACTS")
        throw usageError(
          `Invalid --activity "${args.activity}": it is not an export (its type is ${existing.type})`,
        );
      return download(session, client, existing, `Export ${existing.id}`, args);
    }
    // An id or URI is checked against the account's lists too, as a name is (one read).
    const list = (
      await client.lists.resolveAll([String(args.list)], { ...signal, existing: true })
    )[0]!;
    const request = {
      list,
      // `--columns "EMAIL ADDRESS"` asks for the addresses alone (the client always adds them).
      columns: given === undefined ? [...EXPORT_COLUMNS] : columns,
      fileType: args.fileType === "txt" ? ("TXT" as const) : ("CSV" as const),
      sortBy: args.sort === "date" ? ("DATE_DESC" as const) : ("EMAIL_ADDRESS" as const),
      includeDate: args.includeDate === true,
      includeSource: args.includeSource === true,
      includeListName: args.includeListName === true,
    };
    if (args.dryRun) {
      output.event("request", { index: 0, activityType: "EXPORT_CONTACTS", ...request });
      output.result(
        { dryRun: true, requests: [{ activityType: "EXPORT_CONTACTS", ...request }] },
        () =>
          [
            "Would send 1 request: POST /activities",
            "  activityType=EXPORT_CONTACTS",
            `  listId=${request.list}`,
            `  fileType=${request.fileType}  sortBy=${request.sortBy}`,
            `  exportOptDate=${request.includeDate}  exportOptSource=${request.includeSource}  exportListName=${request.includeListName}`,
            `  columns=${["EMAIL ADDRESS", ...request.columns].join(", ")}`,
          ].join("\n"),
      );
      return EXIT_CODES.SUCCESS;
    }
    const created = await client.activities.exportContacts({ ...request, ...signal });
    output.event("created", { id: created.id, uri: created.uri });
    if (args.wait === false) {
      output.result({ activity: created } satisfies ExportResult, () => created.id);
      output.info(
        `Export of "${String(args.list)}" created: ${created.id} (download it when done with ctct-bulk export --activity ${created.id} --out FILE)`,
      );
      return EXIT_CODES.SUCCESS;
    }
    return download(
      session,
      client,
      created,
      `Export of list "${String(args.list)}" (${created.id})`,
      args,
    );
  },
};

/** Waits for an export activity, then streams its file to `--out`. */
async function download(
  session: Session,
  client: CtctClient,
  created: Pick<Activity, "id">,
  label: string,
  args: Record<string, unknown>,
): Promise<ExitCode> {
  const { output, context } = session;
  const signal = context.signal ? { signal: context.signal } : {};
  let activity: Activity | undefined;
  try {
    [activity] = await waitWithDisplay(session, client, [created.id], {
      timeoutSeconds: args.timeout as number | undefined,
      labels: new Map([[created.id, label]]),
    });
  } catch (error) {
    // The export goes on on the server: `wait` would only follow it, `export --activity`
    // follows it and downloads the file (waiting's generic advice is `wait`).
    const out = String(args.out);
    const later = `ctct-bulk export --activity ${created.id} --out ${/^[\w./@:+-]+$/.test(out) ? out : JSON.stringify(out)}`;
    if (
      CliError.isInstance(error) &&
      (error.cause as Error | undefined)?.name === "WaitTimeoutError"
    )
      throw new CliError(error.message, {
        exitCode: error.exitCode,
        hint: `The export is still running: download it when done with ${later}`,
        cause: error.cause,
      });
    if (context.signal?.aborted)
      throw new CliError("Interrupted", {
        exitCode: EXIT_CODES.INTERRUPTED,
        hint: `The export goes on on the server: download it when done with ${later}`,
        cause: error,
      });
    throw error;
  }
  if (activity!.status !== "COMPLETE") {
    output.result({ activity: activity! } satisfies ExportResult, () =>
      describeActivity(activity!, 20),
    );
    return exitCodeOf([activity!]);
  }
  const out = String(args.out);
  const download = await client.activities.downloadExport(activity!, signal);
  // Streamed straight to its destination: the count of contacts is the activity's own.
  let bytes = 0;
  const counted = download.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  if (out === "-") {
    await counted.pipeTo(Writable.toWeb(context.stdout as unknown as Writable), {
      preventClose: true,
    });
  } else {
    // Written beside the target, renamed once complete: an interrupted download leaves no half file.
    const target = resolve(context.cwd, out);
    const partial = `${target}.partial`;
    try {
      await counted.pipeTo(Writable.toWeb(createWriteStream(partial)));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof Error && "code" in error && typeof error.code === "string")
        throw new CliError(`Cannot write "${out}": ${writeReason(error)}`, {
          hint: "Choose a file in an existing, writable directory with --out, and run again",
          cause: error,
        });
      throw error;
    }
  }
  const rows = activity!.transactionCount;
  const result: ExportResult = {
    activity: activity!,
    out,
    bytes,
    rows,
  };
  if (out !== "-") output.result(result, () => `Exported ${plural(rows, "contact")} to "${out}"`);
  else output.info(`Exported ${plural(rows, "contact")} to stdout`);
  return EXIT_CODES.SUCCESS;
}
