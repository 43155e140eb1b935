// XML mapping: parseActivityFeed() (the whole path: DOCTYPE refusal, parse, shape checks, mapping to
// typed activities with ISO dates and all Errors) vs fast-xml-parser's bare parse of the same text
// with the same options, ms medians of interleaved runs. Goal: at most 1.1x the bare parse.
// A feed of 10,000 entries (quick: 500), a fifth of them with per-line errors, a tenth exports.
//   pnpm bench --filter xml
import { compare, interleave, quick, report } from "@ctct-bulk/bench";
import { XMLParser } from "fast-xml-parser";
import { XML_PARSER_OPTIONS } from "../src/_xml-reader.ts";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "../src/activity.ts";
import { type Activity, parseActivityFeed, renderActivityFeed } from "../src/xml.ts";

const entryCount = quick ? 500 : 10_000;
const rounds = quick ? 7 : 15;
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

function time(action: () => unknown): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

// Warm both paths up before measuring.
for (let i = 0; i < 3; i++) {
  parseActivityFeed(xml);
  parser.parse(xml);
}

const samples = await interleave(
  rounds,
  () => time(() => parseActivityFeed(xml)),
  () => time(() => parser.parse(xml)),
);
report(
  compare(samples, {
    name: `core: parseActivityFeed() of ${entryCount.toLocaleString("en-US")} entries`,
    unit: "ms",
    baselineName: "fast-xml-parser parse (same options)",
    higherIsBetter: false,
    goalRatio: 1.1,
    extra: { entries: entryCount, megabytes: Number((xml.length / 1e6).toFixed(2)), rounds },
  }),
);
