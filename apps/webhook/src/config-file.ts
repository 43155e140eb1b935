/**
 * Loads the configuration from a JSON file (`--config`) or from the environment
 * (`CTCT_WEBHOOK_CONFIG`, the same JSON as text). Node only: the service's edge.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { ConfigError, parseWebhookConfig, type WebhookConfig } from "./config.ts";

/**
 * Why a file could not be read, in words (`no such file`), not a code (`ENOENT`): the wording of
 * the CLI's `fileProblem` (apps/cli/src/input.ts). Copied, not imported: it is not part of
 * `@ctct-bulk/cli`'s API, and the service should not depend on the command line package.
 */
function fileProblem(cause: unknown): string {
  const code = (cause as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return String((cause as Error).message ?? cause);
}

/** The environment variable holding the configuration as JSON when no file is given. */
export const CONFIG_ENV = "CTCT_WEBHOOK_CONFIG";

/**
 * Reads and validates the configuration.
 *
 * @param path The JSON file, or `undefined` to read {@linkcode CONFIG_ENV}.
 * @param env The environment (`process.env`), also used for `{ "env": "NAME" }` secrets.
 * @returns The validated configuration.
 * @throws {ConfigError} Naming the file (or the variable) and every bad field.
 *
 * @example Loading a file
 * ```ts
 * import { loadWebhookConfig } from "@ctct-bulk/webhook";
 * const config = await loadWebhookConfig("webhook.json", process.env);
 * config.listen.port; // 8788 unless the file says otherwise
 * ```
 */
export async function loadWebhookConfig(
  path: string | undefined,
  env: Record<string, string | undefined>,
): Promise<WebhookConfig> {
  let text: string;
  const source = path ?? CONFIG_ENV;
  if (path === undefined) {
    const value = env[CONFIG_ENV];
    if (!value) {
      // Nothing was given at all: say so, not "Invalid configuration" of a variable never set.
      throw new ConfigError(
        source,
        [{ path: "", message: `Missing configuration: pass --config <file> or set ${CONFIG_ENV}` }],
        `No configuration: pass --config <file>, or set ${CONFIG_ENV} to the configuration's JSON`,
      );
    }
    text = value;
  } else {
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const reason = fileProblem(error);
      throw new ConfigError(
        source,
        [{ path: "", message: `Cannot read the file: ${reason}` }],
        `Cannot read --config "${path}": ${reason}`,
      );
    }
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    // V8's message may quote part of the text (a secret, perhaps): keep only where it failed
    const where = /line \d+ column \d+|position \d+/.exec((error as Error).message);
    throw new ConfigError(source, [
      { path: "", message: `Invalid JSON${where ? `: at ${where[0]}` : ""}` },
    ]);
  }
  return parseWebhookConfig(input, { source, env });
}
