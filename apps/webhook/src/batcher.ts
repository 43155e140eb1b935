/**
 * Planning batches (pure): which queued pushes may go now without breaking per-list order, and
 * how their contacts are packed into batches per (account, action, lists), each under the byte
 * limit (measured with core's form encoder) and the contact limit, flushed early only when the
 * oldest contact has waited long enough.
 *
 * Per-list order: a push may be batched only when no earlier unfinished push, and no batch still
 * running, touches one of its lists with another action. So a remove or clear never reaches a
 * list before an earlier add to it has completed, and the other way round.
 *
 * @module
 */
import {
  CONTACT_COLUMNS,
  type ContactColumn,
  DEFAULT_MAX_ENCODED_BYTES,
  formatContactLine,
  formEncodedLength,
} from "@ctct-bulk/core";
import type {
  BatchPart,
  BatchRecord,
  NewBatch,
  PushAction,
  PushContacts,
  QueuedPush,
} from "./store.ts";

/** Options of {@linkcode planBatches}. */
export interface BatchingOptions {
  /** The most contacts in one batch. */
  maxContacts: number;
  /** The most bytes of form-encoded `data` in one batch (at most 1,900,000). */
  maxEncodedBytes: number;
  /** How long the oldest contact of a key may wait before a partial batch is sent. */
  maxWaitMs: number;
}

/**
 * The key contacts are batched by: action and lists (the account is the dispatcher's).
 *
 * @param action The push's action.
 * @param lists The push's list URIs, sorted.
 * @returns The key.
 *
 * @example Two pushes with the same key
 * ```ts
 * import { batchKey } from "@ctct-bulk/webhook";
 * batchKey("add", ["http://…/lists/1"]) === batchKey("add", ["http://…/lists/1"]); // true
 * ```
 */
export function batchKey(action: PushAction, lists: readonly string[]): string {
  return `${action} ${lists.join(" ")}`;
}

/**
 * Which queued pushes may be batched now without breaking per-list order.
 *
 * @param pushes The account's unfinished pushes, in arrival order.
 * @param active The account's batches that are not final.
 * @returns The ids of the pushes that may be batched.
 *
 * @example An add, then a remove on the same list: only the add may go
 * ```ts
 * import { eligiblePushes } from "@ctct-bulk/webhook";
 * // eligiblePushes([add, remove], []) // Set { add.id }
 * ```
 */
export function eligiblePushes(
  pushes: readonly QueuedPush[],
  active: readonly Pick<BatchRecord, "action" | "lists">[],
): Set<string> {
  const seen = new Map<string, Set<PushAction>>();
  const note = (list: string, action: PushAction) => {
    let actions = seen.get(list);
    if (!actions) {
      actions = new Set();
      seen.set(list, actions);
    }
    actions.add(action);
  };
  for (const batch of active) for (const list of batch.lists) note(list, batch.action);
  const eligible = new Set<string>();
  for (const push of [...pushes].sort((a, b) => a.seq - b.seq)) {
    const free = push.lists.every((list) => {
      const actions = seen.get(list);
      return !actions || [...actions].every((action) => action === push.action);
    });
    if (free) eligible.add(push.id);
    for (const list of push.lists) note(list, push.action);
  }
  return eligible;
}

interface PendingContact {
  push: QueuedPush;
  index: number;
  /** Encoded bytes of each non-empty field, by column. */
  fields: Map<ContactColumn, number>;
  values: Map<ContactColumn, string>;
}

function fieldCost(value: string): number {
  return value === "" ? 0 : formEncodedLength(formatContactLine([value]));
}

const NEWLINE_COST = formEncodedLength("\n");
const COMMA_COST = formEncodedLength(",");

/** Packs contacts while keeping the exact encoded size of the file they make. */
class BatchBuilder {
  readonly contacts: PendingContact[] = [];
  readonly columns = new Set<ContactColumn>();
  #fieldBytes = 0;

  /** The encoded size with `extra` added. */
  sizeWith(extra?: PendingContact): number {
    const columns = new Set(this.columns);
    let fieldBytes = this.#fieldBytes;
    let count = this.contacts.length;
    if (extra) {
      for (const [column, cost] of extra.fields) {
        columns.add(column);
        fieldBytes += cost;
      }
      count++;
    }
    columns.add("EMAIL ADDRESS");
    const header = formEncodedLength(formatContactLine(orderColumns(columns)));
    return header + fieldBytes + count * (COMMA_COST * (columns.size - 1) + NEWLINE_COST);
  }

  add(contact: PendingContact): void {
    this.contacts.push(contact);
    for (const [column, cost] of contact.fields) {
      this.columns.add(column);
      this.#fieldBytes += cost;
    }
  }
}

function orderColumns(columns: ReadonlySet<ContactColumn>): ContactColumn[] {
  return CONTACT_COLUMNS.filter((column) => columns.has(column));
}

/**
 * Builds the contact file of a batch and the parts that map its lines back to pushes.
 *
 * @param contacts The contacts, in order.
 * @returns The file's text (header + rows joined by `\n`) and the parts.
 */
function buildFile(contacts: readonly PendingContact[]): { text: string; parts: BatchPart[] } {
  const columns = new Set<ContactColumn>(["EMAIL ADDRESS"]);
  for (const contact of contacts) for (const column of contact.values.keys()) columns.add(column);
  const ordered = orderColumns(columns);
  const lines = [formatContactLine(ordered)];
  const parts: BatchPart[] = [];
  contacts.forEach((contact, offset) => {
    lines.push(formatContactLine(ordered.map((column) => contact.values.get(column) ?? "")));
    const last = parts.at(-1);
    if (last && last.pushId === contact.push.id && last.firstIndex + last.count === contact.index) {
      last.count++;
    } else {
      parts.push({
        pushId: contact.push.id,
        firstIndex: contact.index,
        count: 1,
        firstLine: offset + 2,
      });
    }
  });
  return { text: lines.join("\n"), parts };
}

/** Inputs of {@linkcode planBatches}. */
export interface PlanInput {
  account: string;
  /** The account's unfinished pushes, in arrival order. */
  pushes: readonly QueuedPush[];
  /** The account's batches that are not final. */
  active: readonly Pick<BatchRecord, "action" | "lists">[];
  /** The contacts of every eligible push that has contacts not in a batch. */
  contactsOf: (pushId: string) => PushContacts;
  now: number;
  createBatchId: () => string;
}

/**
 * Plans the batches to create now.
 *
 * @param input The account's queue, its running batches, the contacts, the clock.
 * @param options The limits and the longest wait.
 * @returns The batches to create, in order (create them in this order).
 *
 * @example Thirty queued contacts with a limit of 25: one full batch now, five wait
 * ```ts
 * import { planBatches } from "@ctct-bulk/webhook";
 * // planBatches({ account, pushes, active: [], contactsOf, now, createBatchId },
 * //   { maxContacts: 25, maxEncodedBytes: 1_900_000, maxWaitMs: 60_000 }).length; // 1
 * ```
 */
export function planBatches(input: PlanInput, options: BatchingOptions): NewBatch[] {
  const maxBytes = Math.min(options.maxEncodedBytes, DEFAULT_MAX_ENCODED_BYTES);
  const eligible = eligiblePushes(input.pushes, input.active);
  const groups = new Map<string, QueuedPush[]>();
  for (const push of input.pushes) {
    if (!push.pending || !eligible.has(push.id)) continue;
    const key = batchKey(push.action, push.lists);
    let group = groups.get(key);
    if (!group) {
      group = [];
      groups.set(key, group);
    }
    group.push(push);
  }
  const batches: NewBatch[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const base = { account: input.account, action: first.action, lists: first.lists };
    if (first.action === "clear") {
      batches.push({
        ...base,
        id: input.createBatchId(),
        text: "",
        contactCount: 0,
        createdAt: input.now,
        parts: group.map((push) => ({ pushId: push.id, firstIndex: 0, count: 0, firstLine: 2 })),
      });
      continue;
    }
    let builder = new BatchBuilder();
    const flush = () => {
      const { text, parts } = buildFile(builder.contacts);
      batches.push({
        ...base,
        id: input.createBatchId(),
        text,
        contactCount: builder.contacts.length,
        createdAt: input.now,
        parts,
      });
      builder = new BatchBuilder();
    };
    for (const push of group) {
      const contacts = input.contactsOf(push.id);
      for (let index = push.assignedCount; index < push.contactCount; index++) {
        const row = contacts.rows[index]!;
        const fields = new Map<ContactColumn, number>();
        const values = new Map<ContactColumn, string>();
        contacts.columns.forEach((column, i) => {
          const value = row[i] ?? "";
          if (value !== "" || column === "EMAIL ADDRESS") {
            values.set(column, value);
            fields.set(column, fieldCost(value));
          }
        });
        const contact: PendingContact = { push, index, fields, values };
        if (builder.contacts.length > 0 && builder.sizeWith(contact) > maxBytes) flush();
        if (builder.contacts.length === 0 && builder.sizeWith(contact) > maxBytes) {
          throw new RangeError(
            `Cannot batch contact ${index} of push "${push.id}": alone it is over ${maxBytes} encoded bytes`,
          );
        }
        builder.add(contact);
        if (builder.contacts.length >= options.maxContacts) flush();
      }
    }
    if (builder.contacts.length > 0) {
      const oldest = builder.contacts[0]!.push.receivedAt;
      if (input.now - oldest >= options.maxWaitMs) flush();
    }
  }
  return batches;
}
