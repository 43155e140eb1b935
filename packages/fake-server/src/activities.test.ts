import {
  encodeFormBody,
  parseActivityEntry,
  parseActivityFeed,
  parseMinimalEntry,
} from "@ctct-bulk/core";
import { describe, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { AUTH, get, listUriOf, parseXml, postFile, postForm } from "./_test_helpers.ts";
import { createFakeServer, type FakeServer } from "./fake-server.ts";
import { RETENTION_MS } from "./server-state.ts";

const LIST = (id: number | string) => listUriOf(id);

async function create(server: FakeServer, params: [string, string][]): Promise<string> {
  const response = await postForm(server, params);
  const text = await response.text();
  if (response.status !== 201) throw new Error(`Expected 201, got ${response.status}: ${text}`);
  return parseMinimalEntry(text).id;
}

async function entry(server: FakeServer, id: string) {
  const response = await get(server, `/activities/${id}`);
  expect(response.status).toBe(200);
  return parseActivityEntry(await response.text());
}

function add(data: string, ...lists: number[]): [string, string][] {
  return [
    ["activityType", "SV_ADD"],
    ["data", data],
    ...lists.map((id): [string, string] => ["lists", LIST(id)]),
  ];
}

describe("POST /activities: creating activities", () => {
  it("answers 201 with an absolute Location, the minimal entry, and a lower-case id", async () => {
    const server = createFakeServer();
    const response = await postForm(server, add("EMAIL ADDRESS\nann@example.com", 1));
    expect(response.status).toBe(201);
    const minimal = parseMinimalEntry(await response.text());
    expect(minimal.id).toMatch(/^a07e[a-z0-9]{15}$/);
    expect(response.headers.get("location")).toBe(
      `http://fake.ctct.test/ws/customers/joesflowers/activities/${minimal.id}`,
    );
    expect(minimal.uri).toBe(
      `http://api.constantcontact.com/ws/customers/joesflowers/activities/${minimal.id}`,
    );
    expect(minimal.editLink).toBe(`/ws/customers/joesflowers/activities/${minimal.id}`);
  });

  it("reports per-line Errors as the server words them, counting the header as line 1", async () => {
    const server = createFakeServer();
    const id = await create(
      server,
      add(
        "EMAIL ADDRESS,STATE/PROVINCE (US/CANADA)\ntest1@test.com,MA\ntest2@test.com,Test2\nnot-an-email,ON\n",
        2,
      ),
    );
    const activity = await entry(server, id);
    expect(activity.type).toBe("ADD_CONTACT_DETAIL");
    expect(activity.status).toBe("COMPLETE");
    expect(activity.transactionCount).toBe(1);
    expect(activity.errors).toEqual([
      { line: 3, email: "test2@test.com", message: 'Unknown US/Canadian state/prov "Test2"' },
      { line: 4, email: "not-an-email", message: 'Invalid email address "not-an-email"' },
    ]);
    expect(server.control.members(2).map((member) => member.email)).toEqual(["test1@test.com"]);
    for (const time of [activity.insertTime, activity.runStartTime, activity.runFinishTime])
      expect(time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("decides ADD_CONTACTS for name columns only, whatever add type was asked", async () => {
    const server = createFakeServer();
    const id = await create(server, [
      ["activityType", "ADD_CONTACT_DETAIL"],
      ["data", "EMAIL ADDRESS,FIRST NAME,LAST NAME\nann@example.com,Ann,Lee"],
      ["lists", LIST(1)],
    ]);
    expect((await entry(server, id)).type).toBe("ADD_CONTACTS");
  });

  it("refuses bad requests with 400 and a plain-text reason", async () => {
    const server = createFakeServer();
    const cases: [[string, string][], RegExp][] = [
      [
        [
          ["activityType", "ADD_STUFF"],
          ["lists", LIST(1)],
        ],
        /activityType/,
      ],
      [
        [
          ["activityType", "SV_ADD"],
          ["data", "EMAIL ADDRESS\na@b.co"],
        ],
        /lists/,
      ],
      [add("EMAIL ADDRESS,FIRST NAM\na@b.co,x", 1), /FIRST NAM/],
      [add("EMAIL ADDRESS\na@b.co", 42), /Unknown list ".*lists\/42"/],
      [
        [
          ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
          ["lists", LIST("do-not-mail")],
        ],
        /cannot be cleared/,
      ],
      [
        [
          ["activityType", "EXPORT_CONTACTS"],
          ["listId", LIST(1)],
          ["fileType", "PDF"],
        ],
        /fileType/,
      ],
      [
        [
          ["activityType", "EXPORT_CONTACTS"],
          ["listId", LIST(1)],
          ["fileType", "CSV"],
          ["columns", "SHOE SIZE"],
        ],
        /SHOE SIZE/,
      ],
    ];
    for (const [params, reason] of cases) {
      const response = await postForm(server, params);
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(text).toMatch(reason);
    }
    expect(server.control.activities()).toEqual([]);
  });

  it("answers 415 for other content types and 413 over 1,900,000 bytes of encoded data", async () => {
    const server = createFakeServer();
    const json = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(415);
    const row = "someone@example.com\n";
    const header = "EMAIL ADDRESS\n";
    const encoded = (text: string) => encodeFormBody([["data", text]]).length - 5;
    const rows = Math.floor((1_900_000 - encoded(header)) / encoded(row));
    const fits = header + row.repeat(rows);
    const over = header + row.repeat(rows + 1);
    expect(encodeFormBody([["data", fits]]).length - 5).toBeLessThanOrEqual(1_900_000);
    expect(encodeFormBody([["data", over]]).length - 5).toBeGreaterThan(1_900_000);
    expect((await postForm(server, add(fits, 1))).status).toBe(201);
    const tooBig = await postForm(server, add(over, 1));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toMatch(/1,900,000/);
  });

  it("reads an urlencoded body in the charset its content type declares, and answers 415 to one it does not know", async () => {
    const server = createFakeServer();
    const post = (charset: string, body: string) =>
      server.fetch(`${server.baseUrl}/joesflowers/activities`, {
        method: "POST",
        headers: {
          ...AUTH,
          "content-type": `application/x-www-form-urlencoded; charset=${charset}`,
        },
        body,
      });
    const lists = `&lists=${encodeURIComponent(LIST(3))}`;
    const latin1 = await post(
      "ISO-8859-1",
      `activityType=SV_ADD&data=EMAIL+ADDRESS%2CFIRST+NAME%0Arene%40example.com%2CRen%E9${lists}`,
    );
    expect(latin1.status, await latin1.clone().text()).toBe(201);
    expect(server.control.contact("rene@example.com")?.fields).toEqual({ "FIRST NAME": "René" });
    const quoted = await post(
      '"utf-8"',
      `activityType=SV_ADD&data=EMAIL+ADDRESS%2CFIRST+NAME%0Azoe%40example.com%2CZo%C3%AB${lists}`,
    );
    expect(quoted.status).toBe(201);
    expect(server.control.contact("zoe@example.com")?.fields).toEqual({ "FIRST NAME": "Zoë" });
    const unknown = await post("x-klingon", `activityType=SV_ADD${lists}`);
    expect([unknown.status, await unknown.text()]).toEqual([
      415,
      'Unsupported charset "x-klingon" in content type "application/x-www-form-urlencoded; charset=x-klingon": expected UTF-8 or another charset such as ISO-8859-1',
    ]);
  });

  it("stops reading a body sent without a Content-Length once it is over the request limit", async () => {
    const server = createFakeServer({ maxDataBytes: 1000 }); // request limit: 4 × 1,000 + 64 KiB
    const piece = new TextEncoder().encode(`data=${"a".repeat(16_379)}`); // 16 KiB
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 10_000_000) return controller.close();
        pulled += piece.length;
        controller.enqueue(piece);
      },
    });
    const response = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    } as RequestInit);
    expect([response.status, await response.text()]).toEqual([
      413,
      "Request too large: over the limit of 69,536 bytes",
    ]);
    expect(pulled).toBeLessThan(1_000_000);
  });

  it("answers 415 to a compressed body (Content-Encoding) instead of reading its bytes as text", async () => {
    const server = createFakeServer();
    const body = `activityType=CLEAR_CONTACTS_FROM_LISTS&lists=${encodeURIComponent(LIST(4))}`;
    const post = (encoding: string, data: BodyInit) =>
      server.fetch(`${server.baseUrl}/joesflowers/activities`, {
        method: "POST",
        headers: {
          ...AUTH,
          "content-type": "application/x-www-form-urlencoded",
          "content-encoding": encoding,
        },
        body: data,
      });
    const gzipped = new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"));
    const response = await post("gzip", await new Response(gzipped).arrayBuffer());
    expect([
      response.status,
      response.headers.get("accept-encoding"),
      await response.text(),
    ]).toEqual([
      415,
      "identity",
      'Unsupported content encoding "gzip": send the body uncompressed',
    ]);
    expect((await post("identity", body)).status).toBe(201);
    expect(server.control.activities()).toHaveLength(1);
  });

  it("takes a multipart dataFile: CSV text, and an Excel workbook's first sheet", async () => {
    const server = createFakeServer();
    const post = (file: { fileName: string; contentType: string; data: Uint8Array | string }) =>
      postFile(
        server,
        [
          ["activityType", "SV_ADD"],
          ["lists", LIST(3)],
        ],
        file,
      );
    const csv = await post({
      fileName: "c.csv",
      contentType: "text/csv",
      data: "Email Address,First Name\ncsv@example.com,Cee",
    });
    expect(csv.status).toBe(201);
    const sheet = XLSX.utils.aoa_to_sheet([
      ["EMAIL ADDRESS", "FIRST NAME", "CITY"],
      ["xlsx@example.com", "Ex", "Boston, MA"],
    ]);
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, sheet, "Contacts");
    for (const [bookType, fileName] of [
      ["xlsx", "c.xlsx"],
      ["biff8", "c.xls"],
    ] as const) {
      const data = new Uint8Array(XLSX.write(workbook, { type: "array", bookType }) as ArrayBuffer);
      const response = await post({ fileName, contentType: "application/octet-stream", data });
      expect(response.status, await response.clone().text()).toBe(201);
      const id = parseMinimalEntry(await response.text()).id;
      const activity = await entry(server, id);
      expect(activity.fileName).toBe(fileName);
      expect(activity.type).toBe("ADD_CONTACT_DETAIL");
    }
    expect(server.control.contact("xlsx@example.com")?.fields).toEqual({
      "FIRST NAME": "Ex",
      CITY: "Boston, MA",
    });
    expect(server.control.members(3).map((member) => member.email)).toEqual([
      "csv@example.com",
      "xlsx@example.com",
    ]);
  });

  it("takes a dataFile part sent without a filename (curl -F 'dataFile=<file') as the file, counted against the limit", async () => {
    const server = createFakeServer({ maxDataBytes: 100 });
    const post = (content: string) => {
      const body = [
        "--b0undary",
        'Content-Disposition: form-data; name="activityType"',
        "",
        "SV_ADD",
        "--b0undary",
        'Content-Disposition: form-data; name="lists"',
        "",
        LIST(3),
        "--b0undary",
        'Content-Disposition: form-data; name="dataFile"',
        "Content-Type: text/csv",
        "",
        content,
        "--b0undary--",
        "",
      ].join("\r\n");
      return server.fetch(`${server.baseUrl}/joesflowers/activities`, {
        method: "POST",
        headers: { ...AUTH, "content-type": "multipart/form-data; boundary=b0undary" },
        body,
      });
    };
    const response = await post("EMAIL ADDRESS,FIRST NAME\nplain@example.com,Pat\n");
    expect(response.status, await response.clone().text()).toBe(201);
    const activity = await entry(server, parseMinimalEntry(await response.text()).id);
    expect([activity.type, activity.status, activity.fileName]).toEqual([
      "ADD_CONTACTS",
      "COMPLETE",
      "",
    ]);
    expect(server.control.contact("plain@example.com")?.fields).toEqual({ "FIRST NAME": "Pat" });
    const tooLarge = await post(`EMAIL ADDRESS\n${"a".repeat(100)}@example.com\n`);
    expect([tooLarge.status, await tooLarge.text()]).toEqual([
      413,
      "Too much data: the file is 127 bytes, over the limit of 100; split it into batches",
    ]);
  });
});

describe("POST /activities: what jobs do to the state", () => {
  it("removes contacts from lists; a contact left on no list shows on the removed list", async () => {
    const server = createFakeServer();
    await create(server, add("EMAIL ADDRESS\na@example.com\nb@example.com", 1, 2));
    await create(server, [
      ["activityType", "REMOVE_CONTACTS_FROM_LISTS"],
      ["data", "EMAIL ADDRESS\na@example.com"],
      ["lists", LIST(1)],
      ["lists", LIST(2)],
    ]);
    await create(server, [
      ["activityType", "REMOVE_CONTACTS_FROM_LISTS"],
      ["data", "EMAIL ADDRESS\nB@example.com"],
      ["lists", LIST(1)],
    ]);
    expect(server.control.members(1)).toEqual([]);
    expect(server.control.members(2).map((member) => member.email)).toEqual(["b@example.com"]);
    expect(server.control.members("removed").map((member) => member.email)).toEqual([
      "a@example.com",
    ]);
    expect(server.control.contact("a@example.com")?.status).toBe("removed");
  });

  it("clears lists, leaving the contacts in the account", async () => {
    const server = createFakeServer();
    await create(server, add("EMAIL ADDRESS\na@example.com\nb@example.com", 4));
    const id = await create(server, [
      ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
      ["lists", LIST(4)],
    ]);
    expect((await entry(server, id)).transactionCount).toBe(2);
    expect(server.control.members(4)).toEqual([]);
    expect(server.control.contacts().map((contact) => contact.email)).toEqual([
      "a@example.com",
      "b@example.com",
    ]);
  });

  it("refuses to clear a numbered list that bears one of the named lists' names, as ADR 0004 says", async () => {
    const server = createFakeServer({
      seed: {
        lists: [
          { id: 6, name: "Awaiting Confirmation" },
          { id: 7, name: " all " },
          { id: 8, name: "Customers" },
        ],
        contacts: [{ email: "kept@example.com", lists: [6, 7, 8] }],
      },
    });
    for (const id of [6, 7]) {
      const response = await postForm(server, [
        ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
        ["lists", LIST(8)],
        ["lists", LIST(id)],
      ]);
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(
        `List "${LIST(id)}" cannot be cleared: the named lists (Do-Not-Mail, Removed, Awaiting Confirmation, All, Active) cannot be cleared`,
      );
    }
    expect(server.control.members(6).map((member) => member.email)).toEqual(["kept@example.com"]);
    expect(server.control.members(8).map((member) => member.email)).toEqual(["kept@example.com"]);
    await create(server, [
      ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
      ["lists", LIST(8)],
    ]);
    expect(server.control.members(8)).toEqual([]);
  });

  it("exports a list with the asked columns, options and order, as CSV or TXT", async () => {
    const server = createFakeServer({ clock: "manual", now: "2026-03-01T00:00:00Z", jobDelay: 10 });
    await create(server, add("EMAIL ADDRESS,FIRST NAME,CITY\nzed@example.com,Zed,Oslo", 2));
    server.control.advance(60_000);
    await create(server, add('EMAIL ADDRESS,FIRST NAME,CITY\namy@example.com,Amy,"Boston, MA"', 2));
    server.control.advance(60_000);
    const csvId = await create(server, [
      ["activityType", "EXPORT_CONTACTS"],
      ["listId", LIST(2)],
      ["fileType", "CSV"],
      ["columns", "CITY"],
      ["columns", "FIRST NAME"],
      ["exportOptDate", "true"],
      ["exportListName", "true"],
      ["sortBy", "DATE_DESC"],
    ]);
    const txtId = await create(server, [
      ["activityType", "EXPORT_CONTACTS"],
      ["listId", LIST(2)],
      ["fileType", "TXT"],
      ["columns", "EMAIL ADDRESS"],
    ]);
    expect((await get(server, `/activities/${csvId}.csv`)).status).toBe(404);
    server.control.runJobs();
    const exported = await entry(server, csvId);
    expect(exported.fileName).toBe(
      `http://api.constantcontact.com/ws/customers/joesflowers/activities/${csvId}.csv`,
    );
    expect(exported.editMediaLink).toBe(exported.fileName);
    expect(exported.transactionCount).toBe(2);
    const csv = await get(server, `/activities/${csvId}.csv`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe(
      [
        "EMAIL ADDRESS,FIRST NAME,CITY,ADD/REMOVE DATE,LIST NAME",
        'amy@example.com,Amy,"Boston, MA",2026-03-01T00:01:00.030Z,VIP customers',
        "zed@example.com,Zed,Oslo,2026-03-01T00:00:00.030Z,VIP customers",
        "",
      ].join("\n"),
    );
    expect(await (await get(server, `/activities/${txtId}.txt`)).text()).toBe(
      "EMAIL ADDRESS\namy@example.com\nzed@example.com\n",
    );
    expect((await get(server, `/activities/${txtId}.csv`)).status).toBe(404);
  });

  it("exports a system list (do-not-mail), as the seeds allow", async () => {
    const server = createFakeServer({
      seed: { contacts: [{ email: "stop@example.com", status: "do-not-mail" }] },
    });
    const id = await create(server, [
      ["activityType", "EXPORT_CONTACTS"],
      ["listId", LIST("do-not-mail")],
      ["fileType", "CSV"],
    ]);
    expect(await (await get(server, `/activities/${id}.csv`)).text()).toBe(
      "EMAIL ADDRESS\nstop@example.com\n",
    );
  });
});

describe("jobs on a clock the test controls", () => {
  it("moves PENDING → QUEUED → RUNNING → COMPLETE one jobDelay at a time, and only then changes the state", async () => {
    const server = createFakeServer({ clock: "manual", jobDelay: 1000 });
    const id = await create(server, add("EMAIL ADDRESS\nann@example.com", 1));
    const statuses = [(await entry(server, id)).status];
    for (let step = 0; step < 3; step++) {
      expect(server.control.members(1)).toEqual([]);
      server.control.advance(1000);
      statuses.push((await entry(server, id)).status);
    }
    expect(statuses).toEqual(["PENDING", "QUEUED", "RUNNING", "COMPLETE"]);
    expect(server.control.members(1).map((member) => member.email)).toEqual(["ann@example.com"]);
    const final = await entry(server, id);
    expect(Date.parse(final.runFinishTime!) - Date.parse(final.insertTime!)).toBe(3000);
  });

  it("runs a clear and a later add on the same list in order, whatever the clock", async () => {
    const server = createFakeServer({ clock: "manual", jobDelay: 500 });
    server.control.addContacts([{ email: "old@example.com", lists: [2] }]);
    await create(server, [
      ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
      ["lists", LIST(2)],
    ]);
    const addId = await create(server, add("EMAIL ADDRESS\nnew@example.com", 2));
    server.control.advance(1000);
    expect((await entry(server, addId)).status).toBe("QUEUED");
    server.control.advance(10_000);
    expect(server.control.members(2).map((member) => member.email)).toEqual(["new@example.com"]);
    const [clear, added] = server.control.activities().reverse();
    expect(Date.parse(added!.runStartTime!)).toBeGreaterThanOrEqual(
      Date.parse(clear!.runFinishTime!),
    );
  });

  it("forgets activities after 14 days by the server clock (404, and gone from the feed)", async () => {
    const server = createFakeServer({ clock: "manual", jobDelay: 0 });
    const id = await create(server, add("EMAIL ADDRESS\nann@example.com", 1));
    server.control.advance(RETENTION_MS);
    expect((await get(server, `/activities/${id}`)).status).toBe(200);
    server.control.advance(1);
    expect((await get(server, `/activities/${id}`)).status).toBe(404);
    expect(parseActivityFeed(await (await get(server, "/activities")).text()).entries).toEqual([]);
  });
});

describe("GET /activities: the feed", () => {
  it("pages at 50, newest first, with absolute-path next links and first/current on the last page", async () => {
    const server = createFakeServer({ clock: "manual", jobDelay: 0 });
    const ids: string[] = [];
    for (let index = 0; index < 120; index++) {
      ids.push(await create(server, add(`EMAIL ADDRESS\nc${index}@example.com`, 1)));
      server.control.advance(1);
    }
    const seen: string[] = [];
    let path: string | undefined = "/activities";
    const pages: number[] = [];
    while (path !== undefined) {
      const xml = await (await get(server, path)).text();
      parseXml(xml);
      const feed = parseActivityFeed(xml);
      pages.push(feed.entries.length);
      seen.push(...feed.entries.map((activity) => activity.id));
      if (feed.nextLink === undefined) {
        expect(feed.firstLink).toBe("/ws/customers/joesflowers/activities");
        expect(feed.currentLink).toMatch(/^\/ws\/customers\/joesflowers\/activities\?next=a07e/);
      } else {
        expect(feed.nextLink).toMatch(
          /^\/ws\/customers\/joesflowers\/activities\?next=a07e[a-z0-9]{15}$/,
        );
      }
      path = feed.nextLink?.replace("/ws/customers/joesflowers", "");
    }
    expect(pages).toEqual([50, 50, 20]);
    expect(seen).toEqual([...ids].reverse());
  });
});

describe("faults around activities", () => {
  it("a lost response leaves the job created while the client sees a network error", async () => {
    const server = createFakeServer({
      faults: [
        { route: "POST /ws/customers/:username/activities", kind: "lose-response", times: 1 },
      ],
    });
    await expect(postForm(server, add("EMAIL ADDRESS\nann@example.com", 1))).rejects.toThrow(
      TypeError,
    );
    expect(server.control.activities()).toHaveLength(1);
    expect(server.control.members(1).map((member) => member.email)).toEqual(["ann@example.com"]);
    const [request] = server.control.requests();
    expect([request?.status, request?.fault, request?.activityId]).toEqual([
      0,
      "lose-response",
      server.control.activities()[0]?.id,
    ]);
  });

  it("a job-error fault ends the created activity in ERROR and leaves the state alone", async () => {
    const server = createFakeServer({ faults: [{ kind: "job-error", times: 1 }] });
    const id = await create(server, add("EMAIL ADDRESS\nann@example.com", 1));
    const activity = await entry(server, id);
    expect(activity.status).toBe("ERROR");
    expect(activity.errors[0]?.message).toMatch(/failed/);
    expect(server.control.members(1)).toEqual([]);
  });

  it("records requests with their parsed parameters and sizes", async () => {
    const server = createFakeServer();
    const params = add("EMAIL ADDRESS\nann@example.com", 1);
    await postForm(server, params);
    const [request] = server.control.requests();
    expect(request).toMatchObject({
      method: "POST",
      path: "/ws/customers/joesflowers/activities",
      contentType: "application/x-www-form-urlencoded",
      status: 201,
      params,
      dataBytes: encodeFormBody([["data", params[1]![1]]]).length - 5,
    });
    expect(request?.bodyBytes).toBe(new URLSearchParams(params).toString().length);
  });
});

describe("POST /activities: unreadable uploads", () => {
  it("answers 400 naming the file when a workbook cannot be read", async () => {
    const server = createFakeServer();
    const response = await postFile(
      server,
      [
        ["activityType", "SV_ADD"],
        ["lists", LIST(1)],
      ],
      {
        fileName: "broken.xlsx",
        contentType: "application/octet-stream",
        data: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]),
      },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Unreadable spreadsheet "broken\.xlsx"/);
  });
});

describe("POST /activities: all six types in both encodings", () => {
  const file = "EMAIL ADDRESS,FIRST NAME,CITY\nann@example.com,Ann,Oslo\n";
  const cases: [string, [string, string][], boolean, string][] = [
    ["SV_ADD", [["lists", LIST(1)]], true, "ADD_CONTACT_DETAIL"],
    ["ADD_CONTACTS", [["lists", LIST(1)]], true, "ADD_CONTACT_DETAIL"],
    ["ADD_CONTACT_DETAIL", [["lists", LIST(1)]], true, "ADD_CONTACT_DETAIL"],
    ["REMOVE_CONTACTS_FROM_LISTS", [["lists", LIST(1)]], true, "REMOVE_CONTACTS_FROM_LISTS"],
    ["CLEAR_CONTACTS_FROM_LISTS", [["lists", LIST(1)]], false, "CLEAR_CONTACTS_FROM_LISTS"],
    [
      "EXPORT_CONTACTS",
      [
        ["listId", LIST(1)],
        ["fileType", "CSV"],
      ],
      false,
      "EXPORT_CONTACTS",
    ],
  ];
  for (const [activityType, params, withFile, reported] of cases) {
    it(`creates ${activityType} from a form-urlencoded body and from the platform's multipart FormData`, async () => {
      const server = createFakeServer();
      const urlencoded = await postForm(server, [
        ["activityType", activityType],
        ...(withFile ? ([["data", file]] as [string, string][]) : []),
        ...params,
      ]);
      expect(urlencoded.status, await urlencoded.clone().text()).toBe(201);
      const form = new FormData();
      form.append("activityType", activityType);
      if (withFile) form.append("dataFile", new File([file], "contacts.csv", { type: "text/csv" }));
      for (const [name, value] of params) form.append(name, value);
      const multipart = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
        method: "POST",
        headers: AUTH,
        body: form,
      });
      expect(multipart.status, await multipart.clone().text()).toBe(201);
      const types = server.control.activities().map((activity) => activity.type);
      expect(types).toEqual([reported, reported]);
      expect(server.control.activities().map((activity) => activity.status)).toEqual([
        "COMPLETE",
        "COMPLETE",
      ]);
    });
  }
});
