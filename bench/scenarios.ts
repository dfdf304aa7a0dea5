/** The benchmark scenarios: accept (single and bulk), end to end, memory with a queue, durability. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Pool } from "undici";
import { type LoadResult, runLoad } from "./load.ts";
import { BENCH_KEY, BENCH_SENDER, rssMb, type Server, startProduct } from "./processes.ts";

export const HEADERS = { "content-type": "application/json", authorization: `App ${BENCH_KEY}` };
const PATH = "/whatsapp/1/message/template";

function message(to: string, withId: boolean): string {
  return JSON.stringify({
    from: BENCH_SENDER,
    to,
    ...(withId ? { messageId: "%ID%" } : {}),
    content: { templateName: "welcome", language: "en", templateData: { body: { placeholders: ["Ann"] } } },
  });
}

export function singleBody(randomIds: boolean): string {
  return `{"messages":[${message("447700900001", randomIds)}]}`;
}

export function bulkBody(size: number, offset = 0): string {
  const msgs = Array.from({ length: size }, (_, i) => message(String(447700000000 + offset + i), false));
  return `{"messages":[${msgs.join(",")}]}`;
}

export async function accept(
  server: Server,
  body: string,
  randomIds: boolean,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  return runLoad({ url: `${server.url}${PATH}`, headers: HEADERS, body, randomIds, connections, seconds });
}

/** POSTs `total` messages in bulks of `size`, `parallel` requests at a time; returns the ids accepted. */
async function pushBulks(url: string, total: number, size: number, parallel: number): Promise<string[]> {
  const pool = new Pool(url, { connections: parallel });
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const offset = next;
      next += size;
      const res = await pool.request({
        path: PATH,
        method: "POST",
        headers: HEADERS,
        body: bulkBody(Math.min(size, total - offset), offset),
      });
      const json = (await res.body.json()) as { messages?: { messageId: string }[] };
      if (res.statusCode !== 200 || !json.messages)
        throw new Error(`bulk answered ${res.statusCode}: ${JSON.stringify(json).slice(0, 300)}`);
      for (const m of json.messages) ids.push(m.messageId);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  await pool.close();
  return ids;
}

export interface EndToEnd {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly missing: number;
  readonly duplicated: number;
}

/** Accept → simulated delivery → delivery report POSTed to a local receiver, counted per message. */
export async function endToEnd(total: number): Promise<EndToEnd> {
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
  const server = await startProduct({
    OPENBSP_DELIVERY_URL: hook,
    OPENBSP_SANDBOX_READ_DELAY_MS: "86400000",
  });
  try {
    const start = performance.now();
    const ids = await pushBulks(server.url, total, 1000, 4);
    const deadline = Date.now() + 120_000;
    while (seen.size < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const seconds = (lastAt - start) / 1000;
    const missing = ids.filter((id) => !seen.has(id)).length;
    const duplicated = [...seen.values()].filter((n) => n > 1).length;
    return { messages: ids.length, seconds, perSecond: ids.length / seconds, missing, duplicated };
  } finally {
    await server.stop();
    receiver.close();
  }
}

/** RSS of the product holding `total` accepted messages that are not dispatched. */
export async function memoryWithQueue(
  total: number,
): Promise<{ messages: number; rssMb: number; idleRssMb: number }> {
  const server = await startProduct({ OPENBSP_DISPATCH: "false" });
  try {
    await new Promise((r) => setTimeout(r, 500));
    const idleRssMb = rssMb(server.child.pid as number);
    const ids = await pushBulks(server.url, total, 1000, 4);
    await new Promise((r) => setTimeout(r, 1000));
    return { messages: ids.length, rssMb: rssMb(server.child.pid as number), idleRssMb };
  } finally {
    await server.stop();
  }
}

/** SIGKILL under load, restart, and count acknowledged messages missing from the store. */
export async function durability(seconds: number): Promise<{ acknowledged: number; missing: number }> {
  const first = await startProduct();
  const dataDir = first.dataDir as string;
  const pool = new Pool(first.url, { connections: 64 });
  const acked: string[] = [];
  let stop = false;
  const worker = async () => {
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
  const workers = Array.from({ length: 64 }, worker);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await first.stop("SIGKILL");
  stop = true;
  await Promise.all(workers);
  await pool.destroy();
  const second = await startProduct({}, dataDir);
  try {
    const db = new Database(join(dataDir, "openbsp.db"), { readonly: true });
    const has = db.prepare("SELECT 1 FROM messages WHERE message_id = ?");
    const missing = acked.filter((id) => !has.get(id)).length;
    db.close();
    return { acknowledged: acked.length, missing };
  } finally {
    await second.stop();
  }
}
