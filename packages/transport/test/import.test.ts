import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { type AcceptedChunk, type ImportProgressEvent, InvalidRequestError } from "../src/mod.ts";
import { expectNoSecretsIn, failure, seenErrors, setUp } from "./_helpers.ts";

afterAll(() => expectNoSecretsIn(seenErrors));

/** A contact file of `count` rows; rows whose index is in `bad` get an invalid address. */
function contactFile(count: number, bad: ReadonlySet<number> = new Set()): string {
  const lines = ["EMAIL ADDRESS,FIRST NAME,LAST NAME"];
  for (let i = 0; i < count; i++)
    lines.push(`${bad.has(i) ? `broken${i}` : `person${i}@example.com`},First${i},Last${i}`);
  return `${lines.join("\n")}\n`;
}

describe("importContacts() against the fake server", () => {
  it("splits the file, submits the chunks in order and maps every rejected line back to the source", async () => {
    const { client, server } = setUp();
    const bad = new Set([0, 17, 250, 999]);
    const events: ImportProgressEvent[] = [];
    const result = await client.activities.importContacts(contactFile(1_000, bad), {
      lists: ["VIP customers"],
      maxEncodedBytes: 4_000,
      onProgress: (event) => events.push(event),
    });
    expect(result.chunks.length).toBeGreaterThan(5);
    expect(result.chunks.map((chunk) => chunk.index)).toEqual(result.chunks.map((_, i) => i));
    expect(result.rowCount).toBe(1_000);
    expect(result.outcome).toBe("complete-with-errors");
    expect(result.errors.map((error) => error.line)).toEqual([...bad].map((i) => i + 2));
    expect(result.errors[0]).toEqual({
      line: 2,
      chunkLine: 2,
      chunkIndex: 0,
      activityId: result.chunks[0]!.activityId,
      email: "broken0",
      message: 'Invalid email address "broken0"',
    });
    // Each error is kept once, in the result: a chunk's activity keeps only their number.
    const withErrors = result.chunks.filter((chunk) => chunk.outcome === "complete-with-errors");
    expect(withErrors.map((chunk) => chunk.activity!.errorCount)).toEqual(
      withErrors.map(
        (chunk) => result.errors.filter((error) => error.chunkIndex === chunk.index).length,
      ),
    );
    for (const chunk of result.chunks) expect(chunk.activity!.errors).toEqual([]);
    expect(result.errorCount).toBe(4);
    expect(server.control.members(2)).toHaveLength(996);
    // the server received the chunks in order: each chunk's first row follows the last one's
    const posted = server.control.activities().reverse();
    expect(posted.map((activity) => activity.id)).toEqual(
      result.chunks.map((chunk) => chunk.activityId),
    );
    const submitted = events.filter((event) => event.type === "chunk-submitted");
    expect(submitted).toHaveLength(result.chunks.length);
    expect(submitted.at(-1)!.totals).toMatchObject({
      rowsRead: 1_000,
      chunksSubmitted: result.chunks.length,
    });
    const postedBytes = server.control
      .requests()
      .filter((request) => request.method === "POST")
      .reduce((sum, request) => sum + request.bodyBytes, 0);
    expect(submitted.at(-1)!.totals.bytesSent).toBe(postedBytes);
    expect(events.filter((event) => event.type === "status").length).toBeGreaterThanOrEqual(
      result.chunks.length,
    );
  });

  it("takes a stream and keeps line numbers through quoted line breaks", async () => {
    const { client } = setUp();
    const text =
      'EMAIL ADDRESS,ADDRESS LINE 1\na@example.com,"1 Main St\nSuite 2"\nbad-address,x\n';
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const result = await client.activities.importContacts(stream, { lists: [1] });
    expect(result.errors.map((error) => error.line)).toEqual([4]);
  });

  it("refuses a bad header before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(
      client.activities.importContacts("FIRST NAME\nAnn\n", { lists: [1] }),
    );
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^Invalid header: /);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("resumes at a chunk without sending the earlier ones again, and reports every chunk", async () => {
    const { client, server } = setUp();
    const file = contactFile(300, new Set([5, 280]));
    const accepted: AcceptedChunk[] = [];
    const stop = new AbortController();
    const first = await failure(
      client.activities.importContacts(file, {
        lists: [3],
        maxEncodedBytes: 3_000,
        signal: stop.signal,
        onChunkAccepted: (chunk) => {
          accepted.push(JSON.parse(JSON.stringify(chunk)));
          if (accepted.length === 2) stop.abort(new Error("Interrupted"));
        },
      }),
    );
    expect(first.message).toBe("Interrupted");
    expect(server.control.activities()).toHaveLength(2);

    const resumed = await client.activities.importContacts(file, {
      lists: [3],
      maxEncodedBytes: 3_000,
      startAtChunk: accepted.length,
      previousChunks: accepted,
    });
    const total = resumed.chunks.length;
    expect(server.control.activities()).toHaveLength(total);
    expect(resumed.chunks.map((chunk) => chunk.index)).toEqual([...Array(total).keys()]);
    expect(resumed.errors.map((error) => error.line)).toEqual([7, 282]);
    expect(server.control.members(3)).toHaveLength(298);
  });

  it("announces each chunk with onChunkSending before its request, and never for a refused header", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const log: string[] = [];
    await failure(
      client.activities.importContacts("FIRST NAME\nAnn\n", {
        lists: [1],
        onChunkSending: () => {
          log.push("sending");
        },
      }),
    );
    expect(log).toEqual([]);
    const result = await client.activities.importContacts(contactFile(200), {
      lists: [3],
      maxEncodedBytes: 3_000,
      wait: false,
      onChunkSending: (chunk) => {
        const posts = server.control.requests().filter((r) => r.method === "POST").length;
        log.push(`sending ${chunk.index} after ${posts} posts`);
      },
      onChunkAccepted: (chunk) => {
        log.push(`accepted ${chunk.index}`);
      },
    });
    expect(result.chunks.length).toBeGreaterThan(1);
    expect(log).toEqual(
      result.chunks.flatMap((chunk) => [
        `sending ${chunk.index} after ${chunk.index} posts`,
        `accepted ${chunk.index}`,
      ]),
    );
  });

  it("wait: false returns the submitted activities without waiting", async () => {
    const { client, server } = setUp({ clock: "manual", jobDelay: 60_000 });
    const result = await client.activities.importContacts(contactFile(30), {
      lists: [4],
      wait: false,
    });
    expect(result.outcome).toBe("submitted");
    expect(result.chunks).toHaveLength(1);
    expect(server.control.activity(result.chunks[0]!.activityId)?.status).toBe("PENDING");
  });

  it("maps errors back to their source lines whatever the file and chunk size (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 119 }), { maxLength: 10 }),
        fc.integer({ min: 400, max: 3_000 }),
        async (count, badRows, maxEncodedBytes) => {
          const bad = new Set(badRows.filter((row) => row < count));
          const { client } = setUp();
          const result = await client.activities.importContacts(contactFile(count, bad), {
            lists: [5],
            maxEncodedBytes,
          });
          expect(result.errors.map((error) => error.line)).toEqual(
            [...bad].sort((a, b) => a - b).map((i) => i + 2),
          );
          expect(result.rowCount).toBe(count);
        },
      ),
      { numRuns: 15 },
    );
  });
});
