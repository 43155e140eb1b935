// Credential redaction for everything that may reach a message, a log or a JSON dump.

const SECRET_PARAMETERS =
  /^(?:access_?token|api_?key|apikey|password|passwd|token|secret|key|sig|signature|auth|authorization)$/i;

/**
 * A URL with its user info removed and secret-looking query parameters replaced by `REDACTED`.
 * Anything that does not parse as a URL is returned with `user:password@` patterns removed.
 *
 * @param url The URL to clean.
 * @returns The URL, safe to print.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@\s]*@/g, "//");
  }
  parsed.username = "";
  parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMETERS.test(name)) parsed.searchParams.set(name, "REDACTED");
  }
  return parsed.href;
}

/**
 * A text with every occurrence of the given secrets replaced by `[REDACTED]` (used on response
 * bodies, which a misbehaving proxy may echo credentials into).
 *
 * @param text The text to clean.
 * @param secrets The values that must not appear.
 * @returns The text, safe to print.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 3) result = result.split(secret).join("[REDACTED]");
  }
  return result;
}
