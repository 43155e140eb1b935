// What the sidebar and the index pages know about the pages in a folder: read from the files at
// build time, so a guide, a CLI page or an ADR that lands in its folder appears without editing the
// site (and a page that does not exist can never be linked from a generated list).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One page of a folder, as the sidebar and the index pages show it. */
export interface PageSummary {
  /** The site link, e.g. `/decisions/0070-dual-publish-npm-and-jsr`. */
  link: string;
  /** The page's first `# ` heading, without an ADR's number prefix. */
  title: string;
  /** The ADR number (`"0070"`) when the file name starts with four digits. */
  number?: string;
  /** The first paragraph of text after the heading (metadata lines skipped), for index pages. */
  summary: string;
}

const ADR_PREFIX = /^(?:ADR[- ]?)?\d{1,4}[.:\s-]+\s*/i;

/**
 * Reads the title and first paragraph of a Markdown page.
 *
 * @param text The page's Markdown source.
 * @param fallback The title to use when the page has no `# ` heading.
 * @returns The page's title and summary.
 */
export function describePage(text: string, fallback: string): { title: string; summary: string } {
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, "");
  const lines = body.split(/\r?\n/);
  const headingIndex = lines.findIndex((line) => line.startsWith("# "));
  const title =
    headingIndex >= 0 ? lines[headingIndex]!.slice(2).trim().replace(ADR_PREFIX, "") : fallback;
  // An ADR is best summed up by its decision; any other page by its first paragraph.
  const decisionIndex = lines.findIndex((line) => /^##\s+Decision\b/i.test(line));
  const start = decisionIndex >= 0 ? decisionIndex + 1 : headingIndex + 1;
  const paragraph: string[] = [];
  let fence: string | undefined;
  for (const line of lines.slice(start)) {
    const trimmed = line.trim();
    // Code is never a summary: skip fenced blocks whole.
    const marker = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) {
        fence = undefined;
      }
      continue;
    }
    if (marker !== undefined) {
      if (paragraph.length > 0) break;
      fence = marker;
      continue;
    }
    if (trimmed === "") {
      if (paragraph.length > 0) break;
      continue;
    }
    // Metadata ("Status: accepted", "- Date: …"), headings, tables and HTML are not a summary.
    if (/^(?:(?:[-*] )?\*{0,2}[A-Z][\w -]{0,24}\*{0,2}:(?:\s|$)|#|\||<|>)/.test(trimmed)) {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(trimmed);
  }
  const summary = paragraph
    .join(" ")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/`|\*\*/g, "");
  return { title, summary: summary.length > 240 ? `${summary.slice(0, 239)}…` : summary };
}

/**
 * Lists the Markdown pages of a docs folder, sorted by file name, `index.md` left out.
 *
 * @param docsRoot The docs source directory.
 * @param folder The folder inside it, e.g. `"decisions"`.
 * @returns One summary per page; empty when the folder does not exist yet.
 */
export function listPages(docsRoot: string, folder: string): PageSummary[] {
  const dir = join(docsRoot, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md") && name !== "index.md")
    .sort()
    .map((name) => {
      const slug = name.slice(0, -".md".length);
      const { title, summary } = describePage(readFileSync(join(dir, name), "utf8"), slug);
      const number = /^(\d{4})-/.exec(slug)?.[1];
      return { link: `/${folder}/${slug}`, title, summary, ...(number ? { number } : {}) };
    });
}
