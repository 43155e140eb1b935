// A 1.9 MB add (~20,000 contacts) POSTed to the in-process fake server with the immediate clock:
// decoded, checked, its file read, the job run (every row validated and stored on two lists) and
// the 201 answered, in contacts/s — beside the raw core decode of the same body (decodeFormBody
// alone), the floor any server built on core pays. Medians of interleaved runs, a fresh server
// each run. BENCH_QUICK=1 → ~200 contacts.
//   pnpm bench --filter fake-server
import { compare, interleave, quick, report } from "@ctct-bulk/bench";
import { decodeFormBody, encodeFormBody } from "@ctct-bulk/core";
import { createFakeServer, DEFAULT_ACCOUNT } from "../src/mod.ts";

const LIMIT = 1_900_000;
const targetContacts = quick ? 200 : 1_000_000; // full: as many as fit in 1,900,000 bytes
const rounds = quick ? 3 : 7;
const cities = ["Boston", "Portland, ME", "Springfield", "Austin", "Toronto"];
const states = ["MA", "ME", "IL", "TX", "ON"];

function buildData(): { data: string; contacts: number } {
  const lines = [
    "EMAIL ADDRESS,FIRST NAME,LAST NAME,COMPANY NAME,CITY,STATE/PROVINCE (US/CANADA),POSTAL CODE",
  ];
  let size = encodeFormBody([["data", lines[0]!]]).length - 5;
  for (let index = 0; index < targetContacts; index++) {
    const city = cities[index % cities.length]!;
    const cityField = city.includes(",") ? `"${city}"` : city;
    const line = `contact${index}@example${index % 97}.com,First${index % 89},Last${index % 83},Company ${index % 71},${cityField},${states[index % states.length]},0${1000 + (index % 9000)}`;
    const bytes = encodeFormBody([["data", `\n${line}`]]).length - 5;
    if (size + bytes > LIMIT) break;
    lines.push(line);
    size += bytes;
  }
  return { data: lines.join("\n"), contacts: lines.length - 1 };
}

const { data, contacts } = buildData();
const list = (id: number) => `http://api.constantcontact.com/ws/customers/joesflowers/lists/${id}`;
const body = encodeFormBody([
  ["activityType", "SV_ADD"],
  ["data", data],
  ["lists", list(1)],
  ["lists", list(2)],
]);
const dataBytes = encodeFormBody([["data", data]]).length - 5;
const authorization = `Basic ${btoa(`${DEFAULT_ACCOUNT.apiKey}%${DEFAULT_ACCOUNT.username}:${DEFAULT_ACCOUNT.password}`)}`;

async function addThroughServer(): Promise<number> {
  const server = createFakeServer();
  const started = performance.now();
  const response = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  if (response.status !== 201)
    throw new Error(`Expected 201, got ${response.status}: ${await response.text()}`);
  const [activity] = server.control.activities();
  const elapsed = performance.now() - started;
  if (activity?.status !== "COMPLETE" || activity.transactionCount !== contacts)
    throw new Error(`The add did not complete: ${JSON.stringify(activity)}`);
  return contacts / (elapsed / 1000);
}

function decodeOnly(): number {
  const started = performance.now();
  const params = decodeFormBody(body);
  const elapsed = performance.now() - started;
  if (params.length !== 4) throw new Error("Unexpected decode");
  return contacts / (elapsed / 1000);
}

await addThroughServer(); // warm-up
decodeOnly();
const samples = await interleave(rounds, addThroughServer, decodeOnly);
report(
  compare(samples, {
    name: `fake-server: ${(dataBytes / 1e6).toFixed(2)} MB add of ${contacts.toLocaleString("en-US")} contacts, accepted and processed`,
    unit: "contacts/s",
    baselineName: "core decodeFormBody() of the same body",
    higherIsBetter: true,
    extra: { contacts, encodedDataBytes: dataBytes, bodyBytes: body.length },
  }),
);
