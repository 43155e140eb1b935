import {
  type ContactList,
  type ContactListEntry,
  listUri,
  parseContactListEntry,
  parseContactListFeed,
  parseListUri,
  SYSTEM_LISTS,
} from "@ctct-bulk/core";
import { resolveApiUrl } from "./_api-urls.ts";
import type { HttpContext, HttpRequest } from "./_context.ts";
import { readFeedPages } from "./_feed-pages.ts";
import { readText, sendWithRetry } from "./_http.ts";
import { unexpectedBody } from "./_response-errors.ts";
import { AmbiguousListNameError } from "./errors/ambiguous-list-name-error.ts";
import { InvalidRequestError } from "./errors/invalid-request-error.ts";
import { ListNotFoundError } from "./errors/list-not-found-error.ts";

/** Options of every call that may wait: a signal to stop it. */
export interface SignalOptions {
  /** Stops the call; it rejects with the signal's reason. */
  signal?: AbortSignal;
}

const ATOM = "application/atom+xml";

/** Folds a list name for comparison: case, surrounding and repeated spaces do not count. */
function foldName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * The account's contact lists: `client.lists`.
 *
 * @example Finding the list an operator named
 * ```ts
 * import { createClient } from "@ctct-bulk/transport";
 * const client = createClient({ username: "joesflowers", apiKey: "…", password: "…" });
 * const vip = await client.lists.findByName("VIP customers");
 * vip.uri; // "http://api.constantcontact.com/ws/customers/joesflowers/lists/2"
 * ```
 */
export class ContactLists {
  readonly #http: HttpContext;

  /** @param http The client's private request context. */
  constructor(http: HttpContext) {
    this.#http = http;
  }

  /**
   * Every contact list, page after page: the system lists first, then the numbered lists.
   *
   * @param options A signal to stop.
   * @returns An async iterable of lists.
   */
  async *list(options: SignalOptions = {}): AsyncGenerator<ContactList, void, undefined> {
    for await (const page of readFeedPages(
      this.#http,
      `${this.#http.accountUrl}/lists`,
      parseContactListFeed,
      options.signal,
    )) {
      yield* page.entries;
    }
  }

  /**
   * One list by its id (`2`, or a system list: `active`, `do-not-mail`, `removed`, in any case)
   * or URI.
   *
   * @param idOrUri The list's id or URI.
   * @param options A signal to stop.
   * @returns The list.
   * @throws {InvalidRequestError} Before any request, for a text that is no list id or URI.
   * @throws {NotFoundError} When the account has no such list.
   */
  async get(idOrUri: string | number, options: SignalOptions = {}): Promise<ContactListEntry> {
    const uri = this.#uriOf(String(idOrUri).trim());
    if (uri === undefined)
      throw new InvalidRequestError(
        `Invalid list "${idOrUri}": expected a list id (a number, ${SYSTEM_LISTS.join(", ").replace(/, ([^,]+)$/, " or $1")}) or URI`,
        {
          diagnostics: [
            { severity: "error", message: `Invalid list "${idOrUri}"`, parameter: "lists" },
          ],
        },
      );
    const request: HttpRequest = {
      method: "GET",
      url: resolveApiUrl(this.#http, uri),
      accept: ATOM,
      signal: options.signal,
    };
    const response = await sendWithRetry(this.#http, request);
    const xml = await readText(this.#http, request, response);
    try {
      return parseContactListEntry(xml);
    } catch (error) {
      throw unexpectedBody(request, response.status, error);
    }
  }

  /**
   * The one list with this name, compared without regard to case or repeated spaces.
   *
   * @param name The list's name, e.g. `"VIP customers"`.
   * @param options A signal to stop.
   * @returns The list.
   * @throws {ListNotFoundError} When no list has that name (with close names as candidates).
   * @throws {AmbiguousListNameError} When several lists have it (naming their URIs).
   */
  async findByName(name: string, options: SignalOptions = {}): Promise<ContactList> {
    return matchListName(await this.#readAll(options), name);
  }

  /**
   * Turns what a user may write for a list (an id, a URI or a name) into the list's URI, the
   * form the API wants. Ids and URIs need no request, a system list's id (`active`,
   * `do-not-mail`, `removed`, in any case) included (ADR 0120); a name is looked up as
   * {@linkcode ContactLists.findByName} does.
   *
   * @param list An id (`"2"`), a URI, or a name (`"VIP customers"`).
   * @param options A signal to stop.
   * @returns The list's URI, in the identifier form (`http://api.constantcontact.com/…`).
   */
  async resolve(list: string | number, options: SignalOptions = {}): Promise<string> {
    const [uri] = await this.resolveAll([list], options);
    return uri!;
  }

  /**
   * Resolves several lists (ids, URIs or names), reading the account's lists at most once.
   *
   * @param lists Ids, URIs or names.
   * @param options A signal to stop; `existing: true` also checks that each numbered list given by
   *   id or URI is one of the account's (system lists always are), in the same single read of the
   *   lists as the names, so that a create is not sent to a list that is not there.
   * @returns The lists' URIs, in the same order, without duplicates.
   * @throws {ListNotFoundError} When a name, or with `existing` an id or URI, is not the account's.
   */
  async resolveAll(
    lists: readonly (string | number)[],
    options: SignalOptions & { existing?: boolean } = {},
  ): Promise<string[]> {
    const signal: SignalOptions = options.signal ? { signal: options.signal } : {};
    const uris: string[] = [];
    let all: ContactList[] | undefined;
    for (const list of lists) {
      const text = String(list).trim();
      let uri = this.#uriOf(text);
      if (uri === undefined) {
        all ??= await this.#readAll(signal);
        uri = matchListName(all, text).uri;
      } else if (options.existing === true && /\/\d+$/.test(uri)) {
        all ??= await this.#readAll(signal);
        const known = all.some((candidate) => sameList(candidate.uri, uri!));
        if (!known)
          throw new ListNotFoundError(`Unknown list "${text}"`, { list: text, candidates: [] });
      }
      if (!uris.includes(uri)) uris.push(uri);
    }
    return uris;
  }

  async #readAll(options: SignalOptions): Promise<ContactList[]> {
    const all: ContactList[] = [];
    for await (const list of this.list(options)) all.push(list);
    return all;
  }

  /**
   * The URI of an id or URI (canonical identifier form), or `undefined` for anything else. A
   * system list's id is an id, whatever its case, as in the API's URIs (ADR 0120).
   */
  #uriOf(text: string): string | undefined {
    if (/^\d+$/.test(text)) return listUri(this.#http.username, text);
    const system = (SYSTEM_LISTS as readonly string[]).find((id) => id === text.toLowerCase());
    if (system !== undefined) return listUri(this.#http.username, system);
    if (!/^https?:\/\//i.test(text)) return undefined;
    let parsed: ReturnType<typeof parseListUri>;
    try {
      parsed = parseListUri(text.replace(/^https:/i, "http:"));
    } catch (error) {
      throw new InvalidRequestError(`Invalid list URI "${text}": ${(error as Error).message}`, {
        diagnostics: [
          { severity: "error", message: `Invalid list URI "${text}"`, parameter: "lists" },
        ],
      });
    }
    if (parsed.username.toLowerCase() !== this.#http.username.toLowerCase())
      throw new InvalidRequestError(
        `Invalid list URI "${text}": it belongs to the account "${parsed.username}", not "${this.#http.username}"`,
        {
          diagnostics: [
            { severity: "error", message: `List of another account "${text}"`, parameter: "lists" },
          ],
        },
      );
    return listUri(this.#http.username, parsed.listId);
  }
}

/** Whether two list URIs name the same list (scheme, host and case of the account aside). */
function sameList(a: string, b: string): boolean {
  const tail = (uri: string) => /\/customers\/[^/]+\/lists\/[^/]+$/i.exec(uri)?.[0].toLowerCase();
  return tail(a) !== undefined && tail(a) === tail(b);
}

/** The one list with this name (case and spaces folded), or a typed error. */
function matchListName(lists: readonly ContactList[], name: string): ContactList {
  const wanted = foldName(name);
  const matches = lists.filter(
    (list) => foldName(list.name) === wanted || foldName(list.shortName) === wanted,
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new AmbiguousListNameError(
      `Ambiguous list name "${name}": ${matches.length} lists have it: ${matches.map((list) => `"${list.uri}"`).join(", ")}`,
      { list: name, candidates: matches.map((list) => list.uri) },
    );
  const close = lists
    .map((list) => list.name)
    .filter((candidate) => {
      const folded = foldName(candidate);
      return (
        folded.includes(wanted) || wanted.includes(folded) || editDistance(folded, wanted) <= 2
      );
    });
  throw new ListNotFoundError(
    `Unknown list "${name}"${close.length > 0 ? `: did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : ""}`,
    { list: name, candidates: close },
  );
}

/** Levenshtein distance, for "did you mean" (short names only, so the quadratic cost is nothing). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
