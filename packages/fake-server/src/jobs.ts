import type { ActivityStatus, ActivityType } from "@ctct-bulk/core";
import type { ClockMode, FakeClock } from "./clock.ts";

/** One per-line error of an activity (the header is line 1). */
export interface ActivityLineErrorRecord {
  line?: number;
  email?: string;
  message: string;
}

/** A stored activity: what the API shows of it, and the work it still has to do. */
export interface ActivityRecord<Work = unknown> {
  id: string;
  username: string;
  type: ActivityType;
  status: ActivityStatus;
  /** The lists the job touches (list ids: numbers as text, or system list ids). */
  listIds: readonly string[];
  insertTime: number;
  queuedAt?: number;
  runStartTime?: number;
  runFinishTime?: number;
  /** When anything about the activity last changed. */
  updated: number;
  fileName: string;
  transactionCount: number;
  errors: ActivityLineErrorRecord[];
  /** The job's input, until it runs. */
  work?: Work;
  /** Whether a `job-error` fault asked for this job to end in `ERROR`. */
  failJob: boolean;
  /**
   * An export's file, once it ran, in pieces of a few thousand lines: the file of a list of
   * millions is longer than the longest string V8 can make, and is streamed piece by piece.
   */
  exportFile?: { fileType: "CSV" | "TXT"; pieces: readonly string[] };
}

/** Applies a job's work to the state; throws to end the job in `ERROR`. */
export type JobExecutor<Work> = (activity: ActivityRecord<Work>, at: number) => void;

/** How long each status step takes, in ms of the server clock. */
export interface JobTimings {
  /** PENDING → QUEUED. */
  pendingMs: number;
  /** QUEUED → RUNNING (at the earliest; a job waits for earlier jobs on its lists). */
  queuedMs: number;
  /** RUNNING → COMPLETE or ERROR. */
  runningMs: number;
}

/**
 * The timings for a step delay: every status lasts `jobDelay` ms.
 *
 * @param jobDelay ms per status step.
 * @returns The timings.
 */
export function timingsForDelay(jobDelay: number): JobTimings {
  if (!Number.isFinite(jobDelay) || jobDelay < 0)
    throw new RangeError(`Invalid job delay "${jobDelay}": expected a number of ms ≥ 0`);
  return { pendingMs: jobDelay, queuedMs: jobDelay, runningMs: jobDelay };
}

const isWildcard = (key: string): boolean => key.endsWith("/*");

const isFinal = (status: ActivityStatus): boolean => status === "COMPLETE" || status === "ERROR";

/**
 * Moves activities through PENDING → QUEUED → RUNNING → COMPLETE (or ERROR) by the server
 * clock, lazily: whoever looks at the state first calls {@linkcode JobEngine.catchUp}, which
 * replays every transition that is due, in time order. No timers: the server needs none, and a
 * manual clock stays exactly where a test put it.
 *
 * A job never starts before every earlier job on an overlapping list has finished (a job on a
 * system list overlaps every job, since adds and removes change the system lists).
 */
export class JobEngine<Work> {
  readonly #clock: FakeClock;
  readonly #execute: JobExecutor<Work>;
  #timings: JobTimings;
  /** Unfinished jobs, in creation order. */
  #open: ActivityRecord<Work>[] = [];
  /** When the last job on each list finished (`*` for system lists). */
  #lastFinish = new Map<string, number>();

  /**
   * @param clock The server clock.
   * @param timings How long each step takes.
   * @param execute Applies a job's work when it finishes running.
   */
  constructor(clock: FakeClock, timings: JobTimings, execute: JobExecutor<Work>) {
    this.#clock = clock;
    this.#timings = timings;
    this.#execute = execute;
  }

  /** The clock mode. */
  get mode(): ClockMode {
    return this.#clock.mode;
  }

  /** Changes the step timings of jobs that have not reached a step yet. */
  setTimings(timings: JobTimings): void {
    this.#timings = timings;
  }

  /** How many jobs have not finished. */
  get openCount(): number {
    return this.#open.length;
  }

  /**
   * Takes a new activity (status PENDING, insertTime set). With the immediate clock it runs to
   * its final status at once.
   */
  submit(activity: ActivityRecord<Work>): void {
    this.#open.push(activity);
    if (this.#clock.mode === "immediate") this.runAll();
    else this.catchUp();
  }

  /** Replays every transition due by the clock's time now. */
  catchUp(): void {
    const now = this.#clock.now();
    for (;;) {
      let best: ActivityRecord<Work> | undefined;
      let bestTime = Number.POSITIVE_INFINITY;
      for (let index = 0; index < this.#open.length; index++) {
        const activity = this.#open[index]!;
        const time = this.#nextTransition(activity, index);
        if (time < bestTime) {
          best = activity;
          bestTime = time;
        }
      }
      if (best === undefined || bestTime > now) return;
      this.#step(best, bestTime);
    }
  }

  /** Runs every unfinished job to its final status now, in order. */
  runAll(): void {
    const now = this.#clock.now();
    while (this.#open.length > 0) {
      const activity = this.#open[0]!;
      while (!isFinal(activity.status))
        this.#step(activity, Math.max(now, this.#earliest(activity)));
    }
  }

  /** Forgets every job (for a reset). */
  clear(): void {
    this.#open = [];
    this.#lastFinish.clear();
  }

  /** Ordering keys: `{username}/{list}`, or `{username}/*` for a system list. */
  #keys(activity: ActivityRecord<Work>): string[] {
    const account = activity.username.toLowerCase();
    return activity.listIds.map((id) => `${account}/${/^\d+$/.test(id) ? id : "*"}`);
  }

  #overlaps(a: ActivityRecord<Work>, b: ActivityRecord<Work>): boolean {
    if (a.username.toLowerCase() !== b.username.toLowerCase()) return false;
    const keysA = this.#keys(a);
    const keysB = this.#keys(b);
    if (keysA.some(isWildcard) || keysB.some(isWildcard)) return true;
    return keysA.some((key) => keysB.includes(key));
  }

  /** The earliest time a job may start running, given the jobs before it that finished. */
  #earliest(activity: ActivityRecord<Work>): number {
    let earliest = activity.insertTime;
    const keys = this.#keys(activity);
    const account = `${activity.username.toLowerCase()}/`;
    const wildcard = keys.some(isWildcard);
    for (const [key, finished] of this.#lastFinish) {
      if (!key.startsWith(account)) continue;
      if (wildcard || isWildcard(key) || keys.includes(key))
        earliest = Math.max(earliest, finished);
    }
    return earliest;
  }

  #nextTransition(activity: ActivityRecord<Work>, index: number): number {
    switch (activity.status) {
      case "UNCONFIRMED":
      case "PENDING":
        return activity.insertTime + this.#timings.pendingMs;
      case "QUEUED": {
        for (let earlier = 0; earlier < index; earlier++) {
          if (this.#overlaps(this.#open[earlier]!, activity)) return Number.POSITIVE_INFINITY;
        }
        return Math.max(
          (activity.queuedAt ?? activity.insertTime) + this.#timings.queuedMs,
          this.#earliest(activity),
        );
      }
      case "RUNNING":
        return (activity.runStartTime ?? activity.insertTime) + this.#timings.runningMs;
      default:
        return Number.POSITIVE_INFINITY;
    }
  }

  #step(activity: ActivityRecord<Work>, at: number): void {
    activity.updated = at;
    switch (activity.status) {
      case "UNCONFIRMED":
      case "PENDING":
        activity.status = "QUEUED";
        activity.queuedAt = at;
        return;
      case "QUEUED":
        activity.status = "RUNNING";
        activity.runStartTime = at;
        return;
      case "RUNNING":
        this.#finish(activity, at);
        return;
      default:
        return;
    }
  }

  #finish(activity: ActivityRecord<Work>, at: number): void {
    try {
      if (activity.failJob) throw new Error("The job failed (injected fault)");
      this.#execute(activity, at);
      activity.status = "COMPLETE";
    } catch (error) {
      activity.status = "ERROR";
      if (activity.errors.length === 0)
        activity.errors.push({
          message: error instanceof Error ? error.message : "The job failed",
        });
    }
    activity.runFinishTime = at;
    activity.updated = at;
    delete activity.work;
    this.#open = this.#open.filter((open) => open !== activity);
    for (const key of this.#keys(activity)) this.#lastFinish.set(key, at);
  }
}
