import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { xmlFixture } from "./_test_xml-fixtures.ts";
import { elementOrder, xmlShape } from "./_test_xml-shape.ts";
import {
  type ContactList,
  type ContactListEntry,
  type ContactListMembersFeed,
  parseContactListEntry,
  parseContactListFeed,
  parseContactListMembersFeed,
  renderContactListEntry,
  renderContactListFeed,
  renderContactListMembersFeed,
} from "./xml-contact-list.ts";
import { XmlError } from "./xml-error.ts";

const listsXml = xmlFixture("contactlistscollection.xml");
const listEntryXml = xmlFixture("contactlistsindividuallist.xml");
const membersXml = xmlFixture("memberscollection.xml");

const BASE = "http://api.constantcontact.com/ws/customers/recordkick";

function systemList(id: string, name: string): ContactList {
  return {
    uri: `${BASE}/lists/${id}`,
    id,
    name,
    shortName: name,
    system: true,
    updated: "2009-07-07T23:30:17.388Z",
    editLink: `/ws/customers/recordkick/lists/${id}`,
  };
}

// Written out by hand from the recorded fixture.
const recordedLists: ContactList[] = [
  systemList("active", "Active"),
  systemList("do-not-mail", "Do Not Mail"),
  systemList("removed", "Removed"),
  {
    uri: `${BASE}/lists/1`,
    id: "1",
    name: "General Interest",
    shortName: "General Interest",
    optInDefault: true,
    displayOnSignup: true,
    sortOrder: 1,
    system: false,
    updated: "2009-07-07T23:30:17.389Z",
    editLink: "/ws/customers/recordkick/lists/1",
  },
  {
    uri: `${BASE}/lists/2`,
    id: "2",
    name: "Clients",
    shortName: "Clients",
    optInDefault: false,
    displayOnSignup: false,
    sortOrder: 2,
    system: false,
    updated: "2009-07-07T23:30:17.389Z",
    editLink: "/ws/customers/recordkick/lists/2",
  },
];

const recordedEntry: ContactListEntry = {
  ...recordedLists[3]!,
  updated: "2009-07-07T23:49:09.032Z",
  source: {
    id: `${BASE}/lists`,
    title: "Contact Lists for Customer: recordkick",
    author: "recordkick",
    updated: "2009-07-07T23:49:09.032Z",
    alternateLink: `${BASE}/lists`,
    selfLink: `${BASE}/lists`,
  },
};

describe("the recorded lists feed", () => {
  it("parseContactListFeed() maps it: system lists first, with only their names", () => {
    expect(parseContactListFeed(listsXml)).toEqual({
      id: `${BASE}/lists`,
      title: "Contact Lists for Customer: recordkick",
      author: "recordkick",
      updated: "2009-07-07T23:30:17.373Z",
      alternateLink: `${BASE}/lists`,
      selfLink: `${BASE}/lists`,
      firstLink: "/ws/customers/recordkick/lists",
      currentLink: "/ws/customers/recordkick/lists",
      entries: recordedLists,
    });
  });

  it("renderContactListFeed() writes it back byte for byte", () => {
    expect(renderContactListFeed(parseContactListFeed(listsXml))).toBe(listsXml);
  });

  it("renderContactListFeed() writes only Name and ShortName for a system list", () => {
    const xml = renderContactListFeed({
      ...parseContactListFeed(listsXml),
      entries: [{ ...systemList("active", "Active"), sortOrder: 3, optInDefault: true }],
    });
    expect(xml).not.toContain("SortOrder");
    expect(xml).not.toContain("OptInDefault");
    expect(xml).not.toContain("<Members");
  });

  it("reads and writes ContactCount", () => {
    const list: ContactList = { ...recordedLists[4]!, contactCount: 1234 };
    const xml = renderContactListEntry(list);
    expect(xml).toContain("<ContactCount>1234</ContactCount>");
    expect(parseContactListEntry(xml)).toEqual(list);
  });
});

describe("the recorded list entry", () => {
  it("parseContactListEntry() maps it, its URI taken from the entry's <id>", () => {
    expect(parseContactListEntry(listEntryXml)).toEqual(recordedEntry);
  });

  it("renderContactListEntry() writes its elements in the recorded order and reads back", () => {
    const xml = renderContactListEntry(recordedEntry);
    expect(elementOrder(xml)).toEqual(elementOrder(listEntryXml));
    // The one difference: the entry names its ContactList's namespace and id, as the feed does.
    expect(xmlShape(xml)).toBe(
      xmlShape(listEntryXml).replace(
        "<ContactList>",
        `<ContactList xmlns="http://ws.constantcontact.com/ns/1.0/" id="${BASE}/lists/1">`,
      ),
    );
    expect(parseContactListEntry(xml)).toEqual(recordedEntry);
  });

  it("refuses a DisplayOnSignup that is neither Yes nor No, naming the element", () => {
    const error = (() => {
      try {
        parseContactListEntry(listEntryXml.replace(">Yes<", ">Maybe<"));
      } catch (caught) {
        return caught;
      }
    })();
    expect(XmlError.isInstance(error)).toBe(true);
    expect((error as XmlError).element).toBe("DisplayOnSignup");
  });
});

describe("the recorded members feed", () => {
  it("parseContactListMembersFeed() maps its 50 members, entities and apostrophes intact", () => {
    expect(members.entries).toHaveLength(50);
    expect(members.entries[0]).toEqual({
      uri: `${BASE}/contacts/51`,
      id: "51",
      email: "winston_stiedemann@mcdermottrobel.uk",
      name: "Donnelly, Mike",
      updated: "2009-07-09T20:56:20.868Z",
      editLink: "/ws/customers/recordkick/lists/2/members/51",
    });
    expect(members.entries.find((member) => member.id === "17")?.name).toBe("O'Keefe, Lizeth");
    expect(members).toMatchObject({ id: `${BASE}/lists/2/members`, author: "recordkick" });
  });

  it("renderContactListMembersFeed() writes it back byte for byte", () => {
    expect(renderContactListMembersFeed(members)).toBe(membersXml);
  });
});

const members: ContactListMembersFeed = parseContactListMembersFeed(membersXml);

const xmlText = fc.string({
  unit: fc.oneof(
    fc.constantFrom("<", "&", '"', "'", "\r", "\n", " ", "é"),
    fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  ),
  maxLength: 20,
});

// Generous timeouts: these run hundreds of cases and the machine may be busy (they never assert on time).
describe("properties", { timeout: 60_000 }, () => {
  it("any list survives renderContactListEntry() → parseContactListEntry() unchanged", () => {
    const listArbitrary = fc
      .record({
        id: fc.oneof(fc.constantFrom("active", "do-not-mail", "removed"), fc.nat().map(String)),
        name: xmlText,
        shortName: xmlText,
        optInDefault: fc.option(fc.boolean(), { nil: undefined }),
        displayOnSignup: fc.option(fc.boolean(), { nil: undefined }),
        sortOrder: fc.option(fc.nat(), { nil: undefined }),
        contactCount: fc.option(fc.nat(), { nil: undefined }),
      })
      .map((fields): ContactList => {
        const system = !/^\d+$/.test(fields.id);
        return {
          ...fields,
          ...(system
            ? {
                optInDefault: undefined,
                displayOnSignup: undefined,
                sortOrder: undefined,
                contactCount: undefined,
              }
            : {}),
          uri: `${BASE}/lists/${fields.id}`,
          system,
          editLink: `/ws/customers/recordkick/lists/${fields.id}`,
        };
      });
    fc.assert(
      fc.property(listArbitrary, (list) => {
        expect(parseContactListEntry(renderContactListEntry(list))).toEqual(list);
      }),
    );
  });

  it("any page of members survives renderContactListMembersFeed() → parseContactListMembersFeed()", () => {
    const memberArbitrary = fc
      .record({ id: fc.nat(), email: xmlText, name: xmlText })
      .map(({ id, email, name }) => ({
        uri: `${BASE}/contacts/${id}`,
        id: String(id),
        email,
        name,
        updated: "2009-07-09T20:56:20.868Z",
        editLink: `/ws/customers/recordkick/lists/2/members/${id}`,
      }));
    fc.assert(
      fc.property(fc.array(memberArbitrary, { maxLength: 5 }), xmlText, (entries, title) => {
        const feed: ContactListMembersFeed = { ...members, title, entries };
        expect(parseContactListMembersFeed(renderContactListMembersFeed(feed))).toEqual(feed);
      }),
    );
  });

  it("any string or damaged document gives an object or an XmlError, never another exception", () => {
    const parsers = [parseContactListFeed, parseContactListEntry, parseContactListMembersFeed];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 100 }),
          fc
            .tuple(fc.constantFrom(listsXml, listEntryXml), fc.nat(), fc.nat({ max: 30 }), xmlText)
            .map(([text, start, length, insert]) => {
              const at = start % (text.length + 1);
              return text.slice(0, at) + insert + text.slice(at + length);
            }),
        ),
        (input) => {
          for (const parse of parsers) {
            try {
              parse(input);
            } catch (error) {
              if (!XmlError.isInstance(error)) throw error;
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
