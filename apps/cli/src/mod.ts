/**
 * `@ctct-bulk/cli`: the `ctct-bulk` command line.
 *
 * @module
 */
export { buildCli } from "./cli.ts";
