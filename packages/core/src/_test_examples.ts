// Shared by the tests that run the `@example` blocks of core's JSDoc, so that the documentation
// cannot drift from the code.

/** One `@example` block: its title and its code lines, with the JSDoc `* ` and imports removed. */
export interface ExampleBlock {
  title: string;
  lines: string[];
}

/** The `@example` blocks of a module's source, in order. */
export function exampleBlocks(source: string): ExampleBlock[] {
  const blocks: ExampleBlock[] = [];
  for (const block of source.matchAll(/@example ([^\n]*)\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)) {
    const lines = block[2]!
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .filter((line) => !line.startsWith("import "));
    blocks.push({ title: block[1]!, lines });
  }
  return blocks;
}

/** Whether some `@example` block of these sources mentions `name`. */
export function hasExample(name: string, sources: Record<string, string>): boolean {
  const pattern = new RegExp(`@example[\\s\\S]*?\\b${name}\\b`);
  return Object.values(sources).some((source) => pattern.test(source));
}

/** The constructor of async functions, to run an example's code with the module's names in scope. */
export const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;
