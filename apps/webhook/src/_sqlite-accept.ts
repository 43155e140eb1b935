// Storing a group of pushes in one SQLite transaction (one fsync): shared by the store's own
// thread (`:memory:` databases) and the writer thread (files).
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { AcceptOutcome, NewPush } from "./store.ts";

type Row = Record<string, unknown>;

/**
 * A push as it is stored, its JSON columns already serialized: a flat array of strings and
 * numbers, several times cheaper to post to the writer thread than the push's nested objects.
 * `[id, partnerId, webhookId, bodyHash, receivedAt, account, action, lists, contacts, count]`.
 */
export type PushRow = [
  id: string,
  partnerId: string,
  webhookId: string,
  bodyHash: string,
  receivedAt: number,
  account: string,
  action: string,
  lists: string,
  contacts: string,
  contactCount: number,
];

/**
 * The row a push is stored as.
 *
 * @param push The push.
 * @returns Its row.
 */
export function toPushRow(push: NewPush): PushRow {
  return [
    push.id,
    push.partnerId,
    push.webhookId,
    push.bodyHash,
    push.receivedAt,
    push.account,
    push.action,
    JSON.stringify(push.lists),
    JSON.stringify(push.contacts),
    push.contacts.rows.length,
  ];
}

/** A function that stores a group of pushes in one transaction and says what became of each. */
export type GroupAcceptor = (pushes: readonly PushRow[]) => AcceptOutcome[];

/**
 * Creates the group acceptor of a database connection.
 *
 * @param db The connection (WAL, synchronous=FULL, schema created).
 * @returns The acceptor.
 */
export function createGroupAcceptor(db: DatabaseSync): GroupAcceptor {
  let find: StatementSync | undefined;
  let insert: StatementSync | undefined;
  const acceptOne = (push: PushRow): AcceptOutcome => {
    const [id, partnerId, webhookId, bodyHash, receivedAt] = push;
    find ??= db.prepare(
      "SELECT id, body_hash, received_at FROM pushes WHERE partner_id = ? AND webhook_id = ?",
    );
    const existing = find.get(partnerId, webhookId) as Row | undefined;
    if (existing) {
      if (existing.body_hash !== bodyHash) {
        return { kind: "conflict", pushId: String(existing.id) };
      }
      return {
        kind: "duplicate",
        pushId: String(existing.id),
        receivedAt: Number(existing.received_at),
      };
    }
    insert ??= db.prepare(
      `INSERT INTO pushes (id, partner_id, webhook_id, body_hash, received_at, account, action, lists,
        contacts, contact_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run(...push);
    return { kind: "accepted", pushId: id, receivedAt };
  };
  return (pushes) => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const outcomes = pushes.map(acceptOne);
      db.exec("COMMIT");
      return outcomes;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  };
}
