/**
 * A copy of a text that does not keep alive the big text it may have been cut from: engines share
 * the characters of a long substring with its parent, so a stored address (or a logged value)
 * would otherwise hold a whole 1.9 MB request in memory. Prepending a character makes a new
 * string whose flattening copies the characters; short texts are copies already.
 *
 * @param text Any text.
 * @returns The same text, owning its characters.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
