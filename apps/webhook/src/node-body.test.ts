import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { addPush, signedRequest, testConfig } from "../test/_harness.ts";
import { chunk, overLimitAnswers, rawRequest } from "../test/_raw-request.ts";
import { createWebhookApp, type WebhookAppOptions } from "./app.ts";
import { readIncomingWithin, readNodeBody } from "./node-body.ts";
import { listenWebhookServer, type WebhookServer } from "./server.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import type { PushStore } from "./store.ts";

/** A signed push as raw HTTP: its head without the length headers, and its body. */
async function rawPush(emails: string[]): Promise<{ head: string; body: string }> {
  const request = await signedRequest(addPush(emails));
  let head = "POST /v1/partners/shop/pushes HTTP/1.1\r\nHost: localhost\r\n";
  request.headers.forEach((value, name) => {
    head += `${name}: ${value}\r\n`;
  });
  return { head, body: await request.text() };
}

const paths: [string, WebhookAppOptions["readBody"]][] = [
  ["the web Request (the default)", undefined],
  ["Node's request (readNodeBody, the Node edge)", readNodeBody],
];

describe.each(paths)("a push's body read from %s, over a socket", (_name, readBody) => {
  let server: WebhookServer | undefined;
  let store: PushStore | undefined;
  afterEach(async () => {
    await server?.close();
    await store?.close();
  });
  async function start(maxBodyBytes: number): Promise<number> {
    store = openSqliteStore(":memory:");
    const app = createWebhookApp({
      config: testConfig({ limits: { maxBodyBytes } }),
      store,
      ...(readBody ? { readBody } : {}),
    });
    server = await listenWebhookServer({
      fetch: app.fetch,
      host: "127.0.0.1",
      port: 0,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
    });
    return server.port;
  }

  it("takes a body of exactly the limit, by Content-Length or chunked in pieces, and refuses one byte more with 413", async () => {
    const { head, body } = await rawPush(["a@example.com", "b@example.com"]);
    const port = await start(body.length);
    expect(await rawRequest(port, `${head}Content-Length: ${body.length}\r\n\r\n`, [body])).toBe(
      "HTTP/1.1 202 Accepted",
    );
    const again = await rawPush(["c@example.com", "d@example.com"]);
    expect(again.body.length).toBe(body.length);
    // three chunks: the bytes are joined in order (the signature covers them all)
    const third = Math.floor(body.length / 3);
    expect(
      await rawRequest(port, `${again.head}Transfer-Encoding: chunked\r\n\r\n`, [
        chunk(again.body.slice(0, third)),
        chunk(again.body.slice(third, 2 * third)),
        chunk(again.body.slice(2 * third)),
        "0\r\n\r\n",
      ]),
    ).toBe("HTTP/1.1 202 Accepted");
    expect((await store!.stats(0)).pushes).toBe(2);

    const over = await rawPush(["e@example.com", "ff@example.com"]);
    expect(over.body.length).toBe(body.length + 1);
    expect(
      await rawRequest(port, `${over.head}Content-Length: ${over.body.length}\r\n\r\n`, [
        over.body,
      ]),
    ).toBe("HTTP/1.1 413 Payload Too Large");
    expect(
      await rawRequest(port, `${over.head}Transfer-Encoding: chunked\r\n\r\n`, [
        chunk(over.body.slice(0, 10)),
        chunk(over.body.slice(10)),
        "0\r\n\r\n",
      ]),
    ).toBe("HTTP/1.1 413 Payload Too Large");
    expect((await store!.stats(0)).pushes).toBe(2);
  });

  it("answers 413 to a large body by Content-Length before reading it, 400 to both length headers, and keeps serving", async () => {
    const port = await start(100_000);
    // by Content-Length, refused before any of the body is sent
    expect(await overLimitAnswers(port, { withoutBody: true })).toEqual({
      contentLength: "HTTP/1.1 413 Payload Too Large",
      chunked: "HTTP/1.1 413 Payload Too Large",
      bothHeaders: "HTTP/1.1 400 Bad Request",
    });
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
  });

  it("stores nothing when the client hangs up before the end of the body, and keeps serving", async () => {
    const { head, body } = await rawPush(["a@example.com"]);
    const port = await start(100_000);
    await rawRequest(
      port,
      `${head}Content-Length: ${body.length}\r\n\r\n`,
      [body.slice(0, 20)],
      true,
    );
    expect((await store!.stats(0)).pushes).toBe(0);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
  });
});

/** A stand-in for Node's IncomingMessage: a readable stream with headers. */
function incoming(chunks: string[], headers: Record<string, string> = {}) {
  return Object.assign(
    new Readable({
      read() {
        const next = chunks.shift();
        this.push(next === undefined ? null : Buffer.from(next));
      },
    }),
    { headers },
  ) as unknown as Parameters<typeof readIncomingWithin>[0];
}

describe("readIncomingWithin()", () => {
  it("joins the chunks, and counts them against the limit as they come", async () => {
    const result = await readIncomingWithin(incoming(["ab", "cd", "e"]), 5);
    expect(result.ok && Buffer.from(result.bytes).toString()).toBe("abcde");
    expect(await readIncomingWithin(incoming(["ab", "cd", "ef", "gh"]), 5)).toEqual({
      ok: false,
      reason: "too-large",
      received: 6,
    });
    const empty = await readIncomingWithin(incoming([]), 5);
    expect(empty.ok && empty.bytes.byteLength).toBe(0);
  });

  it("refuses a declared length over the limit without reading a byte", async () => {
    const request = incoming(["abcdef"], { "content-length": "6" });
    expect(await readIncomingWithin(request, 5)).toEqual({
      ok: false,
      reason: "too-large",
      received: 0,
    });
    expect(request.readableFlowing).toBe(null);
  });

  it("says aborted when the stream fails or closes before its end", async () => {
    const failing = incoming(["ab"]);
    const failed = readIncomingWithin(failing, 100);
    failing.destroy(new Error("socket hang up"));
    expect(await failed).toEqual({ ok: false, reason: "aborted" });
    const closing = new Readable({ read() {} });
    const closed = readIncomingWithin(
      Object.assign(closing, { headers: {} }) as unknown as Parameters<
        typeof readIncomingWithin
      >[0],
      100,
    );
    closing.push(Buffer.from("ab"));
    closing.destroy();
    expect(await closed).toEqual({ ok: false, reason: "aborted" });
  });

  it("reads through the web Request when there is no Node request (app.request, other runtimes)", async () => {
    const request = new Request("http://x/", { method: "POST", body: "hello" });
    const result = await readNodeBody(request, undefined, 10);
    expect(result.ok && new TextDecoder().decode(result.bytes)).toBe("hello");
    expect(
      await readNodeBody(new Request("http://x/", { method: "POST", body: "hello" }), {}, 4),
    ).toMatchObject({ ok: false, reason: "too-large" });
  });
});
