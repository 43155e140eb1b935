// Runs the `@example` blocks of the transport's JSDoc, as core's examples.test.ts runs core's, so
// that they cannot drift from the code. Each block runs with the package's exports (and the fake
// server's, which one example imports) in scope, its types stripped by Node. The examples talk to
// the real API with placeholder credentials, as a reader's program would: here `fetch` sends those
// requests to an in-process fake server with its demo account instead. A line
// `expression; // value` must hold; a value may list alternatives (`"a" | "b"`).
import { readdirSync, readFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as fakeServer from "@ctct-bulk/fake-server";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as transport from "../src/mod.ts";

const SRC = new URL("../src/", import.meta.url).pathname;
const files = [
  ...readdirSync(SRC).filter((name) => name.endsWith(".ts")),
  ...readdirSync(join(SRC, "errors")).map((name) => `errors/${name}`),
].filter((name) => !/\.test(-d)?\.ts$|(^|\/)_test_/.test(name));

const BLOCK = /@example ([^\n]*)\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g;
const ASSERTION = /^(\s*)(.+?);\s*\/\/ (.+)$/;

const examples = files.flatMap((file) =>
  [...readFileSync(join(SRC, file), "utf8").matchAll(BLOCK)].map((block) => {
    let assertions = 0;
    const code = block[2]!
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .filter((line) => !line.startsWith("import "))
      .map((line) => {
        const match = ASSERTION.exec(line);
        if (match === null) return line;
        assertions++;
        const [, indent, expression, values] = match;
        return `${indent}check(${expression}, [${values!.split(" | ").join(", ")}], ${JSON.stringify(expression)});`;
      })
      .join("\n");
    return { file, title: block[1]!, code: stripTypeScriptTypes(code), assertions };
  }),
);

const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

/** A `fetch` that answers the real API's URLs from a fake server, as its demo account. */
function fetchFrom(server: fakeServer.FakeServer): typeof globalThis.fetch {
  const basic = `Basic ${btoa(`${fakeServer.DEFAULT_ACCOUNT.apiKey}%${fakeServer.DEFAULT_ACCOUNT.username}:${fakeServer.DEFAULT_ACCOUNT.password}`)}`;
  return (async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = request.url.replace(
      /^https:\/\/api\.constantcontact\.com\/ws\/customers/,
      server.baseUrl,
    );
    const headers = new Headers(request.headers);
    headers.set("authorization", basic);
    const body = request.body === null ? null : await request.arrayBuffer();
    return server.fetch(new Request(url, { method: request.method, headers, body }));
  }) as typeof globalThis.fetch;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("@ctct-bulk/transport's JSDoc examples", () => {
  it("are found, with assertions", () => {
    expect(examples.length).toBeGreaterThan(30);
    expect(examples.reduce((sum, example) => sum + example.assertions, 0)).toBeGreaterThan(30);
  });

  it.each(examples.map((example) => [`${example.file}: ${example.title}`, example] as const))(
    "%s",
    async (_name, example) => {
      const server = fakeServer.createFakeServer({ clock: "immediate" });
      vi.stubGlobal("fetch", fetchFrom(server));
      vi.spyOn(console, "log").mockImplementation(() => {});
      const mismatches: string[] = [];
      const check = (actual: unknown, expected: unknown[], source: string) => {
        if (!expected.some((value) => isDeepStrictEqual(actual, value)))
          mismatches.push(`${source} is ${JSON.stringify(actual)}`);
      };
      const scope = { ...fakeServer, ...transport, check };
      await new AsyncFunction(...Object.keys(scope), example.code)(...Object.values(scope));
      expect(mismatches).toEqual([]);
    },
  );
});
