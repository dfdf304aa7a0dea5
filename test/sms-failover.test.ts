import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type ChildServer, spawnOpenBsp, stopChild } from "./support/child-server.ts";
import { checkContract } from "./support/contracts.ts";
import { FakeSmsc } from "./support/fake-smsc.ts";
import { API_KEY, eventually, request, startServer, type TestServer, welcome } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const DLR = "receive-whatsapp-delivery-reports";
const DAY_MS = 86_400_000;

async function send(server: TestServer, messages: unknown[]) {
  return server.call("POST", "/whatsapp/1/message/template", { messages });
}

async function sendOne(server: TestServer, message: unknown): Promise<string> {
  const res = await send(server, [message]);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.messages[0].messageId;
}

async function smsc(server: TestServer, number: string) {
  const res = await server.call("GET", `/sandbox/sms/${number}/messages`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.messages as { from: string; to: string; text: string; outcome: string; receipt: string }[];
}

async function rule(server: TestServer, path: string, body: Record<string, unknown>) {
  const res = await server.call("POST", path, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** The final delivery report for `messageId`. */
function outcome(hooks: WebhookReceiver, messageId: string, ms = 5000) {
  return hooks.waitForResult(
    "/dlr",
    (r) => r.messageId === messageId && r.status?.groupName !== "PENDING",
    ms,
  );
}

describe("SMS failover", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({ OPENBSP_DELIVERY_URL: `${hooks.url}/dlr` });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("sends the SMS when the number is not on WhatsApp, and reports it once, as delivered over SMS", async (t) => {
    const to = "447700931001";
    await rule(server, "/sandbox/rules", { pattern: to, behaviour: "not_whatsapp" });
    const id = await sendOne(
      server,
      welcome(to, { callbackData: "cb-sms", smsFailover: { from: "InfoSMS", text: "Hello Ann, welcome!" } }),
    );

    const dlr = await outcome(hooks, id);
    assert.equal(dlr.channel, "SMS");
    assert.equal(dlr.status.groupName, "DELIVERED");
    assert.equal(dlr.status.name, "DELIVERED_TO_HANDSET");
    assert.equal(dlr.error.name, "NO_ERROR");
    assert.equal(dlr.from, "InfoSMS");
    assert.equal(dlr.to, to);
    assert.equal(dlr.messageCount, 1);
    assert.equal(dlr.callbackData, "cb-sms");
    assert.deepEqual(dlr.price, { pricePerMessage: 0, currency: "EUR" });
    const body = hooks
      .on("/dlr")
      .find((r) => r.body.results.some((x: { messageId: string }) => x.messageId === id))?.body;
    await checkContract(t, "infobip", (c) => assert.deepEqual(c.webhook(DLR, body), []));

    const received = await smsc(server, to);
    assert.equal(received.length, 1);
    assert.equal(received[0]?.from, "InfoSMS");
    assert.equal(received[0]?.text, "Hello Ann, welcome!");
    assert.equal(received[0]?.outcome, "delivered");
    await eventually(
      async () => (await smsc(server, to))[0]?.receipt === "acknowledged",
      3000,
      "the receipt acknowledged",
    );
    assert.equal(
      hooks.results("/dlr").filter((r) => r.messageId === id).length,
      1,
      "no WhatsApp UNDELIVERABLE report besides",
    );
    assert.deepEqual((await server.call("GET", `/sandbox/phones/${to}/messages`)).body.messages, []);
  });

  it("without smsFailover, reports UNDELIVERABLE over WhatsApp as before and sends no SMS", async () => {
    const to = "447700931002";
    await rule(server, "/sandbox/rules", { pattern: to, behaviour: "not_whatsapp" });
    const id = await sendOne(server, welcome(to));
    const dlr = await outcome(hooks, id);
    assert.equal(dlr.status.groupName, "UNDELIVERABLE");
    assert.equal(dlr.error.name, "EC_UNKNOWN_USER");
    assert.equal(dlr.channel, "WHATSAPP");
    assert.deepEqual(await smsc(server, to), []);
  });

  it("a message WhatsApp delivers sends no SMS", async () => {
    const to = "447700931003";
    const id = await sendOne(
      server,
      welcome(to, { smsFailover: { from: "447700900999", text: "Hi by SMS" } }),
    );
    const dlr = await outcome(hooks, id);
    assert.equal(dlr.status.groupName, "DELIVERED");
    assert.equal(dlr.channel, "WHATSAPP");
    await hooks.waitForResult("/dlr", (r) => r.messageId === id && "seenAt" in r);
    assert.deepEqual(await smsc(server, to), []);
  });

  it("a WhatsApp error and an expired TTL fail over too; the SMS counts its parts", async () => {
    const failing = "447700931004";
    const offline = "447700931005";
    await rule(server, "/sandbox/rules", { pattern: failing, behaviour: "fail", errorCode: 131048 });
    await rule(server, "/sandbox/rules", { pattern: offline, behaviour: "offline" });
    const long = `Ünïcode ✓ ${"x".repeat(150)}`; // UCS-2: 160 characters → 3 parts of 67
    const a = await sendOne(server, welcome(failing, { smsFailover: { from: "+447700900999", text: long } }));
    const b = await sendOne(
      server,
      welcome(offline, { smsFailover: { from: "Shop", text: "Your order is ready" } }),
    );

    const first = await outcome(hooks, a);
    assert.equal(first.channel, "SMS");
    assert.equal(first.messageCount, 3);
    assert.equal((await smsc(server, failing))[0]?.text, long);

    const res = await server.call("POST", "/sandbox/clock/advance", { ms: 30 * DAY_MS + 60_000 });
    assert.equal(res.status, 200);
    const second = await outcome(hooks, b);
    assert.equal(second.channel, "SMS");
    assert.equal(second.status.groupName, "DELIVERED");
    assert.equal((await smsc(server, offline))[0]?.from, "Shop");
  });

  it("reports an SMS the network cannot deliver, or the SMSC refuses, as UNDELIVERABLE over SMS", async (t) => {
    const unknown = "447700931006";
    const refused = "447700931007";
    for (const to of [unknown, refused])
      await rule(server, "/sandbox/rules", { pattern: to, behaviour: "not_whatsapp" });
    await rule(server, "/sandbox/sms/rules", { pattern: unknown, behaviour: "undeliverable" });
    await rule(server, "/sandbox/sms/rules", { pattern: refused, behaviour: "reject" });
    const a = await sendOne(server, welcome(unknown, { smsFailover: { from: "InfoSMS", text: "one" } }));
    const b = await sendOne(server, welcome(refused, { smsFailover: { from: "InfoSMS", text: "two" } }));

    const undeliverable = await outcome(hooks, a);
    assert.equal(undeliverable.channel, "SMS");
    assert.equal(undeliverable.status.name, "UNDELIVERABLE_NOT_DELIVERED");
    assert.equal(undeliverable.error.name, "EC_UNKNOWN_SUBSCRIBER");
    assert.equal(undeliverable.error.permanent, true);

    const rejected = await outcome(hooks, b);
    assert.equal(rejected.channel, "SMS");
    assert.equal(rejected.status.name, "UNDELIVERABLE_REJECTED_OPERATOR");
    assert.match(rejected.error.description, /ESME_RINVDSTADR/);
    assert.equal((await smsc(server, refused))[0]?.outcome, "rejected");
    await checkContract(t, "infobip", (c) => {
      for (const r of [undeliverable, rejected]) assert.deepEqual(c.webhook(DLR, { results: [r] }), []);
    });
  });

  it("rejects an invalid smsFailover with 400 naming the field, and stores nothing", async () => {
    const to = "447700931008";
    const cases: [Record<string, unknown>, string][] = [
      [{ from: "InfoSMS", text: "" }, "messages[1].smsFailover.text"],
      [{ from: "InfoSMS", text: "   " }, "messages[1].smsFailover.text"],
      [{ from: "not a sender!", text: "Hi" }, "messages[1].smsFailover.from"],
      [{ from: "12", text: "Hi" }, "messages[1].smsFailover.from"],
      [{ text: "Hi" }, "messages[1].smsFailover.from"],
    ];
    for (const [smsFailover, field] of cases) {
      const res = await send(server, [welcome(to, { messageId: "ok-one" }), welcome(to, { smsFailover })]);
      assert.equal(res.status, 400, JSON.stringify(smsFailover));
      const errors = res.body.requestError.serviceException.validationErrors;
      assert.ok(errors[field], `${JSON.stringify(smsFailover)} → ${JSON.stringify(errors)}`);
    }
    assert.deepEqual((await server.call("GET", `/sandbox/phones/${to}/messages`)).body.messages, []);
  });
});

describe("SMS failover over a real SMPP connection, across a crash", () => {
  const hooks = new WebhookReceiver();
  const external = new FakeSmsc();
  const dataDir = mkdtempSync(join(tmpdir(), "openbsp-sms-"));
  let child: ChildServer | undefined;
  let server: TestServer | undefined;

  before(async () => {
    await hooks.start();
    await external.start();
  });
  after(async () => {
    if (child) await stopChild(child.child);
    await server?.close();
    await external.stop();
    await hooks.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("binds to the configured SMSC, and an SMS in flight when the process dies is sent after the restart", async () => {
    external.answer = false; // the SMSC takes the SMS and never answers: the process dies meanwhile
    const env = { OPENBSP_DATA_DIR: dataDir, OPENBSP_DELIVERY_URL: `${hooks.url}/dlr` };
    child = await spawnOpenBsp({
      ...env,
      OPENBSP_SMPP_URL: external.url,
      OPENBSP_SMPP_SYSTEM_ID: "acme",
      OPENBSP_SMPP_PASSWORD: "s3cret",
    });
    const auth = { authorization: `App ${API_KEY}` };
    const to = "447700932001";
    const ruled = await request(
      child.url,
      "POST",
      "/sandbox/rules",
      { pattern: to, behaviour: "not_whatsapp" },
      auth,
    );
    assert.equal(ruled.status, 201);
    const sms = { from: "InfoSMS", text: "Sent before and after a crash" };
    const res = await request(
      child.url,
      "POST",
      "/whatsapp/1/message/template",
      { messages: [welcome(to, { smsFailover: sms })] },
      auth,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const id = res.body.messages[0].messageId as string;

    await eventually(() => external.submits.length > 0, 10_000, "the SMS at the external SMSC");
    assert.deepEqual(external.binds[0], { systemId: "acme", password: "s3cret" });
    assert.deepEqual(external.submits[0], { from: sms.from, to, text: sms.text });
    await stopChild(child.child, "SIGKILL");
    child = undefined;

    // Back up on the same data, with the built-in simulated SMSC.
    server = await startServer({ ...env, OPENBSP_SMPP_SYSTEM_ID: "acme", OPENBSP_SMPP_PASSWORD: "s3cret" });
    const dlr = await outcome(hooks, id, 10_000);
    assert.equal(dlr.channel, "SMS");
    assert.equal(dlr.status.groupName, "DELIVERED");
    const received = await smsc(server, to);
    assert.deepEqual(
      received.map((m) => [m.from, m.text]),
      [[sms.from, sms.text]],
    );
  });
});
