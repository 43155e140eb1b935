// Storing a group of pushes in one SQLite transaction (one fsync): shared by the writer thread
// (the default for a file) and the store's own thread (`:memory:`, or `writer: "inline"`).
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
    // the insert is the idempotency check: only a push whose webhook id was seen costs a lookup
    insert ??= db.prepare(
      `INSERT INTO pushes (id, partner_id, webhook_id, body_hash, received_at, account, action, lists,
        contacts, contact_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (partner_id, webhook_id) DO NOTHING`,
    );
    if (Number(insert.run(...push).changes) === 1) {
      return { kind: "accepted", pushId: id, receivedAt };
    }
    find ??= db.prepare(
      "SELECT id, body_hash, received_at FROM pushes WHERE partner_id = ? AND webhook_id = ?",
    );
    const existing = find.get(partnerId, webhookId) as Row;
    if (existing.body_hash !== bodyHash) {
      return { kind: "conflict", pushId: String(existing.id) };
    }
    return {
      kind: "duplicate",
      pushId: String(existing.id),
      receivedAt: Number(existing.received_at),
    };
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

/**
 * Appends a push row to a group being handed to the writer thread, as one string: each field as
 * its length, `:`, then its text. A group crosses the thread boundary as this single string
 * (copied once) instead of arrays of fields, which `postMessage` cloned at about 2.5 µs a push on
 * the event loop (the pushes benchmark's profile; ADR 0090). Lengths rather than a separator, so
 * that no field needs escaping whatever it holds.
 *
 * @param group The group so far (`""` for a new one).
 * @param row The push row.
 * @returns The group with the row appended.
 */
export function appendPushRow(group: string, row: PushRow): string {
  let text = group;
  for (const field of row) {
    const value = typeof field === "number" ? String(field) : field;
    text += `${value.length}:${value}`;
  }
  return text;
}

/**
 * Reads the rows {@linkcode appendPushRow} wrote.
 *
 * @param group The group's string.
 * @returns The rows, in order.
 * @throws {RangeError} When the string is not such a group (a bug, never input).
 */
export function readPushRows(group: string): PushRow[] {
  const rows: PushRow[] = [];
  let position = 0;
  const next = (): string => {
    const colon = group.indexOf(":", position);
    const length = Number(group.slice(position, colon));
    if (colon < 0 || !Number.isInteger(length) || colon + 1 + length > group.length) {
      throw new RangeError(`Invalid push group at character ${position}`);
    }
    position = colon + 1 + length;
    return group.slice(colon + 1, position);
  };
  while (position < group.length) {
    rows.push([
      next(),
      next(),
      next(),
      next(),
      Number(next()),
      next(),
      next(),
      next(),
      next(),
      Number(next()),
    ]);
  }
  return rows;
}
