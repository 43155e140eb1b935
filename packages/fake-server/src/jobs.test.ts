import { describe, expect, it } from "vitest";
import { createFakeClock } from "./clock.ts";
import { type ActivityRecord, JobEngine, timingsForDelay } from "./jobs.ts";

function activity(id: string, listIds: string[], insertTime: number, username = "joesflowers") {
  const record: ActivityRecord<string> = {
    id,
    username,
    type: "ADD_CONTACTS",
    status: "PENDING",
    listIds,
    insertTime,
    updated: insertTime,
    fileName: "",
    transactionCount: 0,
    errors: [],
    work: id,
    failJob: false,
  };
  return record;
}

describe("JobEngine", () => {
  it("moves a job PENDING → QUEUED → RUNNING → COMPLETE, one step per delay on a manual clock", () => {
    const clock = createFakeClock("manual", 0);
    const ran: string[] = [];
    const engine = new JobEngine<string>(clock, timingsForDelay(100), (job) => {
      ran.push(job.work!);
    });
    const job = activity("a", ["1"], 0);
    engine.submit(job);
    const seen = [job.status];
    for (let step = 0; step < 3; step++) {
      clock.advance(100);
      engine.catchUp();
      seen.push(job.status);
    }
    expect(seen).toEqual(["PENDING", "QUEUED", "RUNNING", "COMPLETE"]);
    expect(ran).toEqual(["a"]);
    expect([job.queuedAt, job.runStartTime, job.runFinishTime]).toEqual([100, 200, 300]);
    expect(job.work).toBeUndefined();
  });

  it("never starts a job before an earlier job on an overlapping list has finished", () => {
    const clock = createFakeClock("manual", 0);
    const order: string[] = [];
    const engine = new JobEngine<string>(clock, timingsForDelay(100), (job, at) => {
      order.push(`${job.id}@${at}`);
    });
    const first = activity("first", ["2", "5"], 0);
    const second = activity("second", ["5"], 10);
    const other = activity("other", ["3"], 20);
    engine.submit(first);
    engine.submit(second);
    engine.submit(other);
    clock.advance(1000);
    engine.catchUp();
    expect(order).toEqual(["first@300", "other@320", "second@400"]);
    expect(second.runStartTime).toBeGreaterThanOrEqual(first.runFinishTime!);
  });

  it("treats a job on a system list as overlapping every job of the same account only", () => {
    const clock = createFakeClock("manual", 0);
    const engine = new JobEngine<string>(clock, timingsForDelay(100), () => {});
    const add = activity("add", ["1"], 0);
    const exportActive = activity("export", ["active"], 0);
    const elsewhere = activity("elsewhere", ["1"], 0, "someoneelse");
    for (const job of [add, exportActive, elsewhere]) engine.submit(job);
    clock.advance(250);
    engine.catchUp();
    expect([add.status, elsewhere.status, exportActive.status]).toEqual([
      "RUNNING",
      "RUNNING",
      "QUEUED",
    ]);
    clock.advance(50);
    engine.catchUp();
    expect(add.status).toBe("COMPLETE");
    expect(exportActive.status).toBe("RUNNING");
    expect(exportActive.runStartTime).toBe(add.runFinishTime);
  });

  it("runs every job at once on an immediate clock, and runAll finishes open jobs in order", () => {
    const order: string[] = [];
    const immediate = new JobEngine<string>(
      createFakeClock("immediate"),
      timingsForDelay(0),
      (job) => {
        order.push(job.id);
      },
    );
    const job = activity("now", ["1"], Date.now());
    immediate.submit(job);
    expect(job.status).toBe("COMPLETE");

    const clock = createFakeClock("manual", 0);
    const manual = new JobEngine<string>(clock, timingsForDelay(1000), (next) => {
      order.push(next.id);
    });
    manual.submit(activity("x", ["1"], 0));
    manual.submit(activity("y", ["1"], 0));
    manual.runAll();
    expect(order).toEqual(["now", "x", "y"]);
    expect(manual.openCount).toBe(0);
  });

  it("ends a job in ERROR with a message when its work throws or a fault asks for it", () => {
    const clock = createFakeClock("manual", 0);
    const engine = new JobEngine<string>(clock, timingsForDelay(0), (job) => {
      if (job.id === "bad") throw new Error("Unreadable file");
    });
    const bad = activity("bad", ["1"], 0);
    const faulted = activity("faulted", ["2"], 0);
    faulted.failJob = true;
    engine.submit(bad);
    engine.submit(faulted);
    engine.runAll();
    expect(bad.status).toBe("ERROR");
    expect(bad.errors).toEqual([{ message: "Unreadable file" }]);
    expect(faulted.status).toBe("ERROR");
  });
});
