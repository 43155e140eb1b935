import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { createMarkdownRenderer, type DefaultTheme } from "vitepress";
import { afterAll, describe, expect, it } from "vitest";
import config from "./config.ts";
import { describePage, listPages } from "./pages.ts";

describe("describePage()", () => {
  it("describePage() sums up an ADR by its decision, without its number or metadata", () => {
    const adr = [
      "# 0073. Email addresses",
      "",
      "Status: accepted",
      "- Date: 2026-11-23",
      "",
      "## Context",
      "",
      "Why we had to choose.",
      "",
      "## Decision",
      "",
      "An address has one `@` and a [dot](https://example.com)",
      "in its **domain**.",
      "",
      "More.",
    ].join("\n");
    expect(describePage(adr, "fallback")).toEqual({
      title: "Email addresses",
      summary: "An address has one @ and a dot in its domain.",
    });
  });

  it("describePage() sums up a guide by its first paragraph, skipping tables and code", () => {
    const guide = ["# Big imports", "", "| a | b |", "", "```sh", "x", "```", "", "Any size."];
    expect(describePage(guide.join("\n"), "big-imports")).toEqual({
      title: "Big imports",
      summary: "Any size.",
    });
  });

  it("describePage() falls back to the file's name and cuts long summaries", () => {
    const { title, summary } = describePage(`Intro ${"word ".repeat(100)}`, "no-heading");
    expect(title).toBe("no-heading");
    expect(summary).toHaveLength(240);
    expect(summary.endsWith("…")).toBe(true);
  });

  it("describePage() keeps any heading text that is not an ADR number", () => {
    const text = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => !/[\r\n]/.test(s) && s.trim() !== "" && !/^\s*(?:ADR[- ]?)?\d/i.test(s));
    fc.assert(
      fc.property(text, (title) => {
        expect(describePage(`# ${title}\n\nBody.\n`, "f").title).toBe(title.trim());
      }),
    );
  });
});

describe("listPages()", () => {
  const root = mkdtempSync(join(tmpdir(), "ctct-docs-pages-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("listPages() lists a folder's pages in file order, without index.md, with ADR numbers", () => {
    mkdirSync(join(root, "decisions"));
    writeFileSync(join(root, "decisions", "index.md"), "# Decisions\n");
    writeFileSync(join(root, "decisions", "0071-b.md"), "# 0071. Bee\n\nB.\n");
    writeFileSync(join(root, "decisions", "0070-a.md"), "# ADR 0070: Ay\n\nA.\n");
    writeFileSync(join(root, "decisions", "notes.txt"), "not a page");
    expect(listPages(root, "decisions")).toEqual([
      { link: "/decisions/0070-a", title: "Ay", summary: "A.", number: "0070" },
      { link: "/decisions/0071-b", title: "Bee", summary: "B.", number: "0071" },
    ]);
  });

  it("listPages() gives nothing for a folder that does not exist yet", () => {
    expect(listPages(root, "cli")).toEqual([]);
  });
});

describe("the site's configuration", () => {
  const docsRoot = fileURLToPath(new URL("..", import.meta.url));
  const sidebar = ((config.themeConfig?.sidebar ?? {}) as DefaultTheme.SidebarMulti)["/"] as
    | DefaultTheme.SidebarItem[]
    | undefined;

  it("the sidebar covers getting started, guides, the CLI and API references, architecture and decisions", () => {
    expect(sidebar?.map((item) => item.text)).toEqual([
      "Getting started",
      "Guides",
      "CLI reference",
      "API reference",
      "Architecture",
      "Decisions",
    ]);
  });

  it("the sidebar lists every ADR of docs/decisions, 0000 and 0070 included", () => {
    const decisions = sidebar?.find((item) => item.text === "Decisions")?.items ?? [];
    const links = decisions.map((item) => item.link);
    expect(links).toContain("/decisions/0000-record-architecture-decisions");
    expect(links).toContain("/decisions/0070-add-type-decided-by-columns");
    expect(links).not.toContain("/decisions/index");
  });

  it("the site renders a generated line ending in an object literal as text, not attributes", async () => {
    const md = await createMarkdownRenderer(docsRoot, config.markdown);
    const html = md.render(
      '| `--seed` | A seed: { "accounts": [...], "lists": [...] } |\n|---|---|\n',
    );
    expect(html).toContain("{ &quot;accounts&quot;: [...], &quot;lists&quot;: [...] }");
  });

  it("the site fails its build on a dead link (only localhost links are let through)", () => {
    expect(config.ignoreDeadLinks).toBe("localhostLinks");
  });
});
