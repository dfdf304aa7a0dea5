/**
 * The composition root, the one place OpenBSP is put together: configuration → storage (from a
 * storage factory) → context → use cases → background workers and HTTP faces. It runs in two
 * roles of the same function: "api" (the HTTP server; `startOpenBsp`, called by `main.ts` and by
 * tests) and "workers" (dispatch, the simulated network, webhook delivery, SMS failover, template
 * review), which the storage factory runs next to the store — on the SQLite store's own thread by
 * default, in the calling thread for an in-process store. Each role imports its parts when it runs,
 * so a thread loads only what its role needs.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pino, { type Logger } from "pino";
import { AcceptPressure } from "./app/accept-pressure.ts";
import { type AppContext, rateLimiterFor, type Wakers } from "./app/context.ts";
import { Lookups } from "./app/lookups.ts";
import { OffsetClock } from "./app/offset-clock.ts";
import type { Seeded } from "./app/seed.ts";
import type { WorkLoop } from "./app/work-loop.ts";
import type { Config } from "./config.ts";
import { REPORT_FORMATTERS } from "./faces/report-formatters.ts";
import type { SimulatorStore } from "./simulator/simulator-store.ts";
import type { SqliteHandle } from "./simulator/sqlite/sqlite-simulator-store.ts";
import { threadedSqliteStorage } from "./store/sqlite/threaded/threaded-sqlite-storage.ts";
import type { Storage } from "./store/storage.ts";
import type { DueWork, OpenStore, SideEntry, StorageFactory, StoreSide } from "./store/storage-factory.ts";

export interface RunningOpenBsp {
  readonly url: string;
  readonly seeded: Seeded;
  readonly ctx: AppContext;
  readonly clock: OffsetClock;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where the store lives; default: SQLite in `<data dir>/openbsp.db`, on its own thread. */
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
  /** Stops the workers and closes the store. */
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
  const context = (
    storage: Storage,
    clock: OffsetClock,
    wake: Wakers,
    extra: Partial<AppContext> = {},
  ): AppContext => ({
    config,
    storage,
    clock,
    log,
    formatters: REPORT_FORMATTERS,
    lookups: new Lookups(storage.catalog),
    limits: rateLimiterFor(config),
    wake,
    ...extra,
  });

  if (part.role === "workers") {
    const [
      { makePlanEvents },
      { WorkLoop },
      { reviewDueTemplates },
      { SandboxCarrier },
      { SimulatedSmsc },
      { sqliteSimulatorStore },
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
      import("./app/plan-event.ts"),
      import("./app/work-loop.ts"),
      import("./app/manage-templates.ts"),
      import("./simulator/network/sandbox-carrier.ts"),
      import("./simulator/smsc/simulated-smsc.ts"),
      import("./simulator/sqlite/sqlite-simulator-store.ts"),
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
    const opened = part.open({ plan: makePlanEvents(REPORT_FORMATTERS), onDue });
    const { storage } = opened;
    // The simulator keeps its tables in the same database and commits with the same group commit;
    // the embedded store is the only one today, so its handle is SQLite's.
    const simulator = sqliteSimulatorStore(opened.handle as SqliteHandle);
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
    const mediaFiles = new UploadedMediaFiles(config.dataDir);
    const meta = new MetaCloudCarrier(ctx, graph, mediaFiles, config.metaCarrierMps);
    const dispatcher = new Dispatcher(ctx, new CarrierChoice(ctx, { sandbox, meta }));
    const intake = new CarrierIntake(ctx, { meta: new MetaIntake(ctx, graph, mediaFiles) });
    const webhooks = new WebhookSender(ctx);
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
      new WorkLoop("template-review", () => reviewDueTemplates(ctx), Math.max(config.pollMs, 250), log),
    );
    // One process owns the SQLite file, so no other worker can still hold a lease from before a restart.
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
      async stop() {
        // The SMPP bind goes first: an SMS awaiting the SMSC's answer is given up on (and retried next run).
        await smpp.close();
        await Promise.all([...loops.values()].map((l) => l.stop()));
        await smsc?.stop();
        await webhooks.close();
        await mediaFetcher.close();
        await graph.close();
        await storage.close();
      },
    };
    // Served to the API role: the ports alone (not the adapter's database handle).
    const ports: Storage = {
      catalog: storage.catalog,
      messages: storage.messages,
      outbox: storage.outbox,
      conversations: storage.conversations,
      smsFailovers: storage.smsFailovers,
      links: storage.links,
      media: storage.media,
      carrierInbox: storage.carrierInbox,
      releaseAllLeases: () => storage.releaseAllLeases(),
      close: async () => {},
    };
    return { storage: ports, simulator, controls };
  }

  const [
    { seed },
    { buildServer },
    { verifySubscription },
    { metaSettings },
    { HandsetSignals },
    { MetaChatSignals },
    { GraphClient },
  ] = await Promise.all([
    import("./app/seed.ts"),
    import("./http/server.ts"),
    import("./meta-graph/subscription-handshake.ts"),
    import("./faces/meta/meta-settings.ts"),
    import("./simulator/network/handset-signals.ts"),
    import("./carriers/meta-cloud/meta-chat-signals.ts"),
    import("./carriers/meta-cloud/graph-client.ts"),
  ]);
  const clock = new OffsetClock();
  const workers: StoreSide = {
    module: import.meta.url,
    export: "composeWorkers",
    data: { config, clock: clock.shared },
  };
  const factory = part.storage ?? threadedSqliteStorage(join(config.dataDir, "openbsp.db"));
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
  const lookups = new Lookups(storage.catalog);
  const ctx = context(
    storage,
    clock,
    { dispatch: () => wakeLater("dispatch"), webhooks: () => wakeLater("webhooks") },
    {
      lookups,
      chatSignals: new MetaChatSignals(lookups, graph, log, new HandsetSignals(simulator.network)),
    },
  );

  clock.advance(await simulator.network.clockOffset());
  const seeded = await seed(ctx);
  const simulatorApi = {
    store: simulator,
    clock,
    rulesChanged: () => void controls.rulesChanged(),
    wakeHandsets: () => wakeLater("handsets"),
  };
  const app = await buildServer({ ctx, ...(config.sandbox ? { simulator: simulatorApi } : {}) });
  const address = await app.listen({ port: config.port, host: config.host });
  const port = new URL(address).port;
  const url =
    config.publicUrl ?? `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  await controls.start();
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
      await app.close();
      await graph.close();
      await controls.stop();
      await close();
    },
  };
}
