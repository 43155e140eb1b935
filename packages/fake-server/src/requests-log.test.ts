import { describe, expect, it } from "vitest";
import { listUriOf, postForm } from "./_test_helpers.ts";
import { createFakeServer } from "./fake-server.ts";
import { MAX_LOGGED_VALUE, type RecordedRequest, RequestLog } from "./requests-log.ts";

function entry(index: number, value: string): RecordedRequest {
  return {
    at: new Date(0).toISOString(),
    method: "POST",
    path: `/r${index}`,
    query: "",
    bodyBytes: value.length,
    params: [["data", value]],
    auth: "none",
    status: 201,
  };
}

describe("RequestLog", () => {
  it("keeps the parameters of the newest requests within its byte budget and the metadata of all", () => {
    const log = new RequestLog(1000, 250);
    for (let index = 0; index < 5; index++) log.push(entry(index, "x".repeat(100)));
    const entries = log.list();
    expect(entries.map((request) => request.path)).toEqual(["/r0", "/r1", "/r2", "/r3", "/r4"]);
    // 100 characters of value + 4 of name each: two fit in 250.
    expect(entries.map((request) => request.params === undefined)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(entries.map((request) => request.paramsDropped)).toEqual([
      true,
      true,
      true,
      undefined,
      undefined,
    ]);
    expect(entries[0]?.bodyBytes).toBe(100);
  });

  it("forgets the bytes of cleared requests", () => {
    const log = new RequestLog(1000, 250);
    log.push(entry(0, "x".repeat(200)));
    log.clear();
    log.push(entry(1, "x".repeat(200)));
    expect(log.list()[0]?.params).toEqual([["data", "x".repeat(200)]]);
  });

  it("keeps no parameters with a budget of 0", () => {
    const log = new RequestLog(1000, 0);
    log.push(entry(0, "a"));
    expect(log.list()[0]).toMatchObject({ path: "/r0", paramsDropped: true });
    expect(log.list()[0]?.params).toBeUndefined();
  });

  it("counts the bytes of entries that fall off the end", () => {
    const log = new RequestLog(2, 250);
    for (let index = 0; index < 4; index++) log.push(entry(index, "x".repeat(100)));
    expect(log.list().map((request) => request.paramsDropped)).toEqual([undefined, undefined]);
  });
});

// 200 creates of 4,000 rows take over 6 s on a loaded machine (a `./dev test` beside other suites
// or benchmarks): 5 s, vitest's default, failed a clean-clone run.
describe("createFakeServer({ requestLogBodyBytes })", { timeout: 30_000 }, () => {
  it("keeps a big import's metadata but only the newest creates' parameters (default budget)", async () => {
    const server = createFakeServer();
    const data = `EMAIL ADDRESS\n${Array.from({ length: 4000 }, (_, index) => `p${index}@example.com`).join("\n")}`;
    for (let index = 0; index < 200; index++) {
      const response = await postForm(server, [
        ["activityType", "SV_ADD"],
        ["data", data],
        ["lists", listUriOf(1)],
      ]);
      expect(response.status).toBe(201);
    }
    const log = server.control.requests();
    expect(log).toHaveLength(200);
    const kept = log.filter((request) => request.params !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(200);
    expect(log.at(-1)?.params?.find(([name]) => name === "data")?.[1]).toHaveLength(
      Math.min(data.length, MAX_LOGGED_VALUE + 1),
    );
    expect(log[0]).toMatchObject({ paramsDropped: true, dataBytes: log.at(-1)?.dataBytes });
  });

  it("takes another budget", async () => {
    const server = createFakeServer({ requestLogBodyBytes: 0 });
    await postForm(server, [
      ["activityType", "SV_ADD"],
      ["data", "EMAIL ADDRESS\na@example.com"],
      ["lists", listUriOf(1)],
    ]);
    expect(server.control.requests()[0]).toMatchObject({ paramsDropped: true, status: 201 });
    expect(() => createFakeServer({ requestLogBodyBytes: -1 })).toThrow(
      'Invalid requestLogBodyBytes "-1": expected a whole number ≥ 0',
    );
  });
});
