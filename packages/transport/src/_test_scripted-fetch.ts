// Test helper: a fetch that answers from a script and records what it was sent.

/** One scripted answer: a response, an error to throw, or a function of the request. */
export type ScriptStep =
  | Response
  | Error
  | ((request: Request) => Response | Promise<Response>)
  | { hang: true };

/** A recorded request. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/**
 * A fetch that answers each call with the next step of `script` (the last step repeats).
 *
 * @param script The answers, in order.
 * @returns The fetch and what it received.
 */
export function scriptedFetch(script: ScriptStep[]): {
  fetch: typeof globalThis.fetch;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  let index = 0;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.body ? await request.text() : "";
    requests.push({ method: request.method, url: request.url, headers: request.headers, body });
    const step = script[Math.min(index++, script.length - 1)]!;
    if (step instanceof Response) return step.clone();
    if (step instanceof Error) throw step;
    if (typeof step === "function") return step(request);
    return new Promise<Response>((_resolve, reject) => {
      const signal = init?.signal ?? request.signal;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** A plain-text response. */
export function text(status: number, body = "", headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain", ...headers } });
}

/** An XML response. */
export function xml(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/atom+xml", ...headers },
  });
}

/** The credentials every unit test uses, so that the leak checks can look for them. */
export const SECRETS = {
  apiKey: "key-4f1c9e2a-SECRET",
  password: "pw-7d3b-SECRET",
  accessToken: "tok-91aa-SECRET",
} as const;
