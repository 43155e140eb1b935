#!/usr/bin/env node
import { buildCli } from "./cli.ts";

await buildCli(process.argv.slice(2)).parseAsync();
