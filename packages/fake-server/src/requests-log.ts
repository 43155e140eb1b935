import { ownString } from "./_strings.ts";
import type { FaultKind } from "./faults.ts";

/** A file part of a multipart request, as recorded (its bytes are not kept). */
export interface RecordedFile {
  field: string;
  fileName: string;
  contentType: string;
  bytes: number;
}

/**
 * A request the fake server received, as the inspection API lists it. Credentials are never
 * recorded: only how the request tried to log in and as whom it got in.
 */
export interface RecordedRequest {
  /** The server clock's time when it arrived (ISO 8601). */
  at: string;
  method: string;
  /** The path, without the query. */
  path: string;
  /** The query string, without `?` (empty when none). */
  query: string;
  contentType?: string;
  /** The body's size in bytes. */
  bodyBytes: number;
  /**
   * The form parameters of a `POST /activities`, decoded (values over 64 KiB are cut there and
   * end in `…`; `dataBytes` tells the full size).
   */
  params?: [name: string, value: string][];
  /**
   * `true` when `params` were dropped to keep the log within its budget of parameter text
   * (`requestLogBodyBytes`): older requests lose their parameters first, every other field stays.
   */
  paramsDropped?: true;
  /** The encoded size of the `data` parameter, or the size of the `dataFile` part. */
  dataBytes?: number;
  files?: RecordedFile[];
  /** How the request tried to log in. */
  auth: "basic" | "bearer" | "none" | "unsupported";
  /** The account the credentials belong to, when valid. */
  username?: string;
  /** The status answered (0 when the connection was dropped). */
  status: number;
  /** The fault that decided the answer, if any. */
  fault?: FaultKind;
  /** The activity this request created, if any. */
  activityId?: string;
}

/** The parameter text the request log keeps by default, over all its entries (8 MiB). */
export const DEFAULT_LOG_BODY_BYTES: number = 8 * 1024 * 1024;

function paramsSize(entry: RecordedRequest): number {
  let size = 0;
  for (const [name, value] of entry.params ?? []) size += name.length + value.length;
  return size;
}

/**
 * Keeps the last requests (a bounded log, so a long benchmark does not grow without end). The
 * decoded parameters — the bulk of a create — are kept only for the newest requests, within a
 * budget of parameter text; older entries keep their metadata and say `paramsDropped` (ADR 0135).
 */
export class RequestLog {
  #entries: RecordedRequest[] = [];
  // Each entry's counted parameter size, in step with #entries (0 once dropped).
  #sizes: number[] = [];
  #paramBytes = 0;
  readonly #limit: number;
  readonly #bodyBudget: number;

  /**
   * @param limit How many requests to keep (oldest dropped first).
   * @param bodyBudget How many characters of parameter names and values to keep over all entries
   *   (one byte each for Latin-1 text); the oldest entries' parameters go first.
   */
  constructor(limit = 1000, bodyBudget: number = DEFAULT_LOG_BODY_BYTES) {
    this.#limit = limit;
    this.#bodyBudget = bodyBudget;
  }

  /** Records a request. */
  push(entry: RecordedRequest): void {
    const size = paramsSize(entry);
    this.#entries.push(entry);
    this.#sizes.push(size);
    this.#paramBytes += size;
    if (this.#entries.length > this.#limit) {
      this.#entries.shift();
      this.#paramBytes -= this.#sizes.shift() ?? 0;
    }
    for (
      let index = 0;
      this.#paramBytes > this.#bodyBudget && index < this.#entries.length;
      index++
    ) {
      const old = this.#entries[index];
      if (old?.params === undefined) continue;
      delete old.params;
      old.paramsDropped = true;
      this.#paramBytes -= this.#sizes[index] ?? 0;
      this.#sizes[index] = 0;
    }
  }

  /** The recorded requests, oldest first. */
  list(): RecordedRequest[] {
    return this.#entries.map((entry) => structuredClone(entry));
  }

  /** Forgets every request. */
  clear(): void {
    this.#entries = [];
    this.#sizes = [];
    this.#paramBytes = 0;
  }
}

/** Values longer than this are cut in the log. */
export const MAX_LOGGED_VALUE = 65_536;

/**
 * Shortens a parameter value for the log.
 *
 * @param value The decoded value.
 * @returns The value, or its first {@linkcode MAX_LOGGED_VALUE} characters and `…`.
 */
export function logValue(value: string): string {
  return value.length > MAX_LOGGED_VALUE
    ? ownString(`${value.slice(0, MAX_LOGGED_VALUE)}…`)
    : value;
}
