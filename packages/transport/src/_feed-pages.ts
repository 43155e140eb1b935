// Reading a paged Atom feed (activities, lists) page after page.

import { resolveApiUrl } from "./_api-urls.ts";
import type { HttpContext, HttpRequest } from "./_context.ts";
import { readText, sendWithRetry } from "./_http.ts";
import { unexpectedBody } from "./_response-errors.ts";
import { UnexpectedResponseError } from "./errors/unexpected-response-error.ts";

const ATOM = "application/atom+xml";

/**
 * Reads every page of a paged Atom feed, following `rel="next"` (relative or absolute, resolved
 * against the request URI) until a page has none.
 *
 * @param http The client's context.
 * @param firstUrl The first page's URL.
 * @param parse Core's parser of the feed.
 * @param signal Stops the reading.
 * @returns The pages, in order.
 */
export async function* readFeedPages<Feed extends { nextLink?: string | undefined }>(
  http: HttpContext,
  firstUrl: string,
  parse: (xml: string) => Feed,
  signal: AbortSignal | undefined,
): AsyncGenerator<Feed, void, undefined> {
  const seen = new Set<string>();
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    if (seen.has(url))
      throw new UnexpectedResponseError(`The feed's next link loops back to "${url}"`, {
        method: "GET",
        url,
      });
    seen.add(url);
    const request: HttpRequest = { method: "GET", url, accept: ATOM, signal };
    const response = await sendWithRetry(http, request);
    const xml = await readText(http, request, response);
    let feed: Feed;
    try {
      feed = parse(xml);
    } catch (error) {
      throw unexpectedBody(request, response.status, error);
    }
    yield feed;
    url = feed.nextLink ? resolveApiUrl(http, feed.nextLink, url) : undefined;
  }
}
