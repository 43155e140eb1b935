// `pnpm release`: build, check, then publish — as a dry run unless `--publish` is given.
//
//   pnpm release              build, publint + attw, JSR checks, `pnpm publish -r --dry-run`
//   pnpm release --publish    the same checks, then `changeset publish` (npm) and `deno publish` (JSR)
//   pnpm release --skip-build reuse the current dist/ (CI runs `pnpm build` just before)
//   pnpm version-packages     `changeset version`, then --sync-versions: deno.json follows package.json
//
// Versions and changelogs come from changesets (`pnpm changeset version`, run before this). A real
// publish needs NPM_TOKEN (or an npm login) and, for JSR, JSR_TOKEN or an OIDC-capable CI; neither
// value is ever printed. See docs/decisions/0078-releases-with-changesets.md.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = new Set(process.argv.slice(2));
const known = new Set(["--publish", "--skip-build", "--sync-versions", "--help", "-h"]);
for (const arg of args) {
  if (!known.has(arg)) {
    console.error(
      `release: Unknown option "${arg}": expected --publish, --skip-build, --sync-versions or --help`,
    );
    process.exit(2);
  }
}
if (args.has("--help") || args.has("-h")) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), "utf8")
      .split("\n")
      .slice(0, 9)
      .join("\n"),
  );
  process.exit(0);
}
const publish = args.has("--publish");

/** The packages that also go to JSR, each with a `deno.json` beside its `package.json`. */
const JSR_PACKAGES = ["packages/core", "packages/transport"];

const results: { step: string; ok: boolean; note?: string }[] = [];

function run(step: string, command: string, commandArgs: string[]): boolean {
  console.log(`\n=== release: ${step}\n$ ${command} ${commandArgs.join(" ")}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: process.env });
  const ok = result.status === 0;
  results.push({
    step,
    ok,
    ...(ok ? {} : { note: result.error ? result.error.message : `exit code ${result.status}` }),
  });
  return ok;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, path), "utf8")) as Record<string, unknown>;
}

// changesets bumps package.json only; JSR reads deno.json, so the two must agree before publishing.
function checkJsrVersions(): boolean {
  console.log("\n=== release: deno.json versions follow package.json");
  const problems: string[] = [];
  for (const dir of JSR_PACKAGES) {
    const npm = readJson(`${dir}/package.json`);
    const jsr = readJson(`${dir}/deno.json`);
    if (npm.name !== jsr.name || npm.version !== jsr.version) {
      problems.push(
        `${dir}: package.json has "${npm.name}@${npm.version}", deno.json has "${jsr.name}@${jsr.version}"`,
      );
    }
  }
  for (const problem of problems) console.error(`Version mismatch in ${problem}`);
  if (problems.length === 0) console.log("ok: the JSR and npm names and versions agree");
  results.push({ step: "deno.json versions", ok: problems.length === 0 });
  return problems.length === 0;
}

// `changeset version` bumps package.json only: copy each JSR package's version into its deno.json.
if (args.has("--sync-versions")) {
  for (const dir of JSR_PACKAGES) {
    const { version } = readJson(`${dir}/package.json`);
    const deno = readJson(`${dir}/deno.json`);
    if (deno.version !== version) {
      writeFileSync(
        join(root, dir, "deno.json"),
        `${JSON.stringify({ ...deno, version }, null, 2)}\n`,
      );
      console.log(
        `release: ${dir}/deno.json version ${String(deno.version)} -> ${String(version)}`,
      );
    }
  }
  process.exit(0);
}

let ok = true;
if (!args.has("--skip-build")) ok = run("build", "pnpm", ["build"]) && ok;
ok = run("publint --strict and attw on every packed package", "pnpm", ["check:packages"]) && ok;
ok = checkJsrVersions() && ok;
ok =
  run("JSR: deno publish --dry-run (type check, slow types, file list)", "pnpm", ["check:jsr"]) &&
  ok;

if (!ok) {
  console.error("\nrelease: checks failed, nothing published");
} else if (publish) {
  ok = run("npm: changeset publish", "pnpm", ["changeset", "publish"]);
  if (ok) {
    const jsrArgs = ["publish"];
    const { JSR_TOKEN: jsrToken } = process.env;
    if (jsrToken) jsrArgs.push("--token", jsrToken);
    // run() echoes its arguments, so the token's command is echoed here with the token masked.
    console.log("\n=== release: JSR: deno publish\n$ deno publish [--token ***]");
    const result = spawnSync(join(root, "node_modules", ".bin", "deno"), jsrArgs, {
      cwd: root,
      stdio: "inherit",
    });
    results.push({ step: "JSR: deno publish", ok: result.status === 0 });
    ok = result.status === 0;
  }
} else {
  ok = run("npm: pnpm publish -r --dry-run", "pnpm", [
    "publish",
    "-r",
    "--dry-run",
    "--no-git-checks",
  ]);
}

console.log(`\nrelease summary (${publish ? "publish" : "dry run"}):`);
for (const result of results) {
  console.log(
    `  ${result.ok ? "ok  " : "FAIL"} ${result.step}${result.note ? ` (${result.note})` : ""}`,
  );
}
process.exit(ok ? 0 : 1);
