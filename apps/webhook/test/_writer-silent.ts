// A writer thread that takes messages and never answers, as one stuck in a system call would
// (for the SQLite store's tests: writerModule).
import { parentPort } from "node:worker_threads";

parentPort!.on("message", () => {});
