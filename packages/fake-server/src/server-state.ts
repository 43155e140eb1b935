import { createActivityId, isUsername } from "@ctct-bulk/core";
import { createSeededRandom, hashSeed, type SeededRandom } from "./_random.ts";
import {
  DEFAULT_ACCOUNT,
  DEFAULT_LISTS,
  type FakeAccount,
  type FakeAccountSeed,
  type FakeSeed,
} from "./accounts.ts";
import { type ClockMode, createFakeClock, type FakeClock } from "./clock.ts";
import { FaultInjector, type FaultRule } from "./faults.ts";
import { type ActivityRecord, JobEngine, type JobExecutor, timingsForDelay } from "./jobs.ts";
import { DEFAULT_LOG_BODY_BYTES, RequestLog } from "./requests-log.ts";
import { AccountState } from "./state.ts";

/**
 * How long activities are kept: 14 days (SPEC §1), by the server clock.
 *
 * @example Letting an activity expire
 * ```ts
 * import { createFakeServer, RETENTION_MS } from "@ctct-bulk/fake-server";
 * const server = createFakeServer({ clock: "manual" });
 * // … create an activity, then:
 * server.control.advance(RETENTION_MS + 1); // GET …/activities/{id} now answers 404
 * ```
 */
export const RETENTION_MS: number = 14 * 24 * 60 * 60 * 1000;

/** The step delay of jobs when none is given, per clock mode. */
export const DEFAULT_JOB_DELAY: Readonly<Record<ClockMode, number>> = {
  immediate: 0,
  realistic: 400,
  manual: 1000,
};

/** The settings a server state is built from. */
export interface ServerStateSettings {
  clock: ClockMode;
  jobDelay: number;
  start?: number;
  randomSeed: number;
  includeDefaultAccount: boolean;
  seed?: FakeSeed;
  faults: readonly FaultRule[];
  /** The request log's budget of parameter text (default {@linkcode DEFAULT_LOG_BODY_BYTES}). */
  requestLogBodyBytes?: number;
}

/**
 * Everything a fake server holds — accounts, clock, jobs, faults, the request log — and how to
 * put it back to where it started.
 */
export class ServerState<Work> {
  readonly settings: ServerStateSettings;
  readonly clock: FakeClock;
  readonly engine: JobEngine<Work>;
  readonly faults: FaultInjector;
  readonly requests: RequestLog;
  #accounts = new Map<string, AccountState<ActivityRecord<Work>>>();
  #ids: SeededRandom;

  /**
   * @param settings How to build it.
   * @param execute Runs a job's work against the state.
   */
  constructor(
    settings: ServerStateSettings,
    execute: (state: ServerState<Work>) => JobExecutor<Work>,
  ) {
    this.settings = settings;
    this.clock = createFakeClock(settings.clock, settings.start);
    this.engine = new JobEngine(this.clock, timingsForDelay(settings.jobDelay), execute(this));
    this.faults = new FaultInjector(settings.randomSeed);
    this.requests = new RequestLog(1000, settings.requestLogBodyBytes ?? DEFAULT_LOG_BODY_BYTES);
    this.#ids = createSeededRandom(hashSeed(`ids:${settings.randomSeed}`));
    this.#populate();
  }

  #populate(): void {
    if (this.settings.includeDefaultAccount) this.putAccount({ ...DEFAULT_ACCOUNT });
    if (this.settings.seed) this.seed(this.settings.seed);
    for (const rule of this.settings.faults) this.faults.add(rule);
  }

  /** Puts everything back as it was at creation: accounts, clock, jobs, faults, log, ids. */
  reset(): void {
    this.#accounts.clear();
    this.engine.clear();
    this.clock.reset();
    this.faults.clear();
    this.requests.clear();
    this.#ids = createSeededRandom(hashSeed(`ids:${this.settings.randomSeed}`));
    this.#populate();
  }

  /** The server clock's time now, after replaying due job transitions. */
  now(): number {
    return this.clock.now();
  }

  /** Replays job transitions that are due. */
  catchUp(): void {
    this.engine.catchUp();
  }

  /**
   * Creates an account (with its lists: default ones when none are named) or, when it exists,
   * sets its credentials to the seed's (a token left out is removed) and adds the seed's lists
   * and contacts to it.
   *
   * @returns The account's state.
   */
  putAccount(seed: FakeAccountSeed): AccountState<ActivityRecord<Work>> {
    if (typeof seed !== "object" || seed === null || Array.isArray(seed))
      throw new TypeError(
        "Invalid account seed: expected an object with username, apiKey and password",
      );
    if (typeof seed.username !== "string" || !isUsername(seed.username))
      throw new TypeError(
        `Invalid username ${JSON.stringify(seed.username) ?? "undefined"}: expected letters, digits and . - _ @ only`,
      );
    for (const name of ["apiKey", "password"] as const) {
      if (typeof seed[name] !== "string" || seed[name] === "")
        throw new TypeError(`Missing ${name} for account "${seed.username}"`);
    }
    if (
      seed.accessToken !== undefined &&
      (typeof seed.accessToken !== "string" || seed.accessToken === "")
    )
      throw new TypeError(
        `Invalid accessToken for account "${seed.username}": expected a non-empty text`,
      );
    for (const name of ["lists", "contacts"] as const) {
      if (seed[name] !== undefined && !Array.isArray(seed[name]))
        throw new TypeError(`Invalid ${name} for account "${seed.username}": expected an array`);
    }
    const key = seed.username.toLowerCase();
    let account = this.#accounts.get(key);
    const now = this.clock.now();
    if (account === undefined) {
      const credentials: FakeAccount = {
        username: seed.username,
        apiKey: seed.apiKey,
        password: seed.password,
      };
      if (seed.accessToken !== undefined) credentials.accessToken = seed.accessToken;
      account = new AccountState(credentials);
      this.#accounts.set(key, account);
      for (const list of seed.lists ?? DEFAULT_LISTS) account.putList(list, now);
    } else {
      // A seed naming an existing account (the default one, say) means its credentials too.
      account.account.apiKey = seed.apiKey;
      account.account.password = seed.password;
      if (seed.accessToken === undefined) delete account.account.accessToken;
      else account.account.accessToken = seed.accessToken;
      for (const list of seed.lists ?? []) account.putList(list, now);
    }
    for (const contact of seed.contacts ?? []) account.putContact(contact, now);
    return account;
  }

  /** Applies a seed: accounts, then the default account's lists and contacts. */
  seed(seed: FakeSeed): void {
    if (typeof seed !== "object" || seed === null || Array.isArray(seed))
      throw new TypeError("Invalid seed: expected an object with accounts, lists or contacts");
    for (const name of ["accounts", "lists", "contacts"] as const) {
      if (seed[name] !== undefined && !Array.isArray(seed[name]))
        throw new TypeError(`Invalid seed "${name}": expected an array`);
    }
    for (const account of seed.accounts ?? []) this.putAccount(account);
    if (seed.lists !== undefined || seed.contacts !== undefined) {
      const existing = this.#accounts.get(DEFAULT_ACCOUNT.username);
      const base = existing?.account ?? DEFAULT_ACCOUNT;
      const accountSeed: FakeAccountSeed = { ...base };
      if (seed.lists !== undefined) accountSeed.lists = seed.lists;
      if (seed.contacts !== undefined) accountSeed.contacts = seed.contacts;
      this.putAccount(accountSeed);
    }
  }

  /** An account by username (any case). */
  account(username: string): AccountState<ActivityRecord<Work>> | undefined {
    return this.#accounts.get(username.toLowerCase());
  }

  /**
   * An account by username, or a clear error.
   *
   * @param username The username (default: the default account's).
   */
  requireAccount(username: string = DEFAULT_ACCOUNT.username): AccountState<ActivityRecord<Work>> {
    const account = this.account(username);
    if (account === undefined) throw new RangeError(`Unknown account "${username}"`);
    return account;
  }

  /** The account an access token belongs to. */
  accountByToken(token: string): AccountState<ActivityRecord<Work>> | undefined {
    for (const account of this.#accounts.values()) {
      if (account.account.accessToken !== undefined && account.account.accessToken === token)
        return account;
    }
    return undefined;
  }

  /** Every account. */
  accounts(): AccountState<ActivityRecord<Work>>[] {
    return [...this.#accounts.values()];
  }

  /** A new activity id (from the seeded generator; never one the account already has). */
  newActivityId(account: AccountState<ActivityRecord<Work>>): string {
    for (;;) {
      const id = createActivityId(this.#ids.bytes(15));
      if (!account.activitiesById.has(id)) return id;
    }
  }

  /** Whether an activity has expired (older than 14 days by the server clock). */
  isExpired(activity: ActivityRecord<Work>): boolean {
    return this.clock.now() - activity.insertTime > RETENTION_MS;
  }
}
