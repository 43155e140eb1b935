import { type Activity, renderActivityFeed } from "@ctct-bulk/core";
import { describe, expect, it } from "vitest";
import { createHttpContext } from "./_context.ts";
import { readFeedPages } from "./_feed-pages.ts";
import { SECRETS, scriptedFetch, text, xml } from "./_test_scripted-fetch.ts";
import { createVirtualClock } from "./clock.ts";
import { InvalidRequestError } from "./errors/invalid-request-error.ts";
import { UnexpectedResponseError } from "./errors/unexpected-response-error.ts";

const base = "https://api.example.test/ws/customers";
const account = `${base}/joesflowers`;

function activity(id: string): Activity {
  return {
    uri: `http://api.constantcontact.com/ws/customers/joesflowers/activities/${id}`,
    id,
    type: "CLEAR_CONTACTS_FROM_LISTS",
    status: "COMPLETE",
    fileName: "",
    transactionCount: 0,
    errors: [],
    errorCount: 0,
    insertTime: "2026-11-23T10:00:00.000Z",
  };
}

function page(ids: string[], nextLink?: string) {
  return xml(
    renderActivityFeed({
      id: "http://api.constantcontact.com/ws/customers/joesflowers/activities",
      title: "Bulk Activity",
      author: "joesflowers",
      updated: "2026-11-23T10:00:00.000Z",
      ...(nextLink ? { nextLink } : {}),
      entries: ids.map(activity),
    }),
  );
}

function context(script: Parameters<typeof scriptedFetch>[0]) {
  const scripted = scriptedFetch(script);
  const http = createHttpContext({
    username: "joesflowers",
    accessToken: SECRETS.accessToken,
    baseUrl: base,
    fetch: scripted.fetch,
    clock: createVirtualClock(0),
    rateLimit: false,
  });
  return { http, requests: scripted.requests };
}

async function readAll(http: ReturnType<typeof context>["http"]) {
  const { parseActivityFeed } = await import("@ctct-bulk/core");
  const ids: string[] = [];
  for await (const feed of readFeedPages(
    http,
    `${account}/activities`,
    parseActivityFeed,
    undefined,
  ))
    ids.push(...feed.entries.map((entry) => entry.id));
  return ids;
}

describe("readFeedPages()", () => {
  it("follows next links written as an absolute path, a relative reference or a full identifier URI", async () => {
    const { http, requests } = context([
      page(["a1"], "/ws/customers/joesflowers/activities?next=p2"),
      page(["a2"], "activities?next=p3"),
      page(["a3"], "?next=p4"),
      page(["a4"], "http://api.constantcontact.com/ws/customers/joesflowers/activities?next=p5"),
      page(["a5"]),
    ]);
    expect(await readAll(http)).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    expect(requests.map((request) => request.url)).toEqual([
      `${account}/activities`,
      `${account}/activities?next=p2`,
      `${account}/activities?next=p3`,
      `${account}/activities?next=p4`,
      `${account}/activities?next=p5`,
    ]);
  });

  it("stops with UnexpectedResponseError when a next link loops back", async () => {
    const { http } = context([page(["a1"], "?next=x"), page(["a2"], "?next=x")]);
    await expect(readAll(http)).rejects.toSatisfy(UnexpectedResponseError.isInstance);
  });

  it("refuses a next link to another host rather than sending credentials there", async () => {
    const { http, requests } = context([
      page(["a1"], "https://elsewhere.example/ws/customers/joesflowers/activities?next=2"),
    ]);
    await expect(readAll(http)).rejects.toSatisfy(InvalidRequestError.isInstance);
    expect(requests).toHaveLength(1);
  });

  it("turns a 200 whose body is not a feed into UnexpectedResponseError", async () => {
    const { http } = context([text(200, "<html>maintenance</html>")]);
    const error = await readAll(http).catch((e) => e);
    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect(error.status).toBe(200);
  });
});
