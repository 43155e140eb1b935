import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authenticate } from "./_auth.ts";
import { DEFAULT_ACCOUNT } from "./accounts.ts";

const accounts = [DEFAULT_ACCOUNT, { username: "other", apiKey: "k%ey", password: "p:w" }];
const find = (username: string) =>
  accounts.find((account) => account.username.toLowerCase() === username.toLowerCase());
const byToken = (token: string) =>
  accounts.find((account) => "accessToken" in account && account.accessToken === token);
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

describe("authenticate()", () => {
  it("accepts Basic {apiKey}%{username} with the password, the username in any case", () => {
    expect(
      authenticate(basic("demo-key%joesflowers", "demo-password"), find, byToken).account,
    ).toBe(DEFAULT_ACCOUNT);
    expect(
      authenticate(basic("demo-key%JoesFlowers", "demo-password"), find, byToken).account,
    ).toBe(DEFAULT_ACCOUNT);
    expect(authenticate(basic("k%ey%other", "p:w"), find, byToken).account?.username).toBe("other");
  });

  it("refuses a wrong key, a wrong password, a missing %, and unknown users", () => {
    for (const header of [
      basic("wrong%joesflowers", "demo-password"),
      basic("demo-key%joesflowers", "nope"),
      basic("demo-key%nobody", "demo-password"),
      "Basic !!!not-base64",
    ]) {
      const result = authenticate(header, find, byToken);
      expect(result).toEqual({ scheme: "basic" });
    }
    // A user without "%" is said to be one, for the 401's words.
    expect(authenticate(basic("joesflowers", "demo-password"), find, byToken)).toEqual({
      scheme: "basic",
      missingUsername: true,
    });
  });

  it("accepts a Bearer token and tells missing, unsupported and bad credentials apart", () => {
    expect(authenticate("Bearer demo-token", find, byToken).account).toBe(DEFAULT_ACCOUNT);
    expect(authenticate("Bearer other-token", find, byToken)).toEqual({ scheme: "bearer" });
    expect(authenticate(undefined, find, byToken)).toEqual({ scheme: "none" });
    expect(authenticate("Digest x", find, byToken)).toEqual({ scheme: "unsupported" });
  });
});

describe("authenticate() for any credentials", () => {
  const username = fc.stringMatching(/^[A-Za-z0-9._@-]{1,20}$/);
  const secret = fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" });
  it("accepts the account's own Basic credentials and refuses any other password", () => {
    fc.assert(
      fc.property(
        username,
        secret.filter((key) => !key.includes(":")),
        secret,
        secret,
        (user, apiKey, password, other) => {
          fc.pre(other !== password);
          const account = { username: user, apiKey, password };
          const lookup = (name: string) =>
            name.toLowerCase() === user.toLowerCase() ? account : undefined;
          const header = (pass: string) => {
            const bytes = new TextEncoder().encode(`${apiKey}%${user}:${pass}`);
            return `Basic ${btoa(String.fromCharCode(...bytes))}`;
          };
          expect(authenticate(header(password), lookup, () => undefined).account).toBe(account);
          expect(authenticate(header(other), lookup, () => undefined).account).toBeUndefined();
        },
      ),
    );
  });
});
