/**
 * The composition root, the one place OpenBSP is put together: configuration → storage (from a
 * storage factory) → context → use cases → HTTP faces, with the background workers beside the
 * store. This module is the API role (`startOpenBsp`, called by `main.ts` and by tests): the HTTP
 * server, its context and the sandbox clock. It names the workers role (`workers.ts`: dispatch,
 * carriers, webhooks, SMS failover, template review) to the storage factory, which runs it next to
 * the store — on the SQLite store's own thread by default, in the calling thread for an in-process
 * store (PostgreSQL, with OPENBSP_DATABASE_URL) — and drives it through its controls. Each role
 * imports its parts when it runs, so a thread loads only what its role needs.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import type { ActivityEvent } from "./app/activity-feed.ts";
import { type AppContext, buildContext } from "./app/context.ts";
import { Lookups } from "./app/lookups.ts";
import { backlogSnapshot, Metrics, renderMetrics } from "./app/metrics.ts";
import { OffsetClock } from "./app/offset-clock.ts";
import type { Seeded } from "./app/seed.ts";
import type { Config } from "./config.ts";
import { REPORT_FORMATTERS } from "./faces/report-formatters.ts";
import { threadedSqliteStorage } from "./store/sqlite/threaded/threaded-sqlite-storage.ts";
import type { StorageFactory, StoreSide } from "./store/storage-factory.ts";
import type { Loop, Workers, WorkersData } from "./workers.ts";

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

/** `npm start` and the tests: the API role, which starts the workers role next to the store. */
export async function startOpenBsp(config: Config, options: StartOptions = {}): Promise<RunningOpenBsp> {
  const log = options.log ?? pino({ level: config.logLevel });
  // This role's own instruments (its thread's); a scrape sums them with the workers role's.
  const metrics = new Metrics();
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
  // The workers role, named for the storage factory to run next to the store (a thread cannot be
  // handed a function): `composeWorkers` of `workers.ts`.
  const workers: StoreSide = {
    module: new URL("./workers.ts", import.meta.url).href,
    export: "composeWorkers" satisfies keyof typeof import("./workers.ts"),
    data: { config, clock: clock.shared } satisfies WorkersData,
  };
  const factory = options.storage ?? (await defaultStorage(config));
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
  const ctx = buildContext(
    {
      config,
      storage,
      clock,
      log,
      formatters: REPORT_FORMATTERS,
      metrics,
      wake: { dispatch: () => wakeLater("dispatch"), webhooks: () => wakeLater("webhooks") },
    },
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
