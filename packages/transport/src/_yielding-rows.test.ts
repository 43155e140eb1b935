import { openContactFile } from "@ctct-bulk/core";
import { describe, expect, it } from "vitest";
import { nextTurn, yieldingTable } from "./_yielding-rows.ts";

const text = `EMAIL ADDRESS,CITY\n${Array.from({ length: 1_000 }, (_, i) => `u${i}@example.com,C${i}\n`).join("")}`;

describe("yieldingTable", () => {
  it("hands over the same rows in the same batches and order as the table it wraps", async () => {
    const expected: unknown[] = [];
    for await (const batch of (await openContactFile(text)).batches!) expected.push(batch);
    const table = yieldingTable(await openContactFile(text), 0);
    const got: unknown[] = [];
    for await (const batch of table.batches!) got.push(batch);
    expect(got).toEqual(expected);
    expect(got.length).toBeGreaterThan(1);
    expect(table.header).toEqual((await openContactFile(text)).header);
  });

  it("lets the event loop's callbacks run while a source in memory is read", async () => {
    // Without the turns, reading text in memory is one chain of promise callbacks: an I/O or
    // setImmediate callback waiting meanwhile runs only after the last row.
    const order: string[] = [];
    let batches = 0;
    setImmediate(() => order.push(`immediate after ${batches} batches`));
    for await (const _ of yieldingTable(await openContactFile(text), 0).batches!) batches++;
    order.push(`done after ${batches} batches`);
    expect(order[0]).toBe("immediate after 1 batches");

    const plain: string[] = [];
    setImmediate(() => plain.push("immediate"));
    for await (const _ of (await openContactFile(text)).batches!);
    plain.push("done");
    expect(plain).toEqual(["done"]);
    await nextTurn();
    expect(plain).toEqual(["done", "immediate"]);
  });

  it("returns a table without batches as it is", () => {
    const table = { header: { names: [] }, rows: (async function* () {})() } as never;
    expect(yieldingTable(table)).toBe(table);
  });
});
