/**
 * The SQLite thread. better-sqlite3 is synchronous, so on the HTTP thread every commit's fsync
 * would stall every request; here it stalls only this thread, while the HTTP thread keeps
 * parsing, validating and answering. Each batch of calls is run, then its writes are committed
 * together; calls that arrived meanwhile are drained and form the next group commit.
 * This file is a composition root for its thread: it builds the plan from the faces' formatters.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { makePlanEvent } from "../../app/plan-event.ts";
import { REPORT_FORMATTERS } from "../../faces/report-formatters.ts";
import { SqliteStore } from "./sqlite-store.ts";
import { READY, type StoreAnswer, type StoreCall, type WorkerInit } from "./worker-protocol.ts";

const port = parentPort as MessagePort | null;
if (!port) throw new Error("sqlite-worker must run in a worker thread");
const { file } = workerData as WorkerInit;
const store = new SqliteStore(file, makePlanEvent(REPORT_FORMATTERS));
const methods = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

let answers: StoreAnswer[] = [];
let answering = false;

function answer(a: StoreAnswer): void {
  answers.push(a);
  if (!answering) {
    answering = true;
    setImmediate(() => {
      answering = false;
      const batch = answers;
      answers = [];
      port?.postMessage(batch);
    });
  }
}

function run(call: StoreCall): void {
  const method = methods[call.method];
  if (typeof method !== "function" || call.method.startsWith("#")) {
    answer({ id: call.id, ok: false, error: { name: "TypeError", message: `no store method ${call.method}` } });
    return;
  }
  method.apply(store, call.args as unknown[]).then(
    (value) => answer({ id: call.id, ok: true, value }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      answer({ id: call.id, ok: false, error: { name: e.name, message: e.message } });
    },
  );
}

port.on("message", (first: StoreCall[]) => {
  // Run this batch and every batch already waiting, then commit all their writes with one fsync.
  let batch: StoreCall[] | undefined = first;
  while (batch) {
    for (const call of batch) run(call);
    batch = receiveMessageOnPort(port)?.message as StoreCall[] | undefined;
  }
  store.flushWrites();
});
port.postMessage(READY);
