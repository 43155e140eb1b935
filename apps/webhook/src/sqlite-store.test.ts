import { execFileSync } from "node:child_process";
import { closeSync, constants, existsSync, openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeStoreContract, newPush } from "../test/_store-contract.ts";
import { appendPushRow, readPushRows } from "./_sqlite-accept.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import { type PushRow, StoreUnavailableError } from "./store.ts";

describeStoreContract("openSqliteStore()", async () => {
  const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
  const path = join(dir, "store.db");
  return {
    store: openSqliteStore(path),
    reopen: async () => openSqliteStore(path),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

describeStoreContract('openSqliteStore({ writer: "inline" })', async () => {
  const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
  const path = join(dir, "store.db");
  return {
    store: openSqliteStore(path, { writer: "inline" }),
    reopen: async () => openSqliteStore(path, { writer: "inline" }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

describe("openSqliteStore()", () => {
  it("runs in WAL mode with synchronous=FULL", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
    const store = openSqliteStore(join(dir, "store.db"));
    await store.acceptPush(newPush());
    await store.close();
    const db = new DatabaseSync(join(dir, "store.db"));
    expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a database that cannot use WAL, naming it", () => {
    // an in-memory database cannot journal to a WAL file
    expect(() => openSqliteStore(":memory:", {})).not.toThrow();
    expect(() => openSqliteStore("file:nowal?mode=memory", {})).toThrow(
      /^Cannot use the database "file:nowal\?mode=memory": journal_mode is "memory", expected "wal"$/,
    );
  });

  it("reports the writer thread's transaction times once closed (none inline)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
    const worker = openSqliteStore(join(dir, "worker.db"));
    const inline = openSqliteStore(join(dir, "inline.db"), { writer: "inline" });
    for (const store of [worker, inline]) {
      await Promise.all(Array.from({ length: 50 }, () => store.acceptPush(newPush())));
      expect(store.commitMs).toBeUndefined();
      await store.close();
    }
    const { p50, p90, p99, p999, max } = worker.commitMs!;
    expect(p50).toBeGreaterThan(0);
    expect([p50, p90, p99, p999, max]).toEqual([p50, p90, p99, p999, max].sort((a, b) => a - b));
    expect(inline.commitMs).toBeUndefined();
    await rm(dir, { recursive: true, force: true });
  });

  for (const writer of ["inline", "worker"] as const) {
    it(`commits concurrent pushes in groups, not one transaction each (${writer})`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
      const store = openSqliteStore(join(dir, "store.db"), { writer });
      await Promise.all(Array.from({ length: 500 }, () => store.acceptPush(newPush())));
      expect(store.groupCommits.pushes).toBe(500);
      expect(store.groupCommits.transactions).toBeLessThan(10);
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });

    it(`stores the pushes handed to it before close() (${writer})`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
      const path = join(dir, "store.db");
      const store = openSqliteStore(path, { writer });
      const accepted = Array.from({ length: 100 }, () => store.acceptPush(newPush()));
      await store.close();
      expect((await Promise.all(accepted)).every((o) => o.kind === "accepted")).toBe(true);
      const again = openSqliteStore(path);
      expect((await again.stats(0)).pushes).toBe(100);
      await again.close();
      await rm(dir, { recursive: true, force: true });
    });
  }
});

describe("openSqliteStore() when its writer thread fails (ADR 0150)", () => {
  const DYING = new URL("../test/_writer-dies.ts", import.meta.url);
  const SILENT = new URL("../test/_writer-silent.ts", import.meta.url);
  const open = async (options: Parameters<typeof openSqliteStore>[1]) => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
    const store = openSqliteStore(join(dir, "store.db"), options);
    return { store, dispose: () => rm(dir, { recursive: true, force: true }) };
  };

  it("refuses the waiting and later pushes, and says so, when the writer dies", async () => {
    const { store, dispose } = await open({ writerModule: DYING });
    const error = /^The store's writer thread failed: test: the writer thread died$/;
    await expect(store.acceptPush(newPush())).rejects.toThrow(error);
    expect((await store.failure).message).toMatch(error);
    await expect(store.acceptPush(newPush())).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close();
    await dispose();
  });

  it("gives up on a writer that stops answering, after writerStallMs, and says so", async () => {
    const { store, dispose } = await open({ writerModule: SILENT, writerStallMs: 200 });
    const pushes = [store.acceptPush(newPush()), store.acceptPush(newPush())];
    const error =
      /^The store's writer thread has not answered for \d+ s \(pushes waiting: 2, groups committed before: 0, thread started: (yes|no)\)$/;
    for (const push of pushes) await expect(push).rejects.toThrow(error);
    expect((await store.failure).message).toMatch(error);
    await expect(store.acceptPush(newPush())).rejects.toThrow(error);
    await store.close();
    await dispose();
  });

  it("closes, and says the thread cannot be stopped, when the writer is blocked in a system call", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-sqlite-"));
    const path = join(dir, "store.db");
    execFileSync("mkfifo", [`${path}.fifo`]);
    const store = openSqliteStore(path, {
      writerModule: new URL("../test/_writer-stuck.ts", import.meta.url),
      writerStallMs: 200,
    });
    try {
      // once the thread is blocked, a push waits in vain
      while (!existsSync(`${path}.blocked`))
        await new Promise((resolve) => setTimeout(resolve, 10));
      await expect(store.acceptPush(newPush())).rejects.toThrow(/has not answered/);
      await expect(store.close()).rejects.toThrow(
        /^The store's writer thread is stuck and cannot be stopped: the process cannot exit normally$/,
      );
    } finally {
      // the thread's open() returns once the FIFO has a writer: it can then be stopped (not
      // blocking here when the thread is not there to read)
      try {
        closeSync(openSync(`${path}.fifo`, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {}
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("closes even when the writer never answers its close", async () => {
    const { store, dispose } = await open({ writerModule: SILENT, writerStallMs: 200 });
    await store.close();
    // a close is no failure to report
    expect(await Promise.race([store.failure, Promise.resolve("none")])).toBe("none");
    await dispose();
  });

  it("answers the next push when one push's row cannot be made", async () => {
    const { store, dispose } = await open({});
    const first = store.acceptPush(newPush());
    const unwritable = newPush({
      contacts: { columns: ["EMAIL ADDRESS"], rows: [[10n as unknown as string]], sources: [1] },
    });
    const refused = store.acceptPush(unwritable);
    const next = store.acceptPush(newPush());
    await expect(refused).rejects.toThrow(/BigInt/);
    expect((await first).kind).toBe("accepted");
    // the writer answers everything it was given before it closes: a push it numbered wrongly
    // would still be waiting then
    const closed = store.close().then(() => "closed with the push unanswered");
    expect(await Promise.race([next.then((outcome) => outcome.kind), closed])).toBe("accepted");
    await closed;
    await dispose();
  });
});

describe("appendPushRow() and readPushRows()", () => {
  it("hand rows to the writer thread unchanged, whatever their text holds", () => {
    const text = fc.string({ unit: "binary" });
    const row = fc.tuple(
      text,
      text,
      text,
      text,
      fc.integer({ min: 0, max: 2 ** 50 }),
      text,
      text,
      text,
      text,
      fc.nat(),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        let group = "";
        for (const r of rows) group = appendPushRow(group, r as PushRow);
        expect(readPushRows(group)).toEqual(rows);
      }),
    );
    expect(() => readPushRows("3:ab")).toThrow(/^Invalid push group at character 0$/);
  });
});
