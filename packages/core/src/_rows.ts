/**
 * Small row checks shared by the contact file reader and writer and the form encoder.
 *
 * @module
 */

/**
 * Whether every field of a row is empty (a row of empty cells, `,,,`, which the reader skips like
 * a blank line: ADR 0121). Callers ask only when the first field is empty (rare for a contact
 * row), so their hot loops pay one comparison per row.
 */
export function isEmptyRow(fields: readonly string[]): boolean {
  for (let index = 0; index < fields.length; index++) if (fields[index] !== "") return false;
  return true;
}
