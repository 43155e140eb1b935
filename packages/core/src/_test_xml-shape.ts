// Test helpers for the XML mapping: a document's shape, whitespace between tags aside.

/**
 * A document with the XML declaration dropped, whitespace between tags removed, other whitespace
 * runs collapsed to one space and `<x />` written `<x/>`: two documents with the same elements,
 * attributes (in the same order) and text compare equal.
 */
export function xmlShape(xml: string): string {
  return xml
    .replace(/^\s*<\?xml[^>]*\?>/, "")
    .replace(/>\s+</g, "><")
    .replace(/\s+/g, " ")
    .replace(/\s*\/>/g, "/>")
    .trim();
}

/** The sequence of start tags (local names) of a document, in document order. */
export function elementOrder(xml: string): string[] {
  return [...xml.matchAll(/<([A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)/g)].map((match) => match[2]!);
}
