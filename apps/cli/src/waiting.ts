import type { Activity } from "@ctct-bulk/core";
import type { CtctClient } from "@ctct-bulk/transport";
import { CliError } from "./cli-error.ts";
import type { Session } from "./command.ts";
import { EXIT_CODES, type ExitCode } from "./exit-codes.ts";
import { errorCountOf, plural } from "./format.ts";

/** Options of {@linkcode waitWithDisplay}. */
export interface WaitDisplayOptions {
  /** `--timeout` in seconds. */
  timeoutSeconds?: number | undefined;
  /** Labels for the display, by activity id (default: the id). */
  labels?: ReadonlyMap<string, string>;
}

/**
 * Waits for activities with the transport's `wait()`, showing each one's status: a line each on a
 * terminal, a message per change otherwise, a `status` event per change with `--ndjson`.
 *
 * @param session The run.
 * @param client The client.
 * @param ids The activities' ids or URIs.
 * @param options Timeout and labels.
 * @returns The finished activities, in the order of `ids`.
 * @example Waiting for one import
 * ```ts
 * import { waitWithDisplay } from "@ctct-bulk/cli";
 * const [activity] = await waitWithDisplay(session, client, [id]);
 * ```
 */
export async function waitWithDisplay(
  session: Session,
  client: CtctClient,
  ids: readonly string[],
  options: WaitDisplayOptions = {},
): Promise<Activity[]> {
  const { output, context } = session;
  const display = output.status();
  const started = Date.now();
  const seen = new Map<string, string>();
  const label = (id: string): string => options.labels?.get(id) ?? id;
  for (const id of ids) display.set(id, `${label(id)}  waiting…`);
  const timer = setInterval(() => {
    for (const [id, status] of seen)
      display.set(id, `${label(id)}  ${status}  ${Math.round((Date.now() - started) / 1000)}s`);
  }, 1000);
  timer.unref?.();
  try {
    const results = await client.activities.wait([...ids], {
      ...(options.timeoutSeconds === undefined ? {} : { timeout: options.timeoutSeconds * 1000 }),
      ...(context.signal ? { signal: context.signal } : {}),
      onStatus(change) {
        const { activity } = change;
        const status =
          activity.status === "COMPLETE"
            ? `COMPLETE, ${plural(activity.transactionCount, "contact")}${errorCountOf(activity) ? `, ${plural(errorCountOf(activity), "error")}` : ""}`
            : activity.status;
        seen.set(change.id, status);
        display.set(change.id, `${label(change.id)}  ${status}`);
        output.event("status", { id: activity.id, status: activity.status, activity });
        if (!output.interactive) output.info(`${label(change.id)}: ${status}`);
      },
    });
    return results.map((result) => result.activity);
  } catch (error) {
    // The generic advice says "wait <id>": here the ids still running are known.
    if (error instanceof Error && error.name === "WaitTimeoutError") {
      const running = ids.filter((id) => {
        const status = seen.get(id) ?? seen.get(id.split("/").pop() ?? id);
        return status === undefined || !/^(COMPLETE|ERROR)\b/.test(status);
      });
      throw new CliError(error.message, {
        exitCode: EXIT_CODES.OTHER,
        hint: `${running.length === 1 ? "The job is" : "The jobs are"} still running: follow ${running.length === 1 ? "it" : "them"} later with ctct-bulk wait ${running.join(" ")}`,
        cause: error,
      });
    }
    throw error;
  } finally {
    clearInterval(timer);
    display.stop();
  }
}

/**
 * The exit code finished activities mean: 3 if one failed, 4 if one rejected lines, else 0.
 *
 * @param activities Finished activities.
 * @returns The exit code.
 * @example A completed job with rejected lines
 * ```ts
 * import { exitCodeOf } from "@ctct-bulk/cli";
 * exitCodeOf([{ status: "COMPLETE", errors: [], errorCount: 2 }]); // 4
 * ```
 */
export function exitCodeOf(
  activities: readonly Pick<Activity, "status" | "errors" | "errorCount">[],
): ExitCode {
  if (activities.some((activity) => activity.status === "ERROR")) return EXIT_CODES.JOB_FAILED;
  if (activities.some((activity) => errorCountOf(activity) > 0)) return EXIT_CODES.LINE_ERRORS;
  return EXIT_CODES.SUCCESS;
}
