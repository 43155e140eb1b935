import { API_BASE_URL } from "@ctct-bulk/core";
import type { CtctClient, RequestEvent } from "@ctct-bulk/transport";
import packageJson from "../package.json" with { type: "json" };
import { usageError } from "./cli-error.ts";
import type { Session } from "./command.ts";
import { type CredentialSource, type Credentials, resolveCredentials } from "./config.ts";
import { redactSecrets, withoutUrlCredentials } from "./secrets.ts";

/** A client for the run, and where it points. */
export interface Connection {
  client: CtctClient;
  username: string;
  /** The API root (without the username). */
  baseUrl: string;
  source: CredentialSource;
}

/**
 * The API root of a run: `--base-url`, else `CTCT_BASE_URL`, else the one stored by `login`, else
 * Constant Contact's.
 *
 * @param session The run's flags and environment.
 * @param stored The base URL in the config file, if any.
 * @param username The account's username: a URL that already ends with it is refused.
 * @returns The API root, without a trailing slash.
 * @throws {CliError} (exit code 2) when `--base-url` is empty, or when the URL is not http(s),
 *   holds a user name or password, a query or fragment, or ends with the username.
 * @example The default
 * ```ts
 * import { chooseBaseUrl } from "./connection.ts"; // internal to @ctct-bulk/cli
 * chooseBaseUrl({ globals: { baseUrl: undefined }, context: { env: {} } }); // "https://api.constantcontact.com/ws/customers"
 * ```
 */
export function chooseBaseUrl(
  session: {
    globals: Pick<Session["globals"], "baseUrl">;
    context: Pick<Session["context"], "env">;
  },
  stored?: string,
  username?: string,
): string {
  // An empty --base-url is a slip (an unset shell variable, --base-url "$URL"): not "whatever
  // CTCT_BASE_URL or the default says", which could send the run to another server.
  if (session.globals.baseUrl === "")
    throw usageError(
      `Invalid --base-url "": name the API root, such as ${API_BASE_URL}, or leave --base-url out to use CTCT_BASE_URL, the one stored by ctct-bulk login, or Constant Contact's`,
    );
  const source = session.globals.baseUrl
    ? "--base-url"
    : session.context.env.CTCT_BASE_URL
      ? "CTCT_BASE_URL"
      : stored
        ? "the base URL stored by ctct-bulk login"
        : undefined;
  const chosen =
    session.globals.baseUrl || session.context.env.CTCT_BASE_URL || stored || API_BASE_URL;
  if (source) checkBaseUrl(chosen, source, username);
  return chosen.replace(/\/+$/, "");
}

/** Refuses a base URL that is not an http(s) URL, or that holds credentials (shown without them). */
function checkBaseUrl(value: string, source: string, username?: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(
      `Invalid ${source} "${withoutUrlCredentials(value)}": expected an http:// or https:// URL such as ${API_BASE_URL}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw usageError(
      `Invalid ${source} "${withoutUrlCredentials(value)}": expected an http:// or https:// URL such as ${API_BASE_URL}`,
    );
  if (url.username !== "" || url.password !== "") {
    url.username = "";
    url.password = "";
    throw usageError(
      `Invalid ${source} "${url.href.replace(/\/+$/, "")}": credentials go in CTCT_USERNAME with CTCT_API_KEY and CTCT_PASSWORD (or ctct-bulk login), not in the URL`,
    );
  }
  // The username and the resource are appended to the path: a query or fragment would swallow
  // them (".../ws/customers?x=1/joesflowers/lists"). Shown without it: it may hold a key.
  if (url.search !== "" || url.hash !== "" || value.includes("?") || value.includes("#")) {
    throw usageError(
      `Invalid ${source} "${url.origin}${url.pathname.replace(/\/+$/, "")}?…": the API root takes no query (?…) or fragment (#…), the username and the resource are appended to its path`,
    );
  }
  // The client refuses it too, but as the SDK's `baseUrl` option and with exit code 1.
  const path = url.pathname.replace(/\/+$/, "");
  const suffix = `/${username?.toLowerCase()}`;
  if (username && path.toLowerCase().endsWith(`/ws/customers${suffix}`))
    throw usageError(
      `Invalid ${source} "${url.origin}${path}": it ends with the username; give the API root ("${url.origin}${path.slice(0, -suffix.length)}"): the username "${username}" is appended`,
    );
}

/**
 * Creates the run's client: with `--sandbox`, over a fake server in this process with the demo
 * account; otherwise with the credentials from the environment or the config file.
 *
 * @param session The run.
 * @returns The client and where it points.
 * @throws {CliError} (exit code 5) when no credentials are found.
 * @example Listing the lists
 * ```ts
 * import { connect } from "./connection.ts"; // internal to @ctct-bulk/cli
 * const { client } = await connect(session);
 * await client.lists.list();
 * ```
 */
export async function connect(session: Session): Promise<Connection> {
  const { context, globals, output } = session;
  const userAgent = `ctct-bulk-cli/${packageJson.version}`;
  // --verbose logs every attempt (the client strips credentials from what it reports).
  const onRequest = (event: RequestEvent): void =>
    output.debug(
      `${event.method} ${redactSecrets(event.url)} → ${event.status ?? event.error?.name ?? "?"} in ${Math.round(event.durationMs)} ms` +
        (event.retryIn === undefined ? "" : `, retrying in ${Math.round(event.retryIn)} ms`),
    );
  const { rateLimit } = globals;
  if (rateLimit !== undefined && (!Number.isFinite(rateLimit) || rateLimit < 0))
    throw usageError(
      `Invalid --rate-limit "${rateLimit}": expected a number of requests a second, 0 for no limit`,
    );
  const limits =
    rateLimit === undefined
      ? {}
      : { rateLimit: rateLimit === 0 ? (false as const) : { requestsPerSecond: rateLimit } };
  // Loaded on demand: `validate` and `--help` need neither, and start faster without them.
  const { createClient } = await import("@ctct-bulk/transport");
  if (globals.sandbox) {
    const { createFakeServer, DEFAULT_ACCOUNT } = await import("@ctct-bulk/fake-server");
    // Jobs move in real time, briefly, so that waiting looks as it does against the real API.
    const server = createFakeServer({ clock: "realistic", jobDelay: 200 });
    const credentials: Credentials = {
      username: DEFAULT_ACCOUNT.username,
      apiKey: DEFAULT_ACCOUNT.apiKey,
      password: DEFAULT_ACCOUNT.password,
    };
    output.debug(`Sandbox: a fake server in this process, account "${credentials.username}"`);
    return {
      client: createClient({
        ...credentials,
        baseUrl: server.baseUrl,
        fetch: server.fetch,
        userAgent,
        onRequest,
        ...limits,
      }),
      username: credentials.username,
      baseUrl: server.baseUrl,
      source: "sandbox",
    };
  }
  const {
    credentials,
    source,
    baseUrl: stored,
  } = await resolveCredentials(context.env, (message) => output.warn(message));
  const baseUrl = chooseBaseUrl(session, stored, credentials.username);
  output.debug(
    `Account "${credentials.username}" at ${redactSecrets(baseUrl)} (credentials from the ${source})`,
  );
  const fetch = context.fetch ?? globalThis.fetch;
  return {
    client: createClient({ ...credentials, baseUrl, fetch, userAgent, onRequest, ...limits }),
    username: credentials.username,
    baseUrl,
    source,
  };
}
