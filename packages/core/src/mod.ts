/**
 * `@ctct-bulk/core`: the pure heart of ctct-bulk. Everything Constant Contact's Bulk Activities
 * API decides (vocabulary, contact files, validation, form encodings, chunking, XML) with no I/O,
 * so that the client, the CLI, the webhook service and the fake server agree byte for byte.
 *
 * @module
 */
export * from "./_contacts.ts";
export * from "./_encoding.ts";
export * from "./_xml.ts";
