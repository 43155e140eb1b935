import { describe, expect, it } from "vitest";
import { createFakeServer } from "./fake-server.ts";

describe("createFakeServer()", () => {
  it("answers in process with no socket", async () => {
    const server = createFakeServer();
    const response = await server.fetch("http://fake.test/_fake/health");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect((await server.fetch("http://fake.test/nope")).status).toBe(404);
  });
});
