import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactSecrets, withoutUrlCredentials } from "./secrets.ts";

describe("withoutUrlCredentials()", () => {
  it("drops the user and password of every URL in a text and keeps the rest", () => {
    expect(
      withoutUrlCredentials(
        'Account "joe" at http://u:sekret@127.0.0.1:28787/ws/customers, then https://a%40b:p@x.test/y',
      ),
    ).toBe('Account "joe" at http://127.0.0.1:28787/ws/customers, then https://x.test/y');
    expect(withoutUrlCredentials("mail joe@example.com at http://host/ws")).toBe(
      "mail joe@example.com at http://host/ws",
    );
  });

  it("never leaves a URL's password in what redactSecrets() returns (property)", () => {
    const userinfo = fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=-]{1,20}$/);
    fc.assert(
      fc.property(userinfo, userinfo, (user, password) => {
        const text = `GET http://${user}:${password}@127.0.0.1:8787/ws/customers/joe/lists`;
        const shown = redactSecrets(text);
        expect(shown).toBe("GET http://127.0.0.1:8787/ws/customers/joe/lists");
      }),
    );
  });
});
