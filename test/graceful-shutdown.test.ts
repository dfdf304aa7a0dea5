/**
 * SIGTERM under load, with `npm start`'s entry point in a real child process: every request in
 * flight is answered (2xx, or refused cleanly: 503 or a connection the server never read), the
 * process exits 0, every 2xx'd message and only those are on disk, no lease is left held, and a
 * restart delivers them all.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { Agent } from "undici";
import { type ChildServer, spawnOpenBsp, stopChild } from "./support/child-server.ts";
import { API_KEY, request, sleep, welcome } from "./support/harness.ts";
import { RecordingReceiver } from "./support/recording-receiver.ts";

const PER_REQUEST = 50;

type Outcome =
  | { readonly kind: "answered"; readonly status: number; readonly messageId: string }
  | { readonly kind: "not-connected" | "reset"; readonly messageId: string; readonly code: string };

/** Why fetch failed, as undici names it (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(err);
}

describe("graceful shutdown on SIGTERM (a real child process under load)", () => {
  const rx = new RecordingReceiver();
  const dir = mkdtempSync(join(tmpdir(), "openbsp-sigterm-"));
  const children: ChildServer[] = [];
  const spawn = async () => {
    const child = await spawnOpenBsp({
      OPENBSP_DATA_DIR: dir,
      OPENBSP_DELIVERY_URL: `${rx.url}/term`,
      OPENBSP_WEBHOOK_RETRY_MS: "100,200,300,400,500,500,500,500,500,500",
      OPENBSP_THROUGHPUT_MPS: "0",
      OPENBSP_PAIR_RATE_BURST: "0",
    });
    children.push(child);
    return child;
  };
  before(() => rx.start());
  after(async () => {
    for (const c of children) await stopChild(c.child, "SIGKILL");
    await rx.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // It reads the child's SQLite file after it exited: not yet written for PostgreSQL.
  const onPostgres = process.env.OPENBSP_TEST_DATABASE_URL ? "reads the SQLite file directly" : false;
  it("answers every request in flight, exits 0, holds no lease, and loses nothing", {
    skip: onPostgres,
  }, async (t) => {
    // A slow receiver: webhooks are in flight (claimed) when the signal comes.
    rx.respond = () => ({ status: 200, delayMs: 200 });
    const first = await spawn();
    await request(first.url, "POST", "/sandbox/rules", {
      pattern: "4477*",
      behaviour: "deliver",
      deliverDelayMs: 200,
    });
    // Kept-alive connections, as a load balancer's or an SDK's: the hard case for a drain.
    const agent = new Agent({ connections: 16, keepAliveTimeout: 60_000 });
    const outcomes: Outcome[] = [];
    let n = 0;
    let stop = false;
    const client = async (c: number) => {
      while (!stop) {
        // Requests of many messages: each is in flight a while (validation, one commit of 50 rows).
        const messageId = `term-${c}-${n++}`;
        const messages = Array.from({ length: PER_REQUEST }, (_, i) =>
          welcome(`4477${String(10_000_000 + n * PER_REQUEST + i).slice(-8)}`, {
            messageId: `${messageId}-${i}`,
          }),
        );
        try {
          const res = await fetch(`${first.url}/whatsapp/1/message/template`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `App ${API_KEY}` },
            body: JSON.stringify({ messages }),
            // @ts-expect-error undici's fetch takes a dispatcher
            dispatcher: agent,
          });
          await res.arrayBuffer();
          outcomes.push({ kind: "answered", status: res.status, messageId });
        } catch (err) {
          const code = errorCode(err);
          outcomes.push({ kind: code === "ECONNREFUSED" ? "not-connected" : "reset", messageId, code });
          if (code === "ECONNREFUSED") return;
          await sleep(5);
        }
      }
    };
    const clients = Array.from({ length: 16 }, (_, c) => client(c));
    await sleep(2000);
    const answeredBefore = outcomes.filter((o) => o.kind === "answered" && o.status === 200).length;
    assert.ok(answeredBefore > 10, `load was running (${answeredBefore} answered)`);
    const exited = new Promise<number | null>((resolve) => first.child.once("exit", (code) => resolve(code)));
    first.child.kill("SIGTERM");
    const code = await exited;
    stop = true;
    await Promise.all(clients);
    await agent.close();
    assert.equal(code, 0, `exit code; it printed:\n${first.output().slice(-2000)}`);

    // Only 2xx and clean refusals: nothing answered 5xx other than the drain's 503.
    const statuses = new Map<string, number>();
    for (const o of outcomes) {
      const key = o.kind === "answered" ? String(o.status) : `${o.kind}:${o.code}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    for (const key of statuses.keys())
      assert.ok(
        /^(200|503|not-connected:.*|reset:.*)$/.test(key),
        `unexpected outcome ${key}: ${JSON.stringify([...statuses])}`,
      );
    t.diagnostic(`outcomes: ${JSON.stringify([...statuses])}`);
    const ok = new Set(
      outcomes.filter((o) => o.kind === "answered" && o.status === 200).map((o) => o.messageId),
    );

    // On disk: every 2xx'd message, and nothing of a request that was not answered 2xx (a request
    // cut short after its commit would show here as stored but not acknowledged).
    const db = new Database(join(dir, "openbsp.db"), { readonly: true });
    try {
      const stored = new Set(
        (
          db.prepare("SELECT message_id FROM messages WHERE message_id LIKE 'term-%'").all() as {
            message_id: string;
          }[]
        ).map((r) => r.message_id.replace(/-\d+$/, "")), // the request's id: the message's without its index
      );
      const lost = [...ok].filter((id) => !stored.has(id));
      const unacknowledged = [...stored].filter((id) => !ok.has(id));
      assert.deepEqual(lost, [], "every 2xx'd message is stored");
      assert.deepEqual(
        unacknowledged,
        [],
        `every stored message was answered 2xx (${JSON.stringify([...statuses])})`,
      );
      const held = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      assert.equal(
        held("SELECT count(*) AS n FROM messages WHERE lease_until IS NOT NULL AND status = 'accepted'"),
        0,
      );
      assert.equal(
        held("SELECT count(*) AS n FROM webhooks WHERE lease_until IS NOT NULL AND state = 'pending'"),
        0,
      );
      assert.equal(
        held("SELECT count(*) AS n FROM sms_failovers WHERE lease_until IS NOT NULL AND state = 'pending'"),
        0,
      );
    } finally {
      db.close();
    }

    // Restarted, it delivers every accepted message.
    rx.respond = () => ({ status: 200 });
    await spawn();
    const ids = [...ok].flatMap((id) => Array.from({ length: PER_REQUEST }, (_, i) => `${id}-${i}`));
    await rx.waitForAll(ids, "delivery", 60_000, "/term");
  });
});
