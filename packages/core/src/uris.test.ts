import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  API_ID_ROOT,
  activityUri,
  createActivityId,
  exportFileUri,
  isActivityId,
  isClearableList,
  listUri,
  parseActivityUri,
  parseListUri,
  requestUrl,
  SYSTEM_LISTS,
} from "./uris.ts";

const seedList = "http://api.constantcontact.com/ws/customers/joesflowers/lists/2";

describe("list URIs", () => {
  it("builds the seed's list URI in the http:// identifier form", () => {
    expect(listUri("joesflowers", 2)).toBe(seedList);
    expect(listUri("joesflowers", "do-not-mail")).toBe(
      `${API_ID_ROOT}/joesflowers/lists/do-not-mail`,
    );
  });

  it("parses identifier, https, other-host and absolute-path forms", () => {
    const expected = { username: "joesflowers", listId: "2", system: false };
    expect(parseListUri(seedList)).toEqual(expected);
    expect(parseListUri(seedList.replace("http:", "https:"))).toEqual(expected);
    expect(parseListUri("http://fake.ctct.test/ws/customers/joesflowers/lists/2")).toEqual(
      expected,
    );
    expect(parseListUri("/ws/customers/joesflowers/lists/2")).toEqual(expected);
    for (const system of SYSTEM_LISTS)
      expect(parseListUri(listUri("joe", system))).toEqual({
        username: "joe",
        listId: system,
        system: true,
      });
  });

  it("refuses a malformed list URI with a TypeError naming it", () => {
    for (const bad of [
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/",
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/two",
      "http://api.constantcontact.com/ws/customers/joesflowers/activities/2",
      "lists/2",
    ])
      expect(() => parseListUri(bad)).toThrow(
        new TypeError(
          `Invalid list URI "${bad}": expected ${API_ID_ROOT}/{username}/lists/{number or active or do-not-mail or removed}`,
        ),
      );
    expect(() => listUri("joe flowers", 2)).toThrow(/Invalid username "joe flowers"/);
    expect(() => listUri("joe", "2/3")).toThrow(/Invalid list id "2\/3"/);
  });

  it("round-trips any username and list number", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._@-]{1,20}$/), fc.nat(), (username, id) => {
        expect(parseListUri(listUri(username, id))).toEqual({
          username,
          listId: String(id),
          system: false,
        });
      }),
    );
  });

  it("does not clear system lists nor the named lists", () => {
    expect(isClearableList(seedList)).toBe(true);
    for (const system of SYSTEM_LISTS) expect(isClearableList(listUri("joe", system))).toBe(false);
    for (const name of ["Do-Not-Mail", "removed", "Awaiting  Confirmation", "ALL", "Active"])
      expect(isClearableList(seedList, name)).toBe(false);
    expect(isClearableList(seedList, "My customers")).toBe(true);
  });
});

describe("activity URIs and ids", () => {
  it("accepts the seed's id and refuses others", () => {
    expect(isActivityId("a07e1ffaxjyffmvqgiz")).toBe(true);
    expect(isActivityId("a07e1ffaxjyffmvqgi")).toBe(false);
    expect(isActivityId("a07e1ffaxjyffmvqgizz")).toBe(false);
    expect(isActivityId("b07e1ffaxjyffmvqgiz")).toBe(false);
    expect(isActivityId("a07e1FFAXJYFFMVQGIZ")).toBe(false);
  });

  it("creates well-formed ids from the bytes it is handed, deterministically", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 15, maxLength: 32 }), (bytes) => {
        const id = createActivityId(bytes);
        expect(isActivityId(id)).toBe(true);
        expect(createActivityId(bytes.slice())).toBe(id);
      }),
    );
    expect(createActivityId(Uint8Array.from({ length: 15 }, (_, i) => i + 26))).toBe(
      "a07e0123456789abcde",
    );
    expect(() => createActivityId(new Uint8Array(14))).toThrow(RangeError);
  });

  it("builds and parses activity URIs", () => {
    const uri = activityUri("joesflowers", "a07e1ffaxjyffmvqgiz");
    expect(uri).toBe(
      "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz",
    );
    expect(parseActivityUri(uri)).toEqual({
      username: "joesflowers",
      activityId: "a07e1ffaxjyffmvqgiz",
    });
    expect(parseActivityUri("/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz")).toEqual({
      username: "joesflowers",
      activityId: "a07e1ffaxjyffmvqgiz",
    });
    expect(() => parseActivityUri(`${uri}.csv`)).toThrow(TypeError);
    expect(exportFileUri("joesflowers", "a07e1gpfcd3fhysynnp", "TXT")).toBe(
      "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1gpfcd3fhysynnp.txt",
    );
  });

  it("turns identifier URIs and paths into request URLs under a base", () => {
    expect(requestUrl(seedList)).toBe(
      "https://api.constantcontact.com/ws/customers/joesflowers/lists/2",
    );
    expect(
      requestUrl(
        "/ws/customers/joesflowers/activities?next=abc",
        "http://fake.ctct.test/ws/customers/",
      ),
    ).toBe("http://fake.ctct.test/ws/customers/joesflowers/activities?next=abc");
    expect(() => requestUrl("http://example.com/other")).toThrow(/Invalid API URI/);
  });
});
