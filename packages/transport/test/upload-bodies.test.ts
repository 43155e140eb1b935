// What goes over the wire when the client uploads bytes: a recording proxy (node:net) between the
// client and the fake server on a port sees every request's head and body as sent.
import { connect, createServer, type Server, type Socket } from "node:net";
import {
  type ChunkRequest,
  chunkContactRows,
  encodeChunkBody,
  formatContactLine,
  openContactFile,
} from "@ctct-bulk/core";
import { DEFAULT_ACCOUNT, type RunningFakeServer, startFakeServer } from "@ctct-bulk/fake-server";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CreateClientOptions, createClient } from "../src/mod.ts";

/** A request as it crossed the socket. */
interface WireRequest {
  method: string;
  path: string;
  headers: Map<string, string>;
  body: Uint8Array;
  /** Whether the body came in chunked transfer encoding. */
  chunked: boolean;
  /** Whether the connection ended before the whole body came (a dropped request). */
  cut: boolean;
  /** Where the request starts in its connection's bytes. */
  offset: number;
}

const latin1 = new TextDecoder("latin1");

/** The requests in the bytes a client sent on one connection. */
function parseRequests(bytes: Uint8Array): WireRequest[] {
  const requests: WireRequest[] = [];
  let at = 0;
  while (at < bytes.length) {
    const offset = at;
    const text = latin1.decode(bytes.subarray(at, Math.min(bytes.length, at + 65_536)));
    const headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) break;
    const [requestLine, ...lines] = text.slice(0, headEnd).split("\r\n");
    const [method, path] = requestLine!.split(" ") as [string, string];
    const headers = new Map(
      lines.map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    at += headEnd + 4;
    const chunked = headers.get("transfer-encoding")?.toLowerCase().includes("chunked") ?? false;
    let body: Uint8Array;
    let cut = false;
    if (chunked) {
      const pieces: Uint8Array[] = [];
      for (;;) {
        const sizeEnd = latin1.decode(bytes.subarray(at, at + 20)).indexOf("\r\n");
        const size = Number.parseInt(latin1.decode(bytes.subarray(at, at + sizeEnd)), 16);
        at += sizeEnd + 2;
        if (!(size > 0)) break;
        pieces.push(bytes.subarray(at, at + size));
        at += size + 2;
      }
      at += 2;
      body = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
      let offset = 0;
      for (const piece of pieces) {
        body.set(piece, offset);
        offset += piece.length;
      }
    } else {
      const length = Number(headers.get("content-length") ?? 0);
      body = bytes.slice(at, at + length);
      cut = body.length < length;
      at += length;
    }
    requests.push({ method, path, headers, body, chunked, cut, offset });
  }
  return requests;
}

/** What one connection received: its pieces, each with its place in the order of all pieces. */
interface Received {
  pieces: Uint8Array[];
  order: number[];
}

/**
 * A TCP proxy to `target` that records what clients send. Requests come back in the order they
 * were sent, over all connections (the client's fetch keeps several open).
 */
async function recordingProxy(target: URL): Promise<{
  url: string;
  requests(): WireRequest[];
  clear(): void;
  close(): Promise<void>;
}> {
  const connections: Received[] = [];
  const sockets = new Set<Socket>();
  let sequence = 0;
  const server: Server = createServer((client) => {
    const received: Received = { pieces: [], order: [] };
    connections.push(received);
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on("data", (data) => {
      received.pieces.push(new Uint8Array(data));
      received.order.push(sequence++);
      upstream.write(data);
    });
    upstream.on("data", (data) => client.write(data));
    // A connection the server drops is dropped for the client too, and the other way round.
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    requests: () =>
      connections
        .flatMap(({ pieces, order }) => {
          const bytes = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
          const starts: number[] = [];
          let offset = 0;
          for (const piece of pieces) {
            starts.push(offset);
            bytes.set(piece, offset);
            offset += piece.length;
          }
          // Each request is ordered by the piece its first byte came in.
          return parseRequests(bytes).map((request) => {
            let piece = starts.length - 1;
            while (starts[piece]! > request.offset) piece--;
            return { request, sequence: order[piece]! };
          });
        })
        .sort((a, b) => a.sequence - b.sequence)
        .map(({ request }) => request),
    // Between requests only: a kept-alive connection's next request starts its record afresh.
    clear: () => {
      for (const received of connections) {
        received.pieces.length = 0;
        received.order.length = 0;
      }
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let running: RunningFakeServer;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;

beforeAll(async () => {
  running = await startFakeServer();
  proxy = await recordingProxy(new URL(running.url));
});

afterEach(() => {
  running.server.control.clearFaults();
  proxy.clear();
});

afterAll(async () => {
  await proxy?.close();
  await running?.close();
});

const LIST = `http://api.constantcontact.com/ws/customers/${DEFAULT_ACCOUNT.username}/lists/1`;
const ADD: ChunkRequest = { kind: "add", activityType: "SV_ADD", lists: [LIST] };
const ACTIVITIES = `/ws/customers/${DEFAULT_ACCOUNT.username}/activities`;

function client(options: Partial<CreateClientOptions> = {}) {
  return createClient({
    ...DEFAULT_ACCOUNT,
    baseUrl: proxy.url,
    rateLimit: false,
    retry: { initialDelay: 1, maxDelay: 5 },
    ...options,
  });
}

/** A contact file of `count` rows with these first names. */
function contactFile(names: readonly string[]): string {
  const lines = [formatContactLine(["EMAIL ADDRESS", "FIRST NAME"])];
  for (const [i, name] of names.entries())
    lines.push(formatContactLine([`wire${i}@example.com`, name]));
  return `${lines.join("\n")}\n`;
}

/** The bodies core encodes for the file's chunks: what each create must carry. */
async function expectedBodies(text: string, maxEncodedBytes: number): Promise<Uint8Array[]> {
  const bodies: Uint8Array[] = [];
  for await (const chunk of chunkContactRows(await openContactFile(text), { maxEncodedBytes }))
    bodies.push(encodeChunkBody(chunk, ADD));
  return bodies;
}

/** The creates the proxy saw, in order. */
function creates(): WireRequest[] {
  return proxy.requests().filter((request) => request.method === "POST");
}

/** Checks that a create went with its exact length and no chunked encoding. */
function expectPlainLength(request: WireRequest): void {
  expect(request.path).toBe(ACTIVITIES);
  expect(request.chunked).toBe(false);
  expect(request.headers.has("transfer-encoding")).toBe(false);
  expect(Number(request.headers.get("content-length"))).toBe(request.body.length);
  expect(request.cut).toBe(false);
}

describe("upload bodies over a real socket (fake server behind a recording proxy)", () => {
  const name = fc.string({
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(..."abcxyz019 ") },
      { weight: 1, arbitrary: fc.constantFrom(",", '"', "é", "😀", "+", "%", "&", "\n") },
    ),
    maxLength: 12,
  });

  it("streams each chunk with its Content-Length, no chunked encoding, the bytes of encodeChunkBody(), for any rows and limit", async () => {
    const streaming = client();
    await fc.assert(
      fc.asyncProperty(
        fc.array(name, { minLength: 30, maxLength: 120 }),
        fc.integer({ min: 400, max: 1500 }),
        async (names, maxEncodedBytes) => {
          proxy.clear();
          const text = contactFile(names);
          const result = await streaming.activities.importContacts(text, {
            lists: [1],
            maxEncodedBytes,
            wait: false,
          });
          const sent = creates();
          const expected = await expectedBodies(text, maxEncodedBytes);
          expect(sent).toHaveLength(expected.length);
          expect(result.chunks).toHaveLength(expected.length);
          for (const [i, request] of sent.entries()) {
            expectPlainLength(request);
            expect(request.body).toEqual(expected[i]);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it("hands Node's own fetch a stream with its Content-Length, and an injected fetch the bytes", async () => {
    const seen: { uploadBodies: string; contentLength: string | null; duplex: unknown }[] = [];
    const watching = (uploadBodies: "auto" | "stream" | "buffer") => {
      const fetch = (input: Request | string | URL, init?: RequestInit) => {
        const request = input as Request;
        if (request.method === "POST")
          seen.push({
            uploadBodies,
            contentLength: request.headers.get("content-length"),
            duplex: (request as { duplex?: unknown }).duplex,
          });
        return globalThis.fetch(input, init);
      };
      return client({ fetch, uploadBodies });
    };
    const text = contactFile(Array.from({ length: 40 }, (_, i) => `n${i}`));
    for (const mode of ["auto", "buffer", "stream"] as const) {
      proxy.clear();
      await watching(mode).activities.importContacts(text, { lists: [1], maxEncodedBytes: 600 });
      const expected = await expectedBodies(text, 600);
      const sent = creates();
      expect(sent.map((request) => request.body)).toEqual(expected);
      for (const request of sent) expectPlainLength(request);
    }
    // An injected fetch gets bytes unless told otherwise (it may not take a stream, or clone one
    // into memory); a stream's Request carries the length the client set.
    const byMode = (mode: string) => seen.filter((entry) => entry.uploadBodies === mode);
    expect(byMode("auto").length).toBeGreaterThan(1);
    expect(byMode("auto").every((entry) => entry.contentLength === null)).toBe(true);
    expect(byMode("buffer").every((entry) => entry.contentLength === null)).toBe(true);
    expect(byMode("stream").every((entry) => Number(entry.contentLength) > 0)).toBe(true);
    expect(byMode("stream").every((entry) => entry.duplex === "half")).toBe(true);
  });

  it("streams by default with Node's global fetch (none injected)", async () => {
    const original = globalThis.fetch;
    const lengths: (string | null)[] = [];
    globalThis.fetch = (input, init) => {
      if ((input as Request).method === "POST")
        lengths.push((input as Request).headers.get("content-length"));
      return original(input, init);
    };
    try {
      await client().activities.importContacts(contactFile(["Ann", "Bob"]), { lists: [1] });
      // the same function passed explicitly counts as Node's own too
      await client({ fetch: globalThis.fetch }).activities.importContacts(contactFile(["Cy"]), {
        lists: [1],
      });
    } finally {
      globalThis.fetch = original;
    }
    expect(lengths).toHaveLength(2);
    expect(lengths.every((length) => Number(length) > 0)).toBe(true);
  });

  it("sends a chunk's very bytes again after a 503 and the look for a lost create, while the next chunk is read", async () => {
    const text = contactFile(Array.from({ length: 120 }, (_, i) => `retry${i}`));
    const methods: string[] = [];
    const result = await client({
      onRequest: (event) => methods.push(`${event.method} ${event.status ?? event.error?.name}`),
    }).activities.importContacts(text, {
      lists: [1],
      maxEncodedBytes: 800,
      wait: false,
      // The second chunk's first attempt is answered 503 (it may have been created: looked for),
      // the third's is refused with 429: both are sent again.
      onChunkSending: (chunk) => {
        if (chunk.index === 1)
          running.server.control.addFault({
            route: "POST /ws/customers/:username/activities",
            kind: "status",
            status: 503,
            times: 1,
          });
        if (chunk.index === 2)
          running.server.control.addFault({
            route: "POST /ws/customers/:username/activities",
            kind: "rate-limit",
            retryAfter: 0,
            times: 1,
          });
      },
    });
    const expected = await expectedBodies(text, 800);
    expect(expected.length).toBeGreaterThan(4);
    expect(methods.slice(0, 6)).toEqual([
      "POST 201",
      "POST 503",
      "GET 200",
      "POST 201",
      "POST 429",
      "POST 201",
    ]);
    const sent = creates();
    expect(sent).toHaveLength(expected.length + 2);
    for (const request of sent) expectPlainLength(request);
    const bodies = sent.map((request) => request.body);
    expect(bodies).toEqual([
      expected[0],
      expected[1],
      expected[1],
      expected[2],
      expected[2],
      ...expected.slice(3),
    ]);
    expect(result.chunks).toHaveLength(expected.length);
  });

  it("a create whose connection dropped is looked for, then sent again with the same bytes", async () => {
    // A server of its own: activities the other tests created would look like candidates.
    const own = await startFakeServer();
    const ownProxy = await recordingProxy(new URL(own.url));
    try {
      own.server.control.addFault({
        route: "POST /ws/customers/:username/activities",
        kind: "drop",
        times: 1,
      });
      const text = contactFile(Array.from({ length: 30 }, (_, i) => `drop${i}`));
      const result = await createClient({
        ...DEFAULT_ACCOUNT,
        baseUrl: ownProxy.url,
        retry: { initialDelay: 1, maxDelay: 5 },
      }).activities.importContacts(text, { lists: [1], wait: false });
      const [expected] = await expectedBodies(text, 1_900_000);
      const posts = ownProxy.requests().filter((request) => request.method === "POST");
      expect(posts).toHaveLength(2);
      // The dropped attempt's bytes, as far as they went, and the second attempt's, whole.
      expect(posts[0]!.body).toEqual(expected!.subarray(0, posts[0]!.body.length));
      expectPlainLength(posts[1]!);
      expect(posts[1]!.body).toEqual(expected);
      expect(result.chunks[0]!.recovered).toBe(false);
      expect(own.server.control.activities()).toHaveLength(1);
    } finally {
      await ownProxy.close();
      await own.close();
    }
  });

  it("refuses an unknown uploadBodies", () => {
    expect(() => client({ uploadBodies: "chunked" as "auto" })).toThrow(
      'Invalid uploadBodies "chunked": expected "auto", "stream" or "buffer"',
    );
  });
});
