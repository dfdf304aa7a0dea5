/**
 * The SQLite store on a thread of its own: the default storage of `startOpenBsp`. The caller gets
 * what the side running on that thread answers (the store, the workers' controls) as proxies typed
 * from their port types (`Remote<T>`).
 */
import { Worker } from "node:worker_threads";
import type { StorageFactory, StoreSide } from "../../storage-factory.ts";
import { connect } from "./remote.ts";

/** What the thread is started with. */
export interface SqliteThreadInit {
  readonly file: string;
  readonly side: StoreSide;
}

export function threadedSqliteStorage(file: string): StorageFactory {
  return async <Side extends object>(side: StoreSide) => {
    const worker = new Worker(new URL("./sqlite-thread-boot.mjs", import.meta.url), {
      workerData: { file, side } satisfies SqliteThreadInit,
    });
    const failed = new Promise<never>((_, reject) => {
      worker.once("error", reject);
      worker.once("exit", (code) =>
        reject(new Error(`the store thread exited with ${code} before it was ready`)),
      );
    });
    failed.catch(() => undefined);
    const connection = await Promise.race([connect<Side>(worker), failed]);
    // If the thread dies, every waiting and later call fails at once instead of hanging.
    let closing = false;
    worker.on("error", (err) => connection.fail(err));
    worker.on("exit", (code) => {
      if (!closing) connection.fail(new Error(`the store thread stopped (exit code ${code})`));
    });
    return {
      // What a side answers is all async (see SideEntry), so its remote type is its own.
      side: connection.remote as unknown as Side,
      async close() {
        closing = true;
        await worker.terminate();
      },
    };
  };
}
