// A writer thread that blocks in a system call as soon as it starts, as one stuck in an fsync
// would: it writes "<database>.blocked", then opens "<database>.fifo" for reading, which waits
// until someone opens it for writing (for the SQLite store's tests: writerModule; the test makes
// the FIFO, waits for the marker, and opens the FIFO to end it).
import { openSync, writeFileSync } from "node:fs";
import { workerData } from "node:worker_threads";

const { path } = workerData as { path: string };
writeFileSync(`${path}.blocked`, "");
openSync(`${path}.fifo`, "r");
