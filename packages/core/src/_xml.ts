// Public names of the XML mapping modules (re-exported by mod.ts).
export {};
