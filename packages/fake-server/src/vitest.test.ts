import { describe, expect, it } from "vitest";
import { AUTH } from "./_test_helpers.ts";
import { useFakeServer } from "./vitest.ts";

describe("useFakeServer() in process", () => {
  const fake = useFakeServer({ clock: "manual" });

  it("gives a running server inside tests", async () => {
    const response = await fake.server.fetch(`${fake.baseUrl}/joesflowers/lists`, {
      headers: AUTH,
    });
    expect(response.status).toBe(200);
    expect(fake.running).toBeUndefined();
    fake.server.control.addContacts([{ email: "kept@example.com", lists: [1] }]);
    expect(fake.server.control.members(1)).toHaveLength(1);
  });

  it("resets the state after each test", () => {
    expect(fake.server.control.members(1)).toEqual([]);
  });
});

describe("useFakeServer() on a socket", () => {
  const fake = useFakeServer({ socket: true });

  it("listens on a port and answers plain fetch", async () => {
    expect(fake.running?.url).toBe(fake.baseUrl);
    const response = await fetch(`${fake.baseUrl}/joesflowers/`, { headers: AUTH });
    expect(response.status).toBe(200);
  });
});
