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

/** Keeps the last requests (a bounded log, so a long benchmark does not grow without end). */
export class RequestLog {
  #entries: RecordedRequest[] = [];
  readonly #limit: number;

  /**
   * @param limit How many requests to keep (oldest dropped first).
   */
  constructor(limit = 1000) {
    this.#limit = limit;
  }

  /** Records a request. */
  push(entry: RecordedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.shift();
  }

  /** The recorded requests, oldest first. */
  list(): RecordedRequest[] {
    return this.#entries.map((entry) => structuredClone(entry));
  }

  /** Forgets every request. */
  clear(): void {
    this.#entries = [];
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
