import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ActivityRequest,
  ADD_REQUEST_TYPES,
  activityRequestFile,
  activityRequestParams,
  EXPORT_FILE_TYPES,
  EXPORT_SORT_ORDERS,
  encodeActivityRequest,
  parseActivityRequest,
  validateActivityRequest,
} from "./activity-request.ts";
import { ActivityRequestError } from "./activity-request-error.ts";
import { CONTACT_COLUMNS } from "./columns.ts";
import { decodeFormBody, encodeFormBody, type FormParams } from "./form-urlencoded.ts";
import { decodeMultipartBody } from "./multipart.ts";

const ROOT = "http://api.constantcontact.com/ws/customers/joesflowers/lists";
const LIST_2 = `${ROOT}/2`;
const LIST_5 = `${ROOT}/5`;
const SEED_DATA =
  "EMAIL ADDRESS,FIRST NAME,LAST NAME\nwstest3@example.com, Fred, Test\n" +
  "wstest4@example.com, Joan, Test\nwstest5@example.com, Ann, Test";
const SEED_ADD_BODY =
  "activityType=SV_ADD&data=EMAIL+ADDRESS%2CFIRST+NAME%2CLAST+NAME%0A" +
  "wstest3%40example.com%2C+Fred%2C+Test%0Awstest4%40example.com%2C+Joan%2C+Test%0A" +
  "wstest5%40example.com%2C+Ann%2C+Test" +
  "&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2" +
  "&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F5";
const SEED_EXPORT_BODY =
  "activityType=EXPORT_CONTACTS&fileType=CSV&exportOptDate=true&exportOptSource=true" +
  "&exportListName=true&sortBy=DATE_DESC" +
  "&columns=EMAIL%20ADDRESS&columns=FIRST%20NAME&columns=LAST%20NAME" +
  "&listId=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2";
const SEED_CLEAR_BODY =
  "activityType=CLEAR_CONTACTS_FROM_LISTS" +
  "&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2" +
  "&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F5";
const SEED_EXPORT: ActivityRequest = {
  kind: "export",
  listId: LIST_2,
  fileType: "CSV",
  columns: ["EMAIL ADDRESS", "FIRST NAME", "LAST NAME"],
  sortBy: "DATE_DESC",
  exportOptDate: true,
  exportOptSource: true,
  exportListName: true,
};

function parseError(params: FormParams): ActivityRequestError {
  try {
    parseActivityRequest(params);
  } catch (error) {
    if (ActivityRequestError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("Expected an ActivityRequestError");
}

describe("activityRequestParams()", () => {
  it("gives the seed's add body, byte for byte, once encoded", () => {
    const params = activityRequestParams({
      kind: "add",
      activityType: "SV_ADD",
      data: SEED_DATA,
      lists: [LIST_2, LIST_5],
    });
    expect(encodeFormBody(params)).toBe(SEED_ADD_BODY);
  });

  it("gives the seed's export and clear parameters in the seed's order", () => {
    expect(activityRequestParams(SEED_EXPORT)).toEqual(decodeFormBody(SEED_EXPORT_BODY));
    expect(activityRequestParams({ kind: "clear", lists: [LIST_2, LIST_5] })).toEqual(
      decodeFormBody(SEED_CLEAR_BODY),
    );
  });

  it("fills an export's defaults and writes columns by their canonical names", () => {
    expect(
      activityRequestParams({ kind: "export", listId: LIST_2, fileType: "TXT", columns: ["city"] }),
    ).toEqual([
      ["activityType", "EXPORT_CONTACTS"],
      ["fileType", "TXT"],
      ["exportOptDate", "false"],
      ["exportOptSource", "false"],
      ["exportListName", "false"],
      ["sortBy", "EMAIL_ADDRESS"],
      ["columns", "CITY"],
      ["listId", LIST_2],
    ]);
  });

  it("leaves an uploaded file out of the parameters and puts it in the dataFile part", () => {
    const request: ActivityRequest = {
      kind: "remove",
      lists: [LIST_2],
      file: { fileName: "gone.TXT", data: "EMAIL ADDRESS\na@example.com" },
    };
    expect(activityRequestParams(request)).toEqual([
      ["activityType", "REMOVE_CONTACTS_FROM_LISTS"],
      ["lists", LIST_2],
    ]);
    expect(activityRequestFile(request)).toEqual({
      field: "dataFile",
      fileName: "gone.TXT",
      contentType: "text/plain",
      data: "EMAIL ADDRESS\na@example.com",
    });
  });
});

describe("parseActivityRequest()", () => {
  it("reads the seed's three bodies", () => {
    expect(parseActivityRequest(decodeFormBody(SEED_ADD_BODY))).toEqual({
      kind: "add",
      activityType: "SV_ADD",
      data: SEED_DATA,
      lists: [LIST_2, LIST_5],
    });
    expect(parseActivityRequest(decodeFormBody(SEED_EXPORT_BODY))).toEqual(SEED_EXPORT);
    expect(parseActivityRequest(decodeFormBody(SEED_CLEAR_BODY))).toEqual({
      kind: "clear",
      lists: [LIST_2, LIST_5],
    });
  });

  it("gives back any valid request from its parameters", () => {
    const list = fc.constantFrom(LIST_2, LIST_5, `${ROOT}/77`);
    const lists = fc.uniqueArray(list, { minLength: 1 });
    const data = fc.string({ minLength: 1 }).filter((text) => text.trim() !== "");
    const request: fc.Arbitrary<ActivityRequest> = fc.oneof(
      fc.record({
        kind: fc.constant("add" as const),
        activityType: fc.constantFrom(...ADD_REQUEST_TYPES),
        data,
        lists,
      }),
      fc.record({ kind: fc.constant("remove" as const), data, lists }),
      fc.record({ kind: fc.constant("clear" as const), lists }),
      fc.record({
        kind: fc.constant("export" as const),
        listId: fc.constantFrom(LIST_2, `${ROOT}/do-not-mail`),
        fileType: fc.constantFrom(...EXPORT_FILE_TYPES),
        columns: fc.uniqueArray(fc.constantFrom(...CONTACT_COLUMNS)),
        sortBy: fc.constantFrom(...EXPORT_SORT_ORDERS),
        exportOptDate: fc.boolean(),
        exportOptSource: fc.boolean(),
        exportListName: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(request, (value) => {
        const body = encodeFormBody(activityRequestParams(value));
        expect(parseActivityRequest(decodeFormBody(body))).toEqual(value);
        expect(validateActivityRequest(value)).toEqual([]);
      }),
    );
  });

  it("reads a multipart upload from its dataFile part", async () => {
    const request: ActivityRequest = {
      kind: "add",
      activityType: "ADD_CONTACT_DETAIL",
      lists: [LIST_2],
      file: { fileName: "Société.csv", data: "EMAIL ADDRESS,CITY\r\na@example.com,Montréal\r\n" },
    };
    const { body, contentType } = encodeActivityRequest(request, { boundary: "ctct-bulk-42" });
    const { params, files } = await decodeMultipartBody(body, contentType);
    expect(parseActivityRequest(params, { files })).toEqual({
      ...request,
      file: {
        fileName: "Société.csv",
        contentType: "text/csv",
        data: new TextEncoder().encode("EMAIL ADDRESS,CITY\r\na@example.com,Montréal\r\n"),
      },
    });
  });

  it("refuses an unknown or missing activityType, naming the types it takes", () => {
    const unknown = parseError([
      ["activityType", "SV_DELETE"],
      ["lists", LIST_2],
    ]);
    expect(unknown).toBeInstanceOf(TypeError);
    expect(unknown.parameter).toBe("activityType");
    expect(unknown.message).toBe(
      'Unknown activityType "SV_DELETE": expected one of SV_ADD, ADD_CONTACTS, ADD_CONTACT_DETAIL, REMOVE_CONTACTS_FROM_LISTS, CLEAR_CONTACTS_FROM_LISTS, EXPORT_CONTACTS',
    );
    expect(parseError([["lists", LIST_2]]).message).toMatch(
      /^Missing parameter "activityType": expected one of SV_ADD/,
    );
  });

  it("refuses missing lists, listId and data", () => {
    expect(parseError([["activityType", "CLEAR_CONTACTS_FROM_LISTS"]])).toMatchObject({
      parameter: "lists",
      message: 'Missing parameter "lists": expected one or more list URIs',
    });
    expect(parseError([["activityType", "EXPORT_CONTACTS"]])).toMatchObject({
      parameter: "listId",
      message: 'Missing parameter "listId": expected the URI of the list to export',
    });
    expect(
      parseError([
        ["activityType", "SV_ADD"],
        ["lists", LIST_2],
      ]),
    ).toMatchObject({
      parameter: "data",
      message:
        'Missing parameter "data": expected the contacts as "data" or as the file "dataFile"',
    });
  });

  it("refuses a malformed list URI, naming it", () => {
    expect(
      parseError([
        ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
        ["lists", "http://api.constantcontact.com/ws/customers/joesflowers/list/2"],
      ]),
    ).toMatchObject({
      parameter: "lists",
      message:
        'Invalid list URI "http://api.constantcontact.com/ws/customers/joesflowers/list/2" in parameter "lists": expected http://api.constantcontact.com/ws/customers/{username}/lists/{id}',
    });
  });

  it("refuses to clear a named list", () => {
    expect(
      parseError([
        ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
        ["lists", LIST_2],
        ["lists", `${ROOT}/active`],
      ]).message,
    ).toBe(
      `List "${ROOT}/active" cannot be cleared: the named lists (Do-Not-Mail, Removed, Awaiting Confirmation, All, Active) cannot be cleared`,
    );
  });

  it("refuses adds and removes that name a system list (ADR 0032), but exports them", () => {
    for (const type of ["SV_ADD", "REMOVE_CONTACTS_FROM_LISTS"]) {
      const error = parseError([
        ["activityType", type],
        ["data", "EMAIL ADDRESS\na@example.com"],
        ["lists", LIST_2],
        ["lists", `${ROOT}/do-not-mail`],
      ]);
      expect(error.message).toBe(
        `Invalid list "${ROOT}/do-not-mail" for ${type === "SV_ADD" ? "an add" : "a remove"}: "do-not-mail" is a system list; contacts are added to or removed from numbered lists, not system lists`,
      );
      expect(error.parameter).toBe("lists");
    }
    expect(validateActivityRequest({ ...SEED_EXPORT, listId: `${ROOT}/do-not-mail` })).toEqual([]);
  });

  it("refuses an unknown export column, suggesting the nearest, and accepts any case", () => {
    const base: [string, string][] = [
      ["activityType", "EXPORT_CONTACTS"],
      ["listId", LIST_2],
    ];
    expect(parseError([...base, ["columns", "FIRST NAM"]])).toMatchObject({
      parameter: "columns",
      message: 'Unknown column "FIRST NAM" in parameter "columns": did you mean "FIRST NAME"?',
    });
    expect(parseError([...base, ["columns", "LIST NAME"]]).message).toBe(
      'Unknown column "LIST NAME" in parameter "columns": it is an export option: set exportListName instead',
    );
    const request = parseActivityRequest([...base, ["columns", "first name, City"]]);
    expect(request).toMatchObject({ columns: ["FIRST NAME", "CITY"], fileType: "CSV" });
  });

  it("refuses values out of range and repeated single parameters", () => {
    const base: [string, string][] = [
      ["activityType", "EXPORT_CONTACTS"],
      ["listId", LIST_2],
    ];
    expect(parseError([...base, ["fileType", "XLS"]]).message).toBe(
      'Invalid fileType "XLS": expected CSV or TXT',
    );
    expect(parseError([...base, ["sortBy", "DATE_ASC"]]).message).toBe(
      'Invalid sortBy "DATE_ASC": expected EMAIL_ADDRESS or DATE_DESC',
    );
    expect(parseError([...base, ["exportOptDate", "yes"]]).message).toBe(
      'Invalid exportOptDate "yes": expected true or false',
    );
    expect(parseError([...base, ["listId", LIST_5]]).message).toBe(
      'Repeated parameter "listId": expected one value, got 2',
    );
  });

  it("refuses a parameter of another activity but ignores unknown ones", () => {
    expect(
      parseError([
        ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
        ["lists", LIST_2],
        ["data", "EMAIL ADDRESS"],
      ]),
    ).toMatchObject({
      parameter: "data",
      message:
        'Unexpected parameter "data" for CLEAR_CONTACTS_FROM_LISTS: expected only activityType, lists',
    });
    expect(
      parseActivityRequest([
        ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
        ["lists", LIST_2],
        ["cacheBuster", "1"],
      ]),
    ).toEqual({ kind: "clear", lists: [LIST_2] });
  });

  it("cuts a long value in its message so that the 400 body stays short", () => {
    const error = parseError([["activityType", "X".repeat(5000)]]);
    expect(error.message).toMatch(/^Unknown activityType "X{100}…": expected one of /);
    expect(error.message.length).toBeLessThan(300);
  });

  it("says an empty data is an empty contact file, not a missing parameter", () => {
    expect(
      parseError([
        ["activityType", "SV_ADD"],
        ["data", ""],
        ["lists", LIST_2],
      ]),
    ).toMatchObject({
      parameter: "data",
      message: 'Empty contact file in parameter "data": expected a header line naming the columns',
    });
  });

  it("refuses a dataFile sent as a text parameter (urlencoded), saying where the file goes", () => {
    expect(
      parseError([
        ["activityType", "SV_ADD"],
        ["dataFile", "EMAIL ADDRESS\na@example.com"],
        ["lists", LIST_2],
      ]),
    ).toMatchObject({
      parameter: "dataFile",
      message:
        'Invalid parameter "dataFile": expected a file part of a multipart/form-data body; in an urlencoded body, send the contacts as "data"',
    });
  });

  it("reads an HTML form's empty field as absent: an empty data beside a file, an unchosen file beside data", () => {
    const file = (fileName: string, data: string) => ({
      field: "dataFile",
      fileName,
      contentType: "application/octet-stream",
      data: new TextEncoder().encode(data),
    });
    const withFile = parseActivityRequest(
      [
        ["activityType", "SV_ADD"],
        ["data", ""],
        ["lists", LIST_2],
      ],
      { files: [file("c.csv", "EMAIL ADDRESS\na@example.com")] },
    );
    expect(withFile).toMatchObject({ kind: "add", file: { fileName: "c.csv" } });
    expect("data" in withFile).toBe(false);
    // No file chosen: the browser sends the part with filename="" and no bytes.
    const withData = parseActivityRequest(
      [
        ["activityType", "SV_ADD"],
        ["data", "EMAIL ADDRESS\na@example.com"],
        ["lists", LIST_2],
      ],
      { files: [file("", "")] },
    );
    expect(withData).toMatchObject({ kind: "add", data: "EMAIL ADDRESS\na@example.com" });
    expect("file" in withData).toBe(false);
  });

  it("refuses data and dataFile together", () => {
    const error = (() => {
      try {
        parseActivityRequest(
          [
            ["activityType", "SV_ADD"],
            ["data", "EMAIL ADDRESS"],
            ["lists", LIST_2],
          ],
          {
            files: [
              {
                field: "dataFile",
                fileName: "a.csv",
                contentType: "text/csv",
                data: new Uint8Array(1),
              },
            ],
          },
        );
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ name: "ActivityRequestError", parameter: "data" });
  });
});

describe("validateActivityRequest()", () => {
  it("finds every problem of a request, with its parameter", () => {
    const request = {
      kind: "export",
      listId: "lists/2",
      fileType: "XLS",
      columns: ["CITY", "city", "FIRST NAM"],
      sortBy: "EMAIL_ADDRESS",
      data: "oops",
    } as unknown as ActivityRequest;
    expect(
      validateActivityRequest(request).map((d) => [d.severity, d.parameter, d.message]),
    ).toEqual([
      [
        "error",
        "data",
        'Unexpected parameter "data" for EXPORT_CONTACTS: expected only listId, fileType, columns, sortBy, exportOptDate, exportOptSource, exportListName',
      ],
      [
        "error",
        "listId",
        'Invalid list URI "lists/2" in parameter "listId": expected http://api.constantcontact.com/ws/customers/{username}/lists/{id}',
      ],
      ["error", "fileType", 'Invalid fileType "XLS": expected CSV or TXT'],
      ["warning", "columns", 'Repeated column "CITY" in parameter "columns": it is exported once'],
      [
        "error",
        "columns",
        'Unknown column "FIRST NAM" in parameter "columns": did you mean "FIRST NAME"?',
      ],
    ]);
  });

  it("checks the add type and that the contacts come once", () => {
    const request = {
      kind: "add",
      activityType: "REMOVE_CONTACTS_FROM_LISTS",
      data: "EMAIL ADDRESS",
      file: { fileName: "a.csv", data: "" },
      lists: [LIST_2, LIST_2],
    } as unknown as ActivityRequest;
    expect(validateActivityRequest(request).map((d) => [d.severity, d.parameter])).toEqual([
      ["error", "activityType"],
      ["error", "data"],
      ["warning", "lists"],
    ]);
  });

  it("says an unknown kind is an error rather than throwing", () => {
    expect(validateActivityRequest({ kind: "delete" } as unknown as ActivityRequest)).toEqual([
      {
        severity: "error",
        message: 'Unknown request kind "delete": expected add, remove, clear or export',
        parameter: "activityType",
      },
    ]);
  });
});

describe("encodeActivityRequest()", () => {
  it("needs a boundary for a file and gives urlencoded bytes otherwise", () => {
    expect(() =>
      encodeActivityRequest({
        kind: "add",
        activityType: "SV_ADD",
        lists: [LIST_2],
        file: { fileName: "a.xls", data: new Uint8Array([0xd0, 0xcf]) },
      }),
    ).toThrow('Missing multipart boundary: the request uploads the file "a.xls"');
    const { body, contentType } = encodeActivityRequest({
      kind: "add",
      activityType: "SV_ADD",
      data: SEED_DATA,
      lists: [LIST_2, LIST_5],
    });
    expect(contentType).toBe("application/x-www-form-urlencoded");
    expect(new TextDecoder().decode(body)).toBe(SEED_ADD_BODY);
  });
});
