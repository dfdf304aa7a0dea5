/**
 * The benchmark scenarios: accept (single and bulk), end to end, memory with a queue, durability;
 * each on a deployment (SQLite, or PostgreSQL on one or two nodes: the load spread over the nodes).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Pool } from "undici";
import { type LoadResult, runLoad } from "./load.ts";
import {
  BENCH_ADMIN_KEY,
  BENCH_KEY,
  BENCH_SENDER,
  type Deployment,
  type Running,
  rssMb,
  startDeployment,
} from "./processes.ts";

export const HEADERS = { "content-type": "application/json", authorization: `App ${BENCH_KEY}` };
const PATH = "/whatsapp/1/message/template";

function message(to: string, withId: boolean, from = BENCH_SENDER): string {
  return JSON.stringify({
    from,
    to,
    ...(withId ? { messageId: "%ID%" } : {}),
    content: { templateName: "welcome", language: "en", templateData: { body: { placeholders: ["Ann"] } } },
  });
}

export function singleBody(randomIds: boolean): string {
  return `{"messages":[${message("447700900001", randomIds)}]}`;
}

/** A bulk of `size` messages to consecutive numbers from `offset`, round robin over `senders`. */
export function bulkBody(size: number, offset = 0, senders: readonly string[] = [BENCH_SENDER]): string {
  const msgs = Array.from({ length: size }, (_, i) =>
    message(String(447700000000 + offset + i), false, senders[(offset + i) % senders.length]),
  );
  return `{"messages":[${msgs.join(",")}]}`;
}

/** The load generator on `urls` (one per node: the connections split over them). */
export async function accept(
  urls: readonly string[],
  body: string,
  randomIds: boolean,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  return runLoad({
    urls: urls.map((u) => `${u}${PATH}`),
    headers: HEADERS,
    body,
    randomIds,
    connections,
    seconds,
  });
}

/**
 * POSTs `total` messages in bulks of `size`, `parallel` requests at a time, spread round robin
 * over `urls` (one per node); returns the ids accepted.
 */
async function pushBulks(
  urls: readonly string[],
  total: number,
  size: number,
  parallel: number,
  senders?: readonly string[],
): Promise<string[]> {
  const pools = urls.map((u) => new Pool(u, { connections: Math.ceil(parallel / urls.length) }));
  const ids: string[] = [];
  let next = 0;
  let turn = 0;
  const worker = async () => {
    while (next < total) {
      const offset = next;
      next += size;
      const pool = pools[turn++ % pools.length] as Pool;
      const res = await pool.request({
        path: PATH,
        method: "POST",
        headers: HEADERS,
        body: bulkBody(Math.min(size, total - offset), offset, senders),
      });
      const json = (await res.body.json()) as { messages?: { messageId: string }[] };
      if (res.statusCode !== 200 || !json.messages)
        throw new Error(`bulk answered ${res.statusCode}: ${JSON.stringify(json).slice(0, 300)}`);
      for (const m of json.messages) ids.push(m.messageId);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  await Promise.all(pools.map((p) => p.close()));
  return ids;
}

/** `count` sender numbers registered on the seeded account through the admin API, each at `mps`. */
export async function registerSenders(running: Running, count: number, mps: number): Promise<string[]> {
  const numbers = Array.from({ length: count }, (_, i) => String(441134961000 + i));
  const pool = new Pool(running.urls[0] as string, { connections: 1 });
  try {
    for (const number of numbers) {
      const res = await pool.request({
        path: "/openbsp/1/accounts/acc-default/senders",
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_ADMIN_KEY}` },
        body: JSON.stringify({ number, throughputMps: mps }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 201) throw new Error(`registering sender ${number}: ${res.statusCode} ${text}`);
    }
  } finally {
    await pool.close();
  }
  // The other nodes' sender caches hear of the change within a second (LISTEN/NOTIFY).
  if (running.urls.length > 1) await new Promise((r) => setTimeout(r, 1500));
  return numbers;
}

export interface EndToEnd {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly missing: number;
  readonly duplicated: number;
}

export interface EndToEndOptions {
  /** Senders registered through the admin API for the run, the load spread over them; absent: the seeded one, unpaced. */
  readonly senders?: { readonly count: number; readonly mps: number };
  /** Called with the deployment once it runs, before the load; its result is awaited after the last report. */
  readonly watch?: (running: Running) => Promise<() => Promise<void>>;
}

/**
 * Accept → simulated delivery → delivery report POSTed to a local receiver, counted per message.
 * With `senders`, the messages go round robin from that many senders at that tier.
 */
export async function endToEnd(
  total: number,
  deployment: Deployment = { store: "sqlite", nodes: 1 },
  options: EndToEndOptions = {},
): Promise<EndToEnd> {
  const seen = new Map<string, number>();
  let lastAt = 0;
  const receiver = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += String(d)));
    req.on("end", () => {
      const body = JSON.parse(raw) as { results: { messageId: string; status?: { groupName: string } }[] };
      for (const r of body.results) {
        if (r.status?.groupName !== "DELIVERED") continue;
        seen.set(r.messageId, (seen.get(r.messageId) ?? 0) + 1);
        lastAt = performance.now();
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/dlr`;
  const running = await startDeployment(deployment, {
    OPENBSP_DELIVERY_URL: hook,
    OPENBSP_SANDBOX_READ_DELAY_MS: "86400000",
  });
  try {
    const senders = options.senders
      ? await registerSenders(running, options.senders.count, options.senders.mps)
      : undefined;
    const finish = options.watch ? await options.watch(running) : undefined;
    const start = performance.now();
    const ids = await pushBulks(running.urls, total, 1000, 4, senders);
    const deadline = Date.now() + 120_000;
    while (seen.size < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await finish?.();
    const seconds = (lastAt - start) / 1000;
    const missing = ids.filter((id) => !seen.has(id)).length;
    const duplicated = [...seen.values()].filter((n) => n > 1).length;
    return { messages: ids.length, seconds, perSecond: ids.length / seconds, missing, duplicated };
  } finally {
    await running.stop();
    receiver.close();
  }
}

/** RSS of the product holding `total` accepted messages that are not dispatched. */
export async function memoryWithQueue(
  total: number,
  deployment: Deployment = { store: "sqlite", nodes: 1 },
): Promise<{ messages: number; rssMb: number; idleRssMb: number }> {
  const running = await startDeployment(deployment, { OPENBSP_DISPATCH: "false" });
  const pids = () => running.nodes.map((n) => n.child.pid as number);
  /** The largest node's RSS (each node holds only what it serves). */
  const rss = () => Math.max(...pids().map(rssMb));
  try {
    await new Promise((r) => setTimeout(r, 500));
    const idleRssMb = rss();
    const ids = await pushBulks(running.urls, total, 1000, 4);
    await new Promise((r) => setTimeout(r, 1000));
    return { messages: ids.length, rssMb: rss(), idleRssMb };
  } finally {
    await running.stop();
  }
}

/**
 * SIGKILL under load, restart, and count acknowledged messages missing from the store. With two
 * nodes, the load goes to both and the first is killed (the second goes on answering until the
 * load stops); every message either node acknowledged must be in the database.
 */
export async function durability(
  seconds: number,
  deployment: Deployment = { store: "sqlite", nodes: 1 },
): Promise<{ acknowledged: number; missing: number }> {
  const running = await startDeployment(deployment);
  const pools = running.urls.map((u) => new Pool(u, { connections: Math.ceil(64 / running.urls.length) }));
  const acked: string[] = [];
  let stop = false;
  const worker = (pool: Pool) => async () => {
    while (!stop) {
      const id = `dur-${Math.random().toString(16).slice(2)}-${acked.length}`;
      try {
        const res = await pool.request({
          path: PATH,
          method: "POST",
          headers: HEADERS,
          body: singleBody(true).replace("%ID%", id),
        });
        await res.body.dump();
        if (res.statusCode === 200) acked.push(id);
      } catch {
        return; // the server died under us: this request was never acknowledged
      }
    }
  };
  const workers = pools.flatMap((pool) =>
    Array.from({ length: Math.ceil(64 / pools.length) }, () => worker(pool)()),
  );
  try {
    await new Promise((r) => setTimeout(r, seconds * 1000));
    await (running.nodes[0] as Running["nodes"][number]).stop("SIGKILL");
    stop = true;
    await Promise.all(workers);
    await Promise.all(pools.map((p) => p.destroy()));
    await running.restart(0);
    if (running.database) {
      const { missingMessages } = await import("./postgres.ts");
      return { acknowledged: acked.length, missing: await missingMessages(running.database.url, acked) };
    }
    const db = new Database(join(running.nodes[0]?.dataDir as string, "openbsp.db"), { readonly: true });
    const has = db.prepare("SELECT 1 FROM messages WHERE message_id = ?");
    const missing = acked.filter((id) => !has.get(id)).length;
    db.close();
    return { acknowledged: acked.length, missing };
  } finally {
    await running.stop();
  }
}
