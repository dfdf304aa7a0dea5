/**
 * The SQLite store's own thread: opens the file, runs the root's side next to it (the background
 * workers, which call the store here, without crossing threads) and serves what the side answers
 * (the store, the workers' controls) to the thread that started it. better-sqlite3 is synchronous: its fsyncs stall
 * this thread, never an HTTP request. Calls that arrive while this thread is busy are run together,
 * then all their writes are committed at once (group commit).
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { OpenStore, SideEntry } from "../../storage-factory.ts";
import { SqliteStorage } from "../sqlite-storage.ts";
import { serve } from "./remote.ts";
import type { SqliteThreadInit } from "./threaded-sqlite-storage.ts";

const port = parentPort as MessagePort | null;
if (!port) throw new Error("sqlite-thread must run in a worker thread");
const { file, side } = workerData as SqliteThreadInit;

let opened: SqliteStorage | undefined;
const open: OpenStore = (wiring) => {
  opened = new SqliteStorage(file, wiring.plan, wiring.onDue, wiring.onCommitted);
  return { storage: opened, handle: { kind: "sqlite", connection: opened.connection } };
};
const entry = (await import(side.module))[side.export] as SideEntry;
const answered = await entry(side.data as never, open);
const store = opened;
if (!store) throw new Error(`${side.export} did not open the store`);
serve(port, answered, { afterBatch: () => store.flushWrites() });
