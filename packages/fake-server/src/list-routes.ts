import {
  API_ID_ROOT,
  type AtomFeedInfo,
  type ContactList,
  type ContactListMember,
  listUri,
  renderContactListEntry,
  renderContactListFeed,
  renderContactListMembersFeed,
} from "@ctct-bulk/core";
import type { Hono } from "hono";
import { textError, UNSUPPORTED_METHODS, xmlResponse } from "./_responses.ts";
import type { ActivityWork, FakeActivity } from "./activity-work.ts";
import type { FakeEnv } from "./api-routes.ts";
import type { ServerState } from "./server-state.ts";
import {
  type AccountState,
  isSystemListId,
  type ListMember,
  SYSTEM_LIST_NAMES,
  type SystemListId,
} from "./state.ts";

/** Entries per page of the lists and members feeds. */
const PAGE_SIZE = 50;

const SYSTEM_ORDER: readonly SystemListId[] = ["active", "do-not-mail", "removed"];

function contactLists(account: AccountState<FakeActivity>, now: number): ContactList[] {
  const { username } = account.account;
  const updated = new Date(now).toISOString();
  const system: ContactList[] = SYSTEM_ORDER.map((id) => ({
    uri: listUri(username, id),
    id,
    name: SYSTEM_LIST_NAMES[id],
    shortName: SYSTEM_LIST_NAMES[id],
    system: true,
    updated,
    editLink: `/ws/customers/${username}/lists/${id}`,
  }));
  const numbered = [...account.lists.values()]
    .sort((a, b) => a.sortOrder - b.sortOrder || Number(a.id) - Number(b.id))
    .map(
      (list): ContactList => ({
        uri: listUri(username, list.id),
        id: list.id,
        name: list.name,
        shortName: list.shortName,
        optInDefault: list.optInDefault,
        displayOnSignup: list.displayOnSignup,
        sortOrder: list.sortOrder,
        contactCount: list.members.size,
        system: false,
        updated: new Date(list.updated).toISOString(),
        editLink: `/ws/customers/${username}/lists/${list.id}`,
      }),
    );
  return [...system, ...numbered];
}

function listsFeedInfo(username: string, now: number): AtomFeedInfo {
  const collection = `${API_ID_ROOT}/${username}/lists`;
  return {
    id: collection,
    title: `Contact Lists for Customer: ${username}`,
    author: username,
    updated: new Date(now).toISOString(),
    alternateLink: collection,
    selfLink: collection,
  };
}

/** Pages an array by a `next` token (the key of the first item of the page). */
function paginate<T>(
  items: readonly T[],
  key: (item: T) => string,
  token: string | undefined,
  path: string,
): { page: T[]; links: Partial<AtomFeedInfo> } | undefined {
  let start = 0;
  if (token !== undefined) {
    start = items.findIndex((item) => key(item) === token);
    if (start < 0) return undefined;
  }
  const page = items.slice(start, start + PAGE_SIZE);
  const following = items[start + PAGE_SIZE];
  return {
    page,
    links:
      following === undefined
        ? { firstLink: path, currentLink: token === undefined ? path : `${path}?next=${token}` }
        : { nextLink: `${path}?next=${key(following)}` },
  };
}

function memberName(member: ListMember): string {
  const first = member.fields["FIRST NAME"] ?? "";
  const last = member.fields["LAST NAME"] ?? "";
  return first !== "" && last !== "" ? `${last}, ${first}` : last || first;
}

/**
 * Registers `GET /lists`, `GET /lists/{id}` and `GET /lists/{id}/members`.
 *
 * @param app The app.
 * @param state The server state.
 * @param base The account's route prefix.
 */
export function listRoutes(
  app: Hono<FakeEnv>,
  state: ServerState<ActivityWork>,
  base: string,
): void {
  app.get(`${base}/lists`, (c) => {
    const account = c.get("account");
    const { username } = account.account;
    const now = state.now();
    const path = `/ws/customers/${username}/lists`;
    const paged = paginate(
      contactLists(account, now),
      (list) => list.id,
      c.req.query("next"),
      path,
    );
    if (paged === undefined)
      return textError(400, `Invalid next token "${c.req.query("next")}": no such page`);
    return xmlResponse(
      renderContactListFeed({
        ...listsFeedInfo(username, now),
        ...paged.links,
        entries: paged.page,
      }),
    );
  });

  app.get(`${base}/lists/:listId`, (c) => {
    const account = c.get("account");
    const listId = c.req.param("listId").toLowerCase();
    const now = state.now();
    const list = contactLists(account, now).find((candidate) => candidate.id === listId);
    if (list === undefined) return textError(404, `List not found: "${listId}"`);
    const { alternateLink, selfLink, id, title, author, updated } = listsFeedInfo(
      account.account.username,
      now,
    );
    return xmlResponse(
      renderContactListEntry(list, {
        source: { id, title, author, updated, alternateLink, selfLink },
      }),
    );
  });

  app.on(
    [...UNSUPPORTED_METHODS],
    [`${base}/lists`, `${base}/lists/:listId`, `${base}/lists/:listId/members`],
    (c) =>
      textError(
        405,
        c.req.method === "OPTIONS"
          ? "Method not allowed on lists: use GET"
          : "Lists cannot be changed through the fake server's API: seed them (control.addList(), --seed)",
        { allow: "GET" },
      ),
  );

  app.get(`${base}/lists/:listId/members`, (c) => {
    const account = c.get("account");
    const { username } = account.account;
    const listId = c.req.param("listId").toLowerCase();
    if (!(isSystemListId(listId) || account.lists.has(listId)))
      return textError(404, `List not found: "${listId}"`);
    const now = state.now();
    const members = (account.members(listId) ?? []).sort((a, b) => b.contactId - a.contactId);
    const path = `/ws/customers/${username}/lists/${listId}/members`;
    const paged = paginate(
      members,
      (member) => String(member.contactId),
      c.req.query("next"),
      path,
    );
    if (paged === undefined)
      return textError(400, `Invalid next token "${c.req.query("next")}": no such page`);
    const collection = `${listUri(username, listId)}/members`;
    const entries = paged.page.map(
      (member): ContactListMember => ({
        uri: `${API_ID_ROOT}/${username}/contacts/${member.contactId}`,
        id: String(member.contactId),
        email: member.email,
        name: memberName(member),
        updated: new Date(member.date).toISOString(),
        editLink: `${path}/${member.contactId}`,
      }),
    );
    return xmlResponse(
      renderContactListMembersFeed({
        id: collection,
        title: `Contacts for Customer: ${username}`,
        author: username,
        updated: new Date(now).toISOString(),
        alternateLink: collection,
        selfLink: collection,
        ...paged.links,
        entries,
      }),
    );
  });
}
