import type * as core from "@ctct-bulk/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type Activity,
  type ActivityEntry,
  type ActivityLineError,
  type ActivityStatus,
  type ActivityType,
  type ContactList,
  type ContactListEntry,
  type CtctClient,
  createClient,
  type Diagnostic,
  type WaitResult,
} from "./mod.ts";

declare const client: CtctClient;

describe("the client's types", () => {
  it("wait() returns one result for one activity and an array for several", () => {
    expectTypeOf(
      client.activities.wait("a07e1ffaxjyffmvqgiz"),
    ).resolves.toEqualTypeOf<WaitResult>();
    expectTypeOf(client.activities.wait(["a07e1ffaxjyffmvqgiz"])).resolves.toEqualTypeOf<
      WaitResult[]
    >();
  });

  it("createClient() wants a username and either an API key with password or a token", () => {
    expectTypeOf(createClient).toBeCallableWith({ username: "u", apiKey: "k", password: "p" });
    expectTypeOf(createClient).toBeCallableWith({ username: "u", accessToken: "t" });
    // @ts-expect-error: no credentials
    createClient({ username: "u" });
    // @ts-expect-error: an API key without its password
    createClient({ username: "u", apiKey: "k" });
  });

  it("the outcome of a wait is one of three", () => {
    expectTypeOf<WaitResult["outcome"]>().toEqualTypeOf<
      "complete" | "complete-with-errors" | "error"
    >();
  });

  it("names the data its methods take and return, with no import from @ctct-bulk/core", () => {
    expectTypeOf(
      client.activities.get("a07e1ffaxjyffmvqgiz"),
    ).resolves.toEqualTypeOf<ActivityEntry>();
    expectTypeOf<WaitResult["activity"]>().toEqualTypeOf<Activity>();
    expectTypeOf<Activity["status"]>().toEqualTypeOf<ActivityStatus>();
    expectTypeOf<Activity["type"]>().toEqualTypeOf<ActivityType>();
    expectTypeOf<Activity["errors"]>().toEqualTypeOf<ActivityLineError[]>();
    expectTypeOf(client.lists.findByName("VIP customers")).resolves.toEqualTypeOf<ContactList>();
    expectTypeOf(client.lists.get(2)).resolves.toEqualTypeOf<ContactListEntry>();
    expectTypeOf<Diagnostic>().toEqualTypeOf<core.Diagnostic>();
  });
});
