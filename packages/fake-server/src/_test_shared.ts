// Where the seed tests find the API's recorded material (`shared/seeds/`, `shared/fixtures/`): a
// `shared/` folder beside the clone. A clone alone does not have it, so there the tests skip with
// the reason; CI runs beside `shared/` (.ci/run sets CI=true) and must run them, so there a
// missing folder fails instead of skipping silently.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Whether the environment says it is CI (`CI=true` or `CI=1`, as CI services set it). */
export function isCi(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/** The recorded material at `folder`, or the reason to skip the tests that need it. */
export function sharedMaterial(
  folder: URL,
  env: Record<string, string | undefined> = process.env,
): { present: true } | { present: false; reason: string } {
  if (existsSync(folder)) return { present: true };
  const path = fileURLToPath(folder).replace(/\/$/, "");
  if (isCi(env))
    throw new Error(
      `${path} is missing, and CI=true: CI must run in a clone beside shared/ (the API's recorded seeds and fixtures) so that the seed tests run`,
    );
  return {
    present: false,
    reason: `skipped: ${path} not found (the seed tests need shared/ beside the clone, ../shared)`,
  };
}
