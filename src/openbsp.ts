/**
 * The composition root: configuration → store → use cases → HTTP faces and background workers.
 * `main.ts` calls it for `npm start`; tests call it in-process with their own configuration.
 */
import { join } from "node:path";
import pino, { type Logger } from "pino";
import type { AppContext, Wakers } from "./app/context.ts";
import { Lookups } from "./app/lookups.ts";
import { reviewDueTemplates } from "./app/manage-templates.ts";
import { OffsetClock } from "./app/offset-clock.ts";
import { type Seeded, seed } from "./app/seed.ts";
import { WorkLoop } from "./app/work-loop.ts";
import { SandboxCarrier } from "./carriers/sandbox/sandbox-carrier.ts";
import type { Config } from "./config.ts";
import { Dispatcher } from "./dispatch/dispatcher.ts";
import { REPORT_FORMATTERS } from "./faces/report-formatters.ts";
import { buildServer } from "./http/server.ts";
import { startWorkerStore } from "./store/sqlite/worker-store.ts";
import { WebhookSender } from "./webhooks/webhook-sender.ts";

export interface RunningOpenBsp {
  readonly url: string;
  readonly seeded: Seeded;
  readonly ctx: AppContext;
  readonly clock: OffsetClock;
  stop(): Promise<void>;
}

export async function startOpenBsp(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<RunningOpenBsp> {
  const store = await startWorkerStore(join(config.dataDir, "openbsp.db"));
  // One process owns the SQLite file, so no other worker can hold a lease from before a restart.
  await store.releaseAllLeases();
  const clock = new OffsetClock();
  const loops: WorkLoop[] = [];
  const wake: Wakers = { dispatch: () => loops[0]?.wake(), webhooks: () => loops[1]?.wake(), handsets: () => loops[2]?.wake() };
  const ctx: AppContext = { config, store, clock, log, formatters: REPORT_FORMATTERS, lookups: new Lookups(store), wake };

  const sandbox = new SandboxCarrier(ctx);
  const dispatcher = new Dispatcher(ctx, sandbox);
  const webhooks = new WebhookSender(ctx);
  loops.push(
    new WorkLoop("dispatch", () => dispatcher.tick(), config.pollMs, log),
    new WorkLoop("webhooks", () => webhooks.tick(), config.pollMs, log),
    new WorkLoop("handsets", () => sandbox.tick(), config.pollMs, log),
    new WorkLoop("template-review", () => reviewDueTemplates(ctx), Math.max(config.pollMs, 250), log),
  );

  const seeded = await seed(ctx);
  const app = await buildServer({ ctx, clock, ...(config.sandbox ? { sandbox } : {}) });
  const address = await app.listen({ port: config.port, host: config.host });
  const port = new URL(address).port;
  const url = config.publicUrl ?? `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  for (const loop of loops) if (config.dispatch || loop.name !== "dispatch") loop.start();

  return {
    url,
    seeded,
    ctx,
    clock,
    async stop() {
      await app.close();
      await Promise.all(loops.map((l) => l.stop()));
      await webhooks.close();
      await store.close();
    },
  };
}
