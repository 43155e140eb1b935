import { open, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { CliError } from "./cli-error.ts";
import { EXIT_CODES } from "./exit-codes.ts";

/** A held lock on a resume state file. */
export interface StateLock {
  /** The lock file: the state file's path and `.lock`. */
  readonly path: string;
  /** Removes the lock file (once; later calls do nothing). */
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, "utf8")) as Partial<Holder>;
    return typeof holder.pid === "number" && typeof holder.host === "string"
      ? (holder as Holder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder may still run: alive on this machine, or on another one (cannot tell). */
function mayRun(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock of a resume state file for the length of a run, so that a second import of the
 * same file (`--resume` typed while the first still runs, an overlapping cron job) cannot send
 * the same chunks again: both would read the same journal. The lock is a file created
 * exclusively beside the state file, holding the process id and host; a lock whose process has
 * died (kill -9, a crash) is taken over. Hand-written: a lock file is a few lines, and the
 * well-kept lock packages (proper-lockfile) judge staleness by a timestamp they keep refreshing,
 * which a run blocked in a long request would have to keep doing.
 *
 * @param statePath The state file's absolute path.
 * @param shown The state file as messages show it.
 * @returns The lock, to release when the run ends.
 * @throws {CliError} (exit code 1) when another run holds it.
 * @example One run at a time
 * ```ts
 * import { lockStateFile } from "./state-lock.ts"; // internal to @ctct-bulk/cli
 * const lock = await lockStateFile("/data/a.csv.ctct-bulk.json", "a.csv.ctct-bulk.json");
 * try {
 *   // … the import …
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export async function lockStateFile(statePath: string, shown: string): Promise<StateLock> {
  const path = `${statePath}.lock`;
  const mine: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    try {
      const handle = await open(path, "wx", 0o600);
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        path,
        async release() {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(path);
    if (holder && mayRun(holder))
      throw new CliError(
        `Another ctct-bulk run (process ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`}) is using "${shown}": a second run at the same time would send its chunks again`,
        {
          exitCode: EXIT_CODES.OTHER,
          hint: `Wait for it to end, then run the command again (with --resume if it was cut short); if no run is going, delete "${shown}.lock"`,
        },
      );
    // Its run has ended without removing it (or died while writing it): stale.
    await rm(path, { force: true });
  }
}
