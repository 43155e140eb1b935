import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import { PageList } from "./page-list.ts";

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("PageList", PageList);
  },
};

export default theme;
