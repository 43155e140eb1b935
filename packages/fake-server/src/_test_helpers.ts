// Helpers shared by this package's tests (excluded from the build).

import { encodeMultipartBody, multipartContentType } from "@ctct-bulk/core";
import { DOMParser, type Document, type Element } from "@xmldom/xmldom";
import { DEFAULT_ACCOUNT } from "./accounts.ts";
import type { FakeServer } from "./fake-server.ts";

/** Basic auth for an account. */
export function basicAuth(
  account: { apiKey: string; username: string; password: string } = DEFAULT_ACCOUNT,
): string {
  return `Basic ${btoa(`${account.apiKey}%${account.username}:${account.password}`)}`;
}

/** The default account's Basic auth header. */
export const AUTH: { authorization: string } = { authorization: basicAuth() };

/** A list's URI in the default account. */
export function listUriOf(id: number | string, username = "joesflowers"): string {
  return `http://api.constantcontact.com/ws/customers/${username}/lists/${id}`;
}

/** GETs a path of the default account. */
export function get(
  server: FakeServer,
  path: string,
  headers: Record<string, string> = AUTH,
): Promise<Response> {
  return server.fetch(`${server.baseUrl}/joesflowers${path}`, { headers });
}

/** POSTs form parameters (urlencoded) to the default account's activities. */
export function postForm(
  server: FakeServer,
  params: [string, string][] | string,
  headers: Record<string, string> = AUTH,
): Promise<Response> {
  const body = typeof params === "string" ? params : new URLSearchParams(params).toString();
  return server.fetch(`${server.baseUrl}/joesflowers/activities`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

/** POSTs form parameters and a `dataFile` (multipart) to the default account's activities. */
export function postFile(
  server: FakeServer,
  params: [string, string][],
  file: { fileName: string; contentType: string; data: Uint8Array | string },
): Promise<Response> {
  const boundary = "fake-boundary";
  const body = encodeMultipartBody(params, { field: "dataFile", ...file }, boundary);
  return server.fetch(`${server.baseUrl}/joesflowers/activities`, {
    method: "POST",
    headers: { ...AUTH, "content-type": multipartContentType(boundary) },
    body: new Blob([body as Uint8Array<ArrayBuffer>]),
  });
}

/** Parses XML with an independent parser (xmldom), failing on any parse error. */
export function parseXml(xml: string): Document {
  const errors: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") errors.push(message);
    },
  }).parseFromString(xml, "application/xml");
  if (errors.length > 0) throw new SyntaxError(`Malformed XML: ${errors.join("; ")}`);
  return document;
}

/** The child elements of an element, by local name. */
export function children(element: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1 && (name === undefined || (node as Element).localName === name))
      out.push(node as Element);
  }
  return out;
}

/** The text of the first child element with a local name. */
export function childText(element: Element, name: string): string | undefined {
  return children(element, name)[0]?.textContent ?? undefined;
}

/** The shape of an element tree: local names and namespaces, recursively, text ignored. */
export function shape(element: Element): unknown {
  return {
    name: element.localName,
    ns: element.namespaceURI,
    children: children(element).map(shape),
  };
}
