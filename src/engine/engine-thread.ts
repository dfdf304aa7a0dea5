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
import { SandboxCarrier } from "../carriers/sandbox/sandbox-carrier.ts";
import { SimulatedSmsc } from "../carriers/sms/simulated-smsc.ts";
import { SmppClient } from "../carriers/sms/smpp-client.ts";
import { Dispatcher } from "../dispatch/dispatcher.ts";
import { SmsFailoverDispatcher } from "../dispatch/sms-failover-dispatcher.ts";
import { REPORT_FORMATTERS } from "../faces/report-formatters.ts";
import { MediaCache } from "../media/media-cache.ts";
import { MediaFetcher } from "../media/media-fetcher.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { WebhookSender } from "../webhooks/webhook-sender.ts";
import type { EngineInit, FromEngine, LoopName, ToEngine } from "./engine-protocol.ts";

const port = parentPort as MessagePort | null;
if (!port) throw new Error("engine-thread must run in a worker thread");
const { config, file, clock: clockMemory } = workerData as EngineInit;

const log = pino({ level: config.logLevel });
const store = new SqliteStore(file, makePlanEvents(REPORT_FORMATTERS));
const loops = new Map<LoopName | "template-review" | "sms-failover", WorkLoop>();
const wake: Wakers = {
  dispatch: () => loops.get("dispatch")?.wake(),
  webhooks: () => loops.get("webhooks")?.wake(),
  handsets: () => loops.get("handsets")?.wake(),
};
const ctx: AppContext = {
  config,
  store,
  clock: new OffsetClock(clockMemory),
  log,
  formatters: REPORT_FORMATTERS,
  lookups: new Lookups(store),
  limits: rateLimiterFor(config),
  wake,
};
const mediaFetcher = new MediaFetcher({ allowPrivate: config.mediaAllowPrivate, timeoutMs: config.mediaTimeoutMs });
const sandbox = new SandboxCarrier(ctx, new MediaCache(mediaFetcher, ctx.clock));
const dispatcher = new Dispatcher(ctx, sandbox);
const webhooks = new WebhookSender(ctx);
// SMS failover goes over SMPP: to the configured SMSC, or to the simulated one on loopback.
const smppCredentials = { systemId: config.smppSystemId, password: config.smppPassword ?? "" };
const smsc = config.smppUrl ? undefined : new SimulatedSmsc(ctx, smppCredentials);
const smsFailover = new SmsFailoverDispatcher(ctx);
const smpp = new SmppClient({ url: config.smppUrl ?? (await (smsc as SimulatedSmsc).start()), ...smppCredentials }, (r) => smsFailover.receipt(r), log);
smsFailover.use(smpp);
if (config.dispatch) loops.set("sms-failover", new WorkLoop("sms-failover", () => smsFailover.tick(), config.pollMs, log));
if (config.dispatch) loops.set("dispatch", new WorkLoop("dispatch", () => dispatcher.tick(), config.pollMs, log));
loops.set("webhooks", new WorkLoop("webhooks", () => webhooks.tick(), config.pollMs, log));
loops.set("handsets", new WorkLoop("handsets", () => sandbox.tick(), config.pollMs, log));
loops.set("template-review", new WorkLoop("template-review", () => reviewDueTemplates(ctx), Math.max(config.pollMs, 250), log));

// One process owns the SQLite file, so no other worker can still hold a lease from before a restart.
await store.releaseAllLeases();

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

const methods = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
function call(id: number, method: string, args: readonly unknown[]): void {
  const fn = methods[method];
  if (typeof fn !== "function") {
    say({ kind: "answer", id, ok: false, error: { name: "TypeError", message: `no store method ${method}` } });
    return;
  }
  fn.apply(store, args as unknown[]).then(
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
  await store.close();
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
  store.flushWrites();
});
port.postMessage([{ kind: "ready" }] satisfies FromEngine[]);
