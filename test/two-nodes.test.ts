/**
 * Two nodes on one PostgreSQL database (in this process, each its own server, workers and node
 * id): messages sent round-robin to both reach each phone exactly once with one delivery report
 * each, and both nodes' /metrics summed agree with the store; a template paused through one node is refused by the other within a second; the sandbox
 * clock moved through one node moves the other's.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, type TestServer, welcome } from "./support/harness.ts";
import { scrape, series } from "./support/metrics.ts";
import { postgresUnavailable } from "./support/postgres.ts";
import { startTwoNodes, type TwoNodes } from "./support/two-nodes.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const unavailable = await postgresUnavailable();

describe("two nodes on one PostgreSQL database", { skip: unavailable }, () => {
  const rx = new WebhookReceiver();
  let nodes: TwoNodes | undefined;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    await rx.start();
    nodes = await startTwoNodes("cluster", {
      OPENBSP_DELIVERY_URL: `${rx.url}/dlr`,
      OPENBSP_SANDBOX_READ_DELAY_MS: "60000",
    });
    ({ a, b } = nodes);
  });
  after(async () => {
    await nodes?.close();
    await rx.stop();
  });

  it("messages sent round-robin to both nodes reach each phone exactly once, each reported delivered once", async () => {
    const phones = Array.from({ length: 20 }, (_, i) => `4477009${String(70000 + i)}`);
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const node = i % 2 ? a : b;
        const res = await node.call("POST", "/whatsapp/1/message/template", {
          messages: [welcome(phones[i % phones.length] as string, { messageId: `rr-${i}` })],
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        ids.push(res.body.messages[0].messageId);
      }),
    );
    const delivered = () =>
      rx
        .on("/dlr")
        .flatMap((r) => r.body.results ?? [])
        .filter((r: { status: { groupName: string } }) => r.status.groupName === "DELIVERED")
        .map((r: { messageId: string }) => r.messageId);
    await eventually(() => new Set(delivered()).size === ids.length, 20_000, "every delivery report");
    const onPhones: string[] = [];
    for (const phone of phones) {
      const res = await (phone.endsWith("1") ? a : b).call("GET", `/sandbox/phones/${phone}/messages`);
      for (const m of res.body.messages) onPhones.push(m.messageId);
    }
    assert.equal(onPhones.length, ids.length, "no phone got a message twice");
    assert.deepEqual([...onPhones].sort(), [...ids].sort());
    const reports = delivered();
    assert.equal(reports.length, ids.length, "one delivery report per message");

    // Each node counts what it did: summed over both, /metrics agrees with the shared store —
    // and a message dispatched by both nodes would show as one dispatch too many.
    const count = async (sql: string) => Number((await a.query(sql))[0]?.n);
    const stored = await count("SELECT count(*) AS n FROM messages WHERE message_id LIKE 'rr-%'");
    const deliveredInStore = await count(
      "SELECT count(*) AS n FROM messages WHERE message_id LIKE 'rr-%' AND status IN ('delivered', 'seen')",
    );
    assert.equal(stored, ids.length);
    const total = async (name: string) =>
      (await Promise.all([a, b].map((n) => scrape(n.url)))).reduce(
        (sum, text) => sum + series(text, name, { face: "infobip" }),
        0,
      );
    // A report is counted once its event is recorded: the receiver may have it a moment before.
    await eventually(
      async () => (await total("openbsp_messages_delivered_total")) >= deliveredInStore,
      5000,
      "every delivery counted",
    );
    assert.equal(await total("openbsp_messages_accepted_total"), stored, "accepted, both nodes");
    assert.equal(await total("openbsp_messages_dispatched_total"), stored, "dispatched once each");
    assert.equal(await total("openbsp_messages_delivered_total"), deliveredInStore, "delivered, both nodes");
    for (const n of [a, b])
      assert.ok(
        series(await scrape(n.url), "openbsp_messages_accepted_total", { face: "infobip" }) > 0,
        "each node took a share",
      );
  });

  it("a template paused through node A is refused by node B at once (LISTEN/NOTIFY), well within a second", async () => {
    const send = () =>
      b.call("POST", "/whatsapp/1/message/template", { messages: [welcome("447700979999")] });
    assert.equal((await send()).status, 200, "node B sends the template (and caches it)");
    const paused = await a.call("POST", `/sandbox/templates/${a.seeded.template.id}/status`, {
      status: "PAUSED",
    });
    assert.equal(paused.status, 200, JSON.stringify(paused.body));
    const at = Date.now();
    const refused = await eventually(
      async () => {
        const res = await send();
        return res.status === 400 ? res : undefined;
      },
      3000,
      "node B to refuse the paused template",
    );
    // Node B's cache would keep the template for up to a second; the change's NOTIFY drops it.
    assert.ok(Date.now() - at <= 500, `refused after ${Date.now() - at} ms`);
    assert.match(JSON.stringify(refused.body), /templateName/);
    await a.call("POST", `/sandbox/templates/${a.seeded.template.id}/status`, { status: "APPROVED" });
  });

  it("the sandbox clock moved through node A moves node B's within a second and a half", async () => {
    const before = (await b.call("GET", "/sandbox/clock")).body.offsetMs as number;
    const moved = await a.call("POST", "/sandbox/clock/advance", { ms: 3_600_000 });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.offsetMs, before + 3_600_000);
    await eventually(
      async () => (await b.call("GET", "/sandbox/clock")).body.offsetMs === before + 3_600_000,
      1500,
      "node B's clock to catch up",
    );
  });
});
