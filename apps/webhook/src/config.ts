/**
 * The service's configuration: partners (ids, signing secrets, the accounts and lists each may
 * touch, field mapping, rate limit), the accounts' API credentials, the store, batching and
 * limits. Validated with zod; every error names the field, and no error quotes a secret.
 *
 * @module
 */
import {
  type ContactColumn,
  findContactColumn,
  listUri,
  nearestContactColumn,
  parseListUri,
} from "@ctct-bulk/core";
import { z } from "zod";
import { decodeSigningSecret } from "./signature.ts";

/** A secret given inline, or as `{ "env": "NAME" }` to read it from the environment. */
const secretInput = z.union([z.string().min(1), z.strictObject({ env: z.string().min(1) })]);

const accountSchema = z
  .strictObject({
    username: z
      .string()
      .regex(/^[A-Za-z0-9.\-_@]+$/, "Invalid username: expected a-z A-Z 0-9 . - _ @"),
    apiKey: secretInput.optional(),
    password: secretInput.optional(),
    accessToken: secretInput.optional(),
  })
  .refine((a) => (a.accessToken ? !a.apiKey && !a.password : a.apiKey && a.password), {
    message: "Invalid credentials: give either apiKey and password, or accessToken",
  });

const partnerSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
      "Invalid partner id: expected 1-64 of A-Z a-z 0-9 _ . -",
    ),
  secrets: z.array(secretInput).min(1, "Missing secrets: give at least one whsec_ secret"),
  accounts: z.record(
    z.string(),
    z.strictObject({
      lists: z.array(z.string().min(1)).min(1, "Missing lists: give at least one"),
    }),
  ),
  fieldMapping: z.record(z.string(), z.string()).optional(),
  unknownFields: z.enum(["reject", "ignore"]).default("reject"),
  rateLimit: z
    .strictObject({
      requestsPerSecond: z.number().positive(),
      burst: z.number().int().positive().optional(),
    })
    .optional(),
});

const configSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(8788),
    })
    .prefault({}),
  limits: z
    .strictObject({
      maxBodyBytes: z.number().int().positive().default(1_000_000),
      headersTimeoutMs: z.number().int().positive().default(10_000),
      requestTimeoutMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  store: z
    .discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("sqlite"), path: z.string().default("ctct-webhook.db") }),
      z.strictObject({ kind: z.literal("postgres"), url: secretInput }),
    ])
    .prefault({ kind: "sqlite" }),
  idempotencyDays: z.number().min(7, "Too short: keep webhook ids at least 7 days").default(8),
  batching: z
    .strictObject({
      maxWaitMs: z.number().int().positive().default(60_000),
      maxContacts: z.number().int().min(25).default(10_000),
      maxEncodedBytes: z.number().int().min(1000).max(1_900_000).default(1_900_000),
    })
    .prefault({}),
  upstream: z
    .strictObject({
      baseUrl: z.url().optional(),
      pollIntervalMs: z.number().int().positive().default(5_000),
      maxAttempts: z.number().int().positive().default(12),
      initialRetryDelayMs: z.number().int().positive().default(2_000),
      maxRetryDelayMs: z.number().int().positive().default(300_000),
      timeoutMs: z.number().int().positive().default(30_000),
      requestsPerSecond: z.number().positive().default(4),
    })
    .prefault({}),
  dispatch: z
    .strictObject({
      tickMs: z.number().int().positive().default(500),
      leaseMs: z.number().int().min(1000).default(30_000),
      shutdownGraceMs: z.number().int().min(0).default(10_000),
    })
    .prefault({}),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  accounts: z.array(accountSchema).min(1, "Missing accounts: give at least one"),
  partners: z.array(partnerSchema).min(1, "Missing partners: give at least one"),
});

/** An account's API credentials, secrets resolved. */
export type AccountCredentials =
  | { username: string; apiKey: string; password: string }
  | { username: string; accessToken: string };

/** A partner, validated and resolved. */
export interface PartnerConfig {
  id: string;
  /** The `whsec_…` secrets, any of which may sign (several while one is rotated). */
  secrets: string[];
  /** Per account username, the list URIs the partner may touch. */
  lists: Map<string, Set<string>>;
  /** Payload field → contact column; `undefined` when fields are matched by column name. */
  fieldMapping: Map<string, ContactColumn> | undefined;
  /** Whether a payload field that maps to no column is an error or ignored. */
  unknownFields: "reject" | "ignore";
  rateLimit: { requestsPerSecond: number; burst: number } | undefined;
}

/** The whole configuration, validated and resolved. */
export interface WebhookConfig {
  listen: { host: string; port: number };
  limits: { maxBodyBytes: number; headersTimeoutMs: number; requestTimeoutMs: number };
  store: { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };
  idempotencyDays: number;
  batching: { maxWaitMs: number; maxContacts: number; maxEncodedBytes: number };
  upstream: {
    baseUrl?: string;
    pollIntervalMs: number;
    maxAttempts: number;
    initialRetryDelayMs: number;
    maxRetryDelayMs: number;
    timeoutMs: number;
    /** Requests a second per account, the transport's client-side limit. */
    requestsPerSecond: number;
  };
  dispatch: { tickMs: number; leaseMs: number; shutdownGraceMs: number };
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  accounts: Map<string, AccountCredentials>;
  partners: Map<string, PartnerConfig>;
}

/** One problem of a configuration: where (`partners[0].secrets[1]`) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A configuration that cannot be used; `issues` names every bad field. */
export class ConfigError extends TypeError {
  override readonly name = "ConfigError" as const;
  /** Where the configuration came from (a file name, or `environment`). */
  readonly source: string;
  /** Every problem found. */
  readonly issues: ConfigIssue[];

  /**
   * @param source Where the configuration came from.
   * @param issues Every problem found.
   * @param message The message, when "Invalid configuration" followed by the issues would not
   *   say it best (a file that cannot be read at all).
   */
  constructor(source: string, issues: ConfigIssue[], message?: string) {
    super(
      message ??
        `Invalid configuration "${source}": ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
    );
    this.source = source;
    this.issues = issues;
  }

  /**
   * Whether a value is a {@linkcode ConfigError}, even from another copy of this package.
   *
   * @param value Anything.
   * @returns `true` for a configuration error.
   */
  static isInstance(value: unknown): value is ConfigError {
    return value instanceof Error && value.name === "ConfigError";
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}

/** Options of {@linkcode parseWebhookConfig}. */
export interface ParseConfigOptions {
  /** Where the configuration came from, for error messages (a file name, `environment`). */
  source?: string;
  /** The environment that `{ "env": "NAME" }` secrets are read from. */
  env?: Record<string, string | undefined>;
}

/**
 * Validates a configuration (already parsed from JSON) and resolves its secrets and list URIs.
 *
 * @param input The configuration object.
 * @param options Where it came from and the environment for `{ "env": … }` secrets.
 * @returns The validated configuration.
 * @throws {ConfigError} Naming every bad field (never quoting a secret).
 *
 * @example A partner allowed two lists of one account
 * ```ts
 * import { parseWebhookConfig } from "@ctct-bulk/webhook";
 * const config = parseWebhookConfig({
 *   accounts: [{ username: "joesflowers", apiKey: { env: "CTCT_KEY" }, password: "p" }],
 *   partners: [{
 *     id: "shop",
 *     secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
 *     accounts: { joesflowers: { lists: ["1", "2"] } },
 *   }],
 * }, { env: { CTCT_KEY: "k" } });
 * config.partners.get("shop")?.lists.get("joesflowers")?.size; // 2
 * ```
 */
export function parseWebhookConfig(
  input: unknown,
  options: ParseConfigOptions = {},
): WebhookConfig {
  const source = options.source ?? "configuration";
  const env = options.env ?? {};
  const parsed = configSchema.safeParse(input);
  // schema errors first; the cross-field checks below still run on every part that parsed, so
  // that one run names every bad field (not the schema's now and the partners' after a fix)
  const issues: ConfigIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      }));
  const record = isRecord(input) ? input : {};
  const secret = (value: string | { env: string }, path: string): string => {
    if (typeof value === "string") return value;
    const resolved = env[value.env];
    if (resolved === undefined || resolved === "") {
      issues.push({ path, message: `Missing environment variable "${value.env}"` });
      return "";
    }
    return resolved;
  };

  const accounts = new Map<string, AccountCredentials>();
  // every username given, even on an account with other errors (no "unknown account" for it);
  // `undefined` when `accounts` is not a list at all: then no partner account is called unknown
  let usernames: Set<string> | undefined;
  if (Array.isArray(record.accounts)) {
    const known = new Set<string>();
    usernames = known;
    record.accounts.forEach((item: unknown, index) => {
      const path = `accounts[${index}]`;
      const username = isRecord(item) ? item.username : undefined;
      if (typeof username === "string") {
        if (known.has(username)) {
          issues.push({ path: `${path}.username`, message: `Duplicate account "${username}"` });
        }
        known.add(username);
      }
      const account = accountSchema.safeParse(item);
      if (!account.success || accounts.has(account.data.username)) return;
      const { data } = account;
      accounts.set(
        data.username,
        data.accessToken
          ? {
              username: data.username,
              accessToken: secret(data.accessToken, `${path}.accessToken`),
            }
          : {
              username: data.username,
              apiKey: secret(data.apiKey!, `${path}.apiKey`),
              password: secret(data.password!, `${path}.password`),
            },
      );
    });
  }

  const partners = new Map<string, PartnerConfig>();
  const partnerIds = new Set<string>();
  const shape = partnerSchema.shape;
  (Array.isArray(record.partners) ? record.partners : []).forEach((item: unknown, index) => {
    const path = `partners[${index}]`;
    const fields = isRecord(item) ? item : {};
    if (typeof fields.id === "string") {
      if (partnerIds.has(fields.id)) {
        issues.push({ path: `${path}.id`, message: `Duplicate partner "${fields.id}"` });
      }
      partnerIds.add(fields.id);
    }
    const secretsField = shape.secrets.safeParse(fields.secrets);
    const secrets = (secretsField.success ? secretsField.data : []).map((value, i) => {
      const resolved = secret(value, `${path}.secrets[${i}]`);
      if (resolved) {
        try {
          decodeSigningSecret(resolved);
        } catch (error) {
          issues.push({ path: `${path}.secrets[${i}]`, message: (error as Error).message });
        }
      }
      return resolved;
    });
    const lists = new Map<string, Set<string>>();
    const accountsField = shape.accounts.safeParse(fields.accounts);
    if (accountsField.success) {
      for (const [username, { lists: entries }] of Object.entries(accountsField.data)) {
        if (usernames && !usernames.has(username)) {
          issues.push({
            path: `${path}.accounts.${username}`,
            message: `Unknown account "${username}": expected one of the accounts' usernames`,
          });
          continue;
        }
        const uris = new Set<string>();
        entries.forEach((entry, i) => {
          const uri = normalizeListEntry(username, entry);
          if (uri instanceof Error) {
            issues.push({ path: `${path}.accounts.${username}.lists[${i}]`, message: uri.message });
          } else uris.add(uri);
        });
        lists.set(username, uris);
      }
      if (Object.keys(accountsField.data).length === 0) {
        issues.push({ path: `${path}.accounts`, message: "Missing accounts: give at least one" });
      }
    }
    let fieldMapping: Map<string, ContactColumn> | undefined;
    const mappingField = shape.fieldMapping.safeParse(fields.fieldMapping);
    if (mappingField.success && mappingField.data) {
      fieldMapping = new Map();
      for (const [field, name] of Object.entries(mappingField.data)) {
        const column = findContactColumn(name);
        if (!column) {
          const nearest = nearestContactColumn(name);
          issues.push({
            path: `${path}.fieldMapping.${field}`,
            message: `Unknown column "${name}": ${nearest ? `did you mean "${nearest}"?` : "expected one of the 32 contact columns"}`,
          });
        } else fieldMapping.set(field, column);
      }
      if (![...fieldMapping.values()].includes("EMAIL ADDRESS")) {
        issues.push({
          path: `${path}.fieldMapping`,
          message: 'Missing column "EMAIL ADDRESS": map one field to it',
        });
      }
    }
    const partner = parsed.success ? parsed.data.partners[index] : undefined;
    if (!partner) return;
    const rateLimit = partner.rateLimit && {
      requestsPerSecond: partner.rateLimit.requestsPerSecond,
      burst: partner.rateLimit.burst ?? Math.max(1, Math.ceil(partner.rateLimit.requestsPerSecond)),
    };
    partners.set(partner.id, {
      id: partner.id,
      secrets,
      lists,
      fieldMapping,
      unknownFields: partner.unknownFields,
      rateLimit,
    });
  });

  const storeField = configSchema.shape.store.safeParse(record.store);
  let store: WebhookConfig["store"] | undefined;
  if (storeField.success) {
    store =
      storeField.data.kind === "sqlite"
        ? storeField.data
        : { kind: "postgres", url: secret(storeField.data.url, "store.url") };
  }
  if (!parsed.success || issues.length > 0 || !store) throw new ConfigError(source, issues);
  const raw = parsed.data;
  return {
    listen: raw.listen,
    limits: raw.limits,
    store,
    idempotencyDays: raw.idempotencyDays,
    batching: raw.batching,
    upstream: raw.upstream,
    dispatch: raw.dispatch,
    logLevel: raw.logLevel,
    accounts,
    partners,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function normalizeListEntry(username: string, entry: string): string | Error {
  try {
    if (!entry.includes("/")) return listUri(username, entry);
    const parsed = parseListUri(entry);
    if (parsed.username !== username) {
      return new Error(`Invalid list "${entry}": it belongs to account "${parsed.username}"`);
    }
    return listUri(parsed.username, parsed.listId);
  } catch (error) {
    return new Error((error as Error).message);
  }
}
