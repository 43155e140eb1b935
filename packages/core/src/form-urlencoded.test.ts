import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FormBodyError } from "./form-body-error.ts";
import {
  decodeFormBody,
  encodeFormBody,
  encodeFormBodyBytes,
  encodeFormComponent,
  encodeFormComponentBytes,
  type FormParams,
  formEncodedLength,
} from "./form-urlencoded.ts";

const LIST_2 = "http://api.constantcontact.com/ws/customers/joesflowers/lists/2";
const LIST_5 = "http://api.constantcontact.com/ws/customers/joesflowers/lists/5";

// Seed 001, joined: the page's line breaks are layout, not bytes.
const SEED_ADD_BODY =
  "activityType=SV_ADD&data=EMAIL+ADDRESS%2CFIRST+NAME%2CLAST+NAME%0A" +
  "wstest3%40example.com%2C+Fred%2C+Test%0Awstest4%40example.com%2C+Joan%2C+Test%0A" +
  "wstest5%40example.com%2C+Ann%2C+Test" +
  "&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2" +
  "&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F5";
const SEED_ADD_PARAMS: FormParams = [
  ["activityType", "SV_ADD"],
  [
    "data",
    "EMAIL ADDRESS,FIRST NAME,LAST NAME\nwstest3@example.com, Fred, Test\n" +
      "wstest4@example.com, Joan, Test\nwstest5@example.com, Ann, Test",
  ],
  ["lists", LIST_2],
  ["lists", LIST_5],
];
// Seed 000's export example, joined.
const SEED_EXPORT_BODY =
  "activityType=EXPORT_CONTACTS&fileType=CSV&exportOptDate=true&exportOptSource=true" +
  "&exportListName=true&sortBy=DATE_DESC" +
  "&columns=EMAIL%20ADDRESS&columns=FIRST%20NAME&columns=LAST%20NAME" +
  "&listId=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2";

/** Any text, astral characters included, with the characters that matter here made frequent. */
const anyText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.constantFrom("\r", "\n", "\r\n", "+", "%", "&", "=", " ", ",") },
    { weight: 1, arbitrary: fc.constantFrom("é", "€", "😀", "\u{10FFFF}", "\0", "*", "~") },
  ),
});
const anyParams = fc.array(fc.tuple(anyText, anyText), { maxLength: 6 });

describe("encodeFormBody()", () => {
  it("encodes the seed's three contacts and two lists to the seed's exact bytes", () => {
    expect(encodeFormBody(SEED_ADD_PARAMS)).toBe(SEED_ADD_BODY);
    expect(new TextDecoder().decode(encodeFormBodyBytes(SEED_ADD_PARAMS))).toBe(SEED_ADD_BODY);
  });

  it("writes the seed's quoted example value as the seed's escapes, with + for the space", () => {
    // The seed writes %20 here; + is the same byte once decoded, and what an HTML form sends.
    expect(encodeFormComponent('"Boston, MA"')).toBe("%22Boston%2C+MA%22");
    expect(decodeFormBody("city=%22Boston%2C%20MA%22")).toEqual([["city", '"Boston, MA"']]);
  });

  it("keeps letters, digits and *-._ literal and escapes every other byte in upper-case hex", () => {
    expect(encodeFormComponent("aZ09*-._")).toBe("aZ09*-._");
    expect(encodeFormComponent("!'()~ @\t")).toBe("%21%27%28%29%7E+%40%09");
    expect(encodeFormComponent("\r\n")).toBe("%0D%0A");
    expect(encodeFormComponent("é€😀")).toBe("%C3%A9%E2%82%AC%F0%9F%98%80");
  });

  it("writes a lone surrogate as U+FFFD, as TextEncoder does", () => {
    expect(encodeFormComponent("a\uD800b")).toBe("a%EF%BF%BDb");
    expect(encodeFormComponent("\uDC00")).toBe("%EF%BF%BD");
  });

  it("gives the same bytes as URLSearchParams, the HTML form serializer, for any params", () => {
    fc.assert(
      fc.property(anyParams, (params) => {
        const expected = new URLSearchParams(params.map(([n, v]) => [n, v])).toString();
        expect(encodeFormBody(params)).toBe(expected);
      }),
    );
  });

  it("takes pre-encoded values as they are", () => {
    const encoded = encodeFormComponentBytes(SEED_ADD_PARAMS[1]![1]);
    const parts = SEED_ADD_PARAMS.map(([name, value]) =>
      name === "data" ? ([name, { encoded }] as const) : ([name, value] as const),
    );
    expect(new TextDecoder().decode(encodeFormBodyBytes(parts))).toBe(SEED_ADD_BODY);
  });

  it("encodes no params as an empty body", () => {
    expect(encodeFormBody([])).toBe("");
  });
});

describe("formEncodedLength()", () => {
  it("equals the length of the encoded bytes for any text", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(formEncodedLength(text)).toBe(encodeFormComponentBytes(text).length);
      }),
    );
  });
});

describe("decodeFormBody()", () => {
  it("decodes the seed's add body to its parameters", () => {
    expect(decodeFormBody(SEED_ADD_BODY)).toEqual(SEED_ADD_PARAMS);
  });

  it("decodes the seed's export body, which writes spaces as %20", () => {
    expect(decodeFormBody(SEED_EXPORT_BODY)).toEqual([
      ["activityType", "EXPORT_CONTACTS"],
      ["fileType", "CSV"],
      ["exportOptDate", "true"],
      ["exportOptSource", "true"],
      ["exportListName", "true"],
      ["sortBy", "DATE_DESC"],
      ["columns", "EMAIL ADDRESS"],
      ["columns", "FIRST NAME"],
      ["columns", "LAST NAME"],
      ["listId", LIST_2],
    ]);
  });

  it("accepts lower-case hex, CR LF line breaks and bytes as well as text", () => {
    const body = "data=a%2cb%0D%0Ac%c3%a9";
    expect(decodeFormBody(body)).toEqual([["data", "a,b\r\ncé"]]);
    expect(decodeFormBody(new TextEncoder().encode(body))).toEqual([["data", "a,b\r\ncé"]]);
  });

  it("reads a name without = as an empty value and skips empty pairs", () => {
    expect(decodeFormBody("a&&b=&=c&")).toEqual([
      ["a", ""],
      ["b", ""],
      ["", "c"],
    ]);
  });

  it("keeps an = inside a value", () => {
    expect(decodeFormBody("a=b=c")).toEqual([["a", "b=c"]]);
  });

  it("refuses a malformed escape with an error naming the parameter and the offset", () => {
    const error = catchError(() => decodeFormBody("activityType=SV_ADD&data=ab%2Gcd"));
    expect(FormBodyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ parameter: "data", offset: 27 });
    expect((error as Error).message).toBe(
      'Malformed percent escape "%2G" in parameter "data": expected "%" and two hexadecimal digits',
    );
    expect(catchError(() => decodeFormBody("lists=x%"))).toMatchObject({ parameter: "lists" });
    expect(catchError(() => decodeFormBody("li%zts=x"))).toMatchObject({ parameter: "li%zts" });
  });

  it("refuses escaped bytes that are not UTF-8, naming the parameter", () => {
    const error = catchError(() => decodeFormBody("data=caf%E9"));
    expect(error).toBeInstanceOf(FormBodyError);
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toBe(
      'Invalid UTF-8 in parameter "data": the escaped bytes "%E9" are not UTF-8 text',
    );
  });

  it("gives back any params it encoded: decode(encode(x)) = x", () => {
    fc.assert(
      fc.property(anyParams, (params) => {
        expect(decodeFormBody(encodeFormBody(params))).toEqual(params);
      }),
    );
  });

  it("decodes what URLSearchParams decodes for any well-formed body", () => {
    fc.assert(
      fc.property(anyParams, fc.boolean(), (params, lowerCase) => {
        let body = encodeFormBody(params).replaceAll("+", "%20");
        if (lowerCase) body = body.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
        expect(decodeFormBody(body)).toEqual([...new URLSearchParams(body)]);
      }),
    );
  });

  it("gives params or a FormBodyError for any text, never another error", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("%", "a", "F", "0", "+", "&", "=", "é", "C3", "E9") }),
        (body) => {
          try {
            decodeFormBody(body);
          } catch (error) {
            expect(FormBodyError.isInstance(error)).toBe(true);
          }
        },
      ),
    );
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("Expected an error");
}
