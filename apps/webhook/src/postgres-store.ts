/**
 * The PostgreSQL store, for several instances on one queue: every instance accepts pushes; the
 * batching and submitting of an account is done by the one instance holding its lease, taken
 * with `FOR UPDATE SKIP LOCKED` and checked (row-locked) in every transaction that writes.
 *
 * @module
 */
import pg from "pg";
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
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  partner_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  received_at BIGINT NOT NULL,
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
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  activity_uri TEXT,
  created_at BIGINT NOT NULL,
  submitted_at BIGINT,
  finished_at BIGINT,
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
  id BIGSERIAL PRIMARY KEY,
  push_id TEXT NOT NULL,
  contact INTEGER NOT NULL,
  email TEXT,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contact_errors_push ON contact_errors (push_id);
CREATE TABLE IF NOT EXISTS account_leases (
  account TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
`;

/** Options of {@linkcode openPostgresStore}. */
export interface PostgresStoreOptions {
  /** The PostgreSQL schema to use (created if missing); `public` unless given. */
  schema?: string;
  /** The most connections to hold; 10 unless given. */
  poolSize?: number;
  /**
   * How long one statement may run before PostgreSQL cancels it (`statement_timeout`; the
   * client gives up 5 s later if the server does not answer at all); 30 s unless given. A push
   * whose insert is cancelled, or that waits longer than `connectTimeoutMs` for a connection, is
   * answered `503` with `Retry-After` instead of waiting for ever (ADR 0161).
   */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (a new one, or a free one of the pool); 10 s unless given. */
  connectTimeoutMs?: number;
}

/** The PostgreSQL store; see {@linkcode openPostgresStore}. */
export interface PostgresStore extends PushStore {
  readonly kind: "postgres";
}

/**
 * Connects to PostgreSQL and creates the tables if needed (under an advisory lock, so that
 * instances starting together do not race).
 *
 * @param url A `postgres://user:password@host:port/database` URL (never logged).
 * @param options The schema and pool size.
 * @returns The store.
 * @throws {Error} When the server cannot be reached (the message does not hold the password).
 *
 * @example Several instances sharing one database
 * ```ts
 * import { openPostgresStore } from "@ctct-bulk/webhook";
 * const store = await openPostgresStore(process.env.PG_URL!);
 * store.kind; // "postgres"
 * await store.close();
 * ```
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const schema = options.schema ?? "public";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`Invalid schema "${schema}": expected a lower-case SQL identifier`);
  }
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${schema}`,
    // a statement stuck behind a lock, a server that stopped answering, or a pool with no free
    // connection must not leave a push waiting for ever (ADR 0161)
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 5_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    keepAlive: true,
  });
  // an idle client's error (a server restart) must not crash the process
  pool.on("error", () => {});
  const client = await pool.connect().catch((error: Error) => {
    pool.end().catch(() => {});
    throw new Error(`Cannot connect to PostgreSQL: ${error.message.replaceAll(url, "<url>")}`, {
      cause: error,
    });
  });
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('ctct-webhook-schema'))");
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(SCHEMA);
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('ctct-webhook-schema'))");
    }
  } finally {
    client.release();
  }
  return new PostgresStoreImpl(pool);
}

type Client = pg.PoolClient;

/**
 * Whether a failed query says the database is unavailable for now (a timeout, a cancelled
 * statement, a lost or refused connection, a server shutting down) rather than that the query
 * was wrong.
 */
function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    // 57014 query_canceled (statement_timeout), 57P01–57P03 shutdown / cannot connect now,
    // class 08 connection exceptions, 53300 too many connections; Node's socket errors
    if (/^(57014|57P0[1-3]|08...|53300)$/.test(code)) return true;
    if (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH)$/.test(code)) return true;
  }
  // pg's own client-side timeouts and a connection that ended carry no code
  return /timeout|Connection terminated/i.test(error.message);
}

class PostgresStoreImpl implements PostgresStore {
  readonly kind = "postgres" as const;
  #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async #query(text: string, values: unknown[] = []): Promise<StoreRow[]> {
    return (await this.#pool.query(text, values)).rows as StoreRow[];
  }

  async #transaction<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      try {
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    } finally {
      client.release();
    }
  }

  async acceptPush(push: NewPush): Promise<AcceptOutcome> {
    try {
      return await this.#acceptPush(push);
    } catch (error) {
      // the push was not acknowledged, so the sender sends it again: 503, not 500 (ADR 0161)
      if (isUnavailable(error)) {
        throw new StoreUnavailableError(
          `PostgreSQL did not store the push in time: ${(error as Error).message}`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async #acceptPush(push: NewPush): Promise<AcceptOutcome> {
    const inserted = await this.#query(
      `INSERT INTO pushes (id, partner_id, webhook_id, body_hash, received_at, account, action, lists,
        contacts, contact_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (partner_id, webhook_id) DO NOTHING RETURNING id`,
      toPushRow(push),
    );
    if (inserted.length === 1)
      return { kind: "accepted", pushId: push.id, receivedAt: push.receivedAt };
    const [existing] = await this.#query(
      "SELECT id, body_hash, received_at FROM pushes WHERE partner_id = $1 AND webhook_id = $2",
      [push.partnerId, push.webhookId],
    );
    if (!existing) throw new Error(`Cannot store push "${push.id}": its webhook id vanished`);
    if (existing.body_hash !== push.bodyHash)
      return { kind: "conflict", pushId: String(existing.id) };
    return {
      kind: "duplicate",
      pushId: String(existing.id),
      receivedAt: Number(existing.received_at),
    };
  }

  async getPushStatus(pushId: string): Promise<PushStatus | undefined> {
    const [push] = await this.#query("SELECT * FROM pushes WHERE id = $1", [pushId]);
    if (!push) return undefined;
    const batches = await this.#query(
      `SELECT b.id, b.state, b.activity_uri, b.last_error, b.created_at, SUM(p.count) AS contacts
       FROM batch_parts p JOIN batches b ON b.id = p.batch_id WHERE p.push_id = $1
       GROUP BY b.id ORDER BY b.created_at, b.id`,
      [pushId],
    );
    const errors = await this.#query(
      "SELECT contact, email, message FROM contact_errors WHERE push_id = $1 ORDER BY contact, id",
      [pushId],
    );
    return buildPushStatus(push, batches, errors);
  }

  async claimAccounts(owner: string, now: number, leaseMs: number): Promise<string[]> {
    await this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO account_leases (account, owner, expires_at)
         SELECT DISTINCT account, '', 0 FROM pushes WHERE finished = 0
         ON CONFLICT (account) DO NOTHING`,
      );
      const free = await client.query(
        `SELECT account FROM account_leases WHERE owner = $1 OR expires_at <= $2
         FOR UPDATE SKIP LOCKED`,
        [owner, now],
      );
      const accounts = free.rows.map((row) => String(row.account));
      if (accounts.length > 0) {
        await client.query(
          "UPDATE account_leases SET owner = $1, expires_at = $2 WHERE account = ANY($3)",
          [owner, now + leaseMs, accounts],
        );
      }
    });
    const held = await this.#query(
      "SELECT account FROM account_leases WHERE owner = $1 AND expires_at > $2 ORDER BY account",
      [owner, now],
    );
    return held.map((row) => String(row.account));
  }

  async releaseAccounts(owner: string): Promise<void> {
    await this.#query("UPDATE account_leases SET owner = '', expires_at = 0 WHERE owner = $1", [
      owner,
    ]);
  }

  async #holdsLease(client: Client, owner: string, account: string, now: number): Promise<boolean> {
    const result = await client.query(
      "SELECT 1 FROM account_leases WHERE account = $1 AND owner = $2 AND expires_at > $3 FOR UPDATE",
      [account, owner, now],
    );
    return result.rows.length === 1;
  }

  async listQueuedPushes(account: string): Promise<QueuedPush[]> {
    const rows = await this.#query(
      `SELECT seq, id, account, action, lists, received_at, contact_count, assigned_count, pending
       FROM pushes WHERE account = $1 AND finished = 0 ORDER BY seq`,
      [account],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      id: String(row.id),
      account: String(row.account),
      action: row.action as QueuedPush["action"],
      lists: JSON.parse(String(row.lists)) as string[],
      receivedAt: Number(row.received_at),
      contactCount: Number(row.contact_count),
      assignedCount: Number(row.assigned_count),
      pending: Number(row.pending) === 1,
    }));
  }

  async readPushContacts(pushId: string): Promise<PushContacts> {
    const [row] = await this.#query("SELECT contacts FROM pushes WHERE id = $1", [pushId]);
    if (!row) throw new RangeError(`Unknown push "${pushId}"`);
    return JSON.parse(String(row.contacts)) as PushContacts;
  }

  async listActiveBatches(account: string): Promise<BatchRecord[]> {
    const rows = await this.#query(
      `SELECT * FROM batches WHERE account = $1 AND state IN ('ready', 'submitting', 'submitted')
       ORDER BY created_at, id`,
      [account],
    );
    return rows.map((row) => ({
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
    }));
  }

  async listActivityUris(account: string, since: number): Promise<string[]> {
    const rows = await this.#query(
      "SELECT activity_uri FROM batches WHERE account = $1 AND activity_uri IS NOT NULL AND submitted_at >= $2",
      [account, since],
    );
    return rows.map((row) => String(row.activity_uri));
  }

  async createBatch(owner: string, now: number, batch: NewBatch): Promise<boolean> {
    return this.#transaction(async (client) => {
      if (!(await this.#holdsLease(client, owner, batch.account, now))) return false;
      await client.query(
        `INSERT INTO batches (id, account, action, lists, text, contact_count, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'ready', $7)`,
        [
          batch.id,
          batch.account,
          batch.action,
          JSON.stringify(batch.lists),
          batch.text,
          batch.contactCount,
          batch.createdAt,
        ],
      );
      for (const part of batch.parts) {
        await client.query(
          "INSERT INTO batch_parts (batch_id, push_id, first_index, count, first_line) VALUES ($1, $2, $3, $4, $5)",
          [batch.id, part.pushId, part.firstIndex, part.count, part.firstLine],
        );
        const changed = await client.query(
          `UPDATE pushes SET assigned_count = assigned_count + $1,
             pending = CASE WHEN assigned_count + $1 >= contact_count THEN 0 ELSE 1 END
           WHERE id = $2 AND assigned_count = $3 AND pending = 1`,
          [part.count, part.pushId, part.firstIndex],
        );
        if (changed.rowCount !== 1) {
          throw new RangeError(
            `Cannot assign contacts of push "${part.pushId}" from ${part.firstIndex}: already assigned`,
          );
        }
      }
      return true;
    });
  }

  async updateBatch(owner: string, now: number, update: BatchUpdate): Promise<boolean> {
    return this.#transaction(async (client) => {
      const found = await client.query("SELECT account FROM batches WHERE id = $1", [
        update.batchId,
      ]);
      const account = found.rows[0]?.account as string | undefined;
      if (account === undefined) throw new RangeError(`Unknown batch "${update.batchId}"`);
      if (!(await this.#holdsLease(client, owner, account, now))) return false;
      switch (update.state) {
        // each change applies only from the state it expects (a stale view changes nothing)
        case "submitting":
          return (
            (
              await client.query(
                `UPDATE batches SET state = 'submitting', attempts = $1, submitted_at = $2
                 WHERE id = $3 AND attempts = $4 AND state IN ('ready', 'submitting')`,
                [update.attempts, now, update.batchId, update.attempts - 1],
              )
            ).rowCount === 1
          );
        case "submitted":
          return (
            (
              await client.query(
                `UPDATE batches SET state = 'submitted', activity_uri = $1, submitted_at = $2, last_error = NULL
                 WHERE id = $3 AND state = 'submitting'`,
                [update.activityUri, now, update.batchId],
              )
            ).rowCount === 1
          );
        case "retry":
          return (
            (
              await client.query(
                `UPDATE batches SET state = $1, next_attempt_at = $2, last_error = $3
                 WHERE id = $4 AND state = 'submitting'`,
                [
                  update.inDoubt ? "submitting" : "ready",
                  update.nextAttemptAt,
                  update.lastError,
                  update.batchId,
                ],
              )
            ).rowCount === 1
          );
        default: {
          const changed = await client.query(
            `UPDATE batches SET state = $1, finished_at = $2, last_error = $3
             WHERE id = $4 AND state NOT IN ('complete', 'error', 'dead')`,
            [update.state, now, update.lastError ?? null, update.batchId],
          );
          if (changed.rowCount !== 1) return false;
          const parts = (
            await client.query(
              "SELECT push_id, first_index, count, first_line FROM batch_parts WHERE batch_id = $1",
              [update.batchId],
            )
          ).rows.map((row) => ({
            pushId: String(row.push_id),
            firstIndex: Number(row.first_index),
            count: Number(row.count),
            firstLine: Number(row.first_line),
          }));
          for (const error of mapLineErrors(parts, update.errors)) {
            await client.query(
              "INSERT INTO contact_errors (push_id, contact, email, message) VALUES ($1, $2, $3, $4)",
              [error.pushId, error.contact, error.email ?? null, error.message],
            );
          }
          const pushIds = [...new Set(parts.map((p) => p.pushId))];
          await client.query(
            `UPDATE pushes SET finished = 1 WHERE id = ANY($1) AND pending = 0 AND NOT EXISTS (
               SELECT 1 FROM batch_parts p JOIN batches b ON b.id = p.batch_id
               WHERE p.push_id = pushes.id AND b.state NOT IN ('complete', 'error', 'dead'))`,
            [pushIds],
          );
        }
      }
      return true;
    });
  }

  async stats(_now: number): Promise<StoreStats> {
    const [pushes] = await this.#query("SELECT COUNT(*) AS n FROM pushes");
    const [queued] = await this.#query(
      `SELECT COUNT(*) AS n, COALESCE(SUM(contact_count - assigned_count), 0) AS contacts,
         MIN(received_at) AS oldest FROM pushes WHERE pending = 1`,
    );
    const byState = await this.#query("SELECT state, COUNT(*) AS n FROM batches GROUP BY state");
    return {
      pushes: Number(pushes!.n),
      queuedPushes: Number(queued!.n),
      queuedContacts: Number(queued!.contacts),
      oldestQueuedAt: queued!.oldest === null ? null : Number(queued!.oldest),
      batchesByState: Object.fromEntries(byState.map((r) => [String(r.state), Number(r.n)])),
    };
  }

  async prune(before: number): Promise<number> {
    return this.#transaction(async (client) => {
      const old = "SELECT id FROM pushes WHERE finished = 1 AND received_at < $1";
      await client.query(`DELETE FROM contact_errors WHERE push_id IN (${old})`, [before]);
      await client.query(`DELETE FROM batch_parts WHERE push_id IN (${old})`, [before]);
      const deleted = await client.query(
        "DELETE FROM pushes WHERE finished = 1 AND received_at < $1",
        [before],
      );
      await client.query(
        `DELETE FROM batches WHERE state IN ('complete', 'error', 'dead')
         AND NOT EXISTS (SELECT 1 FROM batch_parts p WHERE p.batch_id = batches.id)`,
      );
      return deleted.rowCount ?? 0;
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
