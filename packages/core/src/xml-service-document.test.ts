import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { xmlFixture } from "./_test_xml-fixtures.ts";
import { XmlError } from "./xml-error.ts";
import { parseServiceDocument, renderServiceDocument } from "./xml-service-document.ts";

const serviceXml = xmlFixture("service_document.xml");

describe("the service document", () => {
  it("parseServiceDocument() maps the recorded document, atom: prefixes and all", () => {
    expect(parseServiceDocument(serviceXml)).toEqual({
      title: "Constant Contact Web Services Customer Workspace",
      collections: [
        {
          href: "/ws/customers/joesflowers/lists",
          title: "Contact Lists",
          accept: ["application/atom+xml; type=entry"],
        },
        {
          href: "/ws/customers/joesflowers/activities",
          title: "Bulk Activity",
          accept: ["application/x-www-form-urlencoded", "multipart/form-data"],
        },
      ],
    });
  });

  it("renderServiceDocument() writes the recorded document byte for byte", () => {
    expect(renderServiceDocument("joesflowers")).toBe(serviceXml);
  });

  it("renderServiceDocument() escapes the username and names the account's collections", () => {
    const xml = renderServiceDocument('a&b"c');
    expect(xml).toContain('<collection href="/ws/customers/a&amp;b&quot;c/activities">');
    expect(parseServiceDocument(xml).collections.map((c) => c.href)).toEqual([
      '/ws/customers/a&b"c/lists',
      '/ws/customers/a&b"c/activities',
    ]);
  });

  it("refuses an Atom feed where the service document should be", () => {
    expect(() => parseServiceDocument("<feed/>")).toThrow(
      "Expected an Atom <service> element: got <feed>",
    );
  });

  it("any string gives a document or an XmlError, never another exception", {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (text) => {
        try {
          parseServiceDocument(text);
        } catch (error) {
          if (!XmlError.isInstance(error)) throw error;
        }
      }),
    );
  });
});
