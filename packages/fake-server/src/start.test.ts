import { afterEach, describe, expect, it } from "vitest";
import { AUTH } from "./_test_helpers.ts";
import { type RunningFakeServer, startFakeServer } from "./start.ts";

let running: RunningFakeServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("startFakeServer()", () => {
  it("listens on 127.0.0.1 on a free port and answers real HTTP requests", async () => {
    running = await startFakeServer();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ws\/customers$/);
    expect(running.server.baseUrl).toBe(running.url);
    const response = await fetch(`${running.url}/joesflowers/lists`, { headers: AUTH });
    expect(response.status).toBe(200);
    const unauthorized = await fetch(`${running.url}/joesflowers/lists`);
    expect(unauthorized.status).toBe(401);
  });

  it("gives a Location on the socket's origin", async () => {
    running = await startFakeServer();
    const response = await fetch(`${running.url}/joesflowers/activities`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
      body: "activityType=CLEAR_CONTACTS_FROM_LISTS&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F1",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toMatch(
      new RegExp(`^${running.url}/joesflowers/activities/a07e[a-z0-9]{15}$`),
    );
  });

  it("destroys the socket when a fault drops the connection, before or after handling", async () => {
    running = await startFakeServer({
      faults: [
        { route: "GET /ws/customers/:username/lists", kind: "drop", times: 1 },
        { route: "POST /ws/customers/:username/activities", kind: "lose-response", times: 1 },
      ],
    });
    await expect(fetch(`${running.url}/joesflowers/lists`, { headers: AUTH })).rejects.toThrow(
      TypeError,
    );
    expect((await fetch(`${running.url}/joesflowers/lists`, { headers: AUTH })).status).toBe(200);
    await expect(
      fetch(`${running.url}/joesflowers/activities`, {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
        body: "activityType=CLEAR_CONTACTS_FROM_LISTS&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F1",
      }),
    ).rejects.toThrow(TypeError);
    expect(running.server.control.activities()).toHaveLength(1);
  });

  it("closes: the port no longer answers", async () => {
    const server = await startFakeServer();
    const url = `${server.url}/joesflowers/lists`;
    await fetch(url, { headers: AUTH });
    await server.close();
    await expect(fetch(url, { headers: AUTH })).rejects.toThrow();
  });
});
