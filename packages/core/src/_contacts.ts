// Public names of the vocabulary, contact-file and validation modules (re-exported by mod.ts).
export * from "./activity.ts";
export * from "./columns.ts";
export * from "./contact-file.ts";
export * from "./uris.ts";
export * from "./validation.ts";
