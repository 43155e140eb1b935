// A VitePress data loader: the guides and decisions as they are on disk, for the index pages.
import { fileURLToPath } from "node:url";
import { listPages, type PageSummary } from "./pages.ts";

const docsRoot = fileURLToPath(new URL("..", import.meta.url));

/** The pages of the folders that have a generated index. */
export interface PagesData {
  guides: PageSummary[];
  decisions: PageSummary[];
}

declare const data: PagesData;

export { data };

export default {
  watch: ["../guides/*.md", "../decisions/*.md"],
  load(): PagesData {
    return { guides: listPages(docsRoot, "guides"), decisions: listPages(docsRoot, "decisions") };
  },
};
