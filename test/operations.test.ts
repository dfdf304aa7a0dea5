/**
 * Operating a node behind a load balancer: /readyz, /metrics agreeing with the store, and the
 * per-account request limit answered in each face's own 429.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  API_KEY,
  eventually,
  outboxDrained,
  request,
  SENDER,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { series } from "./support/metrics.ts";
import {
  createSchema,
  createTestDatabase,
  freshSchemaName,
  postgresUnavailable,
  type TestDatabase,
} from "./support/postgres.ts";
import { RecordingReceiver } from "./support/recording-receiver.ts";

describe("/readyz and /metrics", () => {
  let server: TestServer;
  let rx: RecordingReceiver;
  before(async () => {
    rx = await new RecordingReceiver().start();
    server = await startServer({ OPENBSP_DELIVERY_URL: `${rx.url}/dlr`, OPENBSP_NODE_ID: "node-a" });
  });
  after(async () => {
    await server?.close();
    await rx?.stop();
  });

  it("/readyz answers 200 with every check ok beside /healthz", async () => {
    const res = await request(server.url, "GET", "/readyz");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      status: "ready",
      checks: { store: "ok", migrations: "ok", workers: "ok", shutdown: "ok" },
    });
    assert.equal((await request(server.url, "GET", "/healthz")).status, 200);
  });

  // The store is read through server.query: the SQLite file, or the server's PostgreSQL schema.
  it("/metrics counts agree with the store after sends on each face", async () => {
    const auth = { authorization: `App ${API_KEY}` };
    // A rule that fails one user's messages, so failures show with their reason.
    const rule = await request(server.url, "POST", "/sandbox/rules", {
      pattern: "447700900999",
      behaviour: "fail",
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const N = 40;
    for (let i = 0; i < N; i++) {
      const to = i % 10 === 9 ? "447700900999" : `4477009${String(10_000 + i).padStart(5, "0")}`;
      const res = await request(
        server.url,
        "POST",
        "/whatsapp/1/message/template",
        { messages: [welcome(to)] },
        auth,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const meta = await request(
      server.url,
      "POST",
      "/v23.0/100000000000003/messages",
      {
        messaging_product: "whatsapp",
        to: "447700900123",
        type: "template",
        template: {
          name: "welcome",
          language: { code: "en" },
          components: [{ type: "body", parameters: [{ type: "text", text: "Ann" }] }],
        },
      },
      { authorization: `Bearer ${API_KEY}` },
    );
    assert.equal(meta.status, 200, JSON.stringify(meta.body));

    // count(*) is a bigint on PostgreSQL (a string through pg), a number on SQLite.
    const count = async (sql: string) => Number((await server.query(sql))[0]?.n);
    // Every message decided (delivered, seen or failed), and every report posted.
    await eventually(
      async () =>
        (await count(
          "SELECT count(*) AS n FROM messages WHERE status IN ('accepted', 'sent', 'delivered')",
        )) === 0,
      10_000,
      "every message seen or failed",
    );
    await outboxDrained(server, 10_000);
    const scrape = async () => {
      const res = await fetch(`${server.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
      return res.text();
    };
    // A POST is counted once its answer is back: the receiver may have it a moment before.
    const posts = new Set(rx.accepted("/dlr").map((a) => a.eventId)).size;
    const text = await eventually(
      async () => {
        const t = await scrape();
        return series(t, "openbsp_webhook_attempts_total", {}) >= posts ? t : undefined;
      },
      5000,
      "every webhook attempt counted",
    );
    const stored = (face: string, statuses: string) =>
      count(`SELECT count(*) AS n FROM messages WHERE face = '${face}' AND status IN (${statuses})`);
    for (const face of ["infobip", "meta"]) {
      assert.equal(
        series(text, "openbsp_messages_accepted_total", { face, node: "node-a" }),
        await count(`SELECT count(*) AS n FROM messages WHERE face = '${face}'`),
        `${face} accepted`,
      );
      assert.equal(
        series(text, "openbsp_messages_delivered_total", { face, node: "node-a" }),
        await stored(face, "'delivered', 'seen'"),
        `${face} delivered`,
      );
      assert.equal(
        series(text, "openbsp_messages_dispatched_total", { face }),
        // Templates need no open window: each was handed to the carrier once.
        await count(`SELECT count(*) AS n FROM messages WHERE face = '${face}'`),
        `${face} dispatched`,
      );
    }
    assert.equal(series(text, "openbsp_messages_accepted_total", { face: "infobip" }), N);
    // Failures by face and reason: the stored error's code (JSON text on both stores).
    const failedRows = await server.query("SELECT face, error FROM messages WHERE status = 'failed'");
    assert.ok(failedRows.length >= 4, `the rule failed messages (${failedRows.length})`);
    const reasons = new Map<string, number>();
    for (const r of failedRows) {
      const key = `${r.face} ${(JSON.parse(String(r.error)) as { code: number }).code}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    for (const [key, n] of reasons) {
      const [face, reason] = key.split(" ") as [string, string];
      assert.equal(series(text, "openbsp_messages_failed_total", { face, reason }), n, `failed ${key}`);
    }
    assert.equal(
      series(text, "openbsp_messages_failed_total", {}),
      failedRows.length,
      "every failure counted, none more",
    );
    // Every report POST went out once and was answered 2xx.
    assert.ok(posts > 0);
    assert.equal(rx.refused().length, 0);
    assert.equal(series(text, "openbsp_webhook_attempts_total", { outcome: "delivered" }), posts);
    assert.equal(series(text, "openbsp_webhook_duration_seconds_count", {}), posts);
    assert.equal(series(text, "openbsp_queue_depth", { node: "node-a" }), 0);
    assert.ok(series(text, "openbsp_store_commit_duration_seconds_count", {}) > 0, "commits timed");
    assert.ok(series(text, "openbsp_store_commit_batch_size_sum", {}) >= N, "commit batches sized");
  });
});

describe("per-account request limit", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      OPENBSP_ACCOUNT_REQUESTS_PER_SECOND: "20",
      OPENBSP_THROUGHPUT_MPS: "0",
      OPENBSP_DISPATCH: "false",
    });
  });
  after(() => server?.close());

  /** `n` sends at once on one face; the status of each answer, and one 429 for its body and headers. */
  async function burst(
    n: number,
    send: (i: number) => Promise<{ status: number; body: unknown; headers: Headers }>,
  ) {
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => send(i)));
    const ok = answers.filter((a) => a.status === 200 || a.status === 201).length;
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(ok + limited.length, n, `only 200 and 429: ${JSON.stringify(answers.map((a) => a.status))}`);
    return { ok, limited };
  }

  const waitForNextSecond = () => new Promise((r) => setTimeout(r, 1100));

  it("Infobip: a burst over the limit gets 429 TOO_MANY_REQUESTS with Retry-After; the limit's worth passes", async () => {
    await waitForNextSecond();
    const { ok, limited } = await burst(50, (i) =>
      server.call("POST", "/whatsapp/1/message/template", {
        messages: [welcome(`4477009${String(20_000 + i)}`)],
      }),
    );
    assert.ok(ok >= 20 && ok <= 40, `${ok} passed`);
    assert.ok(limited.length >= 10, `${limited.length} limited`);
    const first = limited[0] as (typeof limited)[number];
    const retryAfter = Number(first.headers.get("retry-after"));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 1,
      `Retry-After ${retryAfter}`,
    );
    const body = first.body as { requestError: { serviceException: { messageId: string; text: string } } };
    assert.equal(body.requestError.serviceException.messageId, "TOO_MANY_REQUESTS");
    assert.match(body.requestError.serviceException.text, /requests per second/);
    // Nothing of a refused request is stored.
    const [row] = await server.query("SELECT count(*) AS n FROM messages WHERE recipient LIKE '44770092%'");
    assert.equal(Number(row?.n), ok);
  });

  it("Meta: over the limit a Graph error code 4 with HTTP 429; Sinch: its own 429 body", async () => {
    await waitForNextSecond();
    const meta = await burst(40, () =>
      request(
        server.url,
        "POST",
        `/v23.0/100000000000003/messages`,
        {
          messaging_product: "whatsapp",
          to: "447700900301",
          type: "template",
          template: {
            name: "welcome",
            language: { code: "en" },
            components: [{ type: "body", parameters: [{ type: "text", text: "Ann" }] }],
          },
        },
        { authorization: `Bearer ${API_KEY}` },
      ),
    );
    assert.ok(meta.ok <= 40 && meta.limited.length > 0, `${meta.ok} passed`);
    const err = (meta.limited[0]?.body as { error: { code: number } } | undefined)?.error;
    assert.equal(err?.code, 4);
    assert.ok(Number(meta.limited[0]?.headers.get("retry-after")) >= 1);

    await waitForNextSecond();
    const sinch = await burst(40, () =>
      request(
        server.url,
        "POST",
        "/whatsapp/v1/openbspbot/messages",
        { to: ["+447700900302"], message: { type: "text", text: "hello" } },
        { authorization: `Bearer ${API_KEY}` },
      ),
    );
    assert.ok(sinch.limited.length > 0, `${sinch.ok} passed`);
    assert.ok(Number(sinch.limited[0]?.headers.get("retry-after")) >= 1);
    assert.equal(
      typeof (sinch.limited[0]?.body as { reason?: unknown } | undefined)?.reason,
      "string",
      JSON.stringify(sinch.limited[0]?.body),
    );
    // Another second: the account may send again.
    await waitForNextSecond();
    const again = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700900303")],
    });
    assert.equal(again.status, 200);
  });
});

/**
 * Both nodes' senders for 2.5 s, eight clients each; the figures of what passed. The limiter
 * counts in windows of a second, so over E ms at most floor(E / 1000) + 1 windows pass `limit`
 * each, whichever node took the request; two nodes each limiting alone would pass twice that.
 */
async function twoNodeBurst(nodes: readonly TestServer[], limit: number) {
  const answers: { node: number; status: number; retryAfter: string | null }[] = [];
  const started = Date.now();
  let i = 0;
  const client = async (node: TestServer, n: number) => {
    while (Date.now() - started < 2500) {
      // A template the sender does not have: the request counts, then is refused (400) without
      // a commit, so the machine's disk does not set the pace.
      const r = await node.call("POST", "/whatsapp/1/message/template", {
        messages: [
          {
            ...welcome(`4477009${String(30_000 + (i++ % 60_000)).padStart(5, "0")}`),
            content: { ...welcome("").content, templateName: "no_such_template" },
          },
        ],
      });
      answers.push({ node: n, status: r.status, retryAfter: r.headers.get("retry-after") });
    }
  };
  await Promise.all(nodes.flatMap((node, n) => Array.from({ length: 8 }, () => client(node, n))));
  const elapsed = Date.now() - started;
  const ok = answers.filter((r) => r.status === 400).length;
  const limited = answers.filter((r) => r.status === 429);
  assert.equal(ok + limited.length, answers.length, JSON.stringify(answers.map((r) => r.status)));
  const windows = Math.floor(elapsed / 1000) + 1;
  const figures = `${ok} of ${answers.length} requests past the limit over both nodes in ${elapsed} ms (limit ${limit}/s: at most ${limit * windows})`;
  assert.ok(ok <= limit * windows, figures);
  assert.ok(ok >= limit, `the limit's worth passed (${figures})`);
  for (const n of [0, 1])
    assert.ok(
      limited.some((r) => r.node === n),
      `node ${n} refused some (${answers.filter((r) => r.node === n).length} sent)`,
    );
  assert.ok(limited.every((r) => Number(r.retryAfter) >= 1));
  return figures;
}

// Low, so that even a loaded machine sends well over it.
const TWO_NODE_LIMIT = 5;
const LIMITED_ENV = {
  OPENBSP_ACCOUNT_REQUESTS_PER_SECOND: String(TWO_NODE_LIMIT),
  OPENBSP_THROUGHPUT_MPS: "0",
  OPENBSP_PAIR_RATE_BURST: "0",
  OPENBSP_DISPATCH: "false",
};

describe("per-account request limit across two nodes (Redis)", () => {
  // A database of its own on the machine's Redis, so that other runs' counts stay apart.
  const redisUrl = `redis://127.0.0.1:6379/${1 + Math.floor(Math.random() * 15)}`;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    const env = { ...LIMITED_ENV, OPENBSP_RATE_LIMIT_REDIS_URL: redisUrl };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  it("the requests let through by both nodes together stay within the account's limit", async (t) => {
    t.diagnostic(await twoNodeBurst([a, b], TWO_NODE_LIMIT));
  });
});

const noPostgres = await postgresUnavailable();

describe("per-account request limit across two nodes on one PostgreSQL database", {
  skip: noPostgres,
}, () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    db = await createTestDatabase();
    const url = await createSchema(db.url, freshSchemaName("limit"));
    const env = (node: string) => ({ ...LIMITED_ENV, OPENBSP_DATABASE_URL: url, OPENBSP_NODE_ID: node });
    // One after the other: both apply the migrations and seed the same database.
    a = await startServer(env("node-a"));
    b = await startServer(env("node-b"));
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it("without Redis, the limit is counted in the database: both nodes together stay within it", async (t) => {
    t.diagnostic(await twoNodeBurst([a, b], TWO_NODE_LIMIT));
  });
});

describe("/readyz when a worker is stuck", () => {
  let server: TestServer;
  // A media host that takes connections and never answers: the dispatch step waits on it.
  const hanging = createServer(() => {});
  before(async () => {
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    server = await startServer({
      OPENBSP_MEDIA_DOWNLOAD: "true",
      OPENBSP_MEDIA_TIMEOUT_MS: "600000",
      // A step is stuck once it outlasts a lease (5 s at least).
      OPENBSP_LEASE_MS: "1000",
    });
  });
  after(async () => {
    hanging.closeAllConnections();
    hanging.close();
    await server?.close();
  });

  it("answers 503 naming the loop whose step has run too long, and 200 again once it ends", async () => {
    const user = "447700900777";
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
    const port = (hanging.address() as AddressInfo).port;
    const res = await server.call("POST", "/whatsapp/1/message/image", {
      from: SENDER,
      to: user,
      content: { mediaUrl: `http://127.0.0.1:${port}/cat.png` },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const stuck = await eventually(
      async () => {
        const r = await request(server.url, "GET", "/readyz");
        return r.status === 503 ? r : undefined;
      },
      15_000,
      "readiness to fail",
    );
    assert.equal(stuck.body.status, "not ready");
    assert.match(stuck.body.checks.workers, /^dispatch: a step has run \d+ ms$/);
    assert.equal(stuck.body.checks.store, "ok");
    // The host hangs up: the step ends (the download failed) and the node is ready again.
    hanging.closeAllConnections();
    await eventually(
      async () => (await request(server.url, "GET", "/readyz")).status === 200,
      10_000,
      "ready again",
    );
  });
});
