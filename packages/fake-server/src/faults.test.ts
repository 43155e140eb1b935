import { describe, expect, it } from "vitest";
import { checkFaultRule, FaultInjector } from "./faults.ts";

describe("FaultInjector", () => {
  it("matches a route by method, literal segments, :params and a trailing *", () => {
    const faults = new FaultInjector(1);
    faults.add({ route: "POST /ws/customers/:username/activities", kind: "status", status: 503 });
    expect(faults.decide("POST", "/ws/customers/joesflowers/activities").outcome?.status).toBe(503);
    expect(faults.decide("GET", "/ws/customers/joesflowers/activities").outcome).toBeUndefined();
    expect(faults.decide("POST", "/ws/customers/joesflowers/activities/x").outcome).toBeUndefined();
    faults.clear();
    faults.add({ route: "GET /ws/customers/*", kind: "drop" });
    expect(faults.decide("GET", "/ws/customers/a/lists/1").outcome?.kind).toBe("drop");
    expect(faults.decide("POST", "/ws/customers/a/lists/1").outcome).toBeUndefined();
  });

  it("hits a scripted rule exactly `times` times, then retires it", () => {
    const faults = new FaultInjector(1);
    faults.add({ kind: "rate-limit", retryAfter: 3, times: 2 });
    const kinds = Array.from({ length: 4 }, () => faults.decide("GET", "/ws/x").outcome?.kind);
    expect(kinds).toEqual(["rate-limit", "rate-limit", undefined, undefined]);
    expect(faults.list()[0]?.hits).toBe(2);
  });

  it("draws rate faults from the seed, so the same seed gives the same faults", () => {
    const draw = (seed: number) => {
      const faults = new FaultInjector(seed);
      faults.add({ kind: "status", rate: 0.3 });
      return Array.from({ length: 200 }, () => faults.decide("GET", "/ws/x").outcome !== undefined);
    };
    const first = draw(7);
    expect(draw(7)).toEqual(first);
    expect(draw(8)).not.toEqual(first);
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
  });

  it("adds up latencies and lets the first other fault decide the outcome", () => {
    const faults = new FaultInjector(1);
    faults.add({ kind: "latency", latencyMs: 20 });
    faults.add({ kind: "status", status: 500 });
    faults.add({ kind: "latency", latencyMs: 30 });
    faults.add({ kind: "drop" });
    const decision = faults.decide("GET", "/ws/x");
    expect(decision.latencyMs).toBe(50);
    expect(decision.outcome?.kind).toBe("status");
    expect(faults.list().map((rule) => rule.hits)).toEqual([1, 1, 1, 0]);
  });

  it("refuses malformed rules with a message naming the field", () => {
    expect(() => checkFaultRule({ kind: "explode" })).toThrow(/Invalid fault kind "explode"/);
    expect(() => checkFaultRule({ kind: "status", rate: 2 })).toThrow(/rate "2"/);
    expect(() => checkFaultRule({ kind: "status", status: 200 })).toThrow(/status "200"/);
    expect(() => checkFaultRule({ kind: "drop", route: "FETCH /x" })).toThrow(/unknown method/);
    expect(() => checkFaultRule({ kind: "drop", route: "GET x" })).toThrow(/must start with/);
    expect(checkFaultRule({ kind: "drop", route: "POST" }).kind).toBe("drop");
  });
});
