import {
  type ClientCredentials,
  type ClientSettings,
  createHttpContext,
  type HttpContext,
} from "./_context.ts";
import { Activities } from "./activities.ts";
import { ContactLists } from "./lists.ts";

/** The options of {@linkcode createClient}: credentials (API key and password, or an access token) and settings. */
export type CreateClientOptions = ClientCredentials & ClientSettings;

/**
 * A client of one Constant Contact account's Bulk Activities API. Its credentials are held in
 * private fields: they never appear in `JSON.stringify(client)`, `String(client)` or
 * `util.inspect(client)`.
 *
 * @example Listing the account's activities
 * ```ts
 * import { createClient } from "@ctct-bulk/transport";
 * const client = createClient({ username: "joesflowers", apiKey: "…", password: "…" });
 * for await (const activity of client.activities.list()) {
 *   console.log(activity.id, activity.type, activity.status);
 * }
 * ```
 */
export class CtctClient {
  /** The account's username (the last segment of its base URI). */
  readonly username: string;
  /** The API root requests go to, e.g. `https://api.constantcontact.com/ws/customers`. */
  readonly baseUrl: string;
  /** The account's URL: `{baseUrl}/{username}`. */
  readonly accountUrl: string;
  /** The account's bulk activities. */
  readonly activities: Activities;
  /** The account's contact lists. */
  readonly lists: ContactLists;
  readonly #http: HttpContext;

  /** @param options Credentials and settings, as {@linkcode createClient} takes them. */
  constructor(options: CreateClientOptions) {
    this.#http = createHttpContext(options);
    this.username = this.#http.username;
    this.baseUrl = this.#http.baseUrl;
    this.accountUrl = this.#http.accountUrl;
    this.lists = new ContactLists(this.#http);
    this.activities = new Activities(this.#http, this.lists);
    // What `util.inspect()` shows in Node: no credentials (a symbol key, so not in JSON).
    Object.defineProperty(this, Symbol.for("nodejs.util.inspect.custom"), {
      value: () => this.toString(),
    });
  }

  /** @returns `CtctClient(joesflowers @ https://…)`, without credentials. */
  toString(): string {
    return `CtctClient(${this.username} @ ${this.baseUrl})`;
  }

  /** @returns The username and base URL, without credentials. */
  toJSON(): { username: string; baseUrl: string } {
    return { username: this.username, baseUrl: this.baseUrl };
  }
}

/**
 * Creates a client for one account. Credentials are HTTP Basic (`apiKey` and `password`; the
 * username is sent as `{apiKey}%{username}`) or an OAuth 2 `accessToken` (Bearer).
 *
 * @param options Credentials, and optionally `baseUrl` (the API root; the username is appended),
 *   `fetch`, `timeout`, `userAgent`, `rateLimit`, `retry`, `onRequest`, `clock`, `random`.
 * @returns The client.
 * @throws {TypeError} When the credentials, username or base URL are malformed (naming the field, never its secret).
 *
 * @example Against the fake server, in process
 * ```ts
 * import { createFakeServer, DEFAULT_ACCOUNT } from "@ctct-bulk/fake-server";
 * import { createClient } from "@ctct-bulk/transport";
 * const server = createFakeServer();
 * const client = createClient({ ...DEFAULT_ACCOUNT, baseUrl: server.baseUrl, fetch: server.fetch });
 * const lists = await client.lists.findByName("VIP customers");
 * ```
 */
export function createClient(options: CreateClientOptions): CtctClient {
  return new CtctClient(options);
}
