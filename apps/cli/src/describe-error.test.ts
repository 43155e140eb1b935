import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.ts";
import { describeError } from "./describe-error.ts";
import { rememberSecret } from "./secrets.ts";

describe("describeError()", () => {
  it("prints a CLI error as its message and hint, with its exit code", () => {
    expect(
      describeError(new CliError("No credentials", { exitCode: 5, hint: "Run ctct-bulk login" })),
    ).toEqual({
      lines: ["Error: No credentials", "Run ctct-bulk login"],
      exitCode: 5,
    });
  });

  it("maps the transport's errors by name to their exit codes", () => {
    const named = (name: string): Error => Object.assign(new Error("Refused"), { name });
    expect(describeError(named("UnauthorizedError")).exitCode).toBe(5);
    expect(describeError(named("ForbiddenError")).exitCode).toBe(5);
    expect(describeError(named("ActivityFailedError")).exitCode).toBe(3);
    expect(describeError(named("NetworkError")).lines[1]).toContain("Check the network");
  });

  it("suggests the base URL a 404 meant: /ws/customers in place of a misspelt one, after any other path", () => {
    const notFound = (url: string): string =>
      describeError(Object.assign(new Error("Not found (404)"), { name: "NotFoundError", url }))
        .lines[1]!;
    const hint = (base: string) =>
      `The API's base URL ends in /ws/customers: did you mean --base-url ${base}?`;
    expect(notFound("http://127.0.0.1:8787/joe/lists")).toBe(
      hint("http://127.0.0.1:8787/ws/customers"),
    );
    expect(notFound("http://127.0.0.1:8787/ws/custom/joe/lists")).toBe(
      hint("http://127.0.0.1:8787/ws/customers"),
    );
    expect(notFound("http://127.0.0.1:8787/WS/Customer/joe/activities")).toBe(
      hint("http://127.0.0.1:8787/ws/customers"),
    );
    expect(notFound("http://127.0.0.1:8787/ws/joe/lists")).toBe(
      hint("http://127.0.0.1:8787/ws/customers"),
    );
    expect(notFound("https://proxy.example.com/ctct/ws/customer/joe/lists")).toBe(
      hint("https://proxy.example.com/ctct/ws/customers"),
    );
    expect(notFound("https://proxy.example.com/ctct/joe/lists")).toBe(
      hint("https://proxy.example.com/ctct/ws/customers"),
    );
  });

  it("says why the network failed, from the system's error under fetch's", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8787"), {
      code: "ECONNREFUSED",
    });
    const error = Object.assign(
      new Error(
        'Network error on GET "http://127.0.0.1:8787/ws/customers/joe/lists": fetch failed',
        {
          cause: new TypeError("fetch failed", { cause: refused }),
        },
      ),
      { name: "NetworkError" },
    );
    expect(describeError(error).lines[0]).toBe(
      'Error: Network error on GET "http://127.0.0.1:8787/ws/customers/joe/lists": fetch failed (connect ECONNREFUSED 127.0.0.1:8787)',
    );
  });

  it("never prints a stack trace unless --verbose, and then the cause chain too", () => {
    const error = new TypeError("Boom", { cause: new Error("Deeper") });
    const plain = describeError(error);
    expect(plain.lines).toEqual(["Error: Boom", "Run again with --verbose for details"]);
    expect(plain.exitCode).toBe(1);
    const verbose = describeError(error, { verbose: true }).lines.join("\n");
    expect(verbose).toContain("Caused by Error: Deeper");
    expect(verbose).toContain("at ");
  });

  it("points an import stopped by a malformed line at --resume", () => {
    const error = Object.assign(new SyntaxError('Unterminated quoted field in "a.csv" at line 9'), {
      name: "ContactFileError",
      line: 9,
    });
    expect(describeError(error, { command: "import" }).lines[1]).toContain("--resume");
    expect(describeError(error, { command: "validate" }).lines[1]).not.toContain("--resume");
  });

  it("says an interrupt is one, with exit code 130", () => {
    const controller = new AbortController();
    controller.abort();
    expect(describeError(new Error("x"), { signal: controller.signal }).exitCode).toBe(130);
    expect(describeError(new DOMException("Stop", "AbortError")).exitCode).toBe(130);
  });

  it("hides every remembered credential, in the message and the causes", () => {
    rememberSecret("p4ss-w0rd-value");
    const { lines } = describeError(
      new Error("Sent p4ss-w0rd-value", { cause: new Error("p4ss-w0rd-value again") }),
      {
        verbose: true,
      },
    );
    expect(lines.join("\n")).not.toContain("p4ss-w0rd-value");
    expect(lines[0]).toBe("Error: Sent ***");
  });
});
