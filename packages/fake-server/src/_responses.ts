/**
 * The header that marks a response as "the connection dropped": the in-process `fetch` turns it
 * into a rejected promise (a `TypeError`, as a network failure), the socket server destroys the
 * socket. A caller of `app.fetch()` directly sees a 502 with this header.
 */
export const DROPPED_HEADER = "x-ctct-fake-dropped";

/**
 * A response standing for a dropped connection.
 *
 * @param when `"before"` the request was handled, or `"after"` (the job exists).
 * @returns The marked response.
 */
export function droppedResponse(when: "before" | "after"): Response {
  return new Response(
    when === "before"
      ? "Connection dropped (injected fault): the request was not handled"
      : "Connection dropped (injected fault): the request was handled, its answer was lost",
    {
      status: 502,
      headers: { [DROPPED_HEADER]: when, "content-type": "text/plain; charset=utf-8" },
    },
  );
}

/**
 * Whether a response stands for a dropped connection.
 *
 * @param response A response of the app.
 * @returns `true` when the fault middleware marked it.
 */
export function isDroppedResponse(response: Response): boolean {
  return response.headers.has(DROPPED_HEADER);
}

/**
 * A plain-text error answer, as the real API sends them.
 *
 * @param status The status.
 * @param message What was wrong.
 * @param headers Extra headers.
 * @returns The response.
 */
export function textError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/**
 * The methods a read-only resource of the API does not take: every resource answers them with
 * `405` and its `Allow`, never with a `404` that would say the resource is missing (ADR 0110).
 * `POST /activities` is the only write the API has.
 */
export const UNSUPPORTED_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The content type of Atom feeds and entries. */
export const ATOM_CONTENT_TYPE = "application/atom+xml";

/** The content type of the service document. */
export const ATOM_SERVICE_CONTENT_TYPE = "application/atomsvc+xml";

/**
 * An XML answer.
 *
 * @param xml The document.
 * @param contentType Its content type.
 * @param status The status (default 200).
 * @param headers Extra headers.
 * @returns The response.
 */
export function xmlResponse(
  xml: string,
  contentType: string = ATOM_CONTENT_TYPE,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(xml, {
    status,
    headers: { "content-type": `${contentType}; charset=utf-8`, ...headers },
  });
}
