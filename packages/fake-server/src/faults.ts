import { createSeededRandom, hashSeed, type SeededRandom } from "./_random.ts";

/**
 * What a fault does to a request it matches:
 *
 * - `"status"`: answers `status` (default 500; 503 is the other usual one) with a plain-text body,
 *   without handling the request; a 401 carries `WWW-Authenticate`, a 405 `Allow: GET` and a 429
 *   `Retry-After: {retryAfter}`, as the API's do.
 * - `"rate-limit"`: answers 429 with `Retry-After: {retryAfter}` (seconds, default 1).
 * - `"latency"`: waits `latencyMs` before handling the request (other faults still apply).
 * - `"drop"`: the connection drops before the request is handled (in process: the `fetch`
 *   rejects with a `TypeError`, as a network failure does; over a socket: the socket is
 *   destroyed).
 * - `"lose-response"`: the request IS handled (an activity is created), then the connection
 *   drops before the answer arrives.
 * - `"job-error"`: the request is handled normally, but the activity it creates ends in `ERROR`.
 */
export type FaultKind =
  | "status"
  | "rate-limit"
  | "latency"
  | "drop"
  | "lose-response"
  | "job-error";

/** A fault to inject: which requests it matches, what it does, how often. */
export interface FaultRule {
  /**
   * The requests it matches: `"{METHOD} {path pattern}"`, `"{path pattern}"` or `"*"` (the
   * default: every API request; `/_fake/…` is never faulted). A pattern's segments match
   * literally, `:name` matches one segment and a trailing `*` matches the rest, e.g.
   * `"POST /ws/customers/:username/activities"` or `"GET /ws/customers/*"`.
   */
  route?: string;
  kind: FaultKind;
  /** For `"status"`: the status to answer (default 500). */
  status?: number;
  /** For `"rate-limit"` (and a `"status"` 429): the `Retry-After` seconds (default 1). */
  retryAfter?: number;
  /** For `"latency"`: the delay in ms (default 1000). */
  latencyMs?: number;
  /** The chance (0–1) that a matching request is hit, drawn from the seeded generator (default 1). */
  rate?: number;
  /** A script: the fault hits at most this many matching requests, then retires (default: no limit). */
  times?: number;
}

/** A fault rule as stored: with its id and how often it hit. */
export interface ActiveFault extends FaultRule {
  /** Its id, for `control.removeFault(id)` and `DELETE /_fake/faults/{id}`. */
  id: string;
  /** How many requests it has hit so far. */
  hits: number;
}

/** The faults that hit one request. */
export interface FaultDecision {
  /** The total latency to add, ms. */
  latencyMs: number;
  /** The fault that decides the outcome (not latency), if any. */
  outcome?: ActiveFault;
  /** Whether the created activity should end in `ERROR`. */
  failJob: boolean;
}

const KINDS: ReadonlySet<string> = new Set([
  "status",
  "rate-limit",
  "latency",
  "drop",
  "lose-response",
  "job-error",
]);
const METHODS = /^(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|\*)$/;

/**
 * Checks a fault rule (from options, JSON or the control API) and gives it a clear error.
 *
 * @param rule Anything.
 * @param where Where it came from, for the error message.
 * @returns The rule.
 * @throws {TypeError} Naming the field and value at fault.
 *
 * @example A rule read from JSON
 * ```ts
 * import { checkFaultRule } from "@ctct-bulk/fake-server";
 * const rule = checkFaultRule(JSON.parse('{"route":"GET *","kind":"status","status":503,"times":1}'));
 * rule.status; // 503
 * checkFaultRule({ kind: "explode" }); // throws TypeError: Invalid fault kind "explode": …
 * ```
 */
export function checkFaultRule(rule: unknown, where = "fault"): FaultRule {
  if (typeof rule !== "object" || rule === null)
    throw new TypeError(`Invalid ${where}: expected an object with a "kind"`);
  const candidate = rule as Record<string, unknown>;
  if (typeof candidate.kind !== "string" || !KINDS.has(candidate.kind))
    throw new TypeError(
      `Invalid ${where} kind "${String(candidate.kind)}": expected one of ${[...KINDS].join(", ")}`,
    );
  if (candidate.route !== undefined) {
    if (typeof candidate.route !== "string" || candidate.route.trim() === "")
      throw new TypeError(`Invalid ${where} route "${String(candidate.route)}": expected a text`);
    parseRoute(candidate.route);
  }
  for (const name of ["status", "retryAfter", "latencyMs", "times"] as const) {
    const value = candidate[name];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0))
      throw new TypeError(`Invalid ${where} ${name} "${String(value)}": expected a number ≥ 0`);
  }
  if (
    candidate.status !== undefined &&
    (!Number.isInteger(candidate.status) ||
      (candidate.status as number) < 400 ||
      (candidate.status as number) > 599)
  )
    throw new TypeError(
      `Invalid ${where} status "${String(candidate.status)}": expected an error status 400–599`,
    );
  if (
    candidate.rate !== undefined &&
    (typeof candidate.rate !== "number" || !(candidate.rate >= 0 && candidate.rate <= 1))
  )
    throw new TypeError(`Invalid ${where} rate "${String(candidate.rate)}": expected 0 to 1`);
  return candidate as unknown as FaultRule;
}

interface ParsedRoute {
  method: string;
  segments: string[];
}

function parseRoute(route: string): ParsedRoute {
  const parts = route.trim().split(/\s+/);
  let method = "*";
  let path = parts[0]!;
  if (parts.length === 2) {
    method = parts[0]!.toUpperCase();
    path = parts[1]!;
  } else if (parts.length > 2 || METHODS.test(path.toUpperCase())) {
    if (parts.length === 1) return { method: path.toUpperCase(), segments: ["*"] };
    throw new TypeError(`Invalid fault route "${route}": expected "METHOD /path" or "/path"`);
  }
  if (!METHODS.test(method))
    throw new TypeError(`Invalid fault route "${route}": unknown method "${method}"`);
  if (path !== "*" && !path.startsWith("/"))
    throw new TypeError(`Invalid fault route "${route}": the path must start with "/" or be "*"`);
  return { method, segments: path === "*" ? ["*"] : path.split("/").slice(1) };
}

/** A tiny path matcher: literal segments, `:name` for one segment, a trailing `*` for the rest. */
function matchesRoute(route: ParsedRoute, method: string, path: string): boolean {
  if (route.method !== "*" && route.method !== method.toUpperCase()) return false;
  const segments = path.split("/").slice(1);
  for (let index = 0; index < route.segments.length; index++) {
    const pattern = route.segments[index]!;
    if (pattern === "*" && index === route.segments.length - 1) return true;
    const segment = segments[index];
    if (segment === undefined) return false;
    if (pattern.startsWith(":")) {
      if (segment === "") return false;
      continue;
    }
    if (pattern.toLowerCase() !== segment.toLowerCase()) return false;
  }
  return segments.length === route.segments.length;
}

/** The set of faults of one server, with its own seeded generator. */
export class FaultInjector {
  #rules: { rule: ActiveFault; route: ParsedRoute }[] = [];
  #random: SeededRandom;
  #seed: number;
  #nextId = 1;

  /**
   * @param seed The seed of the generator that draws `rate` faults.
   */
  constructor(seed: number) {
    this.#seed = seed;
    this.#random = createSeededRandom(hashSeed(`faults:${seed}`));
  }

  /**
   * Adds a rule.
   *
   * @returns Its id.
   */
  add(rule: FaultRule): string {
    checkFaultRule(rule);
    const id = `fault-${this.#nextId++}`;
    const active: ActiveFault = { ...rule, id, hits: 0 };
    this.#rules.push({ rule: active, route: parseRoute(rule.route ?? "*") });
    return id;
  }

  /** Removes a rule; returns whether it existed. */
  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((entry) => entry.rule.id !== id);
    return this.#rules.length !== before;
  }

  /** The rules, with their hit counts. */
  list(): ActiveFault[] {
    return this.#rules.map((entry) => ({ ...entry.rule }));
  }

  /** Removes every rule and restarts the generator (so a reset server draws as a new one). */
  clear(): void {
    this.#rules = [];
    this.#random = createSeededRandom(hashSeed(`faults:${this.#seed}`));
  }

  /**
   * Decides which faults hit a request: every matching latency adds up; the first other matching
   * rule that fires decides the outcome. Each rule draws from the generator only when it matches,
   * so a run of the same requests draws the same faults.
   */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, failJob: false };
    for (const { rule, route } of this.#rules) {
      if (!matchesRoute(route, method, path)) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      if (rule.kind !== "latency" && rule.kind !== "job-error" && decision.outcome) continue;
      const rate = rule.rate ?? 1;
      if (rate < 1 && this.#random.next() >= rate) continue;
      rule.hits++;
      if (rule.kind === "latency") decision.latencyMs += rule.latencyMs ?? 1000;
      else if (rule.kind === "job-error") decision.failJob = true;
      else decision.outcome = rule;
    }
    return decision;
  }
}
