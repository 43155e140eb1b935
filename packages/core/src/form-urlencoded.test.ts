import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatContactLine } from "./contact-file.ts";
import { FormBodyError } from "./form-body-error.ts";
import {
  decodeFormBody,
  encodeFormBody,
  encodeFormBodyBytes,
  encodeFormComponent,
  encodeFormComponentBytes,
  type FormParams,
  formEncodedLength,
  maxFormEncodedLineLength,
  writeFormEncodedContactLine,
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

describe("encodeFormComponentBytes()", () => {
  it("gives URLSearchParams' bytes for texts of growing and shrinking sizes (its buffers are reused)", () => {
    // The reused buffers grow with the text: a long text after short ones, then short ones after
    // it, must all come out whole and unaffected by what was encoded before.
    const unit = "a é,😀+\n\uD800%";
    for (const repeat of [1, 3, 1000, 2, 70_000, 5, 0]) {
      const text = unit.repeat(repeat);
      const expected = new URLSearchParams([["", text]]).toString().slice(1);
      expect(new TextDecoder().decode(encodeFormComponentBytes(text))).toBe(expected);
    }
  });

  it("encodes a text too large for its reused buffers the same way", () => {
    // 2 million units may take 18 MB once encoded: past the 16 MB kept, so measured first.
    const text = "é".repeat(1_000_000) + "a b".repeat(333_334);
    const bytes = encodeFormComponentBytes(text);
    expect(bytes.length).toBe(formEncodedLength(text));
    expect(new TextDecoder().decode(bytes)).toBe(
      new URLSearchParams([["", text]]).toString().slice(1),
    );
  });
});

/** Any field, with what makes the line writer quote made frequent. */
const anyField = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.constantFrom(",", "\t", '"', "\r", "\n", "\r\n", " ", "a", "@") },
    { weight: 1, arbitrary: fc.constantFrom("\u00a0", "\u2028", "\u3000", "\ufeff", "\v", "\0") },
    { weight: 1, arbitrary: fc.constantFrom("é", "😀", "\uD800", "\uDC00", "\u0085", "\u180e") },
  ),
  maxLength: 10,
});

describe("writeFormEncodedContactLine()", () => {
  /** The line written at offset 5 of a buffer of the documented size, as text, and its breaks. */
  function written(fields: string[], delimiter: "," | "\t"): { text: string; breaks: number } {
    const units = fields.reduce((total, field) => total + field.length, 0);
    const out = new Uint8Array(5 + maxFormEncodedLineLength(fields.length, units));
    const lines = { breaks: 0 };
    const end = writeFormEncodedContactLine(fields, delimiter.charCodeAt(0), out, 5, lines);
    return { text: new TextDecoder("latin1").decode(out.subarray(5, end)), breaks: lines.breaks };
  }

  it("writes formatContactLine()'s line form-encoded and counts its line breaks, for any fields", () => {
    fc.assert(
      fc.property(
        fc.array(anyField, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(",", "\t") as fc.Arbitrary<"," | "\t">,
        (fields, delimiter) => {
          const line = formatContactLine(fields, delimiter);
          const { text, breaks } = written(fields, delimiter);
          return (
            text === encodeFormComponent(line) && breaks === line.split(/\r\n|\r|\n/).length - 1
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("quotes a field starting or ending with exactly what \\s matches, for every UTF-16 unit", () => {
    const differ: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      for (const field of [`${char}x`, `x${char}`]) {
        if (
          written([field, "y"], ",").text !== encodeFormComponent(formatContactLine([field, "y"]))
        )
          differ.push(code);
      }
    }
    expect(differ).toEqual([]);
  });

  it("writes the seed's rows and a quoted field as the seed's bytes", () => {
    expect(written(["wstest3@example.com", "Fred", "Test"], ",").text).toBe(
      "wstest3%40example.com%2CFred%2CTest",
    );
    expect(written(["a@example.com", "Boston, MA", 'Joe "JJ"', "two\r\nlines\n"], ",")).toEqual({
      text: "a%40example.com%2C%22Boston%2C+MA%22%2C%22Joe+%22%22JJ%22%22%22%2C%22two%0D%0Alines%0A%22",
      breaks: 2,
    });
    expect(written([""], "\t").text).toBe("%22%22");
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

  it("decodes escapes in the charset the content type declares (an HTML form in ISO-8859-1)", () => {
    const body = "data=Ren%E9+M%FCller%2C%A3%0A&na%EFve=%80";
    expect(decodeFormBody(body, { charset: "ISO-8859-1" })).toEqual([
      ["data", "René Müller,£\n"],
      ["naïve", "€"], // windows-1252, as the Encoding Standard reads the ISO-8859-1 label
    ]);
    expect(decodeFormBody(new TextEncoder().encode(body), { charset: "windows-1252" })).toEqual(
      decodeFormBody(body, { charset: "latin1" }),
    );
    // UTF-8 named in any spelling is the default path, with its checks.
    expect(decodeFormBody("a=%C3%A9", { charset: "UTF8" })).toEqual([["a", "é"]]);
    expect(() => decodeFormBody("a=%E9", { charset: "utf-8" })).toThrow(FormBodyError);
    expect(() => decodeFormBody("a=%E9%ZZ", { charset: "ISO-8859-1" })).toThrow(
      'Malformed percent escape "%ZZ" in parameter "a"',
    );
    expect(() => decodeFormBody("a=%81", { charset: "shift_jis" })).toThrow(
      'Invalid shift_jis in parameter "a": the escaped bytes "%81" are not shift_jis text',
    );
    expect(() => decodeFormBody("a=1", { charset: "x-nope" })).toThrow(
      new RangeError('Unknown charset "x-nope"'),
    );
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
