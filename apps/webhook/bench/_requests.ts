// What the webhook benches send: the bench partner's secret and paths, the pushes (each signed
// with a webhook id used once) and bare JSON POSTs prepared before a run, and one autocannon run
// of them. Shared by pushes.bench.ts, cpu-per-request.ts and handler-cpu-ab.ts.
import { createHmac, createSecretKey } from "node:crypto";
import autocannon from "autocannon";

/** The bench partner's signing secret (the Standard Webhooks test vector's). */
export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
// a KeyObject: with raw bytes, createHmac costs five times as much (it tries the key as a
// KeyObject and a CryptoKey first, by throwing)
const KEY = createSecretKey(Buffer.from(SECRET.slice("whsec_".length), "base64"));
export const PUSH_PATH = "/v1/partners/bench/pushes";

/**
 * The benches' service configuration, as given to parseWebhookConfig (each bench parses it with
 * the config.ts it measures): one account, and the bench partner allowed list 1.
 */
export const BENCH_CONFIG: Record<string, unknown> = {
  accounts: [{ username: "joesflowers", apiKey: "bench-key", password: "bench-password" }],
  partners: [
    {
      id: "bench",
      secrets: [SECRET],
      accounts: { joesflowers: { lists: ["1"] } },
      fieldMapping: { email: "EMAIL ADDRESS", first: "FIRST NAME" },
    },
  ],
};
export const BARE_PATH = "/bare";

/** One request's headers and body, built before a run. */
export interface Prepared {
  headers: Record<string, string>;
  body: string;
}

let counter = 0;
const run = `${process.pid}_${Date.now()}`;

/**
 * `count` distinct requests for `path`: signed pushes (each a webhook id of its own, so that none
 * is answered as a cheaper replay) for PUSH_PATH, the same JSON unsigned for anything else.
 */
export function prepareRequests(path: string, count: number, emailPrefix = "bench"): Prepared[] {
  const timestamp = Math.floor(Date.now() / 1000);
  const prepared: Prepared[] = [];
  for (let i = 0; i < count; i++) {
    counter++;
    const body = `{"action":"add","lists":["1"],"contacts":[{"email":"${emailPrefix}${counter}@example.com","first":"Bench"}]}`;
    if (path !== PUSH_PATH) {
      prepared.push({ headers: { "content-type": "application/json" }, body });
      continue;
    }
    const id = `msg_${run}_${counter}`;
    const mac = createHmac("sha256", KEY).update(`${id}.${timestamp}.${body}`).digest("base64");
    prepared.push({
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": `v1,${mac}`,
      },
      body,
    });
  }
  return prepared;
}

/**
 * One autocannon run of prepared requests against the server on `port`; throws if any failed,
 * or if a push would have been sent twice (a replay costs less than a store).
 */
export async function drive(
  port: number,
  path: string,
  prepared: readonly Prepared[],
  options: { duration: number; overallRate?: number; connections?: number },
): Promise<autocannon.Result> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections ?? 50,
    duration: options.duration,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: "POST",
        path,
        setupRequest: (request: autocannon.Request) => {
          const { headers, body } = prepared[next++ % prepared.length]!;
          request.headers = headers;
          request.body = body;
          return request;
        },
      },
    ],
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${path}: ${bad} requests failed (non-2xx, errors or timeouts)`);
  if (path === PUSH_PATH && next > prepared.length) {
    throw new Error(`${path}: more requests than prepared (${next})`);
  }
  return result;
}
