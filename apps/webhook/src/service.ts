/**
 * The whole service wired together (Node edge): configuration, pino logger with redaction, the
 * store, the app, the dispatcher and the socket server, with a graceful shutdown.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pino, { type Logger } from "pino";
import { createWebhookApp } from "./app.ts";
import { ConfigError, type WebhookConfig } from "./config.ts";
import { loadWebhookConfig } from "./config-file.ts";
import { createDispatcher, type Dispatcher } from "./dispatcher.ts";
import { createWebhookMetrics } from "./metrics.ts";
import { readNodeBody } from "./node-body.ts";
import { createNodeSigningKey, nodeSha256Hex } from "./node-crypto.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { listenWebhookServer, type WebhookServer } from "./server.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import type { PushStore } from "./store.ts";
import { createTransportSubmitter } from "./transport-submitter.ts";

/**
 * What the logger never writes: signatures, credentials, secrets and contact emails, wherever
 * they appear in a logged object (pino's `redact` paths).
 */
export const REDACTED_PATHS: string[] = [
  "headers.authorization",
  'headers["webhook-signature"]',
  "req.headers.authorization",
  'req.headers["webhook-signature"]',
  "*.headers.authorization",
  "authorization",
  "signature",
  "apiKey",
  "password",
  "accessToken",
  "secret",
  "secrets",
  "email",
  "emails",
  "*.apiKey",
  "*.password",
  "*.accessToken",
  "*.secret",
  "*.secrets",
  "*.email",
  "*.signature",
  "*.authorization",
  "errors[*].email",
  "*.errors[*].email",
];

/**
 * Creates the service's pino logger, with {@linkcode REDACTED_PATHS} censored.
 *
 * @param level The level (`info`, `debug`, …).
 * @param destination Where to write; standard output unless given.
 * @returns The logger.
 *
 * @example A logger that hides an API key
 * ```ts
 * import { createWebhookLogger } from "@ctct-bulk/webhook";
 * createWebhookLogger("info").info({ apiKey: "k" }, "hello"); // {"apiKey":"[redacted]",…}
 * ```
 */
export function createWebhookLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "ctct-webhook" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * Opens the store the configuration names.
 *
 * @param config The configuration.
 * @returns The SQLite or PostgreSQL store.
 *
 * @example The default store
 * ```ts
 * import { openConfiguredStore } from "@ctct-bulk/webhook";
 * const store = await openConfiguredStore(config); // ctct-webhook.db, unless configured
 * ```
 */
export async function openConfiguredStore(config: WebhookConfig): Promise<PushStore> {
  const store = config.store;
  try {
    return store.kind === "sqlite"
      ? openSqliteStore(store.path)
      : await openPostgresStore(store.url);
  } catch (error) {
    throw new StartupError(
      store.kind === "sqlite"
        ? `Cannot open the SQLite store "${store.path}": ${oneLine(error)}`
        : `Cannot connect to PostgreSQL ${describeDatabase(store.url)}: ${oneLine(reasonOf(error), store.url)}`,
      { cause: error },
    );
  }
}

/** The answer to a push while the service shuts down: 503, to be sent again later. */
function drainingResponse(): Response {
  return new Response(JSON.stringify({ error: "Shutting down: send it again later" }), {
    status: 503,
    headers: { "content-type": "application/json", "retry-after": "5" },
  });
}

/** The exit code of `ctct-webhook` when it cannot start: the store or the port (README). */
export const EXIT_CANNOT_START = 3;

/**
 * The exit code of `ctct-webhook` when its store failed while it ran (the SQLite store's writer
 * thread died or stopped answering): it exits so that its supervisor restarts it (ADR 0150).
 */
export const EXIT_STORE_FAILED = 4;

/**
 * The service could not start: its store cannot be opened or its port cannot be listened on.
 * The message is one line naming the path, database or port, never a password.
 */
export class StartupError extends Error {
  override name = "StartupError";
}

/** An error's message on one line, with the database URL (and its password) taken out. */
function oneLine(error: unknown, url?: string): string {
  let text = error instanceof Error ? error.message : String(error);
  if (url !== undefined) {
    text = text.replaceAll(url, "<url>");
    const password = safeUrl(url)?.password;
    if (password) {
      text = text.replaceAll(password, "<password>");
      const decoded = safeDecode(password);
      if (decoded) text = text.replaceAll(decoded, "<password>");
    }
  }
  return text.replace(/\s*\n\s*/g, " ");
}

/** The driver's own reason (pg's), under the store's "Cannot connect to PostgreSQL: …". */
function reasonOf(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause : error;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined; // malformed %-escapes: the raw form is taken out above
  }
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** `database "queue" on host:5432 as "user"`, from a connection URL, without its password. */
function describeDatabase(url: string): string {
  const parsed = safeUrl(url);
  if (parsed === undefined) return "(the store.url is not a URL)";
  const database = safeDecode(parsed.pathname.replace(/^\//, "")) || "(default)";
  const host = `${parsed.hostname || "localhost"}:${parsed.port || "5432"}`;
  const user = parsed.username ? ` as "${safeDecode(parsed.username) ?? parsed.username}"` : "";
  return `database "${database}" on ${host}${user}`;
}

const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: "the port is already in use",
  EACCES: "permission denied (a port under 1024 needs privileges)",
  EADDRNOTAVAIL: "this machine has no such address",
};

/** Options of {@linkcode startWebhookService}. */
export interface StartServiceOptions {
  config: WebhookConfig;
  logger: Logger;
  /** The store; opened from the configuration unless given. */
  store?: PushStore;
  /** The fetch the transport uses (the fake server's in tests); the global one unless given. */
  fetch?: typeof globalThis.fetch;
  /**
   * This instance's name as a lease owner: `local` on SQLite; host name, process id and a random
   * suffix on PostgreSQL, unless given.
   */
  owner?: string;
  /** Whether to run the dispatcher (default `true`; `false` for an ingest-only instance). */
  dispatch?: boolean;
}

/** A running service; see {@linkcode startWebhookService}. */
export interface RunningWebhookService {
  url: string;
  store: PushStore;
  /** The dispatcher, when it runs. */
  dispatcher: Dispatcher | undefined;
  /** Stops taking pushes, finishes what is in flight, hands leases back, closes the store. */
  close(): Promise<void>;
  /**
   * Settles once the store has failed for good (ADR 0150): the failure is logged, `/readyz`
   * answers `503` and new pushes `503` with `Retry-After`; the caller should close and exit.
   */
  failed: Promise<Error>;
}

/**
 * Starts the whole service: store, app, server.
 *
 * @param options The configuration and logger.
 * @returns The running service.
 *
 * @example Starting and stopping
 * ```ts
 * import { createWebhookLogger, startWebhookService } from "@ctct-bulk/webhook";
 * const service = await startWebhookService({ config, logger: createWebhookLogger("info") });
 * await service.close();
 * ```
 */
export async function startWebhookService(
  options: StartServiceOptions,
): Promise<RunningWebhookService> {
  const { config, logger } = options;
  const store = options.store ?? (await openConfiguredStore(config));
  let ready = true;
  let draining = false;
  const metrics = createWebhookMetrics();
  const app = createWebhookApp({
    config,
    store,
    logger,
    metrics,
    ready: () => ready,
    importKey: createNodeSigningKey,
    hashBody: nodeSha256Hex,
    readBody: readNodeBody,
  });
  // One SQLite file has one instance: a restarted process takes its lease back at once. On
  // PostgreSQL each instance is its own owner (a dead one's leases expire after leaseMs).
  const owner =
    options.owner ??
    (store.kind === "sqlite"
      ? "local"
      : `${process.env.HOSTNAME ?? "host"}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const dispatcher =
    options.dispatch === false
      ? undefined
      : createDispatcher({
          store,
          submitter: createTransportSubmitter({
            accounts: config.accounts,
            timeoutMs: config.upstream.timeoutMs,
            requestsPerSecond: config.upstream.requestsPerSecond,
            ...(config.upstream.baseUrl ? { baseUrl: config.upstream.baseUrl } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          }),
          owner,
          batching: config.batching,
          retry: {
            maxAttempts: config.upstream.maxAttempts,
            initialDelayMs: config.upstream.initialRetryDelayMs,
            maxDelayMs: config.upstream.maxRetryDelayMs,
          },
          pollIntervalMs: config.upstream.pollIntervalMs,
          leaseMs: config.dispatch.leaseMs,
          tickMs: config.dispatch.tickMs,
          logger,
          metrics,
        });
  let server: WebhookServer;
  try {
    server = await listenWebhookServer({
      // While draining, the listener stays up for /healthz, /readyz and push statuses, and new
      // pushes are refused with 503 and Retry-After (another instance, or this one restarted,
      // takes them), until the work in flight is handed back (ADR 0069, QA W2).
      fetch: (request, env) =>
        draining && request.method === "POST" ? drainingResponse() : app.fetch(request, env),
      host: config.listen.host,
      port: config.listen.port,
      headersTimeoutMs: config.limits.headersTimeoutMs,
      requestTimeoutMs: config.limits.requestTimeoutMs,
    });
  } catch (error) {
    if (options.store === undefined) await store.close().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new StartupError(
      `Cannot listen on ${config.listen.host}:${config.listen.port}: ${LISTEN_PROBLEMS[code] ?? oneLine(error)}`,
      { cause: error },
    );
  }
  dispatcher?.start();
  // a store that cannot store any more pushes (a dead or stuck writer thread) will not recover
  // by itself: it is said once, loudly, new pushes are refused as while draining, and the
  // caller exits for its supervisor to restart the service (ADR 0150)
  const failed = new Promise<Error>((resolve) => {
    void store.failure?.then((error) => {
      logger.error(
        { err: { name: error.name, message: error.message }, store: store.kind },
        "store failed: pushes are refused until the service is restarted",
      );
      ready = false;
      draining = true;
      resolve(error);
    });
  });
  // finished pushes are kept for the idempotency window, then pruned (hourly, and at startup)
  const prune = () => {
    const before = Date.now() - config.idempotencyDays * 24 * 60 * 60 * 1000;
    store
      .prune(before)
      .then((pruned) => {
        if (pruned > 0) logger.info({ pruned }, "finished pushes pruned");
      })
      .catch((error: Error) =>
        logger.warn({ err: { name: error.name, message: error.message } }, "prune failed"),
      );
  };
  prune();
  const pruning = setInterval(prune, 60 * 60 * 1000);
  pruning.unref();
  logger.info(
    { url: server.url, store: store.kind, owner, dispatch: dispatcher !== undefined },
    "listening",
  );
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    store,
    dispatcher,
    failed,
    close: () => {
      closing ??= (async () => {
        ready = false;
        draining = true;
        clearInterval(pruning);
        // what is in flight upstream finishes (or stays "submitting" for the next owner), while
        // the listener answers health checks and refuses new pushes with 503
        await dispatcher?.stop(config.dispatch.shutdownGraceMs);
        // then the socket closes: the pushes being answered finish and are stored
        await server.close();
        await store.close();
        logger.info({}, "stopped");
      })();
      return closing;
    },
  };
}

/**
 * The `ctct-webhook` command: `--config <file>` (or `CTCT_WEBHOOK_CONFIG`); runs until SIGTERM
 * or SIGINT, then shuts down gracefully.
 *
 * @param argv The arguments after the program name.
 * @param env The environment.
 * @returns The exit code.
 *
 * @example Running the service
 * ```ts
 * import { runWebhookService } from "@ctct-bulk/webhook";
 * process.exitCode = await runWebhookService(["--config", "webhook.json"], process.env);
 * ```
 */
export async function runWebhookService(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  let args: {
    config?: string | undefined;
    help?: boolean | undefined;
    version?: boolean | undefined;
  };
  try {
    args = parseArgs({
      args: argv,
      options: {
        config: { type: "string", short: "c" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: ctct-webhook --config <file>`);
    return 2;
  }
  if (args.help) {
    console.log("Usage: ctct-webhook --config <file>   (or CTCT_WEBHOOK_CONFIG=<json>)");
    console.log("       ctct-webhook --version");
    console.log(
      "Exit codes: 0 stopped, 2 configuration wrong, 3 store or port unavailable, 4 store failed while running",
    );
    return 0;
  }
  if (args.version) {
    // src/ and dist/ are both one level under the package's folder
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    console.log(`ctct-webhook ${pkg.version}`);
    return 0;
  }
  let config: WebhookConfig;
  try {
    config = await loadWebhookConfig(args.config, env);
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const logger = createWebhookLogger(config.logLevel);
  let service: RunningWebhookService;
  try {
    service = await startWebhookService({ config, logger });
  } catch (error) {
    if (error instanceof StartupError) {
      console.error(error.message);
      return EXIT_CANNOT_START;
    }
    throw error;
  }
  const stopped = await new Promise<"signal" | "failed">((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, "shutting down");
      resolve("signal");
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    void service.failed.then(() => resolve("failed"));
  });
  if (stopped === "signal") {
    await service.close();
    return 0;
  }
  try {
    await service.close();
  } catch (error) {
    // a writer thread blocked in a system call: Node's exit would wait for it for ever, so the
    // process ends itself the only way that does not wait (status 137), for its supervisor to
    // restart it (ADR 0150)
    logger.error(
      { err: { name: (error as Error).name, message: (error as Error).message } },
      "cannot stop after a store failure: the process kills itself",
    );
    process.kill(process.pid, "SIGKILL");
  }
  logger.error({ exitCode: EXIT_STORE_FAILED }, "stopped after a store failure");
  return EXIT_STORE_FAILED;
}
