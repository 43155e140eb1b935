import pg from "pg";
import { describe, expect, it } from "vitest";
import { dropSchema, findPostgres, freshSchema } from "../test/_postgres.ts";
import { describeStoreContract, newPush } from "../test/_store-contract.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { StoreUnavailableError } from "./store.ts";

const postgres = await findPostgres();

if (postgres.url) {
  const url = postgres.url;
  describeStoreContract("openPostgresStore()", async () => {
    const schema = freshSchema("contract");
    return {
      store: await openPostgresStore(url, { schema, poolSize: 4 }),
      reopen: () => openPostgresStore(url, { schema, poolSize: 4 }),
      dispose: () => dropSchema(url, schema),
    };
  });
} else {
  describe("openPostgresStore() (store contract)", () => {
    it.skip(`is skipped: ${postgres.reason}`, () => {});
  });
}

describe.skipIf(!postgres.url)(
  "openPostgresStore() when the database does not answer in time",
  () => {
    it("refuses a push stuck behind a lock as unavailable (a 503), and stores the next one", async () => {
      const url = postgres.url!;
      const schema = freshSchema("timeout");
      const store = await openPostgresStore(url, { schema, poolSize: 2, statementTimeoutMs: 300 });
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query(`LOCK TABLE ${schema}.pushes IN ACCESS EXCLUSIVE MODE`);
        const stuck = store.acceptPush(newPush());
        await expect(stuck).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(stuck).rejects.toThrow(/did not store the push in time: .*statement timeout/);
        await locker.query("ROLLBACK");
        const push = newPush();
        await expect(store.acceptPush(push)).resolves.toMatchObject({
          kind: "accepted",
          pushId: push.id,
        });
      } finally {
        await locker.end();
        await store.close();
        await dropSchema(url, schema);
      }
    });

    it("refuses a push as unavailable when no connection comes within connectTimeoutMs", async () => {
      const url = postgres.url!;
      const schema = freshSchema("pool");
      const store = await openPostgresStore(url, { schema, poolSize: 1, connectTimeoutMs: 200 });
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      try {
        // the pool's only connection waits on a lock (within its statement timeout), so the next
        // push waits for a connection
        await locker.query("BEGIN");
        await locker.query(`LOCK TABLE ${schema}.pushes IN ACCESS EXCLUSIVE MODE`);
        const first = store.acceptPush(newPush());
        const second = store.acceptPush(newPush());
        await expect(second).rejects.toBeInstanceOf(StoreUnavailableError);
        await locker.query("ROLLBACK");
        await expect(first).resolves.toMatchObject({ kind: "accepted" });
      } finally {
        await locker.end();
        await store.close();
        await dropSchema(url, schema);
      }
    });
  },
);
