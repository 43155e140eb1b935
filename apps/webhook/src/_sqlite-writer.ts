// The writer thread of the SQLite store: it takes pushes from the main thread and stores them
// in groups. While one group commits (the fsync), the next accumulates in the message queue and
// the main thread goes on parsing and verifying requests; right after the commit, everything
// queued meanwhile is committed together (no round trip to the main thread in between).
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { createGroupAcceptor } from "./_sqlite-accept.ts";
import type { PushRow } from "./store.ts";

interface AcceptMessage {
  type: "accept";
  ids: number[];
  rows: PushRow[];
}

const { path, synchronous } = workerData as { path: string; synchronous: "FULL" | "OFF" };
const db = new DatabaseSync(path);
db.exec("PRAGMA journal_mode = WAL");
db.exec(`PRAGMA synchronous = ${synchronous}`);
db.exec("PRAGMA busy_timeout = 5000");
const acceptGroup = createGroupAcceptor(db);
let ids: number[] = [];
let rows: PushRow[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const group = { ids, rows };
  ids = [];
  rows = [];
  if (group.rows.length === 0) return;
  try {
    const outcomes = acceptGroup(group.rows);
    parentPort!.postMessage({ type: "accepted", ids: group.ids, outcomes });
  } catch (error) {
    parentPort!.postMessage({
      type: "failed",
      ids: group.ids,
      message: (error as Error).message,
    });
  }
}

parentPort!.on("message", (message: AcceptMessage | { type: "close" }) => {
  if (message.type === "accept") {
    for (const id of message.ids) ids.push(id);
    for (const row of message.rows) rows.push(row);
    if (!scheduled) {
      scheduled = true;
      // the messages already queued join this group
      setImmediate(flush);
    }
    return;
  }
  flush();
  db.close();
  parentPort!.postMessage({ type: "closed" });
});
