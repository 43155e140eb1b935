// Storing a group of pushes in one SQLite transaction (one fsync): shared by the store's own
// thread (`:memory:` databases) and the writer thread (files).
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { AcceptOutcome, PushRow } from "./store.ts";

type Row = Record<string, unknown>;

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
