// The writer thread of the SQLite store: it takes groups of pushes from the main thread and
// stores each group in one transaction. The main thread sends the next group only once this one
// is committed (it gathers the pushes that arrive meanwhile), so each message is one commit.
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { createGroupAcceptor, type PushRow } from "./_sqlite-accept.ts";

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

function store(message: AcceptMessage): void {
  if (message.rows.length === 0) return;
  try {
    const outcomes = acceptGroup(message.rows);
    parentPort!.postMessage({ type: "accepted", ids: message.ids, outcomes });
  } catch (error) {
    parentPort!.postMessage({
      type: "failed",
      ids: message.ids,
      message: (error as Error).message,
    });
  }
}

parentPort!.on("message", (message: AcceptMessage | { type: "close" }) => {
  if (message.type === "accept") {
    store(message);
    return;
  }
  db.close();
  parentPort!.postMessage({ type: "closed" });
});
