import type { FakeAccount } from "./accounts.ts";

/** How a request tried to log in (never the credentials themselves). */
export type AuthScheme = "basic" | "bearer" | "none" | "unsupported";

/** The outcome of reading a request's `Authorization` header. */
export interface AuthResult {
  scheme: AuthScheme;
  /** The account the credentials belong to, when they are valid. */
  account?: FakeAccount;
  /** Set when a Basic user has no `%`: a key (or a username) alone, not `{apiKey}%{username}`. */
  missingUsername?: true;
}

/** The challenge sent with every 401, as the real API does. */
export const WWW_AUTHENTICATE = 'Basic realm="Constant Contact API"';

function decodeBase64(text: string): string | undefined {
  try {
    const binary = atob(text.trim());
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Checks an `Authorization` header against the accounts: Basic with user `{apiKey}%{username}`
 * and the account's password, or `Bearer {accessToken}`. Usernames compare without regard to
 * case (old clients lower-case whole URIs); keys, passwords and tokens exactly.
 *
 * @param header The header's value, if any.
 * @param findAccount Looks an account up by username (any case).
 * @param findByToken Looks an account up by access token.
 * @returns The scheme and, when valid, the account.
 */
export function authenticate(
  header: string | undefined,
  findAccount: (username: string) => FakeAccount | undefined,
  findByToken: (token: string) => FakeAccount | undefined,
): AuthResult {
  if (header === undefined || header.trim() === "") return { scheme: "none" };
  const match = /^(\S+)\s+(.*)$/.exec(header.trim());
  const scheme = match?.[1]?.toLowerCase();
  const value = match?.[2] ?? "";
  if (scheme === "bearer") {
    const account = value === "" ? undefined : findByToken(value.trim());
    return account ? { scheme: "bearer", account } : { scheme: "bearer" };
  }
  if (scheme !== "basic") return { scheme: "unsupported" };
  const decoded = decodeBase64(value);
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded === undefined || colon < 0) return { scheme: "basic" };
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // The username cannot hold "%", so the last one separates it from the key.
  const percent = user.lastIndexOf("%");
  if (percent < 0) return { scheme: "basic", missingUsername: true };
  const account = findAccount(user.slice(percent + 1));
  if (account === undefined || account.apiKey !== user.slice(0, percent))
    return { scheme: "basic" };
  if (account.password !== password) return { scheme: "basic" };
  return { scheme: "basic", account };
}
