/**
 * The composition root, the one place OpenBSP is put together: configuration → storage (from a
 * storage factory) → context → use cases → background workers and HTTP faces. It runs in two
 * roles of the same function: "api" (the HTTP server; `startOpenBsp`, called by `main.ts` and by
 * tests) and "workers" (dispatch, the simulated network, webhook delivery, SMS failover, template
 * review), which the storage factory runs next to the store — on the SQLite store's own thread by
 * default, in the calling thread for an in-process store (PostgreSQL, with OPENBSP_DATABASE_URL). Each role imports its parts when it runs,
 * so a thread loads only what its role needs.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pino, { type Logger } from "pino";
import { AcceptPressure } from "./app/accept-pressure.ts";
import type { ActivityEvent, ActivityPage } from "./app/activity-feed.ts";
import { AuthFailures } from "./app/auth-failures.ts";
import { type AppContext, rateLimiterFor, type Wakers } from "./app/context.ts";
import { Lookups } from "./app/lookups.ts";
import {
  backlogSnapshot,
  countingMoves,
  Metrics,
  type MetricsSnapshot,
  renderMetrics,
} from "./app/metrics.ts";
import { OffsetClock } from "./app/offset-clock.ts";
import type { Seeded } from "./app/seed.ts";
import type { LoopHealth, WorkLoop } from "./app/work-loop.ts";
import type { Config } from "./config.ts";
import type { PlanEvents } from "./core/events-plan.ts";
import { REPORT_FORMATTERS } from "./faces/report-formatters.ts";
import type { PostgresHandle } from "./simulator/postgres/postgres-handle.ts";
import type { SimulatorStore } from "./simulator/simulator-store.ts";
import type { SqliteHandle } from "./simulator/sqlite/sqlite-simulator-store.ts";
import { threadedSqliteStorage } from "./store/sqlite/threaded/threaded-sqlite-storage.ts";
import type { Storage } from "./store/storage.ts";
import type {
  DueWork,
  OpenStore,
  SideEntry,
  StorageFactory,
  StoreHandle,
  StoreSide,
} from "./store/storage-factory.ts";

export interface RunningOpenBsp {
  readonly url: string;
  readonly seeded: Seeded;
  readonly ctx: AppContext;
  readonly clock: OffsetClock;
  /**
   * Stops gracefully: /readyz turns 503, no new connection or request is taken (a request on a
   * kept-alive connection is answered 503), requests in flight are answered (for up to
   * `shutdownGraceMs`), their group commit finishes, the workers stop and this node's leases are
   * freed so that another node takes the work at once.
   */
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Where the store lives; default: PostgreSQL at OPENBSP_DATABASE_URL when it is set, else SQLite in
   * `<data dir>/openbsp.db`, on its own thread.
   */
  readonly storage?: StorageFactory;
  readonly log?: Logger;
}

/** What the workers role wakes when no commit announced the work. */
type Loop = keyof Wakers | "handsets";

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

type Role =
  | ({ readonly role: "api" } & StartOptions)
  | { readonly role: "workers"; readonly open: OpenStore; readonly clock: SharedArrayBuffer };

/** What the workers role answers the storage factory that ran it, for the API role to call. */
interface Workers {
  readonly storage: Storage;
  readonly simulator: SimulatorStore;
  readonly controls: WorkerControls;
}

/** `npm start` and the tests: the API role, which starts the workers role next to the store. */
export function startOpenBsp(config: Config, options: StartOptions = {}): Promise<RunningOpenBsp> {
  return compose(config, { role: "api", ...options });
}

/** The workers role's entry for storage factories (see `StoreSide`). */
export const composeWorkers = ((data: { config: Config; clock: SharedArrayBuffer }, open: OpenStore) =>
  compose(data.config, { role: "workers", open, clock: data.clock })) satisfies SideEntry;

export async function compose(config: Config, part: Role & { role: "api" }): Promise<RunningOpenBsp>;
export async function compose(config: Config, part: Role & { role: "workers" }): Promise<Workers>;
export async function compose(config: Config, part: Role): Promise<RunningOpenBsp | Workers> {
  const log = (part.role === "api" ? part.log : undefined) ?? pino({ level: config.logLevel });
  // One set of instruments per role (per thread); a scrape sums them.
  const metrics = new Metrics();
  const context = (
    storage: Storage,
    clock: OffsetClock,
    wake: Wakers,
    extra: Partial<AppContext> = {},
  ): AppContext => ({
    metrics,
    config,
    storage,
    clock,
    log,
    formatters: REPORT_FORMATTERS,
    lookups: new Lookups(storage.catalog, storage.flows, storage.apiKeys),
    limits: rateLimiterFor(config),
    authFailures: new AuthFailures(config.authFailuresPerMinute),
    wake,
    ...extra,
  });

  if (part.role === "workers") {
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
    const opened = await part.open({
      plan,
      onDue,
      onCommitted: (writes, seconds) => metrics.storeCommit(writes, seconds),
    });
    const { storage } = opened;
    // The simulator keeps its tables in the same database and commits with the same group commit:
    // its adapter is the store's kind.
    const simulator = await simulatorStoreFor(opened.handle);
    const ctx = context(storage, new OffsetClock(part.clock), wake);
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
    // Templates of Meta-carried senders go to Meta, and follow it (the reviewer above skips them).
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
  }

  const [
    { seed },
    { buildServer },
    { closeGracefully },
    { verifySubscription },
    { metaSettings },
    { HandsetSignals },
    { accountRequestLimitFor },
    { readiness },
    { MetaChatSignals },
    { GraphClient },
  ] = await Promise.all([
    import("./app/seed.ts"),
    import("./http/server.ts"),
    import("./http/graceful-close.ts"),
    import("./meta-graph/subscription-handshake.ts"),
    import("./faces/meta/meta-settings.ts"),
    import("./simulator/network/handset-signals.ts"),
    import("./app/account-request-limit.ts"),
    import("./app/readiness.ts"),
    import("./carriers/meta-cloud/meta-chat-signals.ts"),
    import("./carriers/meta-cloud/graph-client.ts"),
  ]);
  const clock = new OffsetClock();
  const workers: StoreSide = {
    module: import.meta.url,
    export: "composeWorkers",
    data: { config, clock: clock.shared },
  };
  const factory = part.storage ?? (await defaultStorage(config));
  const {
    side: { storage, simulator, controls },
    close,
  } = await factory<Workers>(workers);
  // Many wakes in one turn (the sandbox clock advanced by several requests) need one each.
  const woken = new Set<Loop>();
  const wakeLater = (loop: Loop) => {
    if (woken.has(loop)) return;
    woken.add(loop);
    setImmediate(() => {
      woken.delete(loop);
      void controls.wake(loop);
    });
  };
  // Read receipts and typing go to Meta for a Meta-carried sender, to the simulated phones otherwise.
  const graph = new GraphClient(config.metaCarrierTimeoutMs);
  const lookups = new Lookups(storage.catalog, storage.flows, storage.apiKeys);
  const ctx = context(
    storage,
    clock,
    { dispatch: () => wakeLater("dispatch"), webhooks: () => wakeLater("webhooks") },
    {
      lookups,
      // The simulated network's phones show read receipts and typing; a Meta-carried sender's go to Meta.
      chatSignals: new MetaChatSignals(lookups, graph, log, new HandsetSignals(simulator.network)),
      requestLimit: await accountRequestLimitFor(config, log),
    },
  );

  // A store several nodes share announces changes to the catalog: this node's caches drop them at
  // once (a template paused through another node is refused here on the next request).
  const unwatch = await storage.catalog.watchChanges?.(() => ctx.lookups.catalogChanged());
  clock.advance(await simulator.network.clockOffset());
  const seeded = await seed(ctx);
  const simulatorApi = {
    store: simulator,
    clock,
    rulesChanged: () => void controls.rulesChanged(),
    wakeHandsets: () => wakeLater("handsets"),
    activity: (event: ActivityEvent) => void controls.record(event),
  };
  let draining = false;
  let node = config.nodeId ?? `${hostname()}:${config.port}`;
  const operations = {
    readiness: () =>
      readiness({
        storage,
        probeSender: seeded.sender,
        workers: () => controls.health(),
        draining: () => draining,
        timeoutMs: 2000,
      }),
    metrics: async () =>
      renderMetrics(
        [await metrics.snapshot(), await controls.metrics(), await backlogSnapshot(storage, clock)],
        node,
      ),
  };
  const activity = {
    activity: (c: number) => controls.activity(c),
    record: (e: ActivityEvent) => controls.record(e),
  };
  const app = await buildServer({
    ctx,
    operations,
    activity,
    ...(config.sandbox ? { simulator: simulatorApi } : {}),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const port = new URL(address).port;
  node = config.nodeId ?? `${hostname()}:${port}`;
  const url =
    config.publicUrl ?? `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  await controls.start();
  // In a cluster (PostgreSQL) another node may move the sandbox clock: catch up with the stored
  // offset within a second, and look for the work the jump made due.
  const clockSync = config.databaseUrl
    ? setInterval(() => {
        void simulator.network
          .clockOffset()
          .then((offset) => {
            if (offset <= clock.offsetMs) return;
            clock.catchUp(offset);
            for (const loop of ["dispatch", "handsets", "webhooks"] as const) wakeLater(loop);
          })
          .catch((err: unknown) => log.warn({ err }, "reading the sandbox clock's offset failed"));
      }, 1000)
    : undefined;
  clockSync?.unref();
  const meta = metaSettings(seeded.account);
  if (meta?.webhookUrl && meta.verifyToken !== undefined) {
    // Not awaited: a receiver that starts after OpenBSP must not hold up the start.
    void verifySubscription(meta, config.webhookTimeoutMs).then((r) =>
      r.ok
        ? log.info({ url: meta.webhookUrl }, "Meta webhook subscription verified")
        : log.warn({ url: meta.webhookUrl, reason: r.reason }, "Meta webhook subscription handshake failed"),
    );
  }

  return {
    url,
    seeded,
    ctx,
    clock,
    async stop() {
      draining = true;
      clearInterval(clockSync);
      // Every request in flight is answered, and so committed, before the workers and store stop.
      await closeGracefully(app, config.shutdownGraceMs);
      await unwatch?.();
      await ctx.requestLimit?.close();
      await graph.close();
      await controls.stop();
      await close();
    },
  };
}

/** The store the configuration names: PostgreSQL when OPENBSP_DATABASE_URL is set, else SQLite. */
async function defaultStorage(config: Config): Promise<StorageFactory> {
  if (!config.databaseUrl) return threadedSqliteStorage(join(config.dataDir, "openbsp.db"));
  const { postgresStorage } = await import("./store/postgres/postgres-storage-factory.ts");
  return postgresStorage({
    url: config.databaseUrl,
    nodeId: config.nodeId ?? `${hostname()}:${config.port || `pid-${process.pid}`}`,
    leaseMs: config.leaseMs,
  });
}

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
