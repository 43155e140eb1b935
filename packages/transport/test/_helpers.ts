// Shared set-up of the integration tests: a fake server in process, a client on its fetch, and a
// clock that moves the server's jobs as the client sleeps (so waiting takes no real time).
import {
  createFakeServer,
  DEFAULT_ACCOUNT,
  type FakeServer,
  type FakeServerOptions,
} from "@ctct-bulk/fake-server";
import { type Clock, type CreateClientOptions, type CtctClient, createClient } from "../src/mod.ts";

/** Every error a test saw, for the final leak check. */
export const seenErrors: unknown[] = [];

/** Runs `promise`, expecting it to reject; records and returns the error. */
// biome-ignore lint/suspicious/noExplicitAny: the tests read the typed fields of whichever error comes
export async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    seenErrors.push(error);
    return error;
  }
  throw new Error("Expected a rejection");
}

/**
 * A clock for the client that advances the fake server's manual clock by what the client sleeps,
 * so that polling moves jobs forward deterministically.
 */
export function linkedClock(server: FakeServer): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  let time = server.control.now().getTime();
  return {
    sleeps,
    now: () => time,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      time += ms;
      server.control.advance(ms);
      await Promise.resolve();
      signal?.throwIfAborted();
    },
  };
}

/** A fake server and a client of its default account. */
export function setUp(
  serverOptions: FakeServerOptions = {},
  clientOptions: Partial<CreateClientOptions> = {},
): { server: FakeServer; client: CtctClient; clock: Clock & { sleeps: number[] } } {
  const server = createFakeServer(serverOptions);
  const clock = linkedClock(server);
  const client = createClient({
    username: DEFAULT_ACCOUNT.username,
    apiKey: DEFAULT_ACCOUNT.apiKey,
    password: DEFAULT_ACCOUNT.password,
    baseUrl: server.baseUrl,
    fetch: server.fetch as typeof fetch,
    clock,
    random: () => 0.5,
    rateLimit: false,
    ...clientOptions,
  } as CreateClientOptions);
  return { server, client, clock };
}

/** The seed's contacts file (three contacts) plus one bad address and one bad state. */
export const CONTACTS_CSV: string = [
  "EMAIL ADDRESS,FIRST NAME,LAST NAME,STATE/PROVINCE (US/CANADA)",
  "wstest3@example.com, Fred, Test, MA",
  "wstest4@example.com, Joan, Test, Test2",
  "not-an-address, Ann, Test, NY",
  "wstest5@example.com, Ann, Test, ON",
].join("\n");

/** The URI of a numbered list of the default account. */
export function listOf(id: number): string {
  return `http://api.constantcontact.com/ws/customers/${DEFAULT_ACCOUNT.username}/lists/${id}`;
}

/**
 * Fails when any secret of the default account appears in the errors, their JSON, `String()`,
 * stack, `util.inspect()` or causes.
 */
export async function expectNoSecretsIn(values: readonly unknown[]): Promise<void> {
  const { inspect } = await import("node:util");
  const secrets = [
    DEFAULT_ACCOUNT.apiKey,
    DEFAULT_ACCOUNT.password,
    DEFAULT_ACCOUNT.accessToken,
    "ZGVtby1rZXk",
  ];
  for (const value of values) {
    const dump = [
      JSON.stringify(value),
      String(value),
      (value as Error)?.stack,
      inspect(value, { depth: 10, showHidden: true }),
    ].join("\n");
    for (const secret of secrets) {
      if (dump.includes(secret)) throw new Error(`A secret leaked into ${String(value)}`);
    }
  }
}
