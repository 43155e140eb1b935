// XML mapping: parseActivityFeed() (the whole path: DOCTYPE refusal, parse, shape checks, mapping to
// typed activities with ISO dates and all Errors) vs fast-xml-parser's bare parse of the same text
// with the same options, medians of interleaved runs in CPU ms (wall ms beside them). Goal: at most
// 1.1x the bare parse.
// A feed of 10,000 entries (quick: 500), a fifth of them with per-line errors, a tenth exports.
//   pnpm bench --filter xml
import { compare, interleave, quick, report } from "@ctct-bulk/bench";
import { XMLParser } from "fast-xml-parser";
import { XML_PARSER_OPTIONS } from "../src/_xml-reader.ts";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "../src/activity.ts";
import { type Activity, parseActivityFeed, renderActivityFeed } from "../src/xml.ts";

const entryCount = quick ? 500 : 10_000;
const rounds = quick ? 21 : 15;
const warmUps = quick ? 15 : 3;
const base = "http://api.constantcontact.com/ws/customers/joesflowers";

function activity(index: number): Activity {
  const id = `a07e${index.toString(36).padStart(15, "0")}`;
  const type = ACTIVITY_TYPES[index % ACTIVITY_TYPES.length]!;
  const time = Date.UTC(2008, 5, 25) + index * 61_000;
  const errors =
    index % 5 === 0
      ? Array.from({ length: 3 }, (_, n) => ({
          line: n + 3,
          email: `user${index}.${n}@example.com`,
          message: `Unknown US/Canadian state/prov "Test${n}" & more`,
        }))
      : [];
  return {
    uri: `${base}/activities/${id}`,
    id,
    type,
    status: ACTIVITY_STATUSES[index % ACTIVITY_STATUSES.length]!,
    fileName: type === "EXPORT_CONTACTS" ? `${base}/activities/${id}.csv` : "",
    transactionCount: index % 1000,
    errors,
    errorCount: errors.length,
    insertTime: new Date(time).toISOString(),
    runStartTime: new Date(time + 20_000).toISOString(),
    runFinishTime: new Date(time + 25_000).toISOString(),
    updated: new Date(time + 25_000).toISOString(),
    editLink: `/ws/customers/joesflowers/activities/${id}`,
    editMediaLink: type === "EXPORT_CONTACTS" ? `${base}/activities/${id}.csv` : undefined,
  };
}

const xml = renderActivityFeed({
  id: `${base}/activities`,
  title: "Bulk Activity",
  author: "joesflowers",
  updated: "2008-06-27T16:29:26.723Z",
  nextLink: "/ws/customers/joesflowers/activities?next=a07e1ffaxjxffmvj6qd",
  entries: Array.from({ length: entryCount }, (_, index) => activity(index)),
});
const parser = new XMLParser(XML_PARSER_OPTIONS);

// Both sides must do their whole work: check once that each reads every entry.
if (parseActivityFeed(xml).entries.length !== entryCount)
  throw new Error("parseActivityFeed() lost entries");
if ((parser.parse(xml) as { feed: { entry: unknown[] } }).feed.entry.length !== entryCount)
  throw new Error("The bare parse lost entries");

// CPU time of this process (all its threads, GC helpers included), not wall time: other engineers'
// jobs share these 2 cores and steal wall time from one side or the other at random. Node's
// `process`, declared here because core type-checks without Node's types.
declare const process: { cpuUsage(): { user: number; system: number } };
const wallTimes = { candidate: [] as number[], baseline: [] as number[] };

function cpuTime(side: keyof typeof wallTimes, action: () => unknown): number {
  const wallStart = performance.now();
  const start = process.cpuUsage();
  action();
  const used = process.cpuUsage();
  wallTimes[side].push(performance.now() - wallStart);
  return (used.user - start.user + used.system - start.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Warm both paths up before measuring.
for (let i = 0; i < warmUps; i++) {
  parseActivityFeed(xml);
  parser.parse(xml);
}

const samples = await interleave(
  rounds,
  () => cpuTime("candidate", () => parseActivityFeed(xml)),
  () => cpuTime("baseline", () => parser.parse(xml)),
);
report(
  compare(samples, {
    name: `core: parseActivityFeed() of ${entryCount.toLocaleString("en-US")} entries`,
    unit: "ms CPU",
    baselineName: "fast-xml-parser parse (same options)",
    higherIsBetter: false,
    goalRatio: 1.1,
    extra: {
      entries: entryCount,
      megabytes: Number((xml.length / 1e6).toFixed(2)),
      rounds,
      wallMs: Math.round(median(wallTimes.candidate)),
      baselineWallMs: Math.round(median(wallTimes.baseline)),
    },
  }),
);
