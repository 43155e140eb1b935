import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { xmlFixture } from "./_test_xml-fixtures.ts";
import { elementOrder, xmlShape } from "./_test_xml-shape.ts";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "./activity.ts";
import {
  type Activity,
  type ActivityEntry,
  type ActivityFeed,
  activityFeedPageLinks,
  type MinimalEntry,
  parseActivityEntry,
  parseActivityFeed,
  parseMinimalEntry,
  renderActivityEntry,
  renderActivityFeed,
  renderMinimalEntry,
} from "./xml.ts";
import { XmlEntityError } from "./xml-entity-error.ts";
import { XmlError } from "./xml-error.ts";

const feedXml = xmlFixture("seed-activities-feed.xml");
const entryXml = xmlFixture("seed-activity-entry.xml");
const exportEntryXml = xmlFixture("seed-export-entry.xml");
const exportEntryAsPublished = xmlFixture("seed-export-entry-as-published.xml");
const minimalXml = xmlFixture("seed-minimal-entry.xml");

const BASE = "http://api.constantcontact.com/ws/customers/joesflowers";

// The seed's documents, written out by hand from the seed's text: these are the fixtures' truths.
const seedFeed: ActivityFeed = {
  id: `${BASE}/activities`,
  title: "Bulk Activity",
  author: "joesflowers",
  updated: "2008-04-29T19:31:00.545Z",
  entries: [
    {
      uri: `${BASE}/activities/a07e1ffaxjxffmvj6qd`,
      id: "a07e1ffaxjxffmvj6qd",
      type: "ADD_CONTACT_DETAIL",
      status: "COMPLETE",
      fileName: "",
      transactionCount: 1,
      errors: [
        { line: 3, email: "test2@test.com", message: 'Unknown US/Canadian state/prov "Test2"' },
        { line: 4, email: "test3@test.com", message: 'Unknown US/Canadian state/prov "Test3"' },
      ],
      errorCount: 2,
      runStartTime: "2008-06-25T15:48:01.615Z",
      runFinishTime: "2008-06-25T15:48:03.040Z",
      insertTime: "2008-06-25T15:47:37.199Z",
      updated: "2008-04-29T19:30:15.637Z",
      editLink: "/ws/customers/joesflowers/activities/a07e1ffaxjxffmvj6qd",
    },
  ],
};

const seedEntry: ActivityEntry = {
  uri: `${BASE}/activities/a07e1ffaxjyffmvqgiz`,
  id: "a07e1ffaxjyffmvqgiz",
  type: "ADD_CONTACT_DETAIL",
  status: "COMPLETE",
  fileName: "",
  transactionCount: 1,
  errors: [
    { line: 3, email: "test2@test.com", message: 'Unknown US/Canadian state/prov "Test2"' },
    { line: 4, email: "test3@test.com", message: 'Unknown US/Canadian state/prov "Test3"' },
  ],
  errorCount: 2,
  runStartTime: "2008-04-29T19:36:08.894Z",
  runFinishTime: "2008-04-29T19:36:10.948Z",
  insertTime: "2008-04-29T19:35:54.923Z",
  updated: "2008-04-29T19:36:10.948Z",
  editLink: "/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz",
  source: {
    id: `${BASE}/activities`,
    title: "Bulk Activity",
    author: "joesflowers",
    updated: "2008-04-29T19:45:24.131Z",
  },
};

const seedExport: ActivityEntry = {
  uri: `${BASE}/activities/a07e1gpfcd3fhysynnp`,
  id: "a07e1gpfcd3fhysynnp",
  type: "EXPORT_CONTACTS",
  status: "COMPLETE",
  fileName: `${BASE}/activities/a07e1gpfcd3fhysynnp.csv`,
  transactionCount: 0,
  errors: [],
  errorCount: 0,
  runStartTime: "2008-06-27T13:10:59.321Z",
  runFinishTime: "2008-06-27T13:10:59.944Z",
  insertTime: "2008-06-27T13:10:57.349Z",
  updated: "2008-06-27T13:10:59.944Z",
  title: `EXPORT_CONTACTS: ${BASE}/activities/a07e1...`,
  editLink: "/ws/customers/joesflowers/activities/a07e1gpfcd3fhysynnp",
  editMediaLink: `${BASE}/activities/a07e1gpfcd3fhysynnp.csv`,
  source: {
    id: `${BASE}/activities`,
    title: "Activity Collection for customer: joesflowers",
    author: "joesflowers",
    updated: "2008-06-27T16:29:26.723Z",
  },
};

const seedMinimal: MinimalEntry = {
  uri: `${BASE}/activities/a07e1ffaxjyffmvqgiz`,
  id: "a07e1ffaxjyffmvqgiz",
  editLink: "/ws/customers/joesflowers/activities/a07e1ffaxjyffmvqgiz",
  updated: "2008-04-29T19:35:54.923Z",
};

/** Wraps an `<Activity>`'s children in a single entry. */
function entryWith(activityChildren: string, activityAttributes = ""): string {
  return `<entry xmlns="http://www.w3.org/2005/Atom">
  <id>${BASE}/activities/a07e1ffaxjyffmvqgiz</id>
  <content type="application/vnd.ctct+xml">
    <Activity xmlns="http://ws.constantcontact.com/ns/1.0/" id="${BASE}/activities/a07e1ffaxjyffmvqgiz"${activityAttributes}>
      <Type>ADD_CONTACTS</Type>
      <Status>COMPLETE</Status>
      ${activityChildren}
    </Activity>
  </content>
</entry>`;
}

/** The seed's feed with one piece of text replaced. */
function seedFeedWith(text: string, replacement: string): string {
  if (!feedXml.includes(text)) throw new Error(`The seed's feed has no "${text}"`);
  return feedXml.replace(text, replacement);
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("Expected an error");
}

describe("the seed's documents", () => {
  it("parseActivityFeed() maps the seed's feed to its activities", () => {
    expect(parseActivityFeed(feedXml)).toEqual(seedFeed);
  });

  it("parseActivityEntry() maps the seed's entry with its <source>", () => {
    expect(parseActivityEntry(entryXml)).toEqual(seedEntry);
  });

  it("parseActivityEntry() maps the seed's completed export with FileName and edit-media", () => {
    expect(parseActivityEntry(exportEntryXml)).toEqual(seedExport);
  });

  it("parseMinimalEntry() maps the seed's 201 body", () => {
    expect(parseMinimalEntry(minimalXml)).toEqual(seedMinimal);
  });

  it("parseActivityEntry() refuses the export entry as the page published it (its <title> cut short)", () => {
    const error = thrown(() => parseActivityEntry(exportEntryAsPublished));
    expect(XmlError.isInstance(error)).toBe(true);
    expect((error as XmlError).message).toMatch(/^Expected <content> in the entry/);
  });

  it("renderActivityFeed() writes the seed's feed element for element", () => {
    expect(xmlShape(renderActivityFeed(seedFeed))).toBe(xmlShape(feedXml));
  });

  it("renderActivityEntry() writes the seed's entry element for element", () => {
    expect(xmlShape(renderActivityEntry(seedEntry))).toBe(xmlShape(entryXml));
  });

  it("renderActivityEntry() writes the export's edit-media link after its content, as the seed", () => {
    const xml = renderActivityEntry(seedExport);
    expect(xmlShape(xml)).toBe(xmlShape(exportEntryXml));
    expect(elementOrder(xml)).toEqual(elementOrder(exportEntryXml));
  });

  it("renderMinimalEntry() writes the seed's minimal entry", () => {
    expect(xmlShape(renderMinimalEntry(seedMinimal))).toBe(xmlShape(minimalXml));
  });

  it("every rendered seed parses back to the same object", () => {
    expect(parseActivityFeed(renderActivityFeed(seedFeed))).toEqual(seedFeed);
    expect(parseActivityEntry(renderActivityEntry(seedEntry))).toEqual(seedEntry);
    expect(parseActivityEntry(renderActivityEntry(seedExport))).toEqual(seedExport);
    expect(parseMinimalEntry(renderMinimalEntry(seedMinimal))).toEqual(seedMinimal);
  });

  it("the parsers read bytes in the encoding their BOM or XML declaration names", () => {
    const latin1 = Uint8Array.from(
      `<?xml version="1.0" encoding="ISO-8859-1"?>${entryWith("<FileName>caf\u00E9.csv</FileName>")}`,
      (character) => character.charCodeAt(0),
    );
    expect(parseActivityEntry(latin1).fileName).toBe("caf\u00E9.csv");
    const text = `\uFEFF${entryWith("<FileName>\u{1F600}.csv</FileName>")}`;
    const units = Array.from({ length: text.length }, (_, index) => text.charCodeAt(index));
    const utf16 = new Uint8Array(new Uint16Array(units).buffer);
    expect(new Uint8Array(new Uint16Array([1]).buffer)[0]).toBe(1); // little-endian, as utf16 is
    expect(parseActivityEntry(utf16).fileName).toBe("\u{1F600}.csv");
    expect(() =>
      parseActivityEntry(
        new TextEncoder().encode('<?xml version="1.0" encoding="x-klingon"?><entry/>'),
      ),
    ).toThrow(
      'Expected an XML document in an encoding this runtime knows: got encoding "x-klingon"',
    );
  });

  it("the parsers take UTF-8 bytes as well as text, with or without a BOM", () => {
    const bytes = new TextEncoder().encode(`\uFEFF${feedXml}`);
    expect(parseActivityFeed(bytes)).toEqual(seedFeed);
    expect(parseActivityFeed(`\uFEFF${feedXml}`)).toEqual(seedFeed);
  });
});

describe("the three shapes of Errors", () => {
  it("reads a list of <Error> elements", () => {
    const activity = parseActivityEntry(
      entryWith(`<Errors><Error><LineNumber>7</LineNumber><EmailAddress>a@b.com</EmailAddress>
        <Message>Invalid email address "a@b"</Message></Error></Errors>`),
    );
    expect(activity.errors).toEqual([
      { line: 7, email: "a@b.com", message: 'Invalid email address "a@b"' },
    ]);
    expect(activity.errorCount).toBe(1);
  });

  it("reads a bare count as errorCount, with no errors listed", () => {
    const activity = parseActivityEntry(entryWith("<Errors>5</Errors>"));
    expect(activity.errors).toEqual([]);
    expect(activity.errorCount).toBe(5);
    expect(parseActivityEntry(entryWith("<Errors> 12\n</Errors>")).errorCount).toBe(12);
  });

  it('reads "Line 355: Invalid email" strings as a line and a message', () => {
    const activity = parseActivityEntry(
      entryWith(
        "<Errors><Error>Line 355: Invalid email</Error><Error>line 9 :  Unknown US/Canadian state/prov &quot;ZZ&quot; </Error></Errors>",
      ),
    );
    expect(activity.errors).toEqual([
      { line: 355, message: "Invalid email" },
      { line: 9, message: 'Unknown US/Canadian state/prov "ZZ"' },
    ]);
    expect(activity.errorCount).toBe(2);
  });

  it("reads strings written straight into <Errors>, one a line, and strings without a line", () => {
    const activity = parseActivityEntry(
      entryWith(
        "<Errors>Line 3: Invalid email\nLine 4: Bad state\n</Errors><Error>Timed out</Error>",
      ),
    );
    expect(activity.errors).toEqual([
      { line: 3, message: "Invalid email" },
      { line: 4, message: "Bad state" },
      { message: "Timed out" },
    ]);
  });

  it("reads empty <Errors></Errors>, <Errors/> and no <Errors> at all as no errors", () => {
    for (const children of ["<Errors></Errors>", "<Errors/>", "<Errors>\n  </Errors>", ""]) {
      const activity = parseActivityEntry(entryWith(children));
      expect(activity.errors).toEqual([]);
      expect(activity.errorCount).toBe(0);
    }
  });

  it("renders each shape so that it reads back", () => {
    const activity: Activity = {
      ...seedEntry,
      errors: [{ line: 355, email: "x@y.com", message: "Invalid email" }],
      errorCount: 1,
    };
    const lines = renderActivityEntry(activity, { errorsShape: "lines" });
    expect(lines).toContain("<Error>Line 355: Invalid email</Error>");
    expect(parseActivityEntry(lines).errors).toEqual([{ line: 355, message: "Invalid email" }]);
    const count = renderActivityEntry(activity, { errorsShape: "count" });
    expect(count).toContain("<Errors>1</Errors>");
    expect(parseActivityEntry(count)).toMatchObject({ errors: [], errorCount: 1 });
  });

  it("refuses a LineNumber that is not a number, naming the element", () => {
    const error = thrown(() =>
      parseActivityEntry(entryWith("<Errors><Error><LineNumber>x3</LineNumber></Error></Errors>")),
    );
    expect(error).toBeInstanceOf(XmlError);
    expect((error as XmlError).element).toBe("LineNumber");
    expect((error as XmlError).message).toContain('got "x3"');
  });
});

describe("robustness of the parsers", () => {
  it("reads namespace prefixes (atom:entry, ns1:Activity) like default namespaces", () => {
    const xml = `<atom:feed xmlns:atom="http://www.w3.org/2005/Atom" xmlns:ns1="http://ws.constantcontact.com/ns/1.0/">
      <atom:id>${BASE}/activities</atom:id><atom:title type="text">Bulk Activity</atom:title>
      <atom:author><atom:name>joesflowers</atom:name></atom:author>
      <atom:updated>2008-04-29T19:31:00.545Z</atom:updated>
      <atom:entry><atom:link rel="edit" href="/ws/customers/joesflowers/activities/a07e1ffaxjxffmvj6qd"/>
        <atom:id>${BASE}/activities/a07e1ffaxjxffmvj6qd</atom:id><atom:title type="text"/>
        <atom:updated>2008-04-29T19:30:15.637Z</atom:updated>
        <atom:content type="application/vnd.ctct+xml">
          <ns1:Activity id="${BASE}/activities/a07e1ffaxjxffmvj6qd">
            <ns1:Type>ADD_CONTACT_DETAIL</ns1:Type><ns1:Status>COMPLETE</ns1:Status>
            <ns1:Errors><ns1:Error><ns1:LineNumber>3</ns1:LineNumber><ns1:EmailAddress>test2@test.com</ns1:EmailAddress><ns1:Message>Unknown US/Canadian state/prov "Test2"</ns1:Message></ns1:Error>
            <ns1:Error><ns1:LineNumber>4</ns1:LineNumber><ns1:EmailAddress>test3@test.com</ns1:EmailAddress><ns1:Message>Unknown US/Canadian state/prov "Test3"</ns1:Message></ns1:Error></ns1:Errors>
            <ns1:FileName/><ns1:TransactionCount>1</ns1:TransactionCount>
            <ns1:RunStartTime>2008-06-25T15:48:01.615Z</ns1:RunStartTime><ns1:RunFinishTime>2008-06-25T15:48:03.040Z</ns1:RunFinishTime>
            <ns1:InsertTime>2008-06-25T15:47:37.199Z</ns1:InsertTime>
          </ns1:Activity></atom:content></atom:entry></atom:feed>`;
    expect(parseActivityFeed(xml)).toEqual(seedFeed);
  });

  it("reads one entry and many entries alike", () => {
    const many = renderActivityFeed({ ...seedFeed, entries: [seedEntry, seedExport, seedEntry] });
    expect(parseActivityFeed(many).entries.map((activity) => activity.id)).toEqual([
      "a07e1ffaxjyffmvqgiz",
      "a07e1gpfcd3fhysynnp",
      "a07e1ffaxjyffmvqgiz",
    ]);
    expect(parseActivityFeed(renderActivityFeed({ ...seedFeed, entries: [] })).entries).toEqual([]);
  });

  it("ignores attribute order, whitespace around structural values and CRLF line ends", () => {
    const xml = entryWith(
      "<FileName>a.csv</FileName>\r\n<TransactionCount>\n 25 \n</TransactionCount>",
    )
      .replace("<Type>ADD_CONTACTS</Type>", "<Type>\n  add_contacts  </Type>")
      .replace(/\n/g, "\r\n")
      .replace(
        `xmlns="http://ws.constantcontact.com/ns/1.0/" id="${BASE}/activities/a07e1ffaxjyffmvqgiz"`,
        `id='${BASE}/activities/a07e1ffaxjyffmvqgiz'   xmlns="http://ws.constantcontact.com/ns/1.0/"`,
      );
    expect(parseActivityEntry(xml)).toMatchObject({
      id: "a07e1ffaxjyffmvqgiz",
      type: "ADD_CONTACTS",
      fileName: "a.csv",
      transactionCount: 25,
    });
  });

  it("reads CDATA and entities in emails and messages", () => {
    const activity = parseActivityEntry(
      entryWith(`<Errors><Error><LineNumber>2</LineNumber>
        <EmailAddress>tom&amp;jerry@example.com</EmailAddress>
        <Message><![CDATA[Unknown US/Canadian state/prov "<QC & ON>"]]> &#x263A;&#233;</Message></Error></Errors>`),
    );
    expect(activity.errors).toEqual([
      {
        line: 2,
        email: "tom&jerry@example.com",
        message: 'Unknown US/Canadian state/prov "<QC & ON>" \u263A\u00E9',
      },
    ]);
  });

  it("normalizes dates to ISO strings in UTC", () => {
    const activity = parseActivityEntry(
      entryWith(
        "<RunStartTime>2008-06-25T17:48:01+02:00</RunStartTime><InsertTime>2008-06-25T15:47:37.1999Z</InsertTime><RunFinishTime></RunFinishTime>",
      ),
    );
    expect(activity.runStartTime).toBe("2008-06-25T15:48:01.000Z");
    expect(activity.insertTime).toBe("2008-06-25T15:47:37.199Z");
    expect(activity.runFinishTime).toBeUndefined();
  });

  it("refuses dates that do not exist, in the API's form or another", () => {
    for (const date of [
      "2008-02-30T10:00:00.000Z",
      "2009-02-29T10:00:00.000Z",
      "2008-13-01T10:00:00.000Z",
      "2008-06-25T24:00:00.000Z",
      "2008-06-25T23:60:00.000Z",
      "2008-04-31T10:00:00+02:00",
      "2008-06-25T10:00:61Z",
    ])
      expect(() => parseActivityEntry(entryWith(`<InsertTime>${date}</InsertTime>`)), date).toThrow(
        `Expected an ISO 8601 date-time in <InsertTime> in <Activity> of the entry: got "${date}"`,
      );
    const leap = parseActivityEntry(entryWith("<InsertTime>2008-02-29T23:59:59.999Z</InsertTime>"));
    expect(leap.insertTime).toBe("2008-02-29T23:59:59.999Z");
  });

  it("refuses a date that is not ISO 8601, naming the element", () => {
    const error = thrown(() =>
      parseActivityEntry(entryWith("<InsertTime>June 25, 2008</InsertTime>")),
    );
    expect((error as XmlError).message).toBe(
      'Expected an ISO 8601 date-time in <InsertTime> in <Activity> of the entry: got "June 25, 2008"',
    );
  });

  it("reads the next, first and current links of a feed as written", () => {
    const next = parseActivityFeed(
      feedXml.replace(
        "<updated>2008-04-29T19:31:00.545Z</updated>",
        '<updated>2008-04-29T19:31:00.545Z</updated><link rel="next" href="/ws/customers/joesflowers/activities?next=a07e1" />',
      ),
    );
    expect(next.nextLink).toBe("/ws/customers/joesflowers/activities?next=a07e1");
    const last = parseActivityFeed(
      renderActivityFeed({
        ...seedFeed,
        firstLink: "/ws/customers/joesflowers/activities",
        currentLink: "/ws/customers/joesflowers/activities",
      }),
    );
    expect(last).toMatchObject({
      firstLink: "/ws/customers/joesflowers/activities",
      currentLink: "/ws/customers/joesflowers/activities",
      nextLink: undefined,
    });
  });

  it("activityFeedPageLinks() gives next on a middle page and first/current on the last, which read back", () => {
    const middle = parseActivityFeed(
      renderActivityFeed({ ...seedFeed, ...activityFeedPageLinks("joesflowers", "a07e1 x&y") }),
    );
    expect(middle.nextLink).toBe("/ws/customers/joesflowers/activities?next=a07e1%20x%26y");
    expect([middle.firstLink, middle.currentLink]).toEqual([undefined, undefined]);
    const xml = renderActivityFeed({ ...seedFeed, ...activityFeedPageLinks("joesflowers") });
    expect(xml).toContain('<link href="/ws/customers/joesflowers/activities" rel="first" />');
    expect(xml).toContain('<link href="/ws/customers/joesflowers/activities" rel="current" />');
    expect(xml).not.toContain('rel="next"');
  });

  it("leaves entities XML does not define (&nbsp;) as written, and refuses references to non-characters", () => {
    const activity = parseActivityEntry(entryWith("<FileName>a&nbsp;b &#38; c</FileName>"));
    expect(activity.fileName).toBe("a&nbsp;b & c");
    expect(() => parseActivityEntry(entryWith("<FileName>&#0;</FileName>"))).toThrow(
      'Invalid character reference "&#0;": not an XML character',
    );
  });

  it("names an <entry> of a feed that holds only text", () => {
    expect(() =>
      parseActivityFeed(`<feed><id>${BASE}/activities</id><entry>oops</entry></feed>`),
    ).toThrow("Expected <content> in entry 1 of the feed: got none");
  });

  it("reads SV_ADD as ADD_CONTACTS and statuses in any case", () => {
    const activity = parseActivityEntry(
      entryWith("").replace("ADD_CONTACTS", "SV_ADD").replace("COMPLETE", "complete"),
    );
    expect([activity.type, activity.status]).toEqual(["ADD_CONTACTS", "COMPLETE"]);
  });

  it("refuses an unknown status or type with an XmlError naming the element and the value", () => {
    const status = thrown(() => parseActivityEntry(entryWith("").replace("COMPLETE", "DONE")));
    expect(status).toBeInstanceOf(XmlError);
    expect((status as XmlError).element).toBe("Status");
    expect((status as XmlError).message).toMatch(/^Unknown activity status "DONE" in <Status>/);
    const type = thrown(() => parseActivityEntry(entryWith("").replace("ADD_CONTACTS", "MERGE")));
    expect((type as XmlError).element).toBe("Type");
    expect((type as XmlError).message).toMatch(/^Unknown activity type "MERGE" in <Type>/);
  });

  it("names the entry of a feed in which an element is missing", () => {
    const xml = renderActivityFeed({ ...seedFeed, entries: [seedEntry, seedEntry] }).replace(
      /<Status>COMPLETE<\/Status>(?![\s\S]*<Status>)/,
      "",
    );
    expect(() => parseActivityFeed(xml)).toThrow(
      "Expected <Status> in <Activity> of entry 2 of the feed: got none",
    );
  });
});

describe("refusing what is not an activity document", () => {
  it("refuses a DOCTYPE with an internal subset (an entity bomb) before expanding anything", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
      { length: 9 },
      (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level === 0 ? "" : level};`.repeat(10)}">`,
    ).join("")}]><feed><id>&lol9;</id></feed>`;
    const error = thrown(() => parseActivityFeed(bomb));
    expect(XmlEntityError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(XmlError);
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).name).toBe("XmlEntityError");
    expect((error as XmlEntityError).offset).toBe(bomb.indexOf("<!DOCTYPE"));
    expect((error as Error).message).toMatch(/^Refused a DOCTYPE declaration at offset 21: /);
  });

  it("refuses external entities and a stray <!ENTITY", () => {
    const external = `<!DOCTYPE entry SYSTEM "file:///etc/passwd"><entry/>`;
    expect(() => parseActivityEntry(external)).toThrow(XmlEntityError);
    expect(() => parseMinimalEntry(`<entry><!ENTITY x SYSTEM "http://x/">&x;</entry>`)).toThrow(
      /^Refused a ENTITY declaration/,
    );
  });

  it("gives a typed error for a proxy's HTML error page", () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    const error = thrown(() => parseActivityEntry(html));
    expect(XmlError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe("Expected an Atom <entry> element: got <html>");
    expect((error as Error).name).toBe("XmlError");
    expect(XmlEntityError.isInstance(error)).toBe(false);
    const withDoctype = thrown(() => parseActivityEntry(`<!DOCTYPE html>\n${html}`));
    expect((withDoctype as Error).message).toContain("(the document looks like HTML)");
  });

  it("names what was expected for empty, textual, truncated and malformed documents", () => {
    expect(() => parseActivityFeed("")).toThrow(
      "Expected an Atom <feed> element: got an empty document",
    );
    expect(() => parseActivityFeed("Service Unavailable")).toThrow(
      "Expected an Atom <feed> element: got no element",
    );
    expect(() => parseActivityFeed(feedXml.slice(0, feedXml.lastIndexOf("</entry>")))).toThrow(
      "Expected an Atom <feed> element: got a document cut short (no </feed> at its end)",
    );
    expect(() => parseActivityFeed("<feed/><feed/>")).toThrow(/got 2 root elements/);
    expect(() => parseActivityEntry(feedXml)).toThrow(
      "Expected an Atom <entry> element: got <feed>",
    );
    expect(() => parseActivityFeed(new Uint8Array([0x3c, 0xff, 0xfe]))).toThrow(
      "Expected an XML document in UTF-8: got bytes that are not UTF-8",
    );
  });

  it("with strict, refuses any XML that is not well-formed, naming line and column", () => {
    const mismatched = seedFeedWith("<FileName></FileName>", "<FileName></Filename>");
    const error = thrown(() => parseActivityFeed(mismatched, { strict: true }));
    expect(XmlError.isInstance(error)).toBe(true);
    expect((error as XmlError).message).toMatch(
      /^Expected an Atom <feed> element: got malformed XML at line 32, column 11 \(Expected closing tag 'FileName'/,
    );
    expect([(error as XmlError).line, (error as XmlError).column]).toEqual([32, 11]);
    expect(() =>
      parseActivityEntry(entryWith("<FileName>a & b</FileName>"), { strict: true }),
    ).toThrow(/got malformed XML at line 7/);
    expect(parseActivityFeed(feedXml, { strict: true })).toEqual(seedFeed);
  });

  it("wraps the parser's own failures in an XmlError with the cause", () => {
    const error = thrown(() => parseActivityEntry("<entry><__proto__>x</__proto__></entry>"));
    expect(XmlError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Expected an Atom <entry> element: got malformed XML/,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("parseMinimalEntry() names the missing edit link", () => {
    expect(() => parseMinimalEntry(minimalXml.replace(/<link[^>]*>/, ""))).toThrow(
      'Expected <link rel="edit"> in the entry: got none',
    );
  });
});

// Characters XML can carry, with the ones that need escaping (and CR, which a parser would turn
// into LF) over-represented.
const xmlCharacter = fc.oneof(
  fc.constantFrom("<", ">", "&", '"', "'", "\r", "\n", "\t", " ", "]", "é", "\u{1F600}", "\u00A0"),
  fc
    .integer({ min: 0x20, max: 0x10ffff })
    .filter((code) => (code < 0xd800 || code > 0xdfff) && code !== 0xfffe && code !== 0xffff)
    .map((code) => String.fromCodePoint(code)),
);
const xmlText = fc.string({ unit: xmlCharacter, maxLength: 24 });
const isoDate = fc
  .date({
    min: new Date("1990-01-01T00:00:00Z"),
    max: new Date("2100-01-01T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined });

const activityArbitrary: fc.Arbitrary<Activity> = fc
  .record({
    username: fc.stringMatching(/^[a-z0-9._@-]{1,12}$/),
    id: fc.stringMatching(/^a07e[a-z0-9]{15}$/),
  })
  .chain(({ username, id }) =>
    fc
      .record({
        type: fc.constantFrom(...ACTIVITY_TYPES),
        status: fc.constantFrom(...ACTIVITY_STATUSES),
        fileName: xmlText,
        transactionCount: fc.nat({ max: 10_000_000 }),
        errors: fc.array(
          fc.record({
            line: optional(fc.integer({ min: 1, max: 10_000_000 })),
            email: optional(xmlText),
            message: xmlText,
          }),
          { maxLength: 4 },
        ),
        countOnly: fc.nat({ max: 1000 }),
        insertTime: optional(isoDate),
        runStartTime: optional(isoDate),
        runFinishTime: optional(isoDate),
        updated: optional(isoDate),
        title: optional(xmlText.filter((title) => title !== "")),
        editMediaLink: optional(fc.webUrl()),
      })
      .map(({ countOnly, ...fields }): Activity => {
        const uri = `http://api.constantcontact.com/ws/customers/${username}/activities/${id}`;
        return {
          ...fields,
          uri,
          id,
          editLink: `/ws/customers/${username}/activities/${id}`,
          errorCount: fields.errors.length > 0 ? fields.errors.length : countOnly,
        };
      }),
  );

// Generous timeouts: these run hundreds of cases and the machine may be busy (they never assert on time).
describe("properties", { timeout: 60_000 }, () => {
  it("any activity survives renderActivityEntry() → parseActivityEntry() unchanged", () => {
    fc.assert(
      fc.property(activityArbitrary, (activity) => {
        expect(parseActivityEntry(renderActivityEntry(activity))).toEqual(activity);
      }),
      { numRuns: 300 },
    );
  });

  it("any page of activities survives renderActivityFeed() → parseActivityFeed() unchanged", () => {
    fc.assert(
      fc.property(
        fc.array(activityArbitrary, { maxLength: 4 }),
        xmlText,
        optional(fc.webPath().map((path) => `/ws${path}?next=x`)),
        (entries, author, nextLink) => {
          const feed: ActivityFeed = { ...seedFeed, author, nextLink, entries };
          expect(parseActivityFeed(renderActivityFeed(feed))).toEqual(feed);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("any instant written with any UTC offset reads as that instant's ISO string", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1990-01-01T00:00:00Z"),
          max: new Date("2100-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offsetMinutes) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000)
            .toISOString()
            .slice(0, 23);
          const sign = offsetMinutes < 0 ? "-" : "+";
          const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, "0");
          const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, "0");
          const written = `${local}${sign}${hours}:${minutes}`;
          const activity = parseActivityEntry(entryWith(`<InsertTime>${written}</InsertTime>`));
          expect(activity.insertTime).toBe(date.toISOString());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("characters XML cannot carry are written as U+FFFD, and the document still parses", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), (text) => {
        const activity: Activity = { ...seedEntry, fileName: text, errors: [], errorCount: 0 };
        const parsed = parseActivityEntry(renderActivityEntry(activity));
        const expected = text.replace(
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML cannot carry
          /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
          "\uFFFD",
        );
        expect(parsed.fileName).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  const parsers = [parseActivityFeed, parseActivityEntry, parseMinimalEntry];
  const fitsOrXmlError = (input: string | Uint8Array): void => {
    for (const parse of parsers) {
      try {
        parse(input);
      } catch (error) {
        if (!XmlError.isInstance(error)) throw error;
      }
    }
  };

  it("any string gives an object or an XmlError, never another exception", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), fitsOrXmlError), {
      numRuns: 500,
    });
  });

  it("any byte string gives an object or an XmlError, never another exception", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fitsOrXmlError), { numRuns: 500 });
  });

  it("any damage to a real document gives an object or an XmlError, never another exception", () => {
    const documents = [feedXml, entryXml, exportEntryXml, minimalXml];
    fc.assert(
      fc.property(
        fc.constantFrom(...documents),
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.string({
          unit: fc.constantFrom("<", ">", "/", "&", "!", "?", '"', "=", "x", ";", "#", " ", "]"),
          maxLength: 6,
        }),
        (document, start, length, insert) => {
          const at = start % (document.length + 1);
          fitsOrXmlError(document.slice(0, at) + insert + document.slice(at + length));
        },
      ),
      { numRuns: 500 },
    );
  });
});
