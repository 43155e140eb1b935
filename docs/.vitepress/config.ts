import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DefaultTheme, defineConfig, type UserConfig } from "vitepress";
import { listPages, type PageSummary } from "./pages.ts";

const docsRoot = fileURLToPath(new URL("..", import.meta.url));

const toItems = (pages: PageSummary[]): DefaultTheme.SidebarItem[] =>
  pages.map((page) => ({
    text: page.number ? `${page.number} ${page.title}` : page.title,
    link: page.link,
  }));

// The API sidebar is written by typedoc-plugin-markdown (`pnpm docs:api`, run first by docs:build).
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = `${docsRoot}api/typedoc-sidebar.json`;
  const items = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as DefaultTheme.SidebarItem[])
    : [];
  return [{ text: "API reference", link: "/api/", items }];
}

function mainSidebar(): DefaultTheme.SidebarItem[] {
  const cliPages = listPages(docsRoot, "cli");
  return [
    {
      text: "Getting started",
      link: "/getting-started/",
      items: [
        { text: "The SDK", link: "/getting-started/sdk" },
        { text: "The CLI", link: "/getting-started/cli" },
        { text: "The webhook service", link: "/getting-started/webhook" },
        { text: "The fake server", link: "/getting-started/fake-server" },
      ],
    },
    { text: "Guides", link: "/guides/", items: toItems(listPages(docsRoot, "guides")) },
    {
      text: "CLI reference",
      collapsed: true,
      ...(existsSync(`${docsRoot}cli/index.md`) ? { link: "/cli/" } : {}),
      items: toItems(cliPages),
    },
    { text: "API reference", link: "/api/" },
    { text: "Architecture", link: "/architecture" },
    {
      text: "Decisions",
      link: "/decisions/",
      collapsed: true,
      items: toItems(listPages(docsRoot, "decisions")),
    },
  ];
}

// The home page's hero and features. They live here rather than in `index.md`'s frontmatter
// because the repository's formatter (biome) rewrites Markdown and flattens YAML frontmatter.
const home = {
  layout: "home",
  hero: {
    name: "ctct-bulk",
    text: "Constant Contact bulk activities, done right",
    tagline:
      "Import, remove, clear and export contacts in bulk from TypeScript, the command line or a webhook — and test it all with no account.",
    actions: [
      { theme: "brand", text: "Get started", link: "/getting-started/" },
      { theme: "alt", text: "Guides", link: "/guides/" },
      { theme: "alt", text: "API reference", link: "/api/" },
    ],
  },
  features: [
    {
      title: "@ctct-bulk/core",
      details:
        "Pure and web-standard: contact files, validation, form and multipart encoding, chunking under the 1.9 MB limit, and the API's Atom XML, with no I/O.",
      link: "/api/@ctct-bulk/core/",
    },
    {
      title: "@ctct-bulk/transport",
      details:
        "The SDK: a fetch-based client that imports any number of rows in bounded memory, waits for jobs, downloads exports and retries safely, with typed errors.",
      link: "/getting-started/sdk",
    },
    {
      title: "@ctct-bulk/cli",
      details:
        "ctct-bulk for operators with big files: import, remove, clear, export, wait and validate, with progress and resume.",
      link: "/getting-started/cli",
    },
    {
      title: "@ctct-bulk/webhook",
      details:
        "Signed partner pushes in, ordered bulk activities out, on SQLite or PostgreSQL, without losing a contact.",
      link: "/getting-started/webhook",
    },
    {
      title: "@ctct-bulk/fake-server",
      details:
        "A Hono app that behaves like the real API, in process or on a port, with a typed control API for your tests.",
      link: "/getting-started/fake-server",
    },
  ],
};

const config: UserConfig<DefaultTheme.Config> = defineConfig({
  title: "ctct-bulk",
  description: "The TypeScript toolkit for Constant Contact's Bulk Activities API",
  lang: "en-US",
  cleanUrls: true,
  // Dead links fail the build (the VitePress default); only links to a local server a page tells
  // the reader to start are allowed, since they cannot resolve at build time.
  ignoreDeadLinks: "localhostLinks",
  markdown: { lineNumbers: false },
  // The local search index of the API reference makes one large chunk; that is expected.
  vite: { build: { chunkSizeWarningLimit: 4000 } },
  transformPageData(pageData) {
    if (pageData.relativePath === "index.md") Object.assign(pageData.frontmatter, home);
  },
  themeConfig: {
    nav: [
      { text: "Getting started", link: "/getting-started/" },
      { text: "Guides", link: "/guides/" },
      {
        text: "CLI",
        link: existsSync(`${docsRoot}cli/index.md`) ? "/cli/" : "/getting-started/cli",
      },
      { text: "API", link: "/api/" },
      { text: "Architecture", link: "/architecture" },
      { text: "Decisions", link: "/decisions/" },
    ],
    sidebar: { "/api/": apiSidebar(), "/": mainSidebar() },
    outline: [2, 3],
    search: { provider: "local" },
  },
});

export default config;
