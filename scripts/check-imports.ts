// Layer rules that the linter cannot say: across workspaces only package names (never a relative
// path into another package); no `node:` import in @ctct-bulk/core or in the transport's library
// code; relative imports carry their `.ts` extension.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const workspaces = [
  "packages/core",
  "packages/transport",
  "packages/fake-server",
  "apps/cli",
  "apps/webhook",
  "bench",
];
const pure = new Set(["packages/core", "packages/transport"]);
const problems: string[] = [];

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(ts|mts|tsx)$/.test(name)) yield path;
  }
}

const importPattern =
  /(?:^|\s)(?:import|export)\s[^'";]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
for (const workspace of workspaces) {
  const base = join(root, workspace);
  let files: string[];
  try {
    files = [...walk(base)];
  } catch {
    continue;
  }
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const rel = relative(root, file);
    const isLibrarySource = rel.startsWith(`${workspace}/src/`) && !/\.test(-d)?\.ts$/.test(rel);
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2]!;
      const line = text.slice(0, match.index).split("\n").length;
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(base + sep))
          problems.push(
            `${rel}:${line}: "${specifier}" reaches into another workspace: import it by package name`,
          );
        if (!/\.(ts|json)$/.test(specifier))
          problems.push(`${rel}:${line}: "${specifier}" needs its .ts extension`);
      }
      if (pure.has(workspace) && isLibrarySource && specifier.startsWith("node:"))
        problems.push(
          `${rel}:${line}: "${specifier}": ${workspace} is web-standard only, no node: imports`,
        );
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} import rule violation(s)`);
  process.exit(1);
}
