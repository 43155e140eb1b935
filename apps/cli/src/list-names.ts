import { parseListUri, SYSTEM_LISTS, UNCLEARABLE_LIST_NAMES } from "@ctct-bulk/core";

/**
 * Whether a `--list` value, as the user typed it, names a list that can never be cleared, decided
 * without asking the server: a system list's id (`active`, `do-not-mail`, `removed`) or URI, or one
 * of the names "Do-Not-Mail", "Removed", "Awaiting Confirmation", "All", "Active" (compared without
 * regard to case, spaces or the hyphen).
 *
 * @param given What the user typed.
 * @returns `true` when clearing it must be refused.
 * @example The do-not-mail list, by id and by name
 * ```ts
 * import { isNeverClearable } from "./list-names.ts"; // internal to @ctct-bulk/cli
 * isNeverClearable("do-not-mail"); // true
 * isNeverClearable("Do Not Mail"); // true
 * isNeverClearable("2"); // false
 * ```
 */
export function isNeverClearable(given: string): boolean {
  const text = given.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      return parseListUri(text.replace(/^https:/i, "http:")).system;
    } catch {
      return false; // a malformed URI is refused by the client with its own message
    }
  }
  const normalized = (name: string): string =>
    name
      .toLowerCase()
      .replace(/[\s-]+/g, " ")
      .trim();
  return (
    (SYSTEM_LISTS as readonly string[]).includes(text.toLowerCase()) ||
    UNCLEARABLE_LIST_NAMES.some((name) => normalized(name) === normalized(text))
  );
}
