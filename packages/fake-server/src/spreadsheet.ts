import * as XLSX from "xlsx";

const XLS_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

/**
 * Whether an uploaded file is an Excel workbook (.xls or .xlsx): by its name, its content type or
 * its first bytes (an OLE2 compound file, or a ZIP archive).
 *
 * @param file The uploaded part.
 * @returns `true` for a workbook.
 */
export function isSpreadsheet(file: {
  fileName: string;
  contentType: string;
  data: Uint8Array;
}): boolean {
  const name = file.fileName.toLowerCase();
  const type = file.contentType.toLowerCase();
  if (name.endsWith(".xls") || name.endsWith(".xlsx")) return true;
  if (type.includes("ms-excel") || type.includes("spreadsheetml")) return true;
  // A contact file never starts like a ZIP archive; an .xlsx sent under another name does.
  return startsWith(file.data, XLS_MAGIC) || startsWith(file.data, ZIP_MAGIC);
}

/**
 * Converts the first sheet of a workbook to CSV text (the cells' displayed text), so that it takes
 * the same path as an uploaded CSV file. A blank row after the header stays, as a line of empty
 * cells that the reader skips but counts, so that a refused row's `LineNumber` is its row in the
 * sheet (from the header on), as `ctct-bulk validate` reports it; blank rows before the header are
 * left out, the header being line 1 (ADR 0155).
 *
 * @param data The workbook's bytes.
 * @param fileName Its name, for the error message.
 * @returns The CSV text, LF line breaks.
 * @throws {SyntaxError} When the bytes are no workbook the spreadsheet library can read.
 */
export function spreadsheetToCsv(data: Uint8Array, fileName: string): string {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(data, { type: "array", dense: true });
  } catch (error) {
    throw new SyntaxError(`Unreadable spreadsheet "${fileName}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  const first = workbook.SheetNames[0];
  const sheet = first === undefined ? undefined : workbook.Sheets[first];
  if (sheet === undefined)
    throw new SyntaxError(`Unreadable spreadsheet "${fileName}": it has no sheet`);
  return XLSX.utils
    .sheet_to_csv(sheet, { FS: ",", RS: "\n", blankrows: true })
    .replace(/^(?:,*\n)+/, "");
}
