// Reading the next chunk of an import gives the event loop a turn every few milliseconds.
// Core's reader and chunker run as a chain of promise callbacks when the source is already in
// memory (text, an array or a generator of text, a fast stream): nothing in it waits for I/O, so
// nothing else runs until the whole chunk is read. Meanwhile the create of the chunk before it
// waits: undici writes the request's headers and the rest of its body from the event loop's own
// callbacks (`process.nextTick`, socket writable), which run only once the promise callbacks are
// done. Measured (ADR 0145): each create's headers went out 20-40 ms after its request was made,
// the time it took to read the next chunk, so reading and uploading took turns instead of
// overlapping. Hand-written (a dozen lines): no scheduling library runs on Node, Deno, Bun and
// browsers alike without timers' 1-4 ms clamping.
import type { ContactRow, ContactTable } from "@ctct-bulk/core";

/**
 * How long reading may run before it gives the event loop a turn, in milliseconds. A create's
 * headers went out one to two slices after its request was made (about 6 ms with 4 ms slices,
 * 1.3 ms with 1 ms, 0.3 ms with a turn after every batch of rows; ADR 0145); a turn costs a few
 * microseconds, a millisecond's reading is about a thousand rows.
 */
export const READ_SLICE_MS = 1;

type Runtime = {
  setImmediate?: (callback: () => void) => unknown;
  MessageChannel?: typeof MessageChannel;
};

/**
 * Resolves on a later turn of the event loop, after the I/O callbacks waiting then: `setImmediate`
 * where there is one (Node, Bun), else a message to oneself (browsers, Deno), never a timer.
 */
export function nextTurn(): Promise<void> {
  const runtime = globalThis as Runtime;
  return new Promise((resolve) => {
    if (typeof runtime.setImmediate === "function") {
      runtime.setImmediate(resolve);
      return;
    }
    if (typeof runtime.MessageChannel === "function") {
      const channel = new runtime.MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(undefined);
      return;
    }
    setTimeout(resolve, 0);
  });
}

/**
 * The same table, its rows handed over in the same arrays and order, except that reading gives the
 * event loop a turn (see {@linkcode nextTurn}) once it has run for `sliceMs` since the last turn.
 * A table without `batches` is returned as it is.
 */
export function yieldingTable(table: ContactTable, sliceMs: number = READ_SLICE_MS): ContactTable {
  const batches = table.batches;
  if (batches === undefined) return table;
  return {
    header: table.header,
    rows: table.rows,
    batches: {
      async *[Symbol.asyncIterator](): AsyncGenerator<readonly ContactRow[], void, undefined> {
        let since = performance.now();
        for await (const batch of batches) {
          yield batch;
          const now = performance.now();
          if (now - since >= sliceMs) {
            await nextTurn();
            since = performance.now();
          }
        }
      },
    },
  };
}
