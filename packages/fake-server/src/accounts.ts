/** The credentials of one account of the fake server. */
export interface FakeAccount {
  /** The login name, the `{username}` of every path (`a-z A-Z 0-9 . - _ @`). */
  username: string;
  /** The API key: Basic auth's user is `{apiKey}%{username}`. */
  apiKey: string;
  /** The account's password (Basic auth's password). */
  password: string;
  /** An OAuth 2 access token accepted as `Authorization: Bearer {token}`. */
  accessToken?: string;
}

/**
 * The account every fake server has unless told otherwise, with lists 1–5
 * ({@linkcode DEFAULT_LISTS}) and the system lists.
 *
 * @example Logging in as the default account
 * ```ts
 * import { DEFAULT_ACCOUNT } from "@ctct-bulk/fake-server";
 * const user = `${DEFAULT_ACCOUNT.apiKey}%${DEFAULT_ACCOUNT.username}`; // "demo-key%joesflowers"
 * ```
 */
export const DEFAULT_ACCOUNT: {
  readonly username: "joesflowers";
  readonly apiKey: "demo-key";
  readonly password: "demo-password";
  readonly accessToken: "demo-token";
} = {
  username: "joesflowers",
  apiKey: "demo-key",
  password: "demo-password",
  accessToken: "demo-token",
};

/** A contact list to create: a numbered list of an account. */
export interface FakeListSeed {
  /** The list's number (its URI ends in `/lists/{id}`). */
  id: number;
  /** The list's name. */
  name: string;
  /** The short name (default: the name). */
  shortName?: string;
  /** Whether new contacts are opted in by default (default `false`). */
  optInDefault?: boolean;
  /** Whether the list is offered on the sign-up form (default `true`). */
  displayOnSignup?: boolean;
  /** Where the list sorts (default: its id). */
  sortOrder?: number;
}

/**
 * The numbered lists of {@linkcode DEFAULT_ACCOUNT} (and of any seeded account that names no
 * lists).
 *
 * @example The names of the default lists
 * ```ts
 * import { DEFAULT_LISTS } from "@ctct-bulk/fake-server";
 * DEFAULT_LISTS.map((list) => list.name)[0]; // "General Interest"
 * ```
 */
export const DEFAULT_LISTS: readonly FakeListSeed[] = [
  { id: 1, name: "General Interest", optInDefault: true },
  { id: 2, name: "VIP customers" },
  { id: 3, name: "Monthly newsletter" },
  { id: 4, name: "Wedding florals" },
  { id: 5, name: "Seasonal promotions" },
];

/** A contact to store before the test runs. */
export interface FakeContactSeed {
  /** The contact's email address (its key, compared without regard to case). */
  email: string;
  /** Other columns, by their canonical names (`"FIRST NAME"`, `"CITY"`, …). */
  fields?: Record<string, string>;
  /** The numbered lists the contact is on. */
  lists?: number[];
  /**
   * The contact's status: `"active"` (on at least one list; the default when `lists` is not
   * empty), `"removed"` (on no list; the default otherwise) or `"do-not-mail"`.
   */
  status?: "active" | "removed" | "do-not-mail";
  /** When the contact was added to its lists (ISO 8601; default: the server's time now). */
  addedAt?: string;
  /** Who added the contact (default `"Site Owner"`). */
  source?: string;
}

/** An account to create, with its lists and contacts. */
export interface FakeAccountSeed extends FakeAccount {
  /** Its numbered lists (default: {@linkcode DEFAULT_LISTS}). */
  lists?: FakeListSeed[];
  /** Its contacts. */
  contacts?: FakeContactSeed[];
}

/**
 * What to put in a fake server before a test: the shape of `--seed <file>` and of
 * `control.seed()`. `lists` and `contacts` at the top level go to the default account.
 */
export interface FakeSeed {
  /** Accounts to create (or to add lists and contacts to, when the username exists). */
  accounts?: FakeAccountSeed[];
  /** Lists for {@linkcode DEFAULT_ACCOUNT}. */
  lists?: FakeListSeed[];
  /** Contacts for {@linkcode DEFAULT_ACCOUNT}. */
  contacts?: FakeContactSeed[];
}
