/**
 * The engine thread: owns the SQLite file and runs the background work (dispatch, the simulated
 * network, webhook delivery, template review), so the HTTP thread only parses, validates and
 * answers. better-sqlite3 is synchronous: its fsyncs stall this thread, never an HTTP request.
 * Store calls from the HTTP thread arrive in batches; each batch and the batches already waiting
 * run, then all their writes are committed together (group commit).
 * This file is the composition root of its thread.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import pino from "pino";
import { rateLimiterFor, type AppContext, type Wakers } from "../app/context.ts";
import { Lookups } from "../app/lookups.ts";
import { reviewDueTemplates } from "../app/manage-templates.ts";
import { OffsetClock } from "../app/offset-clock.ts";
import { makePlanEvents } from "../app/plan-event.ts";
import { WorkLoop } from "../app/work-loop.ts";
import { SmppClient } from "../carriers/sms/smpp-client.ts";
import { Dispatcher } from "../dispatch/dispatcher.ts";
import { SmsFailoverDispatcher } from "../dispatch/sms-failover-dispatcher.ts";
import { REPORT_FORMATTERS } from "../faces/report-formatters.ts";
import { MediaCache } from "../media/media-cache.ts";
import { MediaFetcher } from "../media/media-fetcher.ts";
import { SandboxCarrier } from "../simulator/network/sandbox-carrier.ts";
import { SimulatedSmsc } from "../simulator/smsc/simulated-smsc.ts";
import { sqliteSimulatorStore } from "../simulator/sqlite/sqlite-simulator-store.ts";
import { SqliteStorage } from "../store/sqlite/sqlite-storage.ts";
import { WebhookSender } from "../webhooks/webhook-sender.ts";
import type { EngineInit, FromEngine, LoopName, ToEngine } from "./engine-protocol.ts";

const port = parentPort as MessagePort | null;
if (!port) throw new Error("engine-thread must run in a worker thread");
const { config, file, clock: clockMemory } = workerData as EngineInit;

const log = pino({ level: config.logLevel });
const storage = new SqliteStorage(file, makePlanEvents(REPORT_FORMATTERS));
// The simulator keeps its tables in the same file and commits with the same group commit.
const simulator = sqliteSimulatorStore(storage.connection);
const loops = new Map<LoopName | "template-review" | "sms-failover", WorkLoop>();
const wake: Wakers = {
  dispatch: () => loops.get("dispatch")?.wake(),
  webhooks: () => loops.get("webhooks")?.wake(),
};
const ctx: AppContext = {
  config,
  storage,
  clock: new OffsetClock(clockMemory),
  log,
  formatters: REPORT_FORMATTERS,
  lookups: new Lookups(storage.catalog),
  limits: rateLimiterFor(config),
  wake,
};
const mediaFetcher = new MediaFetcher({ allowPrivate: config.mediaAllowPrivate, timeoutMs: config.mediaTimeoutMs });
const sandbox = new SandboxCarrier(ctx, new MediaCache(mediaFetcher, ctx.clock), simulator.network, () =>
  loops.get("handsets")?.wake(),
);
const dispatcher = new Dispatcher(ctx, sandbox);
const webhooks = new WebhookSender(ctx);
// SMS failover goes over SMPP: to the configured SMSC, or to the simulated one on loopback.
const smppCredentials = { systemId: config.smppSystemId, password: config.smppPassword ?? "" };
const smsc = config.smppUrl ? undefined : new SimulatedSmsc({ store: simulator.smsc, clock: ctx.clock, log }, smppCredentials);
const smsFailover = new SmsFailoverDispatcher(ctx);
const smpp = new SmppClient({ url: config.smppUrl ?? (await (smsc as SimulatedSmsc).start()), ...smppCredentials }, (r) => smsFailover.receipt(r), log);
smsFailover.use(smpp);
if (config.dispatch) loops.set("sms-failover", new WorkLoop("sms-failover", () => smsFailover.tick(), config.pollMs, log));
if (config.dispatch) loops.set("dispatch", new WorkLoop("dispatch", () => dispatcher.tick(), config.pollMs, log));
loops.set("webhooks", new WorkLoop("webhooks", () => webhooks.tick(), config.pollMs, log));
loops.set("handsets", new WorkLoop("handsets", () => sandbox.tick(), config.pollMs, log));
loops.set("template-review", new WorkLoop("template-review", () => reviewDueTemplates(ctx), Math.max(config.pollMs, 250), log));

// One process owns the SQLite file, so no other worker can still hold a lease from before a restart.
await storage.releaseAllLeases();

let outbox: FromEngine[] = [];
/**
 * Answers go back in one message per burst: the first answer queues a microtask that posts them
 * all, so the answers of one group commit leave as soon as it is on disk, not a loop turn later.
 */
function say(message: FromEngine): void {
  if (outbox.length === 0) {
    queueMicrotask(() => {
      const batch = outbox;
      outbox = [];
      port?.postMessage(batch);
    });
  }
  outbox.push(message);
}

// Calls name "port.method" (a Storage port or the simulator's) or a method of the Storage itself.
type Target = Record<string, unknown>;
const roots: Target = { ...storage, network: simulator.network, smsc: simulator.smsc };
function call(id: number, method: string, args: readonly unknown[]): void {
  const dot = method.indexOf(".");
  const target = (dot < 0 ? storage : roots[method.slice(0, dot)]) as Target | undefined;
  const fn = target?.[dot < 0 ? method : method.slice(dot + 1)];
  if (typeof fn !== "function") {
    say({ kind: "answer", id, ok: false, error: { name: "TypeError", message: `no store method ${method}` } });
    return;
  }
  (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args as unknown[]).then(
    (value) => say({ kind: "answer", id, ok: true, value }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      say({ kind: "answer", id, ok: false, error: { name: e.name, message: e.message } });
    },
  );
}

async function stop(id: number): Promise<void> {
  // The SMPP bind goes first: an SMS awaiting the SMSC's answer is given up on (and retried next run).
  await smpp.close();
  await Promise.all([...loops.values()].map((l) => l.stop()));
  await smsc?.stop();
  await webhooks.close();
  await mediaFetcher.close();
  await storage.close();
  port?.postMessage([{ kind: "answer", id, ok: true, value: null }] satisfies FromEngine[]);
}

function handle(m: ToEngine): void {
  switch (m.kind) {
    case "call":
      call(m.id, m.method, m.args);
      break;
    case "wake":
      loops.get(m.loop)?.wake();
      break;
    case "rules-changed":
      sandbox.rulesChanged();
      break;
    case "start-workers":
      for (const loop of loops.values()) loop.start();
      if (config.dispatch) smpp.start();
      break;
    case "stop":
      void stop(m.id);
      break;
  }
}

port.on("message", (first: ToEngine[]) => {
  let batch: ToEngine[] | undefined = first;
  while (batch) {
    for (const m of batch) handle(m);
    batch = receiveMessageOnPort(port)?.message as ToEngine[] | undefined;
  }
  storage.flushWrites();
});
port.postMessage([{ kind: "ready" }] satisfies FromEngine[]);
