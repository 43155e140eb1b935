import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { API_BASE_URL } from "@ctct-bulk/core";
import { CliError } from "./cli-error.ts";
import type { CliContext } from "./context.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import { rememberSecret } from "./secrets.ts";

/**
 * The API root requests go to when nothing else is said; the username is appended to it.
 *
 * @example An account's URL
 * ```ts
 * import { DEFAULT_BASE_URL } from "@ctct-bulk/cli";
 * `${DEFAULT_BASE_URL}/joesflowers`; // "https://api.constantcontact.com/ws/customers/joesflowers"
 * ```
 */
export const DEFAULT_BASE_URL: string = API_BASE_URL;

/** An account's credentials: API key and password (HTTP Basic), or an OAuth 2 access token. */
export type Credentials =
  | { username: string; apiKey: string; password: string }
  | { username: string; accessToken: string };

/** What `ctct-bulk login` stores. */
export interface StoredConfig {
  username?: string;
  apiKey?: string;
  password?: string;
  accessToken?: string;
  baseUrl?: string;
}

/**
 * Where `ctct-bulk login` keeps the credentials: `$XDG_CONFIG_HOME/ctct-bulk/config.json`, or
 * `~/.config/ctct-bulk/config.json` when `XDG_CONFIG_HOME` is unset.
 *
 * @param env The environment.
 * @returns The config file's path.
 * @example The default place
 * ```ts
 * import { configPath } from "@ctct-bulk/cli";
 * configPath({ XDG_CONFIG_HOME: "/home/ann/.config" }); // "/home/ann/.config/ctct-bulk/config.json"
 * ```
 */
export function configPath(env: CliContext["env"]): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "ctct-bulk", "config.json");
}

/**
 * Reads the config file written by `ctct-bulk login`, if there is one.
 *
 * @param env The environment (for the file's place).
 * @returns The stored values and the path, or `undefined` when there is no file.
 * @throws {CliError} when the file exists but is not valid JSON.
 * @example Reading the stored username
 * ```ts
 * import { readConfig } from "@ctct-bulk/cli";
 * const stored = await readConfig(process.env);
 * stored?.config.username;
 * ```
 */
export async function readConfig(
  env: CliContext["env"],
): Promise<{ path: string; config: StoredConfig; mode: number } | undefined> {
  const path = configPath(env);
  let text: string;
  let mode: number;
  try {
    text = await readFile(path, "utf8");
    mode = (await stat(path)).mode & 0o777;
  } catch (cause) {
    if ((cause as { code?: string }).code === "ENOENT") return undefined;
    throw new CliError(`Cannot read the config file "${path}": ${(cause as Error).message}`, {
      cause,
    });
  }
  try {
    const config = JSON.parse(text) as unknown;
    if (typeof config !== "object" || config === null || Array.isArray(config))
      throw new TypeError("not an object");
    return { path, config: config as StoredConfig, mode };
  } catch (cause) {
    throw new CliError(`Cannot read the config file "${path}": it is not a JSON object`, {
      hint: "Run ctct-bulk login again to rewrite it",
      cause,
    });
  }
}

/**
 * Writes the config file with mode 0600 (its directory 0700), replacing it atomically.
 *
 * @param env The environment (for the file's place).
 * @param config The values to store.
 * @returns The file's path.
 * @example Storing an access token
 * ```ts
 * import { writeConfig } from "@ctct-bulk/cli";
 * await writeConfig(process.env, { username: "joesflowers", accessToken: "…" });
 * ```
 */
export async function writeConfig(env: CliContext["env"], config: StoredConfig): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // in case the umask or an older file narrowed it differently
  await rename(temporary, path);
  return path;
}

/** Where the credentials of a run came from. */
export type CredentialSource = "environment" | "config" | "sandbox";

/**
 * The account's credentials: from the environment (`CTCT_USERNAME` with `CTCT_API_KEY` and
 * `CTCT_PASSWORD`, or with `CTCT_ACCESS_TOKEN`) when it holds a key or a token, else from the config
 * file written by `ctct-bulk login`.
 *
 * @param env The environment.
 * @param warn Receives a warning when the config file is readable by others.
 * @returns The credentials and where they came from.
 * @throws {CliError} (exit code 5) naming what is missing, never a value.
 * @example Credentials from the environment
 * ```ts
 * import { resolveCredentials } from "@ctct-bulk/cli";
 * const { credentials } = await resolveCredentials({
 *   CTCT_USERNAME: "joesflowers", CTCT_ACCESS_TOKEN: "…",
 * });
 * credentials.username; // "joesflowers"
 * ```
 */
export async function resolveCredentials(
  env: CliContext["env"],
  warn: (message: string) => void = () => {},
): Promise<{ credentials: Credentials; source: CredentialSource; baseUrl: string | undefined }> {
  const fromEnv = Boolean(env.CTCT_API_KEY || env.CTCT_ACCESS_TOKEN || env.CTCT_PASSWORD);
  let values: StoredConfig;
  let source: CredentialSource;
  let baseUrl: string | undefined;
  if (fromEnv) {
    source = "environment";
    values = {
      ...(env.CTCT_USERNAME ? { username: env.CTCT_USERNAME } : {}),
      ...(env.CTCT_API_KEY ? { apiKey: env.CTCT_API_KEY } : {}),
      ...(env.CTCT_PASSWORD ? { password: env.CTCT_PASSWORD } : {}),
      ...(env.CTCT_ACCESS_TOKEN ? { accessToken: env.CTCT_ACCESS_TOKEN } : {}),
    };
  } else {
    const stored = await readConfig(env);
    if (!stored)
      throw new CliError(
        "No credentials: set CTCT_USERNAME with CTCT_API_KEY and CTCT_PASSWORD (or CTCT_ACCESS_TOKEN)",
        {
          exitCode: EXIT_CODES.AUTH,
          hint: "Or run ctct-bulk login once; try --sandbox to run against the built-in fake server",
        },
      );
    if ((stored.mode & 0o077) !== 0)
      warn(
        `The config file "${stored.path}" can be read by other users: run chmod 600 "${stored.path}"`,
      );
    source = "config";
    values = { ...stored.config, ...(env.CTCT_USERNAME ? { username: env.CTCT_USERNAME } : {}) };
    baseUrl = stored.config.baseUrl;
  }
  rememberSecret(values.apiKey);
  rememberSecret(values.password);
  rememberSecret(values.accessToken);
  const where = source === "environment" ? "in the environment" : "in the config file";
  const hint =
    source === "environment"
      ? "Set CTCT_USERNAME with CTCT_API_KEY and CTCT_PASSWORD, or with CTCT_ACCESS_TOKEN"
      : "Run ctct-bulk login again";
  if (!values.username)
    throw new CliError(`No username ${where}: CTCT_USERNAME is the account's login name`, {
      exitCode: EXIT_CODES.AUTH,
      hint,
    });
  if (values.accessToken)
    return {
      credentials: { username: values.username, accessToken: values.accessToken },
      source,
      baseUrl,
    };
  if (!values.apiKey || !values.password) {
    const missing = values.apiKey ? "CTCT_PASSWORD" : "CTCT_API_KEY";
    throw new CliError(`Incomplete credentials ${where}: ${missing} is missing`, {
      exitCode: EXIT_CODES.AUTH,
      hint,
    });
  }
  return {
    credentials: { username: values.username, apiKey: values.apiKey, password: values.password },
    source,
    baseUrl,
  };
}
