import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FormBodyError } from "./form-body-error.ts";
import {
  createMultipartBoundary,
  decodeMultipartBody,
  encodeMultipartBody,
  type MultipartFile,
  multipartContentType,
  toFormData,
} from "./multipart.ts";

const LIST_2 = "http://api.constantcontact.com/ws/customers/joesflowers/lists/2";
const CSV = "EMAIL ADDRESS,FIRST NAME\r\nwstest3@example.com,Fred\r\n";
const FILE: MultipartFile = {
  field: "dataFile",
  fileName: "contacts.csv",
  contentType: "text/csv",
  data: CSV,
};
const text = new TextDecoder();

/** Text without "%" (a name holding "%22" does not survive the trip, as in browsers). */
const headerText = fc.string({
  unit: fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => c !== "%"),
    fc.constantFrom('"', "\r", "\n", "\r\n", ";", "=", "é", "😀", " ", "\t", "\\", "filename="),
  ),
});
const valueText = fc.string({
  unit: fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.constantFrom("\r\n", "\r", "\n", "--", "-", '"', "%22"),
  ),
});
const boundaryText = fc
  .string({
    unit: fc.constantFrom(..."0123456789abcXYZ'()+_,-./:=? "),
    minLength: 1,
    maxLength: 70,
  })
  .filter((b) => !b.endsWith(" "));

describe("encodeMultipartBody()", () => {
  it("writes the parameters, then the file in its part with file name and type", () => {
    const body = encodeMultipartBody([["activityType", "SV_ADD"]], FILE, "XyZ");
    expect(text.decode(body)).toBe(
      '--XyZ\r\nContent-Disposition: form-data; name="activityType"\r\n\r\nSV_ADD\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="dataFile"; filename="contacts.csv"\r\n' +
        `Content-Type: text/csv\r\n\r\n${CSV}\r\n--XyZ--\r\n`,
    );
  });

  it("writes the same bytes as the platform's FormData for the same boundary", async () => {
    // A browser turns lone CR or LF in names and text values into CR LF; we keep them as they are.
    const loneBreak = /\r(?!\n)|(?<!\r)\n/;
    const crlfName = headerText.filter((name) => !loneBreak.test(name));
    const crlfValue = valueText.filter((value) => !loneBreak.test(value));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(crlfName, crlfValue), { maxLength: 4 }),
        headerText,
        valueText,
        async (params, fileName, data) => {
          // Node's FormData leaves out filename="" (the HTML standard keeps it, and so do we).
          fc.pre(fileName !== "");
          const file = { field: "dataFile", fileName, contentType: "text/plain", data };
          const request = new Request("http://fake.ctct.test/", {
            method: "POST",
            body: toFormData(params, file),
          });
          const contentType = request.headers.get("content-type")!;
          const boundary = /boundary=(.+)$/.exec(contentType)![1]!;
          const platform = new Uint8Array(await request.arrayBuffer());
          expect(text.decode(encodeMultipartBody(params, file, boundary))).toBe(
            text.decode(platform),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it("refuses a boundary that is not RFC 2046's or that occurs in the content", () => {
    expect(() => encodeMultipartBody([], FILE, "")).toThrow(TypeError);
    expect(() => encodeMultipartBody([], FILE, "a".repeat(71))).toThrow(TypeError);
    expect(() => encodeMultipartBody([], FILE, "ends ")).toThrow(TypeError);
    expect(() => encodeMultipartBody([], FILE, "semi;colon")).toThrow(
      'Invalid multipart boundary "semi;colon": expected 1 to 70 of the characters',
    );
    expect(() => encodeMultipartBody([], { ...FILE, data: "x\r\n--FRED\r\n" }, "FRED")).toThrow(
      'Invalid multipart boundary "FRED": it occurs in the file "contacts.csv"',
    );
    expect(() => encodeMultipartBody([["a", "--FRED"]], FILE, "FRED")).toThrow(
      'Invalid multipart boundary "FRED": it occurs in the value of "a"',
    );
  });

  it("refuses a content type with a line break (header injection)", () => {
    expect(() =>
      encodeMultipartBody([], { ...FILE, contentType: "text/csv\r\nX-Evil: 1" }, "b"),
    ).toThrow(TypeError);
  });
});

describe("decodeMultipartBody()", () => {
  it("gives back any params and file it encoded, for any boundary", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(headerText, valueText), { maxLength: 4 }),
        headerText,
        fc.oneof(valueText, fc.uint8Array({ maxLength: 200 })),
        boundaryText,
        async (params, fileName, data, boundary) => {
          const file = {
            field: "dataFile",
            fileName,
            contentType: "application/vnd.ms-excel",
            data,
          };
          const delimiter = `--${boundary}`;
          const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
          fc.pre(!params.some(([, value]) => value.includes(delimiter)));
          const latin1 = new TextDecoder("latin1");
          fc.pre(
            !latin1.decode(bytes).includes(latin1.decode(new TextEncoder().encode(delimiter))),
          );
          const body = encodeMultipartBody(params, file, boundary);
          const decoded = await decodeMultipartBody(body, multipartContentType(boundary));
          expect(decoded.params).toEqual(params);
          expect(decoded.files).toEqual([{ ...file, data: bytes }]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("keeps CR LF inside file data and a non-ASCII file name, from a stream", async () => {
    const file = { ...FILE, fileName: "Société générale 😀.csv", data: "a\r\n\r\nb\r\n" };
    const body = encodeMultipartBody([["lists", LIST_2]], file, "ctct-bulk-1");
    const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream();
    const decoded = await decodeMultipartBody(stream, multipartContentType("ctct-bulk-1"));
    expect(decoded.params).toEqual([["lists", LIST_2]]);
    expect(text.decode(decoded.files[0]!.data)).toBe("a\r\n\r\nb\r\n");
    expect(decoded.files[0]!.fileName).toBe("Société générale 😀.csv");
  });

  it("reads what the platform's FormData sends", async () => {
    const request = new Request("http://fake.ctct.test/", {
      method: "POST",
      body: toFormData(
        [
          ["activityType", "SV_ADD"],
          ["lists", LIST_2],
        ],
        FILE,
      ),
    });
    const decoded = await decodeMultipartBody(
      new Uint8Array(await request.arrayBuffer()),
      request.headers.get("content-type")!,
    );
    expect(decoded.params).toEqual([
      ["activityType", "SV_ADD"],
      ["lists", LIST_2],
    ]);
    expect(decoded.files.map((f) => [f.field, f.fileName, f.contentType])).toEqual([
      ["dataFile", "contacts.csv", "text/csv"],
    ]);
    expect(text.decode(decoded.files[0]!.data)).toBe(CSV);
  });

  it('reads a part of the fileFields without a filename as a file named "", its bytes as sent', async () => {
    const latin1 = new Uint8Array([0x45, 0x0a, 0xe9]); // "E\né" in Latin-1: not UTF-8 text
    const head = new TextEncoder().encode(
      '--b\r\nContent-Disposition: form-data; name="activityType"\r\n\r\nSV_ADD\r\n' +
        '--b\r\nContent-Disposition: form-data; name="dataFile"\r\n\r\n',
    );
    const tail = new TextEncoder().encode("\r\n--b--\r\n");
    const body = new Uint8Array([...head, ...latin1, ...tail]);
    // Read as a text parameter, the same bytes are a FormBodyError naming it (not a bare TypeError).
    const plain = await decodeMultipartBody(body, multipartContentType("b")).catch(
      (caught: unknown) => caught,
    );
    expect(FormBodyError.isInstance(plain)).toBe(true);
    expect([(plain as FormBodyError).parameter, (plain as Error).message]).toEqual([
      "dataFile",
      'Invalid UTF-8 in parameter "dataFile": the part\'s bytes are not UTF-8 text',
    ]);
    const asFile = await decodeMultipartBody(body, multipartContentType("b"), {
      fileFields: ["dataFile"],
    });
    expect(asFile.params).toEqual([["activityType", "SV_ADD"]]);
    expect(asFile.files).toEqual([
      { field: "dataFile", fileName: "", contentType: "text/plain", data: latin1 },
    ]);
  });

  it("ignores a preamble before the first boundary and an epilogue after the last, as RFC 2046 says", async () => {
    const parts = encodeMultipartBody([["activityType", "SV_ADD"]], FILE, "b0undary");
    const preamble = new TextEncoder().encode("This is a multi-part message in MIME format.\r\n");
    const epilogue = new TextEncoder().encode("\r\nthe end\r\n");
    const body = new Uint8Array([...preamble, ...parts, ...epilogue]);
    const expected = await decodeMultipartBody(parts, multipartContentType("b0undary"));
    expect(await decodeMultipartBody(body, multipartContentType("b0undary"))).toEqual(expected);
    // From a stream cut anywhere, the preamble's end included.
    for (const cut of [1, 10, preamble.length - 1, preamble.length + 3]) {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(body.slice(0, cut));
          controller.enqueue(body.slice(cut));
          controller.close();
        },
      });
      expect(await decodeMultipartBody(stream, multipartContentType("b0undary"))).toEqual(expected);
    }
    expect(expected.files[0]?.fileName).toBe(FILE.fileName);
  });

  it("refuses a body that is not multipart with a FormBodyError", async () => {
    const error = await decodeMultipartBody(
      new TextEncoder().encode("activityType=SV_ADD"),
      multipartContentType("b"),
    ).catch((caught: unknown) => caught);
    expect(FormBodyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Malformed multipart\/form-data body: /);
  });
});

describe("createMultipartBoundary()", () => {
  it("makes a valid boundary from the bytes handed in and refuses too few", () => {
    const boundary = createMultipartBoundary(Uint8Array.from({ length: 16 }, (_, i) => i * 16));
    expect(boundary).toBe("ctct-bulk-00102030405060708090a0b0c0d0e0f0");
    expect(multipartContentType(boundary)).toBe(`multipart/form-data; boundary=${boundary}`);
    expect(() => createMultipartBoundary(new Uint8Array(11))).toThrow(RangeError);
  });
});

describe("multipartContentType()", () => {
  it("quotes a boundary holding special characters", () => {
    expect(multipartContentType("a b")).toBe('multipart/form-data; boundary="a b"');
  });
});

describe("decodeMultipartBody() regressions", () => {
  it("keeps a parameter whose quoted name looks like a filename parameter", async () => {
    const body = encodeMultipartBody(
      [[";filename=\\", ""]],
      { field: "dataFile", fileName: "", contentType: "text/csv", data: new Uint8Array() },
      "0",
    );
    const decoded = await decodeMultipartBody(body, "multipart/form-data; boundary=0");
    expect(decoded.params).toEqual([[";filename=\\", ""]]);
    expect(decoded.files.map((f) => f.field)).toEqual(["dataFile"]);
  });
});
