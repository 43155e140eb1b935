// Shared by the app's tests: a configuration, a store, and signed requests.
import { parseWebhookConfig, type WebhookConfig } from "../src/config.ts";
import { signWebhook } from "../src/signature.ts";

export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const OLD_SECRET: string = `whsec_${btoa("the secret before rotation")}`;
export const API_KEY = "test-api-key-do-not-log";
export const PASSWORD = "test-password-do-not-log";
export const LIST = (id: number | string, username = "joesflowers"): string =>
  `http://api.constantcontact.com/ws/customers/${username}/lists/${id}`;

export function testConfig(overrides: Record<string, unknown> = {}): WebhookConfig {
  return parseWebhookConfig({
    accounts: [
      { username: "joesflowers", apiKey: API_KEY, password: PASSWORD },
      { username: "otheraccount", accessToken: "test-token-do-not-log" },
    ],
    partners: [
      {
        id: "shop",
        secrets: [SECRET, OLD_SECRET],
        accounts: { joesflowers: { lists: ["1", "2", "3"] } },
        fieldMapping: {
          email: "EMAIL ADDRESS",
          first_name: "FIRST NAME",
          last_name: "LAST NAME",
          state: "STATE/PROVINCE (US/CANADA)",
        },
      },
      {
        id: "crm",
        secrets: [SECRET],
        accounts: { joesflowers: { lists: ["1"] }, otheraccount: { lists: ["9"] } },
        rateLimit: { requestsPerSecond: 1, burst: 2 },
      },
    ],
    limits: { maxBodyBytes: 64 * 1024 },
    ...overrides,
  });
}

let counter = 0;

export interface SignedOptions {
  partner?: string;
  id?: string;
  timestamp?: number;
  secret?: string;
  contentType?: string;
  query?: string;
  now?: number;
}

export async function signedRequest(
  body: string | Uint8Array | object,
  options: SignedOptions = {},
): Promise<Request> {
  const text = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const id = options.id ?? `msg_${++counter}_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? Math.floor((options.now ?? Date.now()) / 1000);
  const signature = await signWebhook(options.secret ?? SECRET, id, timestamp, text);
  return new Request(
    `http://webhook.test/v1/partners/${options.partner ?? "shop"}/pushes${options.query ? `?${options.query}` : ""}`,
    {
      method: "POST",
      headers: {
        "content-type": options.contentType ?? "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signature,
      },
      body: text as BodyInit,
    },
  );
}

export function addPush(emails: string[], lists: string[] = ["1"]): object {
  return {
    action: "add",
    lists,
    contacts: emails.map((email) => ({ email, first_name: "Test" })),
  };
}
