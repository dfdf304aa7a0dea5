/**
 * The engine as the HTTP thread sees it: a Storage and a SimulatorStore whose calls are forwarded
 * to the engine thread (answered asynchronously, same contract as SqliteStorage), and
 * notices that wake the engine's workers.
 */
import { Worker } from "node:worker_threads";
import type { Config } from "../config.ts";
import type { SimulatorStore } from "../simulator/simulator-store.ts";
import type { Storage } from "../store/storage.ts";
import type { EngineInit, FromEngine, LoopName, ToEngine } from "./engine-protocol.ts";

/** Every port forwarded to the engine thread, the Storage ports and the simulator's, by name. */
type Ports = Omit<Storage, "releaseAllLeases" | "close"> & SimulatorStore;
type MethodsOf<P> = { readonly [K in keyof P]: readonly (keyof P[K] & string)[] };

// Calls cross as "port.method" (e.g. "catalog.findSender"); `satisfies` checks every name.
const METHODS = {
  catalog: [
    "upsertAccount", "findAccountByApiKey", "getAccount", "updateAccountSettings", "upsertSender", "findSender",
    "findSenderByAlias", "listSenders", "insertTemplate", "updateTemplate", "findTemplateById", "getTemplate",
    "listTemplates", "findTemplatesByName", "deleteTemplatesByName", "nameLockedUntil", "pendingTemplatesDue",
  ],
  messages: ["insert", "get", "claim", "reschedule", "applyEvents", "overdue"],
  outbox: ["claim", "delivered", "retry", "failed", "counts"],
  conversations: ["lastInboundAt", "inboundCount", "recordInbound", "findInbound", "listInboundFrom"],
  smsFailovers: ["claim", "submitted", "reschedule", "findBySmscId", "overdue", "finish", "counts"],
  links: ["putDomain", "listDomains", "deleteDomain", "findShortLink", "recordClick"],
  media: ["put", "get", "delete"],
  network: [
    "clockOffset", "saveClockOffset", "putSandboxRule", "listSandboxRules", "deleteSandboxRule", "putHandsetMessages",
    "dueHandsetMessages", "updateHandsetMessages", "listHandsetMessages", "putReadReceipt", "listReadReceipts",
    "putTypingIndicator", "typingIndicators",
  ],
  smsc: [
    "putSmscMessage", "listSmscMessages", "pendingSmscReceipts", "smscReceiptAcknowledged", "putSmscRule", "listSmscRules",
    "deleteSmscRule",
  ],
} as const satisfies MethodsOf<Ports>;

// Compile-time check that METHODS names every method of every port.
type Missing = { [K in keyof Ports]: Exclude<keyof Ports[K], (typeof METHODS)[K][number]> }[keyof Ports];
const complete: [Missing] extends [never] ? true : Missing = true;

export interface EngineClient {
  readonly storage: Storage;
  /** The simulator's store (the sandbox API uses it). */
  readonly simulator: SimulatorStore;
  wake(loop: LoopName): void;
  rulesChanged(): void;
  /** Starts the engine's background workers (after seeding, once the API is up). */
  startWorkers(): void;
  /** Stops the workers, closes the store and ends the thread. */
  stop(): Promise<void>;
}

export async function startEngine(config: Config, file: string, clock: SharedArrayBuffer): Promise<EngineClient> {
  const worker = new Worker(new URL("./engine-thread-boot.mjs", import.meta.url), {
    workerData: { config, file, clock } satisfies EngineInit,
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let outbox: ToEngine[] = [];

  const ready = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`engine thread exited with ${code}`)));
    worker.on("message", (batch: FromEngine[]) => {
      for (const m of batch) {
        if (m.kind === "ready") {
          resolve();
          continue;
        }
        const call = pending.get(m.id);
        if (!call) continue;
        pending.delete(m.id);
        if (m.ok) call.resolve(m.value);
        else call.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
      }
    });
  });
  // If the engine thread dies, every waiting and future call fails at once instead of hanging.
  let dead: Error | undefined;
  let stopping = false;
  const die = (err: Error) => {
    dead ??= err;
    for (const call of pending.values()) call.reject(dead);
    pending.clear();
  };
  worker.on("error", die);
  worker.on("exit", (code) => {
    if (!stopping) die(new Error(`the engine thread stopped (exit code ${code})`));
  });
  await ready;

  const post = (m: ToEngine) => {
    if (m.kind === "call") {
      // Calls go at once, so the engine starts on them while this thread parses the next requests
      // (batching per tick would make the two threads take turns).
      worker.postMessage([m]);
      return;
    }
    if (outbox.length === 0) {
      setImmediate(() => {
        const batch = outbox;
        outbox = [];
        worker.postMessage(batch);
      });
    }
    outbox.push(m);
  };
  const request = (make: (id: number) => ToEngine) =>
    new Promise<unknown>((resolve, reject) => {
      if (dead) return reject(dead);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post(make(id));
    });

  const ports: Record<string, Record<string, unknown>> = {};
  for (const [port, methods] of Object.entries(METHODS)) {
    const proxy: Record<string, unknown> = {};
    for (const name of methods) {
      const method = `${port}.${name}`;
      proxy[name] = (...args: unknown[]) => request((id) => ({ kind: "call", id, method, args }));
    }
    ports[port] = proxy;
  }
  const { network, smsc, ...storagePorts } = ports;
  const storage = {
    ...storagePorts,
    releaseAllLeases: () => request((id) => ({ kind: "call", id, method: "releaseAllLeases", args: [] })),
    close: () => Promise.resolve(),
  } as unknown as Storage;

  // Many requests in one turn need only one wake-up of each worker.
  const woken = new Set<LoopName>();
  return {
    storage: complete && storage,
    simulator: { network, smsc } as unknown as SimulatorStore,
    wake: (loop) => {
      if (woken.has(loop)) return;
      woken.add(loop);
      setImmediate(() => woken.delete(loop));
      post({ kind: "wake", loop });
    },
    rulesChanged: () => post({ kind: "rules-changed" }),
    startWorkers: () => post({ kind: "start-workers" }),
    async stop() {
      stopping = true;
      if (!dead) await request((id) => ({ kind: "stop", id }));
      await worker.terminate();
    },
  };
}
