// A scripted stand-in for the API behind the ActivitySubmitter interface: it records every
// create, runs activities for a scripted number of reads, applies them to list memberships when
// they complete, and can fail creates and reads on demand.
import { openContactFile } from "@ctct-bulk/core";
import { type ActivitySubmitter, SubmitError } from "../src/dispatcher.ts";
import type { BatchRecord, LineError } from "../src/store.ts";

export interface ScriptedActivity {
  uri: string;
  batchId: string;
  action: BatchRecord["action"];
  lists: string[];
  emails: string[];
  createdAt: number;
  readsLeft: number;
  status: "RUNNING" | "COMPLETE" | "ERROR";
  errors: LineError[];
}

export interface ScriptedFault {
  /** Throw this instead of creating. */
  error: SubmitError;
  /** Create the activity anyway, then throw (a lost answer). */
  created?: boolean;
}

export class ScriptedApi implements ActivitySubmitter {
  readonly activities: ScriptedActivity[] = [];
  readonly members: Map<string, Set<string>> = new Map();
  /** Faults for the next creates, in order. */
  readonly createFaults: ScriptedFault[] = [];
  /** Per-line errors to report for the next activities created, by order. */
  readonly lineErrors: LineError[][] = [];
  /** Times at which creates were attempted, by batch. */
  readonly attempts: Map<string, number[]> = new Map();
  /** How many reads an activity takes before it finishes. */
  readsToFinish: () => number = () => 1;
  /** Broken invariants seen (per-list order). */
  readonly violations: string[] = [];
  #next = 0;

  readonly clock: () => number;

  constructor(clock: () => number) {
    this.clock = clock;
  }

  async create(batch: BatchRecord): Promise<{ activityUri: string }> {
    const times = this.attempts.get(batch.id) ?? [];
    times.push(this.clock());
    this.attempts.set(batch.id, times);
    const fault = this.createFaults.shift();
    if (fault && !fault.created) throw fault.error;
    // per-list order: nothing running on these lists with another action
    for (const other of this.activities) {
      if (other.status !== "RUNNING" || other.action === batch.action) continue;
      if (other.lists.some((list) => batch.lists.includes(list))) {
        this.violations.push(
          `${batch.action} ${batch.id} created while ${other.action} ${other.batchId} runs on a shared list`,
        );
      }
    }
    const emails: string[] = [];
    if (batch.text) {
      const table = await openContactFile(batch.text);
      for await (const row of table.rows) emails.push(row.fields[0]!);
    }
    const activity: ScriptedActivity = {
      uri: `http://api.constantcontact.com/ws/customers/${batch.account}/activities/a07e${String(++this.#next).padStart(15, "0")}`,
      batchId: batch.id,
      action: batch.action,
      lists: batch.lists,
      emails,
      createdAt: this.clock(),
      readsLeft: this.readsToFinish(),
      status: "RUNNING",
      errors: this.lineErrors.shift() ?? [],
    };
    this.activities.push(activity);
    if (fault) throw fault.error;
    return { activityUri: activity.uri };
  }

  async read(
    batch: BatchRecord & { activityUri: string },
  ): Promise<{ status: ScriptedActivity["status"]; errors: LineError[] }> {
    const activity = this.activities.find((a) => a.uri === batch.activityUri);
    if (!activity) throw new SubmitError("Not found", { retryable: false, kind: "404" });
    if (activity.status === "RUNNING" && --activity.readsLeft <= 0) this.finish(activity);
    return {
      status: activity.status,
      errors: activity.status === "RUNNING" ? [] : activity.errors,
    };
  }

  async findLost(
    batch: BatchRecord,
    since: number,
    known: ReadonlySet<string>,
  ): Promise<string | undefined> {
    const candidates = this.activities.filter(
      (a) => a.action === batch.action && a.createdAt >= since && !known.has(a.uri),
    );
    return candidates.length === 1 ? candidates[0]!.uri : undefined;
  }

  finish(activity: ScriptedActivity): void {
    activity.status = "COMPLETE";
    for (const list of activity.lists) {
      let members = this.members.get(list);
      if (!members) {
        members = new Set();
        this.members.set(list, members);
      }
      if (activity.action === "add") for (const email of activity.emails) members.add(email);
      else if (activity.action === "remove")
        for (const email of activity.emails) members.delete(email);
      else members.clear();
    }
  }

  /** How many times each (email, list, action) was submitted. */
  submissions(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const activity of this.activities) {
      for (const list of activity.lists) {
        for (const email of activity.emails) {
          const key = `${email} ${list} ${activity.action}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
    return counts;
  }
}
