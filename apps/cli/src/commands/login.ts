import { CliError, usageError } from "../cli-error.ts";
import type { CommandDefinition } from "../command.ts";
import { type Credentials, type StoredConfig, writeConfig } from "../config.ts";
import { chooseBaseUrl } from "../connection.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import { ask, canPrompt } from "../prompt.ts";
import { rememberSecret } from "../secrets.ts";

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  stdin.setEncoding("utf8");
  for await (const chunk of stdin) text += chunk as string;
  return text.trim();
}

/** `ctct-bulk login`: check credentials and store them (mode 0600). */
export const loginCommand: CommandDefinition = {
  command: "login",
  describe: "Check an account's credentials and store them for later runs (config file, mode 0600)",
  options: {
    username: {
      type: "string",
      requiresArg: true,
      describe: "The account's login name (asked when not given)",
    },
    "api-key": {
      type: "string",
      requiresArg: true,
      describe: "The API key (asked when not given)",
    },
    "password-stdin": {
      type: "boolean",
      describe: "Read the password from stdin (for scripts)",
    },
    "token-stdin": {
      type: "boolean",
      describe: "Read an OAuth 2 access token from stdin instead of a key and password",
      conflicts: ["password-stdin", "api-key"],
    },
    verify: {
      type: "boolean",
      default: true,
      describe: "Check the credentials against the API first (--no-verify skips it)",
    },
  },
  examples: [
    ["$0 login", "Asks for the username, API key and password"],
    [
      "$0 login --username joesflowers --api-key KEY --password-stdin < password.txt",
      "From a script",
    ],
    ['$0 login --username joesflowers --token-stdin <<< "$TOKEN"', "With an access token"],
  ],
  epilogue:
    "The file is $XDG_CONFIG_HOME/ctct-bulk/config.json (~/.config/ctct-bulk/config.json). Credentials in the environment take precedence over it. Passwords and tokens are never taken as options: they would show in the process list and the shell's history.",
  async run(args, session) {
    const { context, output } = session;
    const prompt = canPrompt(context);
    const need = (what: string, option: string): never => {
      throw usageError(`Missing ${what}: pass ${option} (not on a terminal, so cannot ask)`);
    };
    const username =
      (args.username as string | undefined) ??
      (prompt ? await ask(context, "Username: ") : need("the username", "--username"));
    if (!username) throw usageError("Missing the username");
    let credentials: Credentials;
    if (args.tokenStdin) {
      const accessToken = await readStdin(context.stdin);
      if (!accessToken) throw usageError("No access token on stdin");
      credentials = { username, accessToken };
    } else {
      const apiKey =
        (args.apiKey as string | undefined) ??
        (prompt
          ? await ask(context, "API key: ", { hidden: true })
          : need("the API key", "--api-key"));
      const password = args.passwordStdin
        ? await readStdin(context.stdin)
        : prompt
          ? await ask(context, "Password: ", { hidden: true })
          : need("the password", "--password-stdin");
      if (!apiKey || !password) throw usageError("Missing the API key or the password");
      credentials = { username, apiKey, password };
    }
    rememberSecret("apiKey" in credentials ? credentials.apiKey : undefined);
    rememberSecret("password" in credentials ? credentials.password : undefined);
    rememberSecret("accessToken" in credentials ? credentials.accessToken : undefined);
    const baseUrl = chooseBaseUrl(session, undefined, username);
    if (args.verify !== false) {
      const { createClient } = await import("@ctct-bulk/transport");
      const client = createClient({
        ...credentials,
        baseUrl,
        ...(context.fetch ? { fetch: context.fetch } : {}),
      });
      // Any authenticated read proves the credentials; the lists are small.
      try {
        for await (const _list of client.lists.list(
          context.signal ? { signal: context.signal } : {},
        ))
          break;
      } catch (error) {
        // The generic advice names the environment and `login` itself: here it is what was typed.
        const name = (error as Error)?.name;
        if (name === "UnauthorizedError" || name === "ForbiddenError")
          throw new CliError((error as Error).message, {
            exitCode: EXIT_CODES.AUTH,
            hint: `Nothing was stored: check the username, ${"accessToken" in credentials ? "the access token" : "the API key and the password"}, and run ctct-bulk login again`,
            cause: error,
          });
        throw error;
      }
    }
    const stored: StoredConfig = {
      ...credentials,
      ...(session.globals.baseUrl || context.env.CTCT_BASE_URL ? { baseUrl } : {}),
    };
    const path = await writeConfig(context.env, stored);
    output.result({ username, path, verified: args.verify !== false }, () => "");
    output.info(
      `${args.verify !== false ? "Logged in" : "Saved the credentials"} as "${username}": ${path} (mode 0600)`,
    );
    return EXIT_CODES.SUCCESS;
  },
};
