import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { captured } from "./_test_context.ts";
import { ask, canPrompt } from "./prompt.ts";

/** A terminal-like stdin: what is written to it is "typed". */
function terminal(): PassThrough & { isTTY: boolean; setRawMode: (on: boolean) => void } {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
}

describe("ask()", () => {
  it("shows the question and echoes an ordinary answer", async () => {
    const stdin = terminal();
    const stderr = captured(true);
    const answer = ask({ stdin, stderr }, "Username: ");
    stdin.write("joesflowers\r");
    expect(await answer).toBe("joesflowers");
    expect(stderr.text).toContain("Username: ");
    expect(stderr.text).toContain("joesflowers");
  });

  it("never echoes a hidden answer", async () => {
    const stdin = terminal();
    const stderr = captured(true);
    const answer = ask({ stdin, stderr }, "Password: ", { hidden: true });
    for (const key of "s3cr3t-pw") stdin.write(key);
    stdin.write("\r");
    expect(await answer).toBe("s3cr3t-pw");
    expect(stderr.text).toContain("Password: ");
    expect(stderr.text).not.toContain("s3cr");
  });
});

describe("canPrompt()", () => {
  it("asks only when stdin and stderr are both terminals", () => {
    expect(canPrompt({ stdin: terminal(), stderr: captured(true) })).toBe(true);
    expect(canPrompt({ stdin: terminal(), stderr: captured(false) })).toBe(false);
    expect(canPrompt({ stdin: new PassThrough(), stderr: captured(true) })).toBe(false);
  });
});
