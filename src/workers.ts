/**
 * The workers role of the composition root: the background work that talks to the store most —
 * dispatch to the carriers (the simulated network, Meta's Cloud API), what carriers post back,
 * webhook delivery, SMS failover over SMPP (to a configured SMSC or the simulated one) and template
 * review. The API role (`openbsp.ts`) does not call this module: it names it (URL and export) to
 * the storage factory, which runs `composeWorkers` next to the store — on the SQLite store's own
 * thread by default (`store/sqlite/threaded/`), in the calling thread for an in-process store
 * (PostgreSQL) — and hands back what it answers (the ports, the simulator's store, the controls).
 * Its parts are imported when it runs, so the API thread never loads them.
 */
import { performance } from "node:perf_hooks";
import pino from "pino";
import { AcceptPressure } from "./app/accept-pressure.ts";
import type { ActivityEvent, ActivityPage } from "./app/activity-feed.ts";
import { buildContext, type Wakers } from "./app/context.ts";
import { countingMoves, Metrics, type MetricsSnapshot } from "./app/metrics.ts";
import { OffsetClock } from "./app/offset-clock.ts";
import type { LoopHealth, WorkLoop } from "./app/work-loop.ts";
import type { Config } from "./config.ts";
import type { PlanEvents } from "./core/events-plan.ts";
import { REPORT_FORMATTERS } from "./faces/report-formatters.ts";
import type { PostgresHandle } from "./simulator/postgres/postgres-handle.ts";
import type { SimulatorStore } from "./simulator/simulator-store.ts";
import type { SqliteHandle } from "./simulator/sqlite/sqlite-simulator-store.ts";
import type { Storage } from "./store/storage.ts";
import type { DueWork, OpenStore, SideEntry, StoreHandle } from "./store/storage-factory.ts";

/** What the workers role wakes when no commit announced the work. */
export type Loop = keyof Wakers | "handsets";

/** The workers role as the API role drives it (across a thread or not): all async, so it can cross. */
export interface WorkerControls {
  /** Starts the loops (after seeding, once the API is up). */
  start(): Promise<void>;
  /** Work exists that no commit announced (the simulated clock jumped): look now. */
  wake(loop: Loop): Promise<void>;
  /** The sandbox rules changed: the simulated network reads them again. */
  rulesChanged(): Promise<void>;
  /** Each loop's liveness (readiness). */
  health(): Promise<LoopHealth[]>;
  /** The workers' metrics, summed into the API thread's at scrape time. */
  metrics(): Promise<MetricsSnapshot>;
  /** What happened since `cursor` (the console's event stream); reading turns recording on for a while. */
  activity(cursor: number): Promise<ActivityPage>;
  /** Adds what the API role saw happen (a user wrote) to the feed, if anyone watches. */
  record(event: ActivityEvent): Promise<void>;
  /** Stops the workers, frees this node's leases and closes the store. */
  stop(): Promise<void>;
}

/** What the API role hands the workers role (through the storage factory: cloneable). */
export interface WorkersData {
  readonly config: Config;
  /** The sandbox clock's offset, shared with the API role's clock. */
  readonly clock: SharedArrayBuffer;
}

/** What the workers role answers the storage factory that ran it, for the API role to call. */
export interface Workers {
  readonly storage: Storage;
  readonly simulator: SimulatorStore;
  readonly controls: WorkerControls;
}

/** The workers role's entry for storage factories (see `StoreSide`): opens the store, builds the loops. */
export const composeWorkers = (async (data: WorkersData, open: OpenStore): Promise<Workers> => {
  const { config } = data;
  const log = pino({ level: config.logLevel });
  // This role's own instruments (its thread's); a scrape sums them with the API role's.
  const metrics = new Metrics();
  const [
    { ActivityFeed },
    { makePlanEvents },
    { WorkLoop },
    { reviewDueTemplates },
    { SandboxCarrier },
    { SimulatedSmsc },
    { SmppClient },
    { Dispatcher },
    { SmsFailoverDispatcher },
    { MediaCache },
    { MediaFetcher },
    { WebhookSender },
    { GraphClient },
    { MetaCloudCarrier },
    { MetaIntake },
    { CarrierChoice },
    { CarrierIntake },
    { UploadedMediaFiles },
    { MetaTemplateSync },
  ] = await Promise.all([
    import("./app/activity-feed.ts"),
    import("./app/plan-event.ts"),
    import("./app/work-loop.ts"),
    import("./app/manage-templates.ts"),
    import("./simulator/network/sandbox-carrier.ts"),
    import("./simulator/smsc/simulated-smsc.ts"),
    import("./carriers/sms/smpp-client.ts"),
    import("./dispatch/dispatcher.ts"),
    import("./dispatch/sms-failover-dispatcher.ts"),
    import("./media/media-cache.ts"),
    import("./media/media-fetcher.ts"),
    import("./webhooks/webhook-sender.ts"),
    import("./carriers/meta-cloud/graph-client.ts"),
    import("./carriers/meta-cloud/meta-cloud-carrier.ts"),
    import("./carriers/meta-cloud/meta-intake.ts"),
    import("./dispatch/carrier-choice.ts"),
    import("./dispatch/carrier-intake.ts"),
    import("./media/uploaded-media-files.ts"),
    import("./carriers/meta-cloud/meta-template-sync.ts"),
  ]);
  const loops = new Map<
    Loop | "template-review" | "sms-failover" | "carrier-intake" | "carrier-templates",
    WorkLoop
  >();
  const wake: Wakers = {
    dispatch: () => loops.get("dispatch")?.wake(),
    webhooks: () => loops.get("webhooks")?.wake(),
  };
  // The store tells the workers, after each commit, what it made due: no poll delay, one wake
  // per loop however many requests the commit carried.
  const pressure = new AcceptPressure();
  const onDue = (work: DueWork) => {
    if (work === "dispatch") pressure.arrived(performance.now());
    loops.get(work)?.wake();
  };
  // During a burst of requests the background keeps a share of the store's thread, not all of it.
  const yieldTo = { pressure, share: config.backgroundShare };
  // What happens, for the console's live stream: recorded only while someone reads it.
  const feed = new ActivityFeed();
  const planEvents = countingMoves(makePlanEvents(REPORT_FORMATTERS), metrics);
  const plan: PlanEvents = (items) => {
    const decided = planEvents(items);
    if (feed.watched) {
      const bySeq = new Map(items.map((i) => [i.message.seq, i.message]));
      for (const m of decided.moves)
        feed.record({
          type: "message",
          accountId: bySeq.get(m.seq)?.accountId ?? "",
          messageId: bySeq.get(m.seq)?.messageId ?? "",
          status: m.transition.status,
          at: Date.now(),
        });
    }
    return decided;
  };
  const opened = await open({
    plan,
    onDue,
    onCommitted: (writes, seconds) => metrics.storeCommit(writes, seconds),
  });
  const { storage } = opened;
  // The simulator keeps its tables in the same database and commits with the same group commit:
  // its adapter is the store's kind.
  const simulator = await simulatorStoreFor(opened.handle);
  const ctx = buildContext({
    config,
    storage,
    clock: new OffsetClock(data.clock),
    log,
    formatters: REPORT_FORMATTERS,
    metrics,
    wake,
  });
  const mediaFetcher = new MediaFetcher({
    allowPrivate: config.mediaAllowPrivate,
    timeoutMs: config.mediaTimeoutMs,
  });
  const sandbox = new SandboxCarrier(ctx, new MediaCache(mediaFetcher, ctx.clock), simulator.network, () =>
    loops.get("handsets")?.wake(),
  );
  // Meta's Cloud API carries the senders set to it; its webhooks come in through the carrier inbox.
  const graph = new GraphClient(config.metaCarrierTimeoutMs);
  const mediaFiles = new UploadedMediaFiles(config.mediaDir);
  const meta = new MetaCloudCarrier(ctx, graph, mediaFiles, config.metaCarrierMps);
  const dispatcher = new Dispatcher(ctx, new CarrierChoice(ctx, { sandbox, meta }));
  const intake = new CarrierIntake(ctx, { meta: new MetaIntake(ctx, graph, mediaFiles) });
  const webhooks = new WebhookSender(ctx, (a) => {
    if (!feed.watched) return;
    feed.record({
      type: "webhook",
      accountId: a.webhook.accountId,
      webhookId: a.webhook.id,
      url: a.webhook.url,
      outcome: a.outcome,
      latencyMs: a.latencyMs,
      ...(a.reason !== undefined ? { reason: a.reason } : {}),
      at: Date.now(),
    });
  });
  // SMS failover goes over SMPP: to the configured SMSC, or to the simulated one on loopback.
  const smppCredentials = { systemId: config.smppSystemId, password: config.smppPassword ?? "" };
  const smsc = config.smppUrl
    ? undefined
    : new SimulatedSmsc({ store: simulator.smsc, clock: ctx.clock, log }, smppCredentials);
  const smsFailover = new SmsFailoverDispatcher(ctx);
  const smppUrl = config.smppUrl ?? (await (smsc as InstanceType<typeof SimulatedSmsc>).start());
  const smpp = new SmppClient({ url: smppUrl, ...smppCredentials }, (r) => smsFailover.receipt(r), log);
  smsFailover.use(smpp);
  if (config.dispatch)
    loops.set(
      "sms-failover",
      new WorkLoop("sms-failover", () => smsFailover.tick(), config.pollMs, log, yieldTo),
    );
  if (config.dispatch)
    loops.set("dispatch", new WorkLoop("dispatch", () => dispatcher.tick(), config.pollMs, log, yieldTo));
  loops.set("webhooks", new WorkLoop("webhooks", () => webhooks.tick(), config.pollMs, log, yieldTo));
  // Like dispatch, processing what carriers posted pauses for maintenance; their posts are kept meanwhile.
  if (config.dispatch)
    loops.set(
      "carrier-intake",
      new WorkLoop("carrier-intake", () => intake.tick(), config.pollMs, log, yieldTo),
    );
  loops.set("handsets", new WorkLoop("handsets", () => sandbox.tick(), config.pollMs, log, yieldTo));
  // Templates of Meta-carried senders go to Meta, and follow it (the reviewer below skips them).
  const templateSync = new MetaTemplateSync(ctx, graph, config.metaCarrierTemplateSyncMs);
  loops.set(
    "carrier-templates",
    new WorkLoop("carrier-templates", () => templateSync.tick(), Math.max(config.pollMs, 1000), log),
  );
  loops.set(
    "template-review",
    new WorkLoop(
      "template-review",
      () =>
        reviewDueTemplates(ctx, (t) =>
          feed.record({
            type: "template",
            wabaId: t.wabaId,
            templateId: t.id,
            name: t.name,
            status: t.status,
            at: Date.now(),
          }),
        ),
      Math.max(config.pollMs, 250),
      log,
    ),
  );
  // Leases from before a restart: SQLite's file has one owner, so all of them; PostgreSQL frees
  // this node's own only (other nodes may be running and hold theirs).
  await storage.releaseAllLeases();

  const controls: WorkerControls = {
    async start() {
      for (const loop of loops.values()) loop.start();
      if (config.dispatch) smpp.start();
    },
    async wake(loop) {
      loops.get(loop)?.wake();
    },
    async rulesChanged() {
      sandbox.rulesChanged();
    },
    async health() {
      // A step that outlives its lease has lost its claims: that loop is stuck.
      const stallMs = Math.max(config.leaseMs, 5000);
      return [...loops.values()].map((l) => l.health(stallMs));
    },
    metrics: () => metrics.snapshot(),
    async activity(cursor) {
      return feed.read(cursor);
    },
    async record(event) {
      feed.record(event);
    },
    async stop() {
      // The SMPP bind goes first: an SMS awaiting the SMSC's answer is given up on (and retried next run).
      await smpp.close();
      await Promise.all([...loops.values()].map((l) => l.stop()));
      await smsc?.stop();
      await webhooks.close();
      await mediaFetcher.close();
      await graph.close();
      // Nothing of this node runs any more: what it still holds goes back to the queue at once.
      await storage.releaseOwnLeases();
      await storage.close();
    },
  };
  // Served to the API role: the ports alone (not the adapter's database handle).
  const ports: Storage = {
    catalog: storage.catalog,
    apiKeys: storage.apiKeys,
    messages: storage.messages,
    messageLog: storage.messageLog,
    outbox: storage.outbox,
    webhookLog: storage.webhookLog,
    conversations: storage.conversations,
    smsFailovers: storage.smsFailovers,
    links: storage.links,
    media: storage.media,
    flows: storage.flows,
    carrierInbox: storage.carrierInbox,
    subscriptions: storage.subscriptions,
    releaseAllLeases: () => storage.releaseAllLeases(),
    releaseOwnLeases: () => storage.releaseOwnLeases(),
    migrations: () => storage.migrations(),
    close: async () => {},
  };
  return { storage: ports, simulator, controls };
}) satisfies SideEntry;

/** The simulator's store beside the product's, in the same database: its adapter by the store's kind. */
async function simulatorStoreFor(handle: StoreHandle): Promise<SimulatorStore> {
  switch (handle.kind) {
    case "sqlite": {
      const { sqliteSimulatorStore } = await import("./simulator/sqlite/sqlite-simulator-store.ts");
      return sqliteSimulatorStore(handle.connection as SqliteHandle);
    }
    case "postgres": {
      const { postgresSimulatorStore } = await import("./simulator/postgres/pg-simulator-store.ts");
      return postgresSimulatorStore(handle.connection as PostgresHandle);
    }
  }
}
