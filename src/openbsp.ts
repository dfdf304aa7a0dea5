/**
 * The composition root of the HTTP thread: configuration → engine thread (store and background
 * workers) → use cases → HTTP faces. `main.ts` calls it for `npm start`; tests call it in-process
 * with their own configuration.
 */
import { join } from "node:path";
import pino, { type Logger } from "pino";
import { rateLimiterFor, type AppContext } from "./app/context.ts";
import { Lookups } from "./app/lookups.ts";
import { OffsetClock } from "./app/offset-clock.ts";
import { type Seeded, seed } from "./app/seed.ts";
import type { Config } from "./config.ts";
import { startEngine } from "./engine/engine-client.ts";
import { metaSettings } from "./faces/meta/meta-settings.ts";
import { verifySubscription } from "./meta-graph/subscription-handshake.ts";
import { REPORT_FORMATTERS } from "./faces/report-formatters.ts";
import { buildServer } from "./http/server.ts";
import { HandsetSignals } from "./simulator/network/handset-signals.ts";

export interface RunningOpenBsp {
  readonly url: string;
  readonly seeded: Seeded;
  readonly ctx: AppContext;
  readonly clock: OffsetClock;
  stop(): Promise<void>;
}

export async function startOpenBsp(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<RunningOpenBsp> {
  const clock = new OffsetClock();
  const engine = await startEngine(config, join(config.dataDir, "openbsp.db"), clock.shared);
  const ctx: AppContext = {
    config,
    storage: engine.storage,
    clock,
    log,
    formatters: REPORT_FORMATTERS,
    lookups: new Lookups(engine.storage.catalog),
    limits: rateLimiterFor(config),
    wake: {
      dispatch: () => engine.wake("dispatch"),
      webhooks: () => engine.wake("webhooks"),
    },
    // The simulated network is the only carrier: its phones show read receipts and typing.
    chatSignals: new HandsetSignals(engine.simulator.network),
  };

  clock.advance(await engine.simulator.network.clockOffset());
  const seeded = await seed(ctx);
  const simulator = {
    store: engine.simulator,
    clock,
    rulesChanged: () => engine.rulesChanged(),
    wakeHandsets: () => engine.wake("handsets"),
  };
  const app = await buildServer({ ctx, ...(config.sandbox ? { simulator } : {}) });
  const address = await app.listen({ port: config.port, host: config.host });
  const port = new URL(address).port;
  const url = config.publicUrl ?? `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  engine.startWorkers();
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
      await engine.stop();
    },
  };
}
