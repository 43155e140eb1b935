// The writer thread of the SQLite store: it takes pushes from the main thread and stores them
// in groups. While one group commits (the fsync), the next accumulates in the message queue and
// the main thread goes on parsing and verifying requests; right after the commit, everything
// queued meanwhile is committed together (no round trip to the main thread in between).
//
// The hand-off is kept small both ways, since the main thread pays for it per push: pushes come
// as one string per message (`appendPushRow`), numbered consecutively from `first`, and the
// answer names only the pushes that were not simply accepted (duplicates, conflicts).
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { createGroupAcceptor, readPushRows } from "./_sqlite-accept.ts";
import type { PushRow } from "./store.ts";

interface AcceptMessage {
  type: "accept";
  /** The number of the group's first push; the others follow consecutively. */
  first: number;
  group: string;
}

const { path, synchronous } = workerData as { path: string; synchronous: "FULL" | "OFF" };
const db = new DatabaseSync(path);
db.exec("PRAGMA journal_mode = WAL");
db.exec(`PRAGMA synchronous = ${synchronous}`);
db.exec("PRAGMA busy_timeout = 5000");
const acceptGroup = createGroupAcceptor(db);
let first = 0;
let rows: PushRow[] = [];
let scheduled = false;
/**
 * How long the last 100,000 groups' transactions took, BEGIN to COMMIT returned (ms), reported
 * when the store closes (the pushes benchmark prints them): a fixed ring, 800 KB.
 */
const commitTimes = new Float64Array(100_000);
let commits = 0;

function flush(): void {
  scheduled = false;
  const group = rows;
  rows = [];
  if (group.length === 0) return;
  try {
    const started = performance.now();
    const outcomes = acceptGroup(group);
    commitTimes[commits++ % commitTimes.length] = performance.now() - started;
    // [index in the group, kind, push id, received at] of each push not newly accepted
    const others: [number, string, string, number | undefined][] = [];
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.kind !== "accepted") {
        others.push([
          i,
          outcome.kind,
          outcome.pushId,
          outcome.kind === "duplicate" ? outcome.receivedAt : undefined,
        ]);
      }
    }
    parentPort!.postMessage({ type: "accepted", first, count: group.length, others });
  } catch (error) {
    parentPort!.postMessage({
      type: "failed",
      first,
      count: group.length,
      message: (error as Error).message,
    });
  }
}

parentPort!.on("message", (message: AcceptMessage | { type: "close" }) => {
  if (message.type === "accept") {
    if (rows.length === 0) first = message.first;
    else if (message.first !== first + rows.length) {
      throw new RangeError(`Push ${message.first} out of order: expected ${first + rows.length}`);
    }
    for (const row of readPushRows(message.group)) rows.push(row);
    if (!scheduled) {
      scheduled = true;
      // the messages already queued join this group
      setImmediate(flush);
    }
    return;
  }
  flush();
  db.close();
  const times = commitTimes.subarray(0, Math.min(commits, commitTimes.length)).sort();
  const at = (q: number) =>
    Math.round((times[Math.floor(q * (times.length - 1))] ?? 0) * 100) / 100;
  parentPort!.postMessage({
    type: "closed",
    commitMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) },
  });
});
