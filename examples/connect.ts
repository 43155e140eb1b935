// How every example gets its client: the real API when CTCT_USERNAME is set (with CTCT_API_KEY and
// CTCT_PASSWORD, or CTCT_ACCESS_TOKEN), otherwise a fake server in this process, so that each
// example runs anywhere with no account. Copy the branch you need into your own program.
import { createFakeServer, DEFAULT_ACCOUNT, type FakeServer } from "@ctct-bulk/fake-server";
import { type CtctClient, createClient } from "@ctct-bulk/transport";

/** A client, and the fake server behind it when there is no account in the environment. */
export interface Connection {
  client: CtctClient;
  /** The in-process fake server, when the example runs without an account. */
  fake?: FakeServer;
}

/**
 * Connects to the account named by the environment, or to an in-process fake server.
 *
 * @param env The environment (default `process.env`).
 * @returns The client, and the fake server when one was started.
 * @example Connecting an example
 * ```ts
 * const { client, fake } = connect();
 * console.log(fake ? "fake server" : `account ${client.username}`);
 * ```
 */
export function connect(env: NodeJS.ProcessEnv = process.env): Connection {
  const { CTCT_USERNAME, CTCT_API_KEY, CTCT_PASSWORD, CTCT_ACCESS_TOKEN, CTCT_BASE_URL } = env;
  if (CTCT_USERNAME) {
    const settings = CTCT_BASE_URL ? { baseUrl: CTCT_BASE_URL } : {};
    if (CTCT_ACCESS_TOKEN) {
      return {
        client: createClient({
          username: CTCT_USERNAME,
          accessToken: CTCT_ACCESS_TOKEN,
          ...settings,
        }),
      };
    }
    if (!CTCT_API_KEY || !CTCT_PASSWORD) {
      throw new TypeError(
        "Missing credentials: CTCT_USERNAME is set, so set CTCT_API_KEY and CTCT_PASSWORD, or CTCT_ACCESS_TOKEN",
      );
    }
    return {
      client: createClient({
        username: CTCT_USERNAME,
        apiKey: CTCT_API_KEY,
        password: CTCT_PASSWORD,
        ...settings,
      }),
    };
  }
  const fake = createFakeServer();
  const client = createClient({
    username: DEFAULT_ACCOUNT.username,
    apiKey: DEFAULT_ACCOUNT.apiKey,
    password: DEFAULT_ACCOUNT.password,
    baseUrl: fake.baseUrl,
    fetch: fake.fetch,
  });
  return { client, fake };
}
