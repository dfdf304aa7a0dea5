/**
 * The embedded store as the HTTP thread sees it: calls are forwarded to the SQLite thread
 * (sqlite-worker.ts), batched per event-loop turn, and answered asynchronously. Same contract as
 * SqliteStore.
 */
import { Worker } from "node:worker_threads";
import type { Store } from "../store.ts";
import { READY, type StoreAnswer, type StoreCall, type WorkerInit } from "./worker-protocol.ts";

const METHODS = [
  "upsertAccount", "findAccountByApiKey", "getAccount", "updateAccountWebhooks", "upsertSender", "findSender",
  "insertTemplate", "updateTemplate", "getTemplate", "listTemplates", "findTemplatesByName", "deleteTemplatesByName",
  "nameLockedUntil", "pendingTemplatesDue", "insertMessages", "getMessage", "claimMessages", "rescheduleMessages",
  "applyMessageEvents", "overdueMessages", "releaseAllLeases", "lastInboundAt", "recordInbound", "claimWebhooks",
  "webhookDelivered", "webhookRetry", "webhookFailed", "webhookCounts", "putSandboxRule", "listSandboxRules",
  "deleteSandboxRule", "putHandsetMessages", "dueHandsetMessages", "updateHandsetMessages", "listHandsetMessages",
] as const satisfies readonly Exclude<keyof Store, "close">[];

// Compile-time check that METHODS names every method of the port.
type Missing = Exclude<Exclude<keyof Store, "close">, (typeof METHODS)[number]>;
const complete: Missing extends never ? true : Missing = true;

export async function startWorkerStore(file: string): Promise<Store> {
  const worker = new Worker(new URL("./sqlite-worker-boot.mjs", import.meta.url), {
    workerData: { file } satisfies WorkerInit,
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let outbox: StoreCall[] = [];

  await new Promise<void>((resolve, reject) => {
    worker.once("message", (m) => (m === READY ? resolve() : reject(new Error(`unexpected ${String(m)}`))));
    worker.once("error", reject);
  });
  worker.on("message", (answers: StoreAnswer[]) => {
    for (const a of answers) {
      const call = pending.get(a.id);
      if (!call) continue;
      pending.delete(a.id);
      if (a.ok) call.resolve(a.value);
      else call.reject(Object.assign(new Error(a.error.message), { name: a.error.name }));
    }
  });
  worker.on("error", (err) => {
    for (const call of pending.values()) call.reject(err);
    pending.clear();
  });

  const send = () => {
    const batch = outbox;
    outbox = [];
    worker.postMessage(batch);
  };
  const call = (method: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      if (outbox.length === 0) setImmediate(send);
      outbox.push({ id, method, args });
    });

  const store: Record<string, unknown> = {
    async close() {
      await call("close", []);
      await worker.terminate();
    },
  };
  for (const m of METHODS) store[m] = (...args: unknown[]) => call(m, args);
  return complete && (store as unknown as Store);
}
