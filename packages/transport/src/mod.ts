/**
 * `@ctct-bulk/transport`: the fetch-based client for Constant Contact's Bulk Activities API.
 *
 * @module
 */
export { CtctError } from "./ctct-error.ts";
