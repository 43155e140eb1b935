import { parseActivityEntry, parseMinimalEntry } from "@ctct-bulk/core";
import { describe, expect, it } from "vitest";
import { get, listUriOf, postFile, postForm } from "./_test_helpers.ts";
import { createFakeServer, type FakeServer } from "./fake-server.ts";

async function created(server: FakeServer, params: [string, string][]): Promise<string> {
  const response = await postForm(server, params);
  expect(response.status).toBe(201);
  return parseMinimalEntry(await response.text()).id;
}

describe("createFakeServer() options and edge cases", () => {
  it("writes Errors as a count or as 'Line N: …' strings when asked (the shapes seen in the wild)", async () => {
    const data = "EMAIL ADDRESS\nok@example.com\nbad-address";
    for (const [errorsShape, expected] of [
      ["count", "<Errors>1</Errors>"],
      ["lines", 'Line 3: Invalid email address "bad-address"'],
    ] as const) {
      const server = createFakeServer({ errorsShape });
      const id = await created(server, [
        ["activityType", "SV_ADD"],
        ["data", data],
        ["lists", listUriOf(1)],
      ]);
      const xml = await (await get(server, `/activities/${id}`)).text();
      expect(xml).toContain(expected);
      expect(parseActivityEntry(xml).errorCount).toBe(1);
    }
  });

  it("answers 413 for a multipart dataFile over the data limit", async () => {
    const server = createFakeServer({ maxDataBytes: 100 });
    const response = await postFile(
      server,
      [
        ["activityType", "SV_ADD"],
        ["lists", listUriOf(1)],
      ],
      {
        fileName: "big.csv",
        contentType: "text/csv",
        data: `EMAIL ADDRESS\n${"a@example.com\n".repeat(10)}`,
      },
    );
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(
      /Too much data: the file "big\.csv" is 154 bytes, over the limit of 100/,
    );
  });

  it("ends a job in ERROR, changing nothing, when its file breaks off past the header", async () => {
    const server = createFakeServer();
    const id = await created(server, [
      ["activityType", "SV_ADD"],
      ["data", 'EMAIL ADDRESS,CITY\nfirst@example.com,Oslo\nsecond@example.com,"Bergen'],
      ["lists", listUriOf(1)],
    ]);
    const activity = parseActivityEntry(await (await get(server, `/activities/${id}`)).text());
    expect(activity.status).toBe("ERROR");
    expect(activity.errors[0]?.line).toBe(3);
    expect(server.control.members(1)).toEqual([]);
  });

  it("refuses adds and removes that name a system list, since only numbered lists hold members", async () => {
    const server = createFakeServer();
    const response = await postForm(server, [
      ["activityType", "SV_ADD"],
      ["data", "EMAIL ADDRESS\na@example.com"],
      ["lists", listUriOf("active")],
    ]);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/"active"/);
  });

  it("keeps a realistic-clock job PENDING until its first step is due", async () => {
    const server = createFakeServer({ clock: "realistic", jobDelay: 3_600_000 });
    const id = await created(server, [
      ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
      ["lists", listUriOf(1)],
    ]);
    expect(server.control.activity(id)?.status).toBe("PENDING");
    server.control.advance(3_600_000);
    expect(server.control.activity(id)?.status).toBe("QUEUED");
    server.control.runJobs();
    expect(server.control.activity(id)?.status).toBe("COMPLETE");
  });

  it("gives the same activity ids for the same random seed, and others for another", async () => {
    const ids = async (randomSeed: number) => {
      const server = createFakeServer({ randomSeed });
      return [
        await created(server, [
          ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
          ["lists", listUriOf(1)],
        ]),
        await created(server, [
          ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
          ["lists", listUriOf(2)],
        ]),
      ];
    };
    expect(await ids(42)).toEqual(await ids(42));
    expect(await ids(43)).not.toEqual(await ids(42));
  });

  it("refuses unknown clocks and start times with a message naming the value", () => {
    expect(() => createFakeServer({ clock: "warp" as "manual" })).toThrow(/Invalid clock "warp"/);
    expect(() => createFakeServer({ now: "yesterday" })).toThrow(/Invalid start time "yesterday"/);
  });
});
