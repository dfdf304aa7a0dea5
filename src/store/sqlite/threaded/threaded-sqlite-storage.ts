/**
 * The SQLite store on a thread of its own: the default storage of `startOpenBsp`. The caller gets
 * a proxy typed from the port (`Remote<Store>`), and the controls of the side the thread runs.
 */
import { Worker } from "node:worker_threads";
import type { StorageFactory, StoreSide } from "../../storage-factory.ts";
import type { Store } from "../../store.ts";
import { connect } from "./remote.ts";

/** What the thread is started with. */
export interface SqliteThreadInit {
  readonly file: string;
  readonly side: StoreSide;
}

export function threadedSqliteStorage(file: string): StorageFactory {
  return async <Controls extends object>(side: StoreSide) => {
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
    const connection = await Promise.race([connect<{ store: Store; controls: Controls }>(worker), failed]);
    // If the thread dies, every waiting and later call fails at once instead of hanging.
    let closing = false;
    worker.on("error", (err) => connection.fail(err));
    worker.on("exit", (code) => {
      if (!closing) connection.fail(new Error(`the store thread stopped (exit code ${code})`));
    });
    return {
      store: connection.remote.store,
      // The side's controls are all async (see SideEntry), so their remote type is their own.
      controls: (connection.remote as unknown as { readonly controls: Controls }).controls,
      async close() {
        closing = true;
        await worker.terminate();
      },
    };
  };
}
