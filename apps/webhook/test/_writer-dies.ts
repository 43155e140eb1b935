// A writer thread that dies on its first message (for the SQLite store's tests: writerModule).
import { parentPort } from "node:worker_threads";

parentPort!.on("message", () => {
  throw new Error("test: the writer thread died");
});
