import { describe, expect, it } from "vitest";
import { resolveApiUrl } from "./_api-urls.ts";
import { createHttpContext, type HttpContext, type RequestEvent } from "./_context.ts";
import { sendWithRetry } from "./_http.ts";
import { bodyExcerpt } from "./_response-errors.ts";
import { SECRETS, scriptedFetch, text } from "./_test_scripted-fetch.ts";
import { createVirtualClock } from "./clock.ts";
import { CtctError } from "./ctct-error.ts";
import { BadRequestError } from "./errors/bad-request-error.ts";
import { InvalidRequestError } from "./errors/invalid-request-error.ts";
import { MethodNotAllowedError } from "./errors/method-not-allowed-error.ts";
import { NetworkError } from "./errors/network-error.ts";
import { RateLimitedError } from "./errors/rate-limited-error.ts";
import { ServerError } from "./errors/server-error.ts";
import { TimeoutError } from "./errors/timeout-error.ts";
import { UnauthorizedError } from "./errors/unauthorized-error.ts";

function context(
  script: Parameters<typeof scriptedFetch>[0],
  settings: Partial<Parameters<typeof createHttpContext>[0]> = {},
) {
  const scripted = scriptedFetch(script);
  const clock = createVirtualClock(1_700_000_000_000);
  const events: RequestEvent[] = [];
  const http: HttpContext = createHttpContext({
    username: "joesflowers",
    apiKey: SECRETS.apiKey,
    password: SECRETS.password,
    baseUrl: "https://api.example.test/ws/customers",
    fetch: scripted.fetch,
    clock,
    random: () => 0.5,
    rateLimit: false,
    onRequest: (event) => events.push(event),
    ...settings,
  } as Parameters<typeof createHttpContext>[0]);
  return { http, clock, events, requests: scripted.requests };
}

const url = "https://api.example.test/ws/customers/joesflowers/activities";

describe("sendWithRetry()", () => {
  it("sends HTTP Basic credentials as {apiKey}%{username}:{password} and a user agent", async () => {
    const { http, requests } = context([text(200, "ok")]);
    await sendWithRetry(http, { method: "GET", url });
    const header = requests[0]!.headers.get("authorization")!;
    expect(header.startsWith("Basic ")).toBe(true);
    expect(atob(header.slice(6))).toBe(`${SECRETS.apiKey}%joesflowers:${SECRETS.password}`);
    expect(requests[0]!.headers.get("user-agent")).toMatch(/^ctct-bulk-transport\//);
  });

  it("sends an access token as a Bearer token", async () => {
    const { http, requests } = context([text(200)], {
      apiKey: undefined,
      password: undefined,
      accessToken: SECRETS.accessToken,
    } as never);
    await sendWithRetry(http, { method: "GET", url });
    expect(requests[0]!.headers.get("authorization")).toBe(`Bearer ${SECRETS.accessToken}`);
  });

  it("retries a GET on 503 and 500 and resolves with the first success", async () => {
    const { http, requests, clock } = context([text(503), text(500), text(200, "fine")]);
    const response = await sendWithRetry(http, { method: "GET", url });
    expect(await response.text()).toBe("fine");
    expect(requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[1]!).toBeGreaterThan(clock.sleeps[0]!);
  });

  it("never retries sooner than Retry-After, in seconds or as an HTTP date", async () => {
    const { http, clock } = context([
      text(429, "Too many", { "retry-after": "7" }),
      text(503, "Busy", {
        "retry-after": new Date(1_700_000_000_000 + 7_000 + 12_000).toUTCString(),
      }),
      text(200),
    ]);
    await sendWithRetry(http, { method: "GET", url });
    expect(clock.sleeps[0]!).toBeGreaterThanOrEqual(7_000);
    expect(clock.sleeps[1]!).toBeGreaterThanOrEqual(11_000);
  });

  it("gives up at once with RateLimitedError when Retry-After is beyond maxRetryAfter", async () => {
    const { http, requests } = context([text(429, "", { "retry-after": "3600" }), text(200)], {
      retry: { maxRetryAfter: 60_000 },
    });
    const error = await sendWithRetry(http, { method: "GET", url }).catch((e) => e);
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(error.retryAfter).toBe(3_600_000);
    expect(requests).toHaveLength(1);
  });

  it("stops after retry.limit retries and throws the last error", async () => {
    const { http, requests } = context([text(503, "Down")], { retry: { limit: 2 } });
    const error = await sendWithRetry(http, { method: "GET", url }).catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error.status).toBe(503);
    expect(requests).toHaveLength(3);
  });

  it("does not retry a 400 and keeps the server's reason", async () => {
    const { http, requests } = context([text(400, "Missing lists parameter")]);
    const error = await sendWithRetry(http, { method: "GET", url }).catch((e) => e);
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.reason).toBe("Missing lists parameter");
    expect(error.message).toBe(`Bad request (400) from GET "${url}": Missing lists parameter`);
    expect(requests).toHaveLength(1);
  });

  it("types a 401 and a 405 with its Allow header", async () => {
    const a = context([text(401, "Unauthorized")]);
    expect(
      UnauthorizedError.isInstance(
        await sendWithRetry(a.http, { method: "GET", url }).catch((e) => e),
      ),
    ).toBe(true);
    const b = context([
      text(405, "Activity updates/deletes are not currently permitted", { allow: "GET" }),
    ]);
    const error = await sendWithRetry(b.http, { method: "DELETE", url }).catch((e) => e);
    expect(MethodNotAllowedError.isInstance(error)).toBe(true);
    expect(error.allow).toBe("GET");
  });

  it("turns an HTML 503 page from a proxy into a ServerError with a short text excerpt", async () => {
    const page = `<!DOCTYPE html><html><head><title>503 Service Unavailable</title><style>p{}</style></head><body><h1>Service Unavailable</h1><p>${"The upstream is overloaded. ".repeat(40)}</p></body></html>`;
    const { http } = context(
      [new Response(page, { status: 503, headers: { "content-type": "text/html" } })],
      {
        retry: false,
      },
    );
    const error = await sendWithRetry(http, { method: "GET", url }).catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error.bodyExcerpt).toMatch(/^503 Service Unavailable Service Unavailable The upstream/);
    expect(error.bodyExcerpt.length).toBeLessThanOrEqual(200);
    expect(error.bodyExcerpt).not.toContain("<");
  });

  it("turns a failing fetch into a NetworkError with the runtime's error as cause, and retries it", async () => {
    const { http, requests } = context([new TypeError("fetch failed"), text(200)]);
    await sendWithRetry(http, { method: "GET", url });
    expect(requests).toHaveLength(2);
    const failing = context([new TypeError("fetch failed")], { retry: false });
    const error = await sendWithRetry(failing.http, { method: "GET", url }).catch((e) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause.message).toBe("fetch failed");
    expect(error.method).toBe("GET");
  });

  it("turns a response that never starts into a TimeoutError", async () => {
    const { http } = context([{ hang: true }], { timeout: 20, retry: false });
    const error = await sendWithRetry(http, { method: "GET", url }).catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.timeout).toBe(20);
  });

  it("rejects with the caller's abort reason, not a typed error", async () => {
    const { http } = context([{ hang: true }]);
    const controller = new AbortController();
    const promise = sendWithRetry(http, { method: "GET", url, signal: controller.signal });
    controller.abort(new Error("Stopped by the user"));
    await expect(promise).rejects.toThrow("Stopped by the user");
  });

  it("reports every attempt to onRequest, with the retry delay", async () => {
    const { http, events } = context([text(503), text(200)]);
    await sendWithRetry(http, { method: "GET", url });
    expect(events.map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    expect(events[0]!.retryIn).toBeGreaterThan(0);
  });

  it("never lets a credential reach a message, a field, JSON or a cause", async () => {
    const echo = `Your key ${SECRETS.apiKey} and password ${SECRETS.password} are wrong`;
    const errors: unknown[] = [];
    for (const step of [
      text(401, echo),
      text(503, echo),
      new TypeError(`fetch failed ${SECRETS.password}`),
    ]) {
      const { http } = context([step], { retry: false });
      errors.push(
        await sendWithRetry(http, {
          method: "GET",
          url: `${url}?access_token=${SECRETS.accessToken}`,
        }).catch((e) => e),
      );
    }
    for (const error of errors) {
      expect(CtctError.isInstance(error)).toBe(true);
      const dump = `${JSON.stringify(error)} ${String(error)} ${(error as Error).stack} ${JSON.stringify((error as Error).cause)} ${String((error as Error).cause)}`;
      for (const secret of Object.values(SECRETS)) expect(dump).not.toContain(secret);
    }
  });
});

describe("createHttpContext()", () => {
  it("refuses missing credentials, a bad username and a bad base URL, naming the field", () => {
    expect(() => createHttpContext({ username: "joe", apiKey: "k" } as never)).toThrow(
      /Invalid credentials for "joe"/,
    );
    expect(() => createHttpContext({ username: "joe flowers", accessToken: "t" })).toThrow(
      /Invalid username "joe flowers"/,
    );
    expect(() =>
      createHttpContext({ username: "joe", accessToken: "t", baseUrl: "ftp://x" }),
    ).toThrow(/Invalid baseUrl/);
    expect(() =>
      createHttpContext({
        username: "joe",
        accessToken: "t",
        baseUrl: "https://api.constantcontact.com/ws/customers/joe/",
      }),
    ).toThrow(/it ends with the username/);
    expect(() =>
      createHttpContext({
        username: "joe",
        accessToken: "t",
        baseUrl: "https://api.constantcontact.com/ws/customers?api_key=s3cret",
      }),
    ).toThrow(
      'Invalid baseUrl "https://api.constantcontact.com/ws/customers": expected no query (?…) or fragment (#…), the client appends "/joe/…" to the path',
    );
    expect(() =>
      createHttpContext({ username: "joe", accessToken: "t", baseUrl: "http://h/ws/customers#x" }),
    ).toThrow(/expected no query/);
  });
});

describe("bodyExcerpt()", () => {
  it("leaves XML out and keeps plain text whole", () => {
    expect(bodyExcerpt("<?xml version='1.0'?><feed/>", [])).toBeUndefined();
    expect(bodyExcerpt('  Invalid list URI "x"\n', [])).toBe('Invalid list URI "x"');
  });
});

describe("resolveApiUrl()", () => {
  const { http } = context([text(200)]);
  it("rebases identifier URIs and absolute paths onto the configured base URL", () => {
    expect(
      resolveApiUrl(
        http,
        "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1",
      ),
    ).toBe("https://api.example.test/ws/customers/joesflowers/activities/a07e1");
    expect(resolveApiUrl(http, "/ws/customers/joesflowers/activities?next=abc")).toBe(
      "https://api.example.test/ws/customers/joesflowers/activities?next=abc",
    );
  });

  it("resolves relative references against the request URI", () => {
    expect(resolveApiUrl(http, "activities?next=2", `${url}?next=1`)).toBe(
      "https://api.example.test/ws/customers/joesflowers/activities?next=2",
    );
    expect(resolveApiUrl(http, "?next=3", `${url}?next=1`)).toBe(`${url}?next=3`);
  });

  it("refuses to send credentials to another host", () => {
    expect(() =>
      resolveApiUrl(http, "https://evil.example/ws/customers/joesflowers/activities"),
    ).toThrow(InvalidRequestError);
  });
});
