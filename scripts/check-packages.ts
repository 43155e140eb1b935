// Packs every publishable workspace the way `pnpm publish` would (publishConfig applied) and runs
// publint --strict and @arethetypeswrong/cli on the tarball. Needs `pnpm build` first.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const packDir = join(root, ".pack");
rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir);
const bin = (name: string) => join(root, "node_modules", ".bin", name);
let failures = 0;
for (const group of ["packages", "apps"]) {
  for (const dir of readdirSync(join(root, group)).sort()) {
    const cwd = join(root, group, dir);
    const manifest = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as {
      name: string;
      private?: boolean;
    };
    if (manifest.private) continue;
    const before = new Set(readdirSync(packDir));
    execFileSync("pnpm", ["pack", "--pack-destination", packDir], {
      cwd,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = readdirSync(packDir).find((f) => !before.has(f))!;
    const path = join(packDir, tarball);
    for (const [tool, args] of [
      ["publint", ["run", path, "--strict"]],
      ["attw", [path, "--profile", "esm-only", "--format", "ascii"]],
    ] as const) {
      try {
        execFileSync(bin(tool), args, { cwd, stdio: "inherit" });
      } catch {
        failures++;
        console.error(`check-packages: ${tool} failed for ${manifest.name}`);
      }
    }
  }
}
if (failures > 0) process.exit(1);
console.log("check-packages: every publishable package passes publint --strict and attw");
