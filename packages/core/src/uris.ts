/**
 * The root of every identifier URI: lists and activities are named by `http://` URIs, even when
 * requests go over https.
 *
 * @example An identifier URI by hand
 * ```ts
 * import { API_ID_ROOT } from "@ctct-bulk/core";
 * `${API_ID_ROOT}/joesflowers/lists/2`;
 * // "http://api.constantcontact.com/ws/customers/joesflowers/lists/2"
 * ```
 */
export const API_ID_ROOT = "http://api.constantcontact.com/ws/customers";

/**
 * The root requests go to; the username is appended (`{API_BASE_URL}/{username}/activities`).
 *
 * @example Where the activities collection is
 * ```ts
 * import { API_BASE_URL } from "@ctct-bulk/core";
 * `${API_BASE_URL}/joesflowers/activities`;
 * // "https://api.constantcontact.com/ws/customers/joesflowers/activities"
 * ```
 */
export const API_BASE_URL = "https://api.constantcontact.com/ws/customers";

/**
 * The system lists, named by words rather than numbers in their URIs (`…/lists/do-not-mail`).
 *
 * @example The do-not-mail list
 * ```ts
 * import { SYSTEM_LISTS, listUri } from "@ctct-bulk/core";
 * listUri("joesflowers", SYSTEM_LISTS[1]);
 * // "http://api.constantcontact.com/ws/customers/joesflowers/lists/do-not-mail"
 * ```
 */
export const SYSTEM_LISTS = ["active", "do-not-mail", "removed"] as const;

/**
 * A system list's id.
 *
 * @example A typed system list
 * ```ts
 * import type { SystemList } from "@ctct-bulk/core";
 * const list: SystemList = "removed";
 * ```
 */
export type SystemList = (typeof SYSTEM_LISTS)[number];

/**
 * The display names of the lists that cannot be cleared (SPEC §2.2); asking to clear one fails
 * with `400 Bad Request`. Compare with {@linkcode isClearableList}, which also takes a name.
 *
 * @example Names that cannot be cleared
 * ```ts
 * import { UNCLEARABLE_LIST_NAMES } from "@ctct-bulk/core";
 * UNCLEARABLE_LIST_NAMES.includes("Awaiting Confirmation"); // true
 * ```
 */
export const UNCLEARABLE_LIST_NAMES = [
  "Do-Not-Mail",
  "Removed",
  "Awaiting Confirmation",
  "All",
  "Active",
] as const;

const USERNAME = /^[A-Za-z0-9._@-]+$/;
const LIST_ID = /^(?:\d+|active|do-not-mail|removed)$/;
const ACTIVITY_ID = /^a07e[a-z0-9]{15}$/;
const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
// Any http(s) host or none (an absolute path): ids keep `http://` but links are often paths.
const ACCOUNT_PATH = "^(?:https?://[^/?#]+)?/ws/customers/([^/?#]+)";
const LIST_URI = new RegExp(`${ACCOUNT_PATH}/lists/([^/?#]+)$`);
const ACTIVITY_URI = new RegExp(`${ACCOUNT_PATH}/activities/([^/?#]+)$`);

/**
 * Whether a text is a well-formed username (`a-z A-Z 0-9 . - _ @`).
 *
 * @param text The candidate username.
 * @returns `true` when every character is allowed and there is at least one.
 *
 * @example A login name and an impostor
 * ```ts
 * import { isUsername } from "@ctct-bulk/core";
 * isUsername("joesflowers"); // true
 * isUsername("joe/flowers"); // false
 * ```
 */
export function isUsername(text: string): boolean {
  return USERNAME.test(text);
}

function checkUsername(username: string): void {
  if (!isUsername(username))
    throw new TypeError(
      `Invalid username "${username}": expected letters, digits and . - _ @ only`,
    );
}

/**
 * The identifier URI of an account (`http://…/ws/customers/{username}`).
 *
 * @param username The account's login name.
 * @returns The account's identifier URI.
 * @throws {TypeError} When the username has characters a username cannot have.
 *
 * @example The seeds' account
 * ```ts
 * import { accountUri } from "@ctct-bulk/core";
 * accountUri("joesflowers"); // "http://api.constantcontact.com/ws/customers/joesflowers"
 * ```
 */
export function accountUri(username: string): string {
  checkUsername(username);
  return `${API_ID_ROOT}/${username}`;
}

/**
 * The identifier URI of a contact list.
 *
 * @param username The account's login name.
 * @param listId A list number (`2`, `"2"`) or a system list (`"do-not-mail"`).
 * @returns `http://api.constantcontact.com/ws/customers/{username}/lists/{listId}`.
 * @throws {TypeError} When the username or the list id is malformed.
 *
 * @example A numbered and a system list
 * ```ts
 * import { listUri } from "@ctct-bulk/core";
 * listUri("joesflowers", 2); // "http://api.constantcontact.com/ws/customers/joesflowers/lists/2"
 * listUri("joesflowers", "removed"); // "http://api.constantcontact.com/ws/customers/joesflowers/lists/removed"
 * ```
 */
export function listUri(username: string, listId: string | number): string {
  const id = String(listId);
  if (!LIST_ID.test(id))
    throw new TypeError(
      `Invalid list id "${id}": expected a number or one of ${SYSTEM_LISTS.join(", ")}`,
    );
  return `${accountUri(username)}/lists/${id}`;
}

/**
 * A list URI taken apart by {@linkcode parseListUri}.
 *
 * @example A parsed system list
 * ```ts
 * import { parseListUri } from "@ctct-bulk/core";
 * parseListUri("/ws/customers/joesflowers/lists/active").system; // true
 * ```
 */
export interface ParsedListUri {
  username: string;
  /** The list number as text, or the system list's name. */
  listId: string;
  /** Whether the list is one of {@linkcode SYSTEM_LISTS}. */
  system: boolean;
}

/**
 * Takes a list URI apart. Accepts the identifier form (`http://`), the https form, another
 * host (a fake or proxy server) and an absolute path (`/ws/customers/…`).
 *
 * @param uri A list URI.
 * @returns Its username, list id, and whether it is a system list.
 * @throws {TypeError} Naming the value when it is not a list URI.
 *
 * @example A numbered list
 * ```ts
 * import { parseListUri } from "@ctct-bulk/core";
 * parseListUri("http://api.constantcontact.com/ws/customers/joesflowers/lists/2");
 * // { username: "joesflowers", listId: "2", system: false }
 * ```
 */
export function parseListUri(uri: string): ParsedListUri {
  const match = LIST_URI.exec(uri);
  const username = match?.[1];
  const listId = match?.[2];
  if (
    username === undefined ||
    listId === undefined ||
    !isUsername(username) ||
    !LIST_ID.test(listId)
  )
    throw new TypeError(
      `Invalid list URI "${uri}": expected ${API_ID_ROOT}/{username}/lists/{number or ${SYSTEM_LISTS.join(" or ")}}`,
    );
  return { username, listId, system: !/^\d+$/.test(listId) };
}

/**
 * Whether a list may be cleared: the system lists (`active`, `do-not-mail`, `removed`) and the
 * lists named "Do-Not-Mail", "Removed", "Awaiting Confirmation", "All" or "Active" (compared
 * without regard to case) cannot be.
 *
 * @param uri The list's URI.
 * @param name The list's display name, when known (from the lists feed).
 * @returns `false` for a list that cannot be cleared.
 * @throws {TypeError} When `uri` is not a list URI.
 *
 * @example A numbered list and the do-not-mail list
 * ```ts
 * import { isClearableList } from "@ctct-bulk/core";
 * isClearableList("http://api.constantcontact.com/ws/customers/joesflowers/lists/2"); // true
 * isClearableList("http://api.constantcontact.com/ws/customers/joesflowers/lists/do-not-mail"); // false
 * ```
 */
export function isClearableList(uri: string, name?: string): boolean {
  if (parseListUri(uri).system) return false;
  if (name === undefined) return true;
  const normalized = name.trim().replace(/\s+/g, " ").toLowerCase();
  return !UNCLEARABLE_LIST_NAMES.some((unclearable) => unclearable.toLowerCase() === normalized);
}

/**
 * Whether a text is an activity id: `a07e` and 15 lowercase letters or digits.
 *
 * @param text The candidate id.
 * @returns `true` for a well-formed id.
 *
 * @example The seeds' id
 * ```ts
 * import { isActivityId } from "@ctct-bulk/core";
 * isActivityId("a07e1ffaxjyffmvqgiz"); // true
 * isActivityId("A07E1FFAXJYFFMVQGIZ"); // false
 * ```
 */
export function isActivityId(text: string): boolean {
  return ACTIVITY_ID.test(text);
}

/**
 * A new activity id from randomness handed in (core has no randomness of its own): `a07e` and
 * 15 characters, each picked by one byte.
 *
 * @param randomBytes At least 15 random bytes (e.g. `crypto.getRandomValues(new Uint8Array(15))`).
 * @returns A well-formed activity id.
 * @throws {RangeError} When fewer than 15 bytes are given.
 *
 * @example An id from fixed bytes
 * ```ts
 * import { createActivityId } from "@ctct-bulk/core";
 * createActivityId(new Uint8Array(15)); // "a07eaaaaaaaaaaaaaaa"
 * ```
 */
export function createActivityId(randomBytes: Uint8Array): string {
  if (randomBytes.length < 15)
    throw new RangeError(
      `Too few random bytes for an activity id: expected 15, got ${randomBytes.length}`,
    );
  let id = "a07e";
  // 256 % 36 = 4: a slight bias towards the first four characters, harmless for ids.
  for (let index = 0; index < 15; index++) id += ID_ALPHABET[randomBytes[index]! % 36];
  return id;
}

/**
 * The identifier URI of an activity.
 *
 * @param username The account's login name.
 * @param activityId The activity's id.
 * @returns `http://api.constantcontact.com/ws/customers/{username}/activities/{activityId}`.
 * @throws {TypeError} When the username or the id is malformed.
 *
 * @example The seeds' activity
 * ```ts
 * import { activityUri } from "@ctct-bulk/core";
 * activityUri("joesflowers", "a07e1ffaxjyffmvqgiz");
 * // "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz"
 * ```
 */
export function activityUri(username: string, activityId: string): string {
  if (!isActivityId(activityId))
    throw new TypeError(
      `Invalid activity id "${activityId}": expected "a07e" and 15 lowercase letters or digits`,
    );
  return `${accountUri(username)}/activities/${activityId}`;
}

/**
 * Takes an activity URI apart; accepts the same forms as {@linkcode parseListUri}.
 *
 * @param uri An activity URI (not the `.csv` file of an export).
 * @returns Its username and activity id.
 * @throws {TypeError} Naming the value when it is not an activity URI.
 *
 * @example An edit link's absolute path
 * ```ts
 * import { parseActivityUri } from "@ctct-bulk/core";
 * parseActivityUri("/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz");
 * // { username: "joesflowers", activityId: "a07e1ffaxjyffmvqgiz" }
 * ```
 */
export function parseActivityUri(uri: string): { username: string; activityId: string } {
  const match = ACTIVITY_URI.exec(uri);
  const username = match?.[1];
  const activityId = match?.[2];
  if (
    username === undefined ||
    activityId === undefined ||
    !isUsername(username) ||
    !isActivityId(activityId)
  )
    throw new TypeError(
      `Invalid activity URI "${uri}": expected ${API_ID_ROOT}/{username}/activities/{activity id}`,
    );
  return { username, activityId };
}

/**
 * The URI of the file an export activity produced (its `FileName` and `edit-media` link).
 *
 * @param username The account's login name.
 * @param activityId The export activity's id.
 * @param fileType The export's `fileType`.
 * @returns The activity URI followed by `.csv` or `.txt`.
 *
 * @example A CSV export
 * ```ts
 * import { exportFileUri } from "@ctct-bulk/core";
 * exportFileUri("joesflowers", "a07e1gpfcd3fhysynnp", "CSV");
 * // "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1gpfcd3fhysynnp.csv"
 * ```
 */
export function exportFileUri(
  username: string,
  activityId: string,
  fileType: "CSV" | "TXT",
): string {
  return `${activityUri(username, activityId)}.${fileType.toLowerCase()}`;
}

/**
 * Where to send a request for a resource named by an identifier URI: the part after
 * {@linkcode API_ID_ROOT} (or after `/ws/customers` of any host or an absolute path) is put
 * under `baseUrl`.
 *
 * @param uri An identifier URI (`http://api.constantcontact.com/ws/customers/…`), an https URI
 *   or an absolute path such as an `edit` link.
 * @param baseUrl The API root requests go to, without the username.
 * @returns The URL to request.
 * @throws {TypeError} When `uri` is not under `/ws/customers/`.
 *
 * @example From the identifier form to https
 * ```ts
 * import { requestUrl } from "@ctct-bulk/core";
 * requestUrl("http://api.constantcontact.com/ws/customers/joesflowers/lists/2");
 * // "https://api.constantcontact.com/ws/customers/joesflowers/lists/2"
 * ```
 */
export function requestUrl(uri: string, baseUrl: string = API_BASE_URL): string {
  const match = /^(?:https?:\/\/[^/?#]+)?\/ws\/customers(\/.*)$/.exec(uri);
  if (match === null)
    throw new TypeError(`Invalid API URI "${uri}": expected a URI under /ws/customers/`);
  return baseUrl.replace(/\/+$/, "") + match[1];
}
