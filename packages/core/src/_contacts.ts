// Public names of the vocabulary, contact-file and validation modules (re-exported by mod.ts).
export * from "./activity.ts";
