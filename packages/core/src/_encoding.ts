// Public names of the encoding, request and chunking modules (re-exported by mod.ts).
export {};
