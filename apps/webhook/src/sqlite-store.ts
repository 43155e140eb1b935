/**
 * The embedded store: Node's `node:sqlite`, WAL journal and `synchronous=FULL` (both checked at
 * startup), and a group commit in a writer thread: the pushes of one turn of the event loop go to
 * it together, and those that arrive while one transaction commits are written together by the
 * next (one fsync), so acknowledging does not cost one fsync per push, and the event loop goes on
 * parsing and verifying requests during the fsync (ADR 0063, 0090).
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { appendPushRow, createGroupAcceptor, type GroupAcceptor } from "./_sqlite-accept.ts";
import {
  type AcceptOutcome,
  type BatchRecord,
  type BatchState,
  type BatchUpdate,
  buildPushStatus,
  mapLineErrors,
  type NewBatch,
  type NewPush,
  type PushContacts,
  type PushRow,
  type PushStatus,
  type PushStore,
  type QueuedPush,
  type StoreRow,
  type StoreStats,
  StoreUnavailableError,
  toPushRow,
} from "./store.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS pushes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  partner_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  account TEXT NOT NULL,
  action TEXT NOT NULL,
  lists TEXT NOT NULL,
  contacts TEXT NOT NULL,
  contact_count INTEGER NOT NULL,
  assigned_count INTEGER NOT NULL DEFAULT 0,
  pending INTEGER NOT NULL DEFAULT 1,
  finished INTEGER NOT NULL DEFAULT 0,
  UNIQUE (partner_id, webhook_id)
);
CREATE INDEX IF NOT EXISTS pushes_queue ON pushes (account, finished, seq);
CREATE INDEX IF NOT EXISTS pushes_received ON pushes (finished, received_at);
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  action TEXT NOT NULL,
  lists TEXT NOT NULL,
  text TEXT NOT NULL,
  contact_count INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  activity_uri TEXT,
  created_at INTEGER NOT NULL,
  submitted_at INTEGER,
  finished_at INTEGER,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS batches_active ON batches (account, state, created_at);
CREATE TABLE IF NOT EXISTS batch_parts (
  batch_id TEXT NOT NULL,
  push_id TEXT NOT NULL,
  first_index INTEGER NOT NULL,
  count INTEGER NOT NULL,
  first_line INTEGER NOT NULL,
  PRIMARY KEY (batch_id, push_id, first_index)
);
CREATE INDEX IF NOT EXISTS batch_parts_push ON batch_parts (push_id);
CREATE TABLE IF NOT EXISTS contact_errors (
  push_id TEXT NOT NULL,
  contact INTEGER NOT NULL,
  email TEXT,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contact_errors_push ON contact_errors (push_id);
CREATE TABLE IF NOT EXISTS account_leases (
  account TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

/** Options of {@linkcode openSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * Whether to skip fsync (`synchronous=OFF`): for the benchmark's "no durability" comparison
   * only. The startup check then expects OFF instead of FULL.
   */
  unsafeNoSync?: boolean;
  /**
   * Where pushes are committed: `"worker"` (the default for a file) in a writer thread, so that
   * the event loop goes on during the fsync; `"inline"` (always for `:memory:`) on this thread's
   * event loop, which waits for the fsync: no hand-off, about the same push rate on two cores,
   * but a p99 latency two to three times higher at 2,000 pushes/s (ADR 0090).
   */
  writer?: "worker" | "inline";
  /**
   * How long pushes may wait for the writer thread without any answer from it before the store
   * gives up on it (30 s unless given): the pushes waiting are refused and {@linkcode
   * SqliteStore.failure} settles (ADR 0150). One transaction waits at most 5 s for a lock
   * (`busy_timeout`), so only a thread that is stuck stays silent that long.
   */
  writerStallMs?: number;
  /** The writer thread's module: for tests that need a writer which dies or hangs. */
  writerModule?: URL;
}

interface PendingAccept {
  push: NewPush;
  resolve: (outcome: AcceptOutcome) => void;
  reject: (error: unknown) => void;
}

type Row = StoreRow;

/** The SQLite store; see {@linkcode openSqliteStore}. */
export interface SqliteStore extends PushStore {
  readonly kind: "sqlite";
  /** How many transactions the group commit has run, and how many pushes they held. */
  readonly groupCommits: { transactions: number; pushes: number };
  /**
   * With the writer thread, once the store is closed: how long its last 100,000 transactions
   * took, BEGIN to COMMIT returned, fsync included (quantiles, ms); for the pushes benchmark.
   */
  readonly commitMs: CommitTimes | undefined;
  /**
   * Settles with the reason once the writer thread has died or stopped answering (ADR 0150):
   * from then on every push is refused, so the service exits for its supervisor to restart it.
   * Never settles when the store is closed normally, nor with the inline writer.
   */
  readonly failure: Promise<Error>;
}

/** Quantiles of the writer thread's transaction times, in milliseconds. */
export interface CommitTimes {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * Opens (or creates) the SQLite store, and checks that the journal is WAL and that
 * `synchronous` is FULL, so that an acknowledged push survives a power cut.
 *
 * @param path The database file (`:memory:` for tests that need no durability).
 * @param options Test-only switches.
 * @returns The store.
 * @throws {Error} When the database cannot be opened in WAL mode with `synchronous=FULL`.
 *
 * @example Opening the store next to the service
 * ```ts
 * import { openSqliteStore } from "@ctct-bulk/webhook";
 * const store = openSqliteStore("ctct-webhook.db");
 * store.kind; // "sqlite"
 * await store.close();
 * ```
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const db = new DatabaseSync(path);
  const journal = (db.prepare("PRAGMA journal_mode = WAL").get() as Row).journal_mode;
  const expectedSync = options.unsafeNoSync ? 0 : 2;
  db.exec(`PRAGMA synchronous = ${options.unsafeNoSync ? "OFF" : "FULL"}`);
  const synchronous = Number((db.prepare("PRAGMA synchronous").get() as Row).synchronous);
  if (path !== ":memory:" && journal !== "wal") {
    db.close();
    throw new Error(
      `Cannot use the database "${path}": journal_mode is "${journal}", expected "wal"`,
    );
  }
  if (synchronous !== expectedSync) {
    db.close();
    throw new Error(
      `Cannot use the database "${path}": synchronous is ${synchronous}, expected ${expectedSync} (FULL)`,
    );
  }
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec(SCHEMA);
  const inline = path === ":memory:" || options.writer === "inline";
  return new SqliteStoreImpl(
    db,
    inline ? undefined : { path, synchronous: options.unsafeNoSync ? "OFF" : "FULL" },
    {
      stallMs: options.writerStallMs ?? 30_000,
      module: options.writerModule ?? new URL("./_sqlite-writer.ts", import.meta.url),
    },
  );
}

type WorkerMessage =
  | {
      type: "accepted";
      first: number;
      count: number;
      /** [index in the group, kind, push id, received at] of each push not newly accepted */
      others: [number, "duplicate" | "conflict", string, number | undefined][];
    }
  | { type: "failed"; first: number; count: number; message: string }
  | { type: "closed"; commitMs: CommitTimes };

class SqliteStoreImpl implements SqliteStore {
  readonly kind = "sqlite" as const;
  readonly groupCommits = { transactions: 0, pushes: 0 };
  commitMs: CommitTimes | undefined;
  #db: DatabaseSync;
  #pending: PendingAccept[] = [];
  #scheduled = false;
  #closed = false;
  #statements = new Map<string, StatementSync>();
  #acceptGroup: GroupAcceptor;
  #worker: Worker | undefined;
  #waiting = new Map<number, PendingAccept>();
  #nextId = 0;
  /** The pushes of this turn of the event loop, for the writer (`appendPushRow`). */
  #outbox = "";
  #outboxFirst = 0;
  #writerError: Error | undefined;
  #workerClosed: Promise<void> | undefined;
  readonly failure: Promise<Error>;
  /** When the writer last answered, or pushes started waiting for it after none did (`performance.now()`). */
  #heardAt = 0;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #stallMs = 0;

  constructor(
    db: DatabaseSync,
    writer: { path: string; synchronous: "FULL" | "OFF" } | undefined,
    thread: { stallMs: number; module: URL },
  ) {
    this.#db = db;
    this.#acceptGroup = createGroupAcceptor(db);
    this.#stallMs = thread.stallMs;
    let failed!: (error: Error) => void;
    this.failure = new Promise((resolve) => {
      failed = resolve;
    });
    if (writer) {
      const worker = new Worker(thread.module, { workerData: writer });
      worker.unref();
      // for the watchdog's message: a thread that never started is told from one stuck later
      let started = false;
      worker.once("online", () => {
        started = true;
      });
      let closed!: () => void;
      this.#workerClosed = new Promise((resolve) => {
        closed = resolve;
      });
      worker.on("message", (message: WorkerMessage) => {
        this.#heardAt = performance.now();
        if (message.type === "accepted") {
          this.groupCommits.transactions++;
          this.groupCommits.pushes += message.count;
          let other = 0;
          for (let i = 0; i < message.count; i++) {
            const id = message.first + i;
            const entry = this.#waiting.get(id);
            this.#waiting.delete(id);
            const found = message.others[other]?.[0] === i ? message.others[other++] : undefined;
            if (!entry) continue;
            if (found) {
              entry.resolve(
                found[1] === "duplicate"
                  ? { kind: "duplicate", pushId: found[2], receivedAt: found[3]! }
                  : { kind: "conflict", pushId: found[2] },
              );
            } else {
              entry.resolve({
                kind: "accepted",
                pushId: entry.push.id,
                receivedAt: entry.push.receivedAt,
              });
            }
          }
        } else if (message.type === "failed") {
          for (let id = message.first; id < message.first + message.count; id++) {
            this.#waiting.get(id)?.reject(new Error(`Cannot store the push: ${message.message}`));
            this.#waiting.delete(id);
          }
        } else {
          this.commitMs = message.commitMs;
          closed();
        }
      });
      const fail = (error: Error) => {
        // later pushes are refused at once (500, the sender retries) rather than left waiting,
        // and the service is told, so that it exits and its supervisor restarts it (ADR 0150)
        const first = this.#writerError === undefined;
        this.#writerError ??= error;
        clearInterval(this.#watchdog);
        for (const entry of this.#waiting.values()) entry.reject(error);
        this.#waiting.clear();
        this.#outbox = "";
        closed();
        if (first && !this.#closed) failed(error);
      };
      worker.on("error", (error: Error) =>
        fail(
          new StoreUnavailableError(`The store's writer thread failed: ${error.message}`, {
            cause: error,
          }),
        ),
      );
      worker.on("exit", (code) =>
        fail(new StoreUnavailableError(`The store's writer thread stopped (exit code ${code})`)),
      );
      // Hand-written rather than a library: one timer that checks two numbers. A writer that
      // neither answers nor dies (stuck in a system call or in SQLite) would otherwise leave
      // every push waiting for ever, the service up and silent (ADR 0150).
      const every = Math.min(1_000, thread.stallMs);
      let tickedAt = performance.now();
      this.#watchdog = setInterval(() => {
        const now = performance.now();
        const late = now - tickedAt > 2 * every;
        tickedAt = now;
        // an event loop held up (not the writer) runs its timers before the messages queued
        // meanwhile: the writer's answers are then read before the next check
        if (late) return;
        const silentMs = now - this.#heardAt;
        // (after close(), the writer owes its "closed")
        if ((this.#waiting.size === 0 && !this.#closed) || silentMs <= thread.stallMs) return;
        fail(
          new StoreUnavailableError(
            `The store's writer thread has not answered for ${Math.round(silentMs / 1000)} s (pushes waiting: ${this.#waiting.size}, groups committed before: ${this.groupCommits.transactions}, thread started: ${started ? "yes" : "no"})`,
          ),
        );
        void worker.terminate();
      }, every);
      this.#watchdog.unref();
      this.#worker = worker;
    }
  }

  #sql(text: string): StatementSync {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  acceptPush(push: NewPush): Promise<AcceptOutcome> {
    if (this.#closed) return Promise.reject(new Error("The store is closed"));
    if (this.#writerError) return Promise.reject(this.#writerError);
    if (this.#worker) {
      // the row first: were it to throw after the push took a number, the writer would give
      // that number to the next push, which would then never be answered
      let row: PushRow;
      try {
        row = toPushRow(push);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        const id = this.#nextId++;
        // the writer's silence is counted from now when nothing was waiting for it
        if (this.#waiting.size === 0) this.#heardAt = performance.now();
        this.#waiting.set(id, { push, resolve, reject });
        const empty = this.#outbox === "";
        if (empty) this.#outboxFirst = id;
        this.#outbox = appendPushRow(this.#outbox, row);
        // the pushes of this turn of the event loop go to the writer in one message (posted
        // right after this turn's I/O callbacks: no wait beyond that when the service is idle)
        if (empty) setImmediate(() => this.#send());
      });
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ push, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // the pushes of this turn's I/O callbacks join one transaction, committed right after
        // them (no wait when the service is idle); those arriving during its fsync wait in the
        // sockets and form the next
        setImmediate(() => this.#flushAccepts());
      }
    });
  }

  #send(): void {
    if (this.#outbox === "" || !this.#worker) return;
    const group = this.#outbox;
    this.#outbox = "";
    this.#worker.postMessage({ type: "accept", first: this.#outboxFirst, group });
  }

  #flushAccepts(): void {
    this.#scheduled = false;
    const group = this.#pending;
    this.#pending = [];
    if (group.length === 0) return;
    let outcomes: AcceptOutcome[];
    try {
      outcomes = this.#acceptGroup(group.map(({ push }) => toPushRow(push)));
    } catch (error) {
      for (const entry of group) entry.reject(error);
      return;
    }
    this.groupCommits.transactions++;
    this.groupCommits.pushes += group.length;
    for (const [i, entry] of group.entries()) entry.resolve(outcomes[i]!);
  }

  async getPushStatus(pushId: string): Promise<PushStatus | undefined> {
    const push = this.#sql("SELECT * FROM pushes WHERE id = ?").get(pushId) as Row | undefined;
    if (!push) return undefined;
    const batches = this.#sql(
      `SELECT b.id, b.state, b.activity_uri, b.last_error, SUM(p.count) AS contacts
       FROM batch_parts p JOIN batches b ON b.id = p.batch_id WHERE p.push_id = ?
       GROUP BY b.id ORDER BY b.created_at, b.id`,
    ).all(pushId) as Row[];
    const errors = this.#sql(
      "SELECT contact, email, message FROM contact_errors WHERE push_id = ? ORDER BY contact, rowid",
    ).all(pushId) as Row[];
    return buildPushStatus(push, batches, errors);
  }

  async claimAccounts(owner: string, now: number, leaseMs: number): Promise<string[]> {
    return this.#transaction(() => {
      const accounts = this.#sql(
        "SELECT DISTINCT account FROM pushes WHERE finished = 0",
      ).all() as Row[];
      for (const { account } of accounts) {
        this.#sql(
          `INSERT INTO account_leases (account, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (account) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE account_leases.owner = excluded.owner OR account_leases.expires_at <= ?`,
        ).run(account as string, owner, now + leaseMs, now);
      }
      return (
        this.#sql(
          "SELECT account FROM account_leases WHERE owner = ? AND expires_at > ? ORDER BY account",
        ).all(owner, now) as Row[]
      ).map((row) => String(row.account));
    });
  }

  async releaseAccounts(owner: string): Promise<void> {
    this.#sql("DELETE FROM account_leases WHERE owner = ?").run(owner);
  }

  #holdsLease(owner: string, account: string, now: number): boolean {
    return (
      this.#sql(
        "SELECT 1 AS held FROM account_leases WHERE account = ? AND owner = ? AND expires_at > ?",
      ).get(account, owner, now) !== undefined
    );
  }

  async listQueuedPushes(account: string): Promise<QueuedPush[]> {
    const rows = this.#sql(
      `SELECT seq, id, account, action, lists, received_at, contact_count, assigned_count, pending
       FROM pushes WHERE account = ? AND finished = 0 ORDER BY seq`,
    ).all(account) as Row[];
    return rows.map(queuedPush);
  }

  async readPushContacts(pushId: string): Promise<PushContacts> {
    const row = this.#sql("SELECT contacts FROM pushes WHERE id = ?").get(pushId) as
      | Row
      | undefined;
    if (!row) throw new RangeError(`Unknown push "${pushId}"`);
    return JSON.parse(String(row.contacts)) as PushContacts;
  }

  async listActiveBatches(account: string): Promise<BatchRecord[]> {
    const rows = this.#sql(
      `SELECT * FROM batches WHERE account = ? AND state IN ('ready', 'submitting', 'submitted')
       ORDER BY created_at, id`,
    ).all(account) as Row[];
    return rows.map(batchRecord);
  }

  async listActivityUris(account: string, since: number): Promise<string[]> {
    const rows = this.#sql(
      "SELECT activity_uri FROM batches WHERE account = ? AND activity_uri IS NOT NULL AND submitted_at >= ?",
    ).all(account, since) as Row[];
    return rows.map((row) => String(row.activity_uri));
  }

  async createBatch(owner: string, now: number, batch: NewBatch): Promise<boolean> {
    return this.#transaction(() => {
      if (!this.#holdsLease(owner, batch.account, now)) return false;
      this.#sql(
        `INSERT INTO batches (id, account, action, lists, text, contact_count, state, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'ready', ?)`,
      ).run(
        batch.id,
        batch.account,
        batch.action,
        JSON.stringify(batch.lists),
        batch.text,
        batch.contactCount,
        batch.createdAt,
      );
      for (const part of batch.parts) {
        this.#sql(
          "INSERT INTO batch_parts (batch_id, push_id, first_index, count, first_line) VALUES (?, ?, ?, ?, ?)",
        ).run(batch.id, part.pushId, part.firstIndex, part.count, part.firstLine);
        const changed = this.#sql(
          `UPDATE pushes SET assigned_count = assigned_count + ?,
             pending = CASE WHEN assigned_count + ? >= contact_count THEN 0 ELSE 1 END
           WHERE id = ? AND assigned_count = ? AND pending = 1`,
        ).run(part.count, part.count, part.pushId, part.firstIndex).changes;
        if (Number(changed) !== 1) {
          throw new RangeError(
            `Cannot assign contacts of push "${part.pushId}" from ${part.firstIndex}: already assigned`,
          );
        }
      }
      return true;
    });
  }

  async updateBatch(owner: string, now: number, update: BatchUpdate): Promise<boolean> {
    return this.#transaction(() => {
      const batch = this.#sql("SELECT account FROM batches WHERE id = ?").get(update.batchId) as
        | Row
        | undefined;
      if (!batch) throw new RangeError(`Unknown batch "${update.batchId}"`);
      if (!this.#holdsLease(owner, String(batch.account), now)) return false;
      switch (update.state) {
        // each change applies only from the state it expects (a stale view changes nothing)
        case "submitting":
          return (
            Number(
              this.#sql(
                `UPDATE batches SET state = 'submitting', attempts = ?, submitted_at = ?
                 WHERE id = ? AND attempts = ? AND state IN ('ready', 'submitting')`,
              ).run(update.attempts, now, update.batchId, update.attempts - 1).changes,
            ) === 1
          );
        case "submitted":
          return (
            Number(
              this.#sql(
                `UPDATE batches SET state = 'submitted', activity_uri = ?, submitted_at = ?, last_error = NULL
                 WHERE id = ? AND state = 'submitting'`,
              ).run(update.activityUri, now, update.batchId).changes,
            ) === 1
          );
        case "retry":
          return (
            Number(
              this.#sql(
                `UPDATE batches SET state = ?, next_attempt_at = ?, last_error = ?
                 WHERE id = ? AND state = 'submitting'`,
              ).run(
                update.inDoubt ? "submitting" : "ready",
                update.nextAttemptAt,
                update.lastError,
                update.batchId,
              ).changes,
            ) === 1
          );
        default: {
          const changed = this.#sql(
            `UPDATE batches SET state = ?, finished_at = ?, last_error = ?
             WHERE id = ? AND state NOT IN ('complete', 'error', 'dead')`,
          ).run(update.state, now, update.lastError ?? null, update.batchId).changes;
          if (Number(changed) !== 1) return false;
          const parts = (
            this.#sql(
              "SELECT push_id, first_index, count, first_line FROM batch_parts WHERE batch_id = ?",
            ).all(update.batchId) as Row[]
          ).map((row) => ({
            pushId: String(row.push_id),
            firstIndex: Number(row.first_index),
            count: Number(row.count),
            firstLine: Number(row.first_line),
          }));
          for (const error of mapLineErrors(parts, update.errors)) {
            this.#sql(
              "INSERT INTO contact_errors (push_id, contact, email, message) VALUES (?, ?, ?, ?)",
            ).run(error.pushId, error.contact, error.email ?? null, error.message);
          }
          for (const pushId of new Set(parts.map((p) => p.pushId))) {
            this.#sql(
              `UPDATE pushes SET finished = 1 WHERE id = ? AND pending = 0 AND NOT EXISTS (
                 SELECT 1 FROM batch_parts p JOIN batches b ON b.id = p.batch_id
                 WHERE p.push_id = pushes.id AND b.state NOT IN ('complete', 'error', 'dead'))`,
            ).run(pushId);
          }
        }
      }
      return true;
    });
  }

  async stats(_now: number): Promise<StoreStats> {
    const pushes = this.#sql("SELECT COUNT(*) AS n FROM pushes").get() as Row;
    const queued = this.#sql(
      `SELECT COUNT(*) AS n, COALESCE(SUM(contact_count - assigned_count), 0) AS contacts,
         MIN(received_at) AS oldest FROM pushes WHERE pending = 1`,
    ).get() as Row;
    const byState = this.#sql(
      "SELECT state, COUNT(*) AS n FROM batches GROUP BY state",
    ).all() as Row[];
    return {
      pushes: Number(pushes.n),
      queuedPushes: Number(queued.n),
      queuedContacts: Number(queued.contacts),
      oldestQueuedAt: queued.oldest === null ? null : Number(queued.oldest),
      batchesByState: Object.fromEntries(byState.map((r) => [String(r.state), Number(r.n)])),
    };
  }

  async prune(before: number): Promise<number> {
    return this.#transaction(() => {
      const old = `SELECT id FROM pushes WHERE finished = 1 AND received_at < ?`;
      this.#sql(`DELETE FROM contact_errors WHERE push_id IN (${old})`).run(before);
      this.#sql(`DELETE FROM batch_parts WHERE push_id IN (${old})`).run(before);
      const deleted = Number(
        this.#sql("DELETE FROM pushes WHERE finished = 1 AND received_at < ?").run(before).changes,
      );
      this.#sql(
        `DELETE FROM batches WHERE state IN ('complete', 'error', 'dead')
         AND NOT EXISTS (SELECT 1 FROM batch_parts p WHERE p.batch_id = batches.id)`,
      ).run();
      return deleted;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pending.length > 0) this.#flushAccepts();
    if (this.#worker) {
      // the writer stores what it was given, then stops
      if (this.#waiting.size === 0) this.#heardAt = performance.now();
      this.#send();
      this.#worker.postMessage({ type: "close" });
      await this.#workerClosed;
      clearInterval(this.#watchdog);
      let stopped = true;
      if (this.#writerError) {
        // a thread blocked in a system call cannot be stopped, and Node's exit would wait for
        // it for ever: it is given a few seconds, then the caller is told (ADR 0150)
        let timer: ReturnType<typeof setTimeout> | undefined;
        stopped = await Promise.race([
          this.#worker.terminate().then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), Math.min(5_000, this.#stallMs));
          }),
        ]);
        clearTimeout(timer);
      } else {
        await this.#worker.terminate();
      }
      const error = this.#writerError ?? new Error("The store closed before the push was stored");
      for (const entry of this.#waiting.values()) entry.reject(error);
      this.#waiting.clear();
      if (!stopped) {
        this.#db.close();
        throw new Error(
          "The store's writer thread is stuck and cannot be stopped: the process cannot exit normally",
        );
      }
    }
    this.#db.close();
  }
}

function queuedPush(row: Row): QueuedPush {
  return {
    seq: Number(row.seq),
    id: String(row.id),
    account: String(row.account),
    action: row.action as QueuedPush["action"],
    lists: JSON.parse(String(row.lists)) as string[],
    receivedAt: Number(row.received_at),
    contactCount: Number(row.contact_count),
    assignedCount: Number(row.assigned_count),
    pending: Number(row.pending) === 1,
  };
}

function batchRecord(row: Row): BatchRecord {
  return {
    id: String(row.id),
    account: String(row.account),
    action: row.action as BatchRecord["action"],
    lists: JSON.parse(String(row.lists)) as string[],
    text: String(row.text),
    contactCount: Number(row.contact_count),
    state: row.state as BatchState,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    activityUri: row.activity_uri === null ? null : String(row.activity_uri),
    createdAt: Number(row.created_at),
    submittedAt: row.submitted_at === null ? null : Number(row.submitted_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    lastError: row.last_error === null ? null : String(row.last_error),
  };
}
