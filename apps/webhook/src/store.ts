/**
 * The durable store behind the service: what a push, a batch and a lease are, and the interface
 * that the SQLite store (one instance) and the PostgreSQL store (several instances) both offer.
 * One contract test suite runs against both.
 *
 * @module
 */
import type { ContactColumn } from "@ctct-bulk/core";

/** What a push asks for: add contacts to lists, remove them from lists, or clear lists. */
export type PushAction = "add" | "remove" | "clear";

/** The contacts of a push, mapped to contact columns. */
export interface PushContacts {
  /** The columns, `EMAIL ADDRESS` first. */
  columns: ContactColumn[];
  /** One row of values per contact, in `columns` order. */
  rows: string[][];
  /** Where each contact came from: the CSV line, or `contacts[i]`'s index + 1 for JSON. */
  sources: number[];
}

/** A push to store, already verified and validated. */
export interface NewPush {
  /** The push id the service answers with (`psh_…`). */
  id: string;
  partnerId: string;
  /** The `webhook-id` of the request: the idempotency key, per partner. */
  webhookId: string;
  /** SHA-256 of the raw body, hex: a retry with another body is refused. */
  bodyHash: string;
  /** When the push was received, in milliseconds since the epoch. */
  receivedAt: number;
  account: string;
  action: PushAction;
  /** The list URIs, sorted. */
  lists: string[];
  contacts: PushContacts;
}

/** What {@linkcode PushStore.acceptPush} did. */
export type AcceptOutcome =
  | { kind: "accepted"; pushId: string; receivedAt: number }
  | { kind: "duplicate"; pushId: string; receivedAt: number }
  | { kind: "conflict"; pushId: string };

/** A push still being worked on, without its contacts (the dispatcher's view of the queue). */
export interface QueuedPush {
  seq: number;
  id: string;
  account: string;
  action: PushAction;
  lists: string[];
  receivedAt: number;
  contactCount: number;
  /** How many of its contacts (from the first) are in batches already. */
  assignedCount: number;
  /** Whether some of it (contacts, or the clear itself) is in no batch yet. */
  pending: boolean;
}

/** Where a batch's state stands. `complete`, `error` and `dead` are final. */
export type BatchState = "ready" | "submitting" | "submitted" | "complete" | "error" | "dead";

/** The final batch states. */
export const FINAL_BATCH_STATES: readonly BatchState[] = ["complete", "error", "dead"];

/** A run of consecutive contacts of one push inside a batch. */
export interface BatchPart {
  pushId: string;
  /** The push's first contact in this batch (0-based). */
  firstIndex: number;
  count: number;
  /** The line of the batch's file holding that contact (the header is line 1). */
  firstLine: number;
}

/** A batch to create: one future activity. */
export interface NewBatch {
  id: string;
  account: string;
  action: PushAction;
  lists: string[];
  /** The contact file to send (header + rows), empty for a clear. */
  text: string;
  contactCount: number;
  createdAt: number;
  parts: BatchPart[];
}

/** A batch as stored. */
export interface BatchRecord {
  id: string;
  account: string;
  action: PushAction;
  lists: string[];
  text: string;
  contactCount: number;
  state: BatchState;
  attempts: number;
  /** Not to be sent (again) before this time (a backoff or a `Retry-After`). */
  nextAttemptAt: number;
  activityUri: string | null;
  createdAt: number;
  /** When the last attempt started (`submitting`), then when the activity was created. */
  submittedAt: number | null;
  finishedAt: number | null;
  lastError: string | null;
}

/** A per-line error of an activity, as the API reported it (line 1 = the header). */
export interface LineError {
  line?: number;
  email?: string;
  message: string;
}

/** A push's status, as `GET /v1/pushes/{id}` shows it. */
export interface PushStatus {
  id: string;
  partnerId: string;
  /** `accepted` → `batched` → `submitted` → `complete` (or `failed` when a batch failed). */
  status: "accepted" | "batched" | "submitted" | "complete" | "failed";
  receivedAt: string;
  account: string;
  action: PushAction;
  lists: string[];
  contacts: number;
  batches: {
    id: string;
    state: BatchState;
    contacts: number;
    activityUri: string | null;
    lastError: string | null;
  }[];
  /** Per-contact errors: `contact` is the push's contact index (0-based), `source` its line. */
  errors: { contact: number; source: number; email?: string; message: string }[];
}

/** Counts for `/metrics`. */
export interface StoreStats {
  pushes: number;
  queuedPushes: number;
  queuedContacts: number;
  oldestQueuedAt: number | null;
  batchesByState: Partial<Record<BatchState, number>>;
}

/**
 * A push refused because the store cannot store it now: the SQLite store's writer thread died
 * or stopped answering (ADR 0150), or PostgreSQL timed out or could not be reached (ADR 0161).
 * The service answers it `503` with `Retry-After`, as the push can be sent again to this
 * service (once restarted, or once the database answers) or to another instance.
 */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

/** The interface both stores offer; every method is safe to call from several instances. */
export interface PushStore {
  /** `sqlite` or `postgres`. */
  readonly kind: "sqlite" | "postgres";
  /** Stores a push durably (or finds the earlier one with its `webhook-id`). */
  acceptPush(push: NewPush): Promise<AcceptOutcome>;
  /** A push's status, or `undefined` when unknown (or expired). */
  getPushStatus(pushId: string): Promise<PushStatus | undefined>;
  /**
   * Takes or renews the leases on accounts with work, for `leaseMs`; an account is worked on
   * by one owner at a time. Returns the accounts this owner holds.
   */
  claimAccounts(owner: string, now: number, leaseMs: number): Promise<string[]>;
  /** Gives a lease back (graceful shutdown). */
  releaseAccounts(owner: string): Promise<void>;
  /** The account's pushes not finished yet, in arrival order. */
  listQueuedPushes(account: string): Promise<QueuedPush[]>;
  /** A push's contacts. */
  readPushContacts(pushId: string): Promise<PushContacts>;
  /** The account's batches not in a final state, oldest first. */
  listActiveBatches(account: string): Promise<BatchRecord[]>;
  /** The activity URIs the account's batches got since `since` (to tell a lost create apart). */
  listActivityUris(account: string, since: number): Promise<string[]>;
  /**
   * Creates a batch and assigns its contacts, if `owner` still holds the account's lease.
   * @returns `false` when the lease was lost (nothing written).
   */
  createBatch(owner: string, now: number, batch: NewBatch): Promise<boolean>;
  /**
   * Moves a batch to `submitting` (before the request; `attempts` must be one more than stored),
   * `submitted` (from `submitting`, with the activity URI), back to `ready` or `submitting` with
   * a retry time (from `submitting`), or to a final state (from any other) with its per-line
   * errors.
   * @returns `false` when the lease was lost or the batch is not in the state the change
   *   expects (a stale view): nothing written.
   */
  updateBatch(owner: string, now: number, update: BatchUpdate): Promise<boolean>;
  /** Counts for `/metrics`. */
  stats(now: number): Promise<StoreStats>;
  /** Deletes finished pushes received before `before` (their idempotency window is over). */
  prune(before: number): Promise<number>;
  /** Closes the database. */
  close(): Promise<void>;
  /**
   * Settles once the store can no longer store pushes and will not recover by itself (the SQLite
   * store's writer thread died or stopped answering): the service then exits, for its supervisor
   * to restart it (ADR 0150). Absent, or never settling, while the store works.
   */
  readonly failure?: Promise<Error>;
}

/** A change of a batch's state, for {@linkcode PushStore.updateBatch}. */
export type BatchUpdate =
  | { batchId: string; state: "submitting"; attempts: number }
  | { batchId: string; state: "submitted"; activityUri: string }
  | {
      batchId: string;
      /** Not sent: back to `ready`; or perhaps sent (`inDoubt`): stays `submitting`, to be looked for. */
      state: "retry";
      nextAttemptAt: number;
      lastError: string;
      inDoubt: boolean;
    }
  | {
      batchId: string;
      state: "complete" | "error" | "dead";
      lastError?: string;
      errors: LineError[];
    };

/**
 * Derives a push's overall status from its batches.
 *
 * @param contacts How many contacts the push has.
 * @param assigned How many are in batches.
 * @param states The states of its batches.
 * @returns The overall status.
 *
 * @example A push whose only batch completed
 * ```ts
 * import { derivePushStatus } from "@ctct-bulk/webhook";
 * derivePushStatus(3, 3, ["complete"]); // "complete"
 * ```
 */
export function derivePushStatus(
  contacts: number,
  assigned: number,
  states: readonly BatchState[],
): PushStatus["status"] {
  if (states.some((s) => s === "error" || s === "dead")) return "failed";
  if (states.length === 0) return "accepted";
  if (assigned >= contacts && states.every((s) => s === "complete")) return "complete";
  if (states.some((s) => s !== "ready")) return "submitted";
  return "batched";
}

/**
 * Maps an activity's per-line errors back to the pushes and contacts of a batch.
 *
 * @param parts The batch's parts.
 * @param errors The activity's per-line errors (line 1 = the header).
 * @returns One entry per error: the push, its contact index, and the error; errors with no line
 *   (or a line outside the batch) are given to every push of the batch with contact `-1`.
 *
 * @example The second contact of a batch made of two pushes
 * ```ts
 * import { mapLineErrors } from "@ctct-bulk/webhook";
 * mapLineErrors(
 *   [{ pushId: "a", firstIndex: 0, count: 1, firstLine: 2 }, { pushId: "b", firstIndex: 4, count: 2, firstLine: 3 }],
 *   [{ line: 4, message: "Invalid email address" }],
 * ); // [{ pushId: "b", contact: 5, line: 4, message: "Invalid email address" }]
 * ```
 */
export function mapLineErrors(
  parts: readonly BatchPart[],
  errors: readonly LineError[],
): { pushId: string; contact: number; line?: number; email?: string; message: string }[] {
  const mapped: {
    pushId: string;
    contact: number;
    line?: number;
    email?: string;
    message: string;
  }[] = [];
  for (const error of errors) {
    const line = error.line;
    const part =
      line === undefined
        ? undefined
        : parts.find((p) => line >= p.firstLine && line < p.firstLine + p.count);
    if (part && line !== undefined) {
      mapped.push({
        pushId: part.pushId,
        contact: part.firstIndex + (line - part.firstLine),
        ...error,
      });
    } else {
      for (const p of parts) mapped.push({ pushId: p.pushId, contact: -1, ...error });
    }
  }
  return mapped;
}

/** A database row as both stores read it. */
export type StoreRow = Record<string, unknown>;

/**
 * Builds a push's status from its row, its batches and its errors (shared by both stores).
 *
 * @param push The push's row (`id`, `partner_id`, `received_at`, …, `contacts` as JSON).
 * @param batches Its batches (`id`, `state`, `activity_uri`, `last_error`, `contacts`).
 * @param errors Its contact errors (`contact`, `email`, `message`).
 * @returns The status.
 */
export function buildPushStatus(
  push: StoreRow,
  batches: StoreRow[],
  errors: StoreRow[],
): PushStatus {
  const contacts = JSON.parse(String(push.contacts)) as PushContacts;
  const states = batches.map((b) => b.state as BatchState);
  return {
    id: String(push.id),
    partnerId: String(push.partner_id),
    status: derivePushStatus(Number(push.contact_count), Number(push.assigned_count), states),
    receivedAt: new Date(Number(push.received_at)).toISOString(),
    account: String(push.account),
    action: push.action as PushStatus["action"],
    lists: JSON.parse(String(push.lists)) as string[],
    contacts: Number(push.contact_count),
    batches: batches.map((b) => ({
      id: String(b.id),
      state: b.state as BatchState,
      contacts: Number(b.contacts),
      activityUri: b.activity_uri === null ? null : String(b.activity_uri),
      lastError: b.last_error === null ? null : String(b.last_error),
    })),
    errors: errors.map((e) => {
      const contact = Number(e.contact);
      return {
        contact,
        source: contact >= 0 ? (contacts.sources[contact] ?? contact + 1) : 0,
        ...(e.email === null ? {} : { email: String(e.email) }),
        message: String(e.message),
      };
    }),
  };
}

/**
 * A push as it is stored, its JSON columns already serialized: a flat array of strings and
 * numbers, the parameters of SQLite's and PostgreSQL's inserts in the same order (and, with
 * SQLite's writer thread, what `appendPushRow` packs into the one string it is handed).
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
