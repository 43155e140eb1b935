// Vite's `import.meta.glob`, which the tests use to read the XML fixtures (core's tests type-check
// without Node's types, so they cannot use node:fs).
interface ImportMeta {
  glob<T>(
    pattern: string | string[],
    options: { query: "?raw"; import: "default"; eager: true },
  ): Record<string, T>;
}
