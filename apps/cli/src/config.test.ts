import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs } from "./_test_context.ts";
import { CliError } from "./cli-error.ts";
import { configPath, readConfig, resolveCredentials, writeConfig } from "./config.ts";

async function home(): Promise<Record<string, string>> {
  return { XDG_CONFIG_HOME: await makeTempDir("ctct-cli-config-") };
}

afterAll(removeTempDirs);

describe("configPath()", () => {
  it("follows XDG_CONFIG_HOME, else ~/.config", () => {
    expect(configPath({ XDG_CONFIG_HOME: "/x" })).toBe("/x/ctct-bulk/config.json");
    expect(configPath({ HOME: "/home/ann" })).toBe("/home/ann/.config/ctct-bulk/config.json");
  });
});

describe("writeConfig()", () => {
  it("writes the file with mode 0600 in a 0700 directory, replacing an older one", async () => {
    const env = await home();
    const path = await writeConfig(env, { username: "joesflowers", accessToken: "first-token" });
    await chmod(path, 0o644);
    await writeConfig(env, { username: "joesflowers", accessToken: "second-token" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(env.XDG_CONFIG_HOME!, "ctct-bulk"))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      username: "joesflowers",
      accessToken: "second-token",
    });
    expect((await readConfig(env))?.config.accessToken).toBe("second-token");
  });
});

describe("resolveCredentials()", () => {
  it("takes a key and password, or a token, from the environment first", async () => {
    const env = await home();
    await writeConfig(env, { username: "stored", accessToken: "stored-token" });
    expect(
      (
        await resolveCredentials({
          ...env,
          CTCT_USERNAME: "joesflowers",
          CTCT_API_KEY: "key-1",
          CTCT_PASSWORD: "pw-1",
        })
      ).credentials,
    ).toEqual({ username: "joesflowers", apiKey: "key-1", password: "pw-1" });
    const fromToken = await resolveCredentials({
      ...env,
      CTCT_USERNAME: "joesflowers",
      CTCT_ACCESS_TOKEN: "tok-1",
    });
    expect(fromToken).toMatchObject({
      credentials: { username: "joesflowers", accessToken: "tok-1" },
      source: "environment",
    });
  });

  it("falls back to the config file, and warns when others can read it", async () => {
    const env = await home();
    const path = await writeConfig(env, {
      username: "stored",
      accessToken: "stored-token",
      baseUrl: "http://x/ws/customers",
    });
    const warnings: string[] = [];
    const resolved = await resolveCredentials(env, (message) => warnings.push(message));
    expect(resolved).toEqual({
      credentials: { username: "stored", accessToken: "stored-token" },
      source: "config",
      baseUrl: "http://x/ws/customers",
    });
    expect(warnings).toEqual([]);
    await chmod(path, 0o644);
    await resolveCredentials(env, (message) => warnings.push(message));
    expect(warnings[0]).toContain(`run chmod 600 "${path}"`);
  });

  it("fails with exit code 5, naming what is missing and never a value", async () => {
    const env = await home();
    const none = await resolveCredentials(env).catch((error: unknown) => error);
    expect(CliError.isInstance(none) && none.exitCode).toBe(5);
    const partial = (await resolveCredentials({
      ...env,
      CTCT_USERNAME: "joesflowers",
      CTCT_API_KEY: "very-secret-key",
    }).catch((error: unknown) => error)) as CliError;
    expect(partial.message).toBe(
      "Incomplete credentials in the environment: CTCT_PASSWORD is missing",
    );
    expect(`${partial.message} ${partial.hint}`).not.toContain("very-secret-key");
    await expect(resolveCredentials({ ...env, CTCT_ACCESS_TOKEN: "t0ken" })).rejects.toThrow(
      "No username in the environment",
    );
  });

  it("refuses a config file that is not JSON, naming it", async () => {
    const env = await home();
    const path = await writeConfig(env, {});
    await writeFile(path, "{nope");
    await expect(resolveCredentials(env)).rejects.toThrow(
      `Cannot read the config file "${path}": it is not a JSON object`,
    );
  });
});
