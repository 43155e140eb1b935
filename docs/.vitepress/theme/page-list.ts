// A generated index: every page of a folder with its first paragraph, so an index can never link a
// page that does not exist, nor miss one that does. A render function rather than a `.vue` file,
// since the repository's linter cannot see a single-file component's template.

import { withBase } from "vitepress";
import { defineComponent, h, type PropType, type VNode } from "vue";
import { data } from "../pages.data.ts";

/** `<PageList folder="decisions" from="0070" to="0079" />` in any page of the site. */
export const PageList = defineComponent({
  name: "PageList",
  props: {
    folder: { type: String as PropType<"guides" | "decisions">, required: true },
    from: { type: String, required: false },
    to: { type: String, required: false },
  },
  setup(props) {
    return (): VNode => {
      const pages = data[props.folder].filter(
        (page) =>
          (props.from === undefined || (page.number ?? "") >= props.from) &&
          (props.to === undefined || (page.number ?? "") <= props.to),
      );
      if (pages.length === 0) return h("p", h("em", "No pages yet."));
      return h(
        "ul",
        { class: "page-list" },
        pages.map((page) =>
          h("li", { key: page.link }, [
            h(
              "a",
              { href: withBase(page.link) },
              page.number ? `${page.number} ${page.title}` : page.title,
            ),
            page.summary ? ` — ${page.summary}` : "",
          ]),
        ),
      );
    };
  },
});
