import { describe, expect, it } from "vitest";
import { DEFAULT_LISTS } from "./accounts.ts";
import { AccountState } from "./state.ts";

function account() {
  const state = new AccountState({ username: "joesflowers", apiKey: "k", password: "p" });
  for (const list of DEFAULT_LISTS) state.putList(list, 0);
  return state;
}

describe("AccountState", () => {
  it("keys contacts by email without regard to case and keeps the first add date on a list", () => {
    const state = account();
    const ann = state.upsertContact("Ann@Example.com", { "FIRST NAME": "Ann" }, 10, "Site Owner");
    state.addMembership(ann, "2", { addedAt: 10, source: "Site Owner" });
    const again = state.upsertContact(
      "ann@example.com",
      { "FIRST NAME": "", CITY: "Boston" },
      20,
      "x",
    );
    state.addMembership(again, "2", { addedAt: 20, source: "Site Owner" });
    expect(again).toBe(ann);
    expect(ann.fields).toEqual({ "FIRST NAME": "Ann", CITY: "Boston" });
    expect(state.members("2")?.map((member) => [member.email, member.date])).toEqual([
      ["Ann@Example.com", 10],
    ]);
    expect(ann.status).toBe("active");
  });

  it("moves a contact left on no list to the removed system list, with the date and source", () => {
    const state = account();
    const bob = state.upsertContact("bob@example.com", {}, 0, "Site Owner");
    const membership = { addedAt: 0, source: "Site Owner" };
    state.addMembership(bob, "1", membership);
    state.addMembership(bob, "2", membership);
    expect(state.removeMembership("bob@example.com", "1", 5, "Site Owner")).toBe(true);
    expect(state.members("removed")).toEqual([]);
    expect(state.members("active")?.map((member) => member.email)).toEqual(["bob@example.com"]);
    expect(state.clearList("2", 7, "Site Owner")).toBe(1);
    expect(state.members("removed")).toMatchObject([{ email: "bob@example.com", date: 7 }]);
    expect(state.members("active")).toEqual([]);
    expect(state.removeMembership("bob@example.com", "2", 8, "Site Owner")).toBe(false);
  });

  it("keeps a do-not-mail contact off every list", () => {
    const state = account();
    state.putContact({ email: "dnm@example.com", status: "do-not-mail" }, 0);
    const contact = state.upsertContact("dnm@example.com", {}, 1, "Site Owner");
    expect(state.addMembership(contact, "1", { addedAt: 1, source: "Site Owner" })).toBe(false);
    expect(state.members("1")).toEqual([]);
    expect(state.members("do-not-mail")?.map((member) => member.email)).toEqual([
      "dnm@example.com",
    ]);
  });

  it("refuses seeds that name unknown lists or bad dates, naming the contact", () => {
    const state = account();
    expect(() => state.putContact({ email: "a@example.com", lists: [9] }, 0)).toThrow(
      /Unknown list "9" for contact "a@example.com"/,
    );
    expect(() => state.putContact({ email: "a@example.com", addedAt: "soon" }, 0)).toThrow(
      /Invalid addedAt "soon"/,
    );
    expect(state.members("42")).toBeUndefined();
  });

  it("refuses seeded contacts the API could never hold, naming the contact and the value", () => {
    const state = account();
    expect(() => state.putContact({ email: "not-an-address", lists: [1] }, 0)).toThrow(
      'Invalid email address "not-an-address" for a seeded contact',
    );
    expect(() =>
      state.putContact({ email: "a@example.com", fields: { "FIRST NAM": "Ann" } }, 0),
    ).toThrow('Unknown column "FIRST NAM" for contact "a@example.com": did you mean "FIRST NAME"?');
    expect(() =>
      state.putContact({ email: "a@example.com", fields: { CITY: 3 as unknown as string } }, 0),
    ).toThrow('Invalid value of "CITY" for contact "a@example.com": expected a text, got number 3');
    expect(() =>
      state.putContact({ email: "a@example.com", status: "gone" as "removed" }, 0),
    ).toThrow('Invalid status "gone" for contact "a@example.com"');
    expect(() =>
      state.putContact({ email: "a@example.com", lists: 2 as unknown as number[] }, 0),
    ).toThrow('Invalid lists for contact "a@example.com": expected an array of list numbers');
    expect(state.contacts.size).toBe(0);
  });

  it("stores seeded fields under their canonical column names, as an upload would", () => {
    const state = account();
    state.putContact(
      {
        email: " ann@example.com ",
        fields: { "first  name": "Ann", "State/Province (US/Canada)": "MA" },
        lists: [2],
      },
      0,
    );
    const [member] = state.members("2") ?? [];
    expect(member?.email).toBe("ann@example.com");
    expect(state.contacts.get("ann@example.com")?.fields).toEqual({
      "FIRST NAME": "Ann",
      "STATE/PROVINCE (US/CANADA)": "MA",
    });
  });
});
