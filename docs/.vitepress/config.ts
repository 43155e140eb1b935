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

const config: UserConfig<DefaultTheme.Config> = defineConfig({
  title: "ctct-bulk",
  description: "The TypeScript toolkit for Constant Contact's Bulk Activities API",
  lang: "en-US",
  cleanUrls: true,
  // Dead links fail the build (the VitePress default); only links to a local server a page tells
  // the reader to start are allowed, since they cannot resolve at build time.
  ignoreDeadLinks: "localhostLinks",
  // markdown-it-attrs is off: generated pages (the CLI reference, the API reference) end lines
  // with object literals such as `{ "accounts": [...] }`, which it would read as HTML attributes.
  markdown: { lineNumbers: false, attrs: { disable: true } },
  // The local search index of the API reference makes one large chunk; that is expected.
  vite: { build: { chunkSizeWarningLimit: 4000 } },
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
