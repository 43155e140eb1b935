// Builds the CLI as a Node single executable application (SEA): `dist/sea/ctct-bulk`, a copy of the
// running `node` with the whole CLI injected, for machines without Node or npm.
//
//   node scripts/build-sea.ts            build, then smoke-test `ctct-bulk --version` and `--help`
//
// Steps: bundle apps/cli/src/bin.ts and every dependency into one CommonJS file (esbuild; Node 24's
// SEA runs CommonJS only), write the SEA config, `node --experimental-sea-config` (the blob), copy
// the node binary, inject the blob (postject), run it. Each step that fails stops the script with
// the step's name and the reason, exit code 1. See docs/decisions/0079-cli-single-executable.md.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = join(root, "apps", "cli", "src", "bin.ts");
const outDir = join(root, "dist", "sea");
const bundle = join(outDir, "ctct-bulk.cjs");
const blob = join(outDir, "ctct-bulk.blob");
const executable = join(outDir, process.platform === "win32" ? "ctct-bulk.exe" : "ctct-bulk");
// The fuse Node's SEA loader looks for (documented in Node's single-executable-applications page).
const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

function fail(step: string, reason: unknown): never {
  const text = reason instanceof Error ? reason.message : String(reason);
  console.error(`build-sea: Step "${step}" failed: ${text.trim()}`);
  console.error("build-sea: No executable was built (the npm package of the CLI is unaffected)");
  process.exit(1);
}

function step<T>(name: string, action: () => T): T {
  console.log(`build-sea: ${name}`);
  try {
    return action();
  } catch (error) {
    return fail(name, error);
  }
}

// A CommonJS bundle cannot hold top-level await, which an ESM bin may use (`process.exitCode =
// await runCli(...)`). This plugin keeps the entry's import declarations at the top and runs the
// rest of its body in an async function, failing the process if it rejects.
const wrapTopLevelAwait: Plugin = {
  name: "wrap-top-level-await",
  setup(build) {
    build.onLoad({ filter: /[\\/]apps[\\/]cli[\\/]src[\\/]bin\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8").replace(/^#!.*\n/, "");
      const importPattern =
        /^import\s[\s\S]*?from\s*["'][^"']+["'];?[ \t]*$|^import\s*["'][^"']+["'];?[ \t]*$/gm;
      const imports = source.match(importPattern) ?? [];
      const body = source.replace(importPattern, "");
      return {
        loader: "ts",
        contents: `${imports.join("\n")}\nvoid (async () => {\n${body}\n})().catch((error) => {\n  console.error(error);\n  process.exit(1);\n});\n`,
      };
    });
  },
};

if (process.platform !== "linux" && process.platform !== "darwin" && process.platform !== "win32") {
  fail("check platform", `Unsupported platform "${process.platform}"`);
}
const esbuild = await import("esbuild").catch((error: unknown) => fail("load esbuild", error));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

console.log("build-sea: bundle the CLI (esbuild, CommonJS, node24)");
try {
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    outfile: bundle,
    plugins: [wrapTopLevelAwait],
    // In the executable, `import.meta.url` has no meaning of its own; the executable's path stands
    // in for it (which is where a bundled module "is").
    define: { "import.meta.url": "__seaImportMetaUrl" },
    banner: {
      js: 'const __seaImportMetaUrl = require("node:url").pathToFileURL(__filename).href;',
    },
    logLevel: "warning",
    legalComments: "none",
  });
} catch (error) {
  fail("bundle the CLI (esbuild, CommonJS, node24)", error);
}

step("write the SEA config and generate the blob", () => {
  const config = join(outDir, "sea-config.json");
  writeFileSync(
    config,
    JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }, null, 2),
  );
  execFileSync(process.execPath, ["--experimental-sea-config", config], { stdio: "pipe" });
});

step("copy the node binary", () => {
  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
});

step("inject the blob (postject)", () => {
  const postject = join(root, "node_modules", ".bin", "postject");
  const args = [executable, "NODE_SEA_BLOB", blob, "--sentinel-fuse", FUSE];
  if (process.platform === "darwin") args.push("--macho-segment-name", "NODE_SEA");
  const result = spawnSync(postject, args, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(result.stderr || result.stdout || `exit code ${result.status}`);
  if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", executable]);
});

const version = step("smoke test: ctct-bulk --version", () =>
  execFileSync(executable, ["--version"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  }).trim(),
);
step("smoke test: ctct-bulk --help", () => {
  const help = execFileSync(executable, ["--help"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (!help.includes("ctct-bulk"))
    throw new Error(`Unexpected --help output: ${help.slice(0, 200)}`);
});

rmSync(blob, { force: true });
const megabytes = (statSync(executable).size / 1024 / 1024).toFixed(0);
console.log(`build-sea: built ${executable} (${megabytes} MB), ctct-bulk ${version}`);
