// Every credential the CLI has seen in this process, so that no message can print one.
const secrets = new Set<string>();

/**
 * Remembers a credential so that {@linkcode redactSecrets} hides it wherever it appears.
 *
 * @param value An API key, password or token (short values are ignored: they would hide words).
 * @example Hiding a key read from the environment
 * ```ts
 * import { rememberSecret, redactSecrets } from "./secrets.ts"; // internal to @ctct-bulk/cli
 * rememberSecret("s3cr3t-key");
 * redactSecrets("Refused s3cr3t-key"); // "Refused ***"
 * ```
 */
export function rememberSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
  if (value && value.length >= 4) secrets.add(encodeURIComponent(value));
}

/**
 * Replaces every remembered credential in a text with `***`.
 *
 * @param text A message about to be printed.
 * @returns The text without credentials.
 * @example Redacting a message
 * ```ts
 * import { redactSecrets } from "./secrets.ts"; // internal to @ctct-bulk/cli
 * redactSecrets("nothing secret"); // "nothing secret"
 * redactSecrets("at http://u:pw@host/ws/customers"); // "at http://host/ws/customers"
 * ```
 */
export function redactSecrets(text: string): string {
  let result = withoutUrlCredentials(text);
  for (const secret of secrets) result = result.replaceAll(secret, "***");
  return result;
}

// `scheme://user:password@` in a URL: the user part runs to the first `@` before the host.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"<>]*@/gi;

/**
 * Removes the `user:password@` part of every URL in a text.
 *
 * @param text Any text that may hold URLs.
 * @returns The text with each URL's credentials left out.
 * @example A base URL with a password
 * ```ts
 * import { withoutUrlCredentials } from "./secrets.ts"; // internal to @ctct-bulk/cli
 * withoutUrlCredentials("http://u:secret@127.0.0.1:8787/ws/customers"); // "http://127.0.0.1:8787/ws/customers"
 * ```
 */
export function withoutUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, "$1");
}
