import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { openLoop } from "./_open-loop.ts";
import type { Prepared } from "./_requests.ts";

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (piece: string) => {
      body += piece;
    });
    req.on("end", () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

const prepare = (count: number): Prepared[] =>
  Array.from({ length: count }, (_, i) => ({ headers: {}, body: `{"n":${i}}` }));

describe("openLoop", () => {
  it("sends every prepared request once, and counts them all", async () => {
    const seen: string[] = [];
    const port = await listen((_req, res, body) => {
      seen.push(body);
      res.writeHead(202).end();
    });
    const result = await openLoop(port, "/x", prepare(100), { rate: 500, duration: 0.2 });
    expect(result.requests).toBe(100);
    // several connections: arrival order is the sockets', not the schedule's
    expect([...seen].sort()).toEqual(
      prepare(100)
        .map((p) => p.body)
        .sort(),
    );
    seen.length = 0;
    await openLoop(port, "/x", prepare(100), { rate: 500, duration: 0.2, maxConnections: 1 });
    expect(seen).toEqual(prepare(100).map((p) => p.body));
  });

  it("times a request from when it was due, so a stall of the sender counts for every request it delayed", async () => {
    // the clock jumps 1.5 s when the 40th request arrives, as if this process had stalled:
    // the ~300 requests due meanwhile go out at once, 1.5 s to 0 s late. Timed from when they
    // went out they would look quick (a few ms; p50 well under 300 ms even on a loaded machine);
    // timed from when they were due, half of all the requests are at least about 500 ms.
    let offset = 0;
    let count = 0;
    const port = await listen((_req, res) => {
      if (++count === 40) offset = 1500;
      res.writeHead(202).end();
    });
    const result = await openLoop(port, "/x", prepare(400), {
      rate: 200,
      duration: 2,
      now: () => performance.now() + offset,
    });
    expect(result.maxSendLagMs).toBeGreaterThanOrEqual(1400);
    expect(result.p50).toBeGreaterThanOrEqual(300);
  });

  it("throws, naming the path, when an answer is not 2xx", async () => {
    const port = await listen((_req, res) => res.writeHead(503).end());
    await expect(openLoop(port, "/y", prepare(10), { rate: 500, duration: 0.02 })).rejects.toThrow(
      /\/y: 10 requests failed \(first: HTTP 503\)/,
    );
  });

  it("refuses a run that would send a prepared request twice", async () => {
    await expect(openLoop(1, "/z", prepare(10), { rate: 1000, duration: 1 })).rejects.toThrow(
      /1000 requests due but only 10 prepared/,
    );
  });
});
