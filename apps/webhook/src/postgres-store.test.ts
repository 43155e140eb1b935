import { describe, it } from "vitest";
import { dropSchema, findPostgres, freshSchema } from "../test/_postgres.ts";
import { describeStoreContract } from "../test/_store-contract.ts";
import { openPostgresStore } from "./postgres-store.ts";

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
