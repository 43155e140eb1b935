/**
 * The benchmarks' generated contact file, as a stream of text pieces of 1,000 rows: never held
 * whole, the same for the in-process run and the child that measures memory.
 */
export function* generatedContactFile(contacts: number): Generator<string> {
  yield "EMAIL ADDRESS,FIRST NAME,LAST NAME,CITY\n";
  const batch: string[] = [];
  for (let i = 0; i < contacts; i++) {
    batch.push(`user${i}@example.com,First${i % 97},Last${i % 89},Springfield\n`);
    if (batch.length === 1_000) {
      yield batch.join("");
      batch.length = 0;
    }
  }
  if (batch.length > 0) yield batch.join("");
}
