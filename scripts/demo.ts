// The README's main job (`./dev demo`): an operator's import, wait and export with the
// `ctct-bulk` CLI, against the fake server started here on a local port — no account needed.
// Each step runs the CLI as a user would (`ctct-bulk …` in its own process) and shows its output.
import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_ACCOUNT, startFakeServer } from "@ctct-bulk/fake-server";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "apps/cli/src/bin.ts");
const contacts = relative(root, join(root, "examples/data/contacts.csv"));
const work = await mkdtemp(join(tmpdir(), "ctct-bulk-demo-"));
const refused = join(work, "refused.csv");
const exported = join(work, "vip-customers.csv");

// Jobs move through PENDING, QUEUED and RUNNING as they do on the real API, only faster.
const server = await startFakeServer({ port: 0, clock: "realistic", jobDelay: 150 });
const env = {
  PATH: process.env.PATH ?? "",
  HOME: work,
  XDG_CONFIG_HOME: join(work, "config"),
  CTCT_BASE_URL: server.url,
  CTCT_USERNAME: DEFAULT_ACCOUNT.username,
  CTCT_API_KEY: DEFAULT_ACCOUNT.apiKey,
  CTCT_PASSWORD: DEFAULT_ACCOUNT.password,
};

/** Runs `ctct-bulk …`, echoing the command and its output; resolves to the exit code. */
function ctctBulk(args: string[], expected: number): Promise<void> {
  const shown = args
    .map((arg) => (/[\s"]/.test(arg) ? `"${arg}"` : arg.replace(work, "$TMP")))
    .join(" ");
  console.log(`\n$ ctct-bulk ${shown}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: "inherit" });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === expected) resolve();
      else reject(new Error(`ctct-bulk ${args[0]} exited with ${code}, expected ${expected}`));
    });
  });
}

async function countRows(path: string): Promise<number> {
  const text = await readFile(path, "utf8");
  return text.split(/\r?\n/).filter((line) => line.trim() !== "").length - 1;
}

try {
  console.log(`Fake Constant Contact API on ${server.url} (account "${DEFAULT_ACCOUNT.username}")`);
  console.log(
    `Input: ${contacts}, ${(await countRows(contacts)).toLocaleString("en-US")} contacts`,
  );

  // 1. Check the file offline: the lines the server will refuse, before sending anything.
  await ctctBulk(["validate", contacts], 4);
  // 2. Import it into a list by name, waiting for the jobs; refused rows go to a file. The real
  //    limit is 1.9 MB a request; a smaller --chunk-size shows this small file split in several
  //    requests, whose refused lines still come back by their line in the file.
  //    Exit code 4: the jobs completed and some lines were refused.
  await ctctBulk(
    [
      "import",
      contacts,
      "--list",
      "VIP customers",
      "--wait",
      "--rejects",
      refused,
      "--chunk-size",
      "150000",
      "--state",
      join(work, "import.json"),
    ],
    4,
  );
  // 3. Export the list, waiting for the job and downloading its file.
  await ctctBulk(
    [
      "export",
      "--list",
      "VIP customers",
      "--columns",
      "FIRST NAME,LAST NAME,CITY",
      "--include-date",
      "--out",
      exported,
    ],
    0,
  );
  // 4. What the account's activities look like now.
  await ctctBulk(["activities", "--limit", "5"], 0);

  const activities = server.server.control.activities();
  console.log("\nWhat happened:");
  const kinds = new Map<string, number>();
  for (const activity of activities) {
    const kind = `${activity.type} ${activity.status}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const kindList = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(", ");
  console.log(`  activities created: ${activities.length} (${kindList})`);
  console.log(
    `  per-line errors:    ${await countRows(refused)} rows refused, written to ${refused}`,
  );
  console.log(
    `  exported:           ${(await countRows(exported)).toLocaleString("en-US")} contacts in ${exported}`,
  );
} catch (error) {
  console.error(`\nDemo failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await server.close();
}
