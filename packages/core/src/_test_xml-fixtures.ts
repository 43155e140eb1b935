// The XML fixtures of `__fixtures__/`, as text, read through Vite at test time.
const fixtures = import.meta.glob<string>("./__fixtures__/*.xml", {
  query: "?raw",
  import: "default",
  eager: true,
});

/**
 * A fixture's text, exactly as the file holds it.
 *
 * @param name The file's name in `__fixtures__/` (`seed-activities-feed.xml`).
 */
export function xmlFixture(name: string): string {
  const text = fixtures[`./__fixtures__/${name}`];
  if (text === undefined)
    throw new Error(`Unknown fixture "${name}": no such file in __fixtures__`);
  return text;
}
