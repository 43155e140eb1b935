import { US_CANADIAN_COUNTRIES, US_CANADIAN_REGIONS } from "./_regions.ts";
import { ADD_ACTIVITY_TYPES, type RequestedActivityType } from "./activity.ts";
import {
  CONTACT_COLUMNS,
  type ContactColumn,
  findContactColumn,
  findExportOptionColumn,
  isIgnoredColumn,
  nearestContactColumn,
} from "./columns.ts";
import {
  ContactFileError,
  type ContactHeader,
  type ContactRow,
  type ContactTable,
} from "./contact-file.ts";

/**
 * One finding of an offline check. Errors of rows are worded like the server's per-line `Errors`
 * (`Invalid email address "…"`, `Unknown US/Canadian state/prov "…"`), so that a check predicts
 * what the server will report; errors of the header or the request predict a `400 Bad Request`.
 *
 * @example Printing diagnostics
 * ```ts
 * import { type Diagnostic, smallBatchWarning } from "@ctct-bulk/core";
 * const found: Diagnostic[] = [smallBatchWarning(3)!];
 * for (const d of found) console.log(`${d.severity}: ${d.message}`);
 * ```
 */
export interface Diagnostic {
  /** `"error"`: the server refuses the request or the line; `"warning"`: it accepts them. */
  severity: "error" | "warning";
  message: string;
  /** The line in the contact file (the header is line 1). */
  line?: number;
  /** The row's email address, as the server's `EmailAddress` reports it. */
  email?: string;
  /** The column at fault (canonical name where known, else the header's name). */
  field?: string;
  /** The request parameter at fault (`lists`, `activityType`, …). */
  parameter?: string;
}

/**
 * The size of batch this resource is meant for: sending fewer contacts at a time, frequently, is
 * misuse under the provider's terms (the Contacts collection is for small sets).
 *
 * @example Is a batch big enough?
 * ```ts
 * import { SMALL_BATCH_THRESHOLD } from "@ctct-bulk/core";
 * 30 >= SMALL_BATCH_THRESHOLD; // true
 * ```
 */
export const SMALL_BATCH_THRESHOLD = 25;

/**
 * Options of {@linkcode validateHeader}.
 *
 * @example Checking a remove's header
 * ```ts
 * import { openContactFile, validateHeader } from "@ctct-bulk/core";
 * const { header } = await openContactFile("EMAIL ADDRESS\n");
 * validateHeader(header, { activityType: "REMOVE_CONTACTS_FROM_LISTS" }); // []
 * ```
 */
export interface ValidateHeaderOptions {
  /** The requested type: a remove reads only `EMAIL ADDRESS`; a clear or export takes no file. */
  activityType: RequestedActivityType;
}

/**
 * Checks a contact file's header: every name must be a column (an unknown one is named with the
 * nearest valid name), `EMAIL ADDRESS` is required, no column may appear twice. `SUB POSTAL CODE`
 * and, for a remove, every column but `EMAIL ADDRESS` draw a warning (the server ignores them).
 *
 * @param header The header from {@linkcode openContactFile}.
 * @param options The requested activity type.
 * @returns The findings, in header order; an error predicts `400 Bad Request`.
 *
 * @example A typo
 * ```ts
 * import { openContactFile, validateHeader } from "@ctct-bulk/core";
 * const { header } = await openContactFile("EMAIL ADDRESS,FIRST NAM\n");
 * validateHeader(header, { activityType: "SV_ADD" })[0]?.message;
 * // 'Unknown column "FIRST NAM": did you mean "FIRST NAME"?'
 * ```
 */
export function validateHeader(
  header: ContactHeader,
  options: ValidateHeaderOptions,
): Diagnostic[] {
  const { activityType } = options;
  const diagnostics: Diagnostic[] = [];
  if (!ADD_ACTIVITY_TYPES.includes(activityType) && activityType !== "REMOVE_CONTACTS_FROM_LISTS") {
    diagnostics.push({
      severity: "error",
      message: `Unexpected contact file: ${activityType} takes no data`,
      parameter: "data",
    });
    return diagnostics;
  }
  const seen = new Map<ContactColumn, number>();
  let emailInOtherDelimiter = false;
  header.names.forEach((name, index) => {
    const column = header.columns[index];
    if (column === undefined) {
      const joined = columnsJoinedBy(name);
      if (joined?.includes("EMAIL ADDRESS")) emailInOtherDelimiter = true;
      diagnostics.push({
        severity: "error",
        message: describeUnknownColumn(name, index),
        line: 1,
        field: name,
      });
      return;
    }
    const first = seen.get(column);
    if (first !== undefined) {
      diagnostics.push({
        severity: "error",
        message: `Duplicate column "${column}": fields ${first + 1} and ${index + 1} both name it`,
        line: 1,
        field: column,
      });
      return;
    }
    seen.set(column, index);
    if (activityType === "REMOVE_CONTACTS_FROM_LISTS" && column !== "EMAIL ADDRESS")
      diagnostics.push({
        severity: "warning",
        message: `Ignored column "${column}": a remove reads only "EMAIL ADDRESS"`,
        line: 1,
        field: column,
      });
    else if (isIgnoredColumn(column))
      diagnostics.push({
        severity: "warning",
        message: `Ignored column "${column}": it is read-only and the server ignores it`,
        line: 1,
        field: column,
      });
  });
  // "Missing" would contradict the hint that the email column is there, behind another delimiter.
  if (!seen.has("EMAIL ADDRESS") && !emailInOtherDelimiter)
    diagnostics.push({
      severity: "error",
      message: `Missing column "EMAIL ADDRESS": every contact file needs it`,
      line: 1,
      field: "EMAIL ADDRESS",
    });
  return diagnostics;
}

/** The columns of a header field that is several known columns joined by `;` (European CSV). */
function columnsJoinedBy(name: string): ContactColumn[] | undefined {
  if (!name.includes(";")) return undefined;
  const parts = name.split(";").filter((part) => part.trim() !== "");
  const columns = parts.map((part) => findContactColumn(part.trim()));
  return parts.length >= 2 && columns.every((column) => column !== undefined)
    ? (columns as ContactColumn[])
    : undefined;
}

function describeUnknownColumn(name: string, index: number): string {
  if (name.trim() === "") return `Empty column name: field ${index + 1} of the header has none`;
  if (index === 0 && /^sep=.?$/i.test(name.trim()))
    return `Unknown column "${name}": a "sep=" line is a spreadsheet's hint, not a header: remove it, so that the first line names the columns`;
  if (columnsJoinedBy(name) !== undefined)
    return `Unknown column "${name}": the columns look separated by ";": separate them with commas (or tabs in a .TXT file)`;
  if (findExportOptionColumn(name) !== undefined)
    return `Unknown column "${name}": it exists only in export files`;
  const nearest = nearestContactColumn(name);
  return nearest === undefined
    ? `Unknown column "${name}": expected one of ${CONTACT_COLUMNS.map((c) => `"${c}"`).join(", ")}`
    : `Unknown column "${name}": did you mean "${nearest}"?`;
}

// Besides whitespace and "@", no part holds a control character (\p{Cc}), a lone surrogate
// (\p{Cs}: a pair is one character under the u flag) or U+FFFE/U+FFFF: no address has them, and
// XML 1.0 cannot carry them back in an activity's Errors or a members feed (ADR 0114).
const EMAIL_ADDRESS =
  /^[^@\s\p{Cc}\p{Cs}\uFFFE\uFFFF]+@[^@\s.\p{Cc}\p{Cs}\uFFFE\uFFFF]+(?:\.[^@\s.\p{Cc}\p{Cs}\uFFFE\uFFFF]+)+$/u;

/**
 * Whether a text is an email address the server accepts (SPEC §4): one `@`, a non-empty local
 * part, a domain with a dot (no empty label), and no whitespace or control character (ADR 0114).
 *
 * @param text The address, already trimmed.
 * @returns `true` when the server would accept it.
 *
 * @example Valid and invalid
 * ```ts
 * import { isValidEmailAddress } from "@ctct-bulk/core";
 * isValidEmailAddress("wstest3@example.com"); // true
 * isValidEmailAddress("wstest3@localhost"); // false
 * ```
 */
export function isValidEmailAddress(text: string): boolean {
  return EMAIL_ADDRESS.test(text);
}

/**
 * Whether a text is a US or Canadian state, province or territory: its two-letter code or its
 * name, compared without regard to case or spacing.
 *
 * @param text The value of a `STATE` or `STATE/PROVINCE (US/CANADA)` field.
 * @returns `true` for a known code or name.
 *
 * @example A code, a name and the seed's bad value
 * ```ts
 * import { isUsCanadianRegion } from "@ctct-bulk/core";
 * isUsCanadianRegion("ma"); // true
 * isUsCanadianRegion("British Columbia"); // true
 * isUsCanadianRegion("Test2"); // false
 * ```
 */
export function isUsCanadianRegion(text: string): boolean {
  return US_CANADIAN_REGIONS.has(normalize(text));
}

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, " ").toUpperCase();
}

/**
 * Options of {@linkcode validateContactRow}.
 *
 * @example Checking a remove's row
 * ```ts
 * import { openContactFile, validateContactRow } from "@ctct-bulk/core";
 * const { header } = await openContactFile("EMAIL ADDRESS,STATE\n");
 * validateContactRow(header, { line: 2, fields: ["a@x.com", "Nowhere"] }, {
 *   activityType: "REMOVE_CONTACTS_FROM_LISTS",
 * }); // []
 * ```
 */
export interface ValidateContactRowOptions {
  /** A remove reads only `EMAIL ADDRESS`, so its other fields are not checked. */
  activityType?: RequestedActivityType;
}

/**
 * Checks one contact row as the server does, worded like its per-line `Errors`: the email address
 * (`Invalid email address "…"`), a US or Canadian state or province
 * (`Unknown US/Canadian state/prov "…"`: `STATE/PROVINCE (US/CANADA)` always, `STATE` when
 * `COUNTRY` is the US, Canada or empty), and the field count (more fields than the header is an
 * error; fewer is a warning, the missing fields being empty).
 *
 * @param header The file's header.
 * @param row The row.
 * @param options The requested activity type, when it is a remove.
 * @returns The findings, each with the row's line and email address.
 *
 * @example The seed's second contact
 * ```ts
 * import { openContactFile, validateContactRow } from "@ctct-bulk/core";
 * const { header } = await openContactFile("EMAIL ADDRESS,STATE/PROVINCE (US/CANADA)\n");
 * validateContactRow(header, { line: 3, fields: ["test2@test.com", "Test2"] });
 * // [{ severity: "error", message: 'Unknown US/Canadian state/prov "Test2"', line: 3,
 * //    email: "test2@test.com", field: "STATE/PROVINCE (US/CANADA)" }]
 * ```
 */
export function validateContactRow(
  header: ContactHeader,
  row: ContactRow,
  options: ValidateContactRowOptions = {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { columns } = header;
  const { fields, line } = row;
  const emailIndex = columns.indexOf("EMAIL ADDRESS");
  const email = emailIndex < 0 ? undefined : (fields[emailIndex] ?? "");
  const report = (severity: Diagnostic["severity"], message: string, field?: string): void => {
    const diagnostic: Diagnostic = { severity, message, line };
    if (email !== undefined) diagnostic.email = email;
    if (field !== undefined) diagnostic.field = field;
    diagnostics.push(diagnostic);
  };
  if (fields.length > header.names.length)
    report("error", `Too many fields: expected ${header.names.length}, got ${fields.length}`);
  else if (fields.length < header.names.length)
    report(
      "warning",
      `Too few fields: expected ${header.names.length}, got ${fields.length} (the missing ones are empty)`,
    );
  if (email !== undefined && !isValidEmailAddress(email))
    report("error", `Invalid email address "${email}"`, "EMAIL ADDRESS");
  if (options.activityType === "REMOVE_CONTACTS_FROM_LISTS") return diagnostics;
  const value = (column: ContactColumn): string | undefined => {
    const index = columns.indexOf(column);
    return index < 0 ? undefined : fields[index];
  };
  const province = value("STATE/PROVINCE (US/CANADA)");
  if (province !== undefined && province !== "" && !isUsCanadianRegion(province))
    report("error", `Unknown US/Canadian state/prov "${province}"`, "STATE/PROVINCE (US/CANADA)");
  const state = value("STATE");
  const country = value("COUNTRY");
  if (
    state !== undefined &&
    state !== "" &&
    (country === undefined || country === "" || US_CANADIAN_COUNTRIES.has(normalize(country))) &&
    !isUsCanadianRegion(state)
  )
    report("error", `Unknown US/Canadian state/prov "${state}"`, "STATE");
  return diagnostics;
}

/**
 * The 25-contact policy as a warning: `undefined` for a batch of {@linkcode SMALL_BATCH_THRESHOLD}
 * contacts or more, else a warning to be shown by whoever counted the rows.
 *
 * @param rowCount The number of contacts to be sent (in all, not per request).
 * @returns A warning, or `undefined`.
 *
 * @example Three contacts
 * ```ts
 * import { smallBatchWarning } from "@ctct-bulk/core";
 * smallBatchWarning(3)?.message;
 * // "Small batch: 3 contacts, fewer than the 25 this resource is meant for (use the Contacts collection for small sets)"
 * smallBatchWarning(25); // undefined
 * ```
 */
export function smallBatchWarning(rowCount: number): Diagnostic | undefined {
  if (rowCount >= SMALL_BATCH_THRESHOLD) return undefined;
  return {
    severity: "warning",
    message: `Small batch: ${rowCount} ${rowCount === 1 ? "contact" : "contacts"}, fewer than the ${SMALL_BATCH_THRESHOLD} this resource is meant for (use the Contacts collection for small sets)`,
  };
}

/**
 * Checks a whole opened contact file: the header, every row, and the 25-contact policy; a
 * malformed row ({@linkcode ContactFileError}) becomes a last error instead of a throw. Reads the
 * rows as it goes, so memory stays constant.
 *
 * @param table The file from {@linkcode openContactFile} (its rows are consumed).
 * @param options The requested activity type.
 * @returns The findings, in file order, the small-batch warning (if any) last.
 *
 * @example Counting errors
 * ```ts
 * import { openContactFile, validateContactTable } from "@ctct-bulk/core";
 * const table = await openContactFile("EMAIL ADDRESS\nnot-an-address\n");
 * for await (const diagnostic of validateContactTable(table, { activityType: "SV_ADD" }))
 *   console.log(diagnostic.line, diagnostic.message);
 * // 2 Invalid email address "not-an-address"
 * // undefined Small batch: 1 contact, fewer than the 25 …
 * ```
 */
export async function* validateContactTable(
  table: ContactTable,
  options: ValidateHeaderOptions,
): AsyncGenerator<Diagnostic, void, undefined> {
  yield* validateHeader(table.header, options);
  let rowCount = 0;
  try {
    for await (const row of table.rows) {
      rowCount++;
      yield* validateContactRow(table.header, row, options);
    }
  } catch (error) {
    if (!ContactFileError.isInstance(error)) throw error;
    const diagnostic: Diagnostic = { severity: "error", message: error.message, line: error.line };
    if (error.field !== undefined) diagnostic.field = error.field;
    yield diagnostic;
    return;
  }
  const warning = smallBatchWarning(rowCount);
  if (warning !== undefined) yield warning;
}
