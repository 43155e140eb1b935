// Loaded with `node --import` before the service (writer-failure.test.ts): the store's writer
// thread is replaced by one that dies on its first message, as a thread that crashes would.
import { createRequire, syncBuiltinESMExports } from "node:module";

const threads = createRequire(import.meta.url)(
  "node:worker_threads",
) as typeof import("node:worker_threads");
const Original = threads.Worker;
threads.Worker = class extends Original {
  constructor(module: string | URL, options?: import("node:worker_threads").WorkerOptions) {
    super(
      String(module).endsWith("/_sqlite-writer.ts")
        ? new URL("./_writer-dies.ts", import.meta.url)
        : module,
      options,
    );
  }
};
syncBuiltinESMExports();
