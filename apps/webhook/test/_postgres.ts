// Finds the PostgreSQL server that scripts/ci-services.sh started (PG_URL, or the URL file it
// writes) and says why when there is none, so that a skipped suite states its reason.
import { readFileSync } from "node:fs";
import pg from "pg";

const URL_FILE = new URL("../../../node_modules/.cache/ctct-pg-url", import.meta.url);

export interface PostgresAvailability {
  url: string | undefined;
  /** Why the PostgreSQL tests cannot run, when they cannot. */
  reason: string | undefined;
}

let cached: Promise<PostgresAvailability> | undefined;

export function findPostgres(): Promise<PostgresAvailability> {
  cached ??= probe();
  return cached;
}

async function probe(): Promise<PostgresAvailability> {
  let url = process.env.PG_URL;
  if (!url) {
    try {
      url = readFileSync(URL_FILE, "utf8").trim();
    } catch {
      return {
        url: undefined,
        reason: "PostgreSQL is not configured: set PG_URL or run scripts/ci-services.sh",
      };
    }
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { url, reason: undefined };
  } catch (error) {
    const where = new URL(url);
    return {
      url: undefined,
      reason: `PostgreSQL is not reachable at ${where.hostname}:${where.port || 5432}: ${(error as Error).message} (run scripts/ci-services.sh)`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh schema name, so that test files and runs do not see each other's rows. */
export function freshSchema(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
