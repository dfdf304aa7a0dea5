import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SEED } from "../src/app/seed.ts";
import {
  dispatchedSoFar,
  eventually,
  outboxDrained,
  SENDER,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const INFOBIP_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
const TEMPLATES = `/whatsapp/2/senders/${SENDER}/templates`;

/** `2026-01-01T10:00:00.000+0000` → epoch ms. */
const infobipMs = (date: string) => Date.parse(date.replace(/\+0000$/, "Z"));

function text(to: string, body: string, extra: Record<string, unknown> = {}) {
  return { from: SENDER, to, content: { text: body }, ...extra };
}

async function sendText(server: TestServer, to: string, body: string): Promise<string> {
  const res = await server.call("POST", "/whatsapp/1/message/text", text(to, body));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status.groupName, "PENDING");
  return res.body.messageId;
}

async function sendWelcome(server: TestServer, to: string): Promise<string> {
  const res = await server.call("POST", "/whatsapp/1/message/template", { messages: [welcome(to)] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.messages[0].messageId;
}

/** The user `from` writes `text` to the business sender. */
async function userWrites(
  server: TestServer,
  from: string,
  body: string,
  extra: Record<string, unknown> = {},
) {
  const res = await server.call("POST", `/sandbox/phones/${from}/messages`, {
    to: SENDER,
    text: body,
    ...extra,
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.messageId as string;
}

async function phone(server: TestServer, number: string) {
  const res = await server.call("GET", `/sandbox/phones/${number}/messages`);
  assert.equal(res.status, 200);
  return res.body.messages as {
    messageId: string;
    from: string;
    content: Record<string, unknown>;
    state: string;
  }[];
}

async function rule(server: TestServer, body: Record<string, unknown>) {
  const res = await server.call("POST", "/sandbox/rules", body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function advance(server: TestServer, ms: number) {
  const res = await server.call("POST", "/sandbox/clock/advance", { ms });
  assert.equal(res.status, 200);
}

/** How many times the dispatcher has offered `messageId` to the network. */
async function attempts(server: TestServer, messageId: string): Promise<number> {
  return (await server.ctx.storage.messages.get(SEED.accountId, messageId))?.attempts ?? 0;
}

/** The delivery report (not the seen report) for `messageId`, once its outcome is decided. */
function outcome(hooks: WebhookReceiver, path: string, messageId: string, ms = 5000) {
  return hooks.waitForResult(
    path,
    (r) => r.messageId === messageId && "status" in r && r.status.groupName !== "PENDING",
    ms,
  );
}

function reportsFor(hooks: WebhookReceiver, path: string, messageId: string) {
  return hooks.results(path).filter((r) => r.messageId === messageId);
}

describe("the 24-hour window and inbound messages", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_INBOUND_URL: `${hooks.url}/in`,
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("accepts a text to a user who never wrote, then reports it UNDELIVERABLE with EC_NO_SESSION", async () => {
    const res = await server.call(
      "POST",
      "/whatsapp/1/message/text",
      text("447700920001", "Hi there!", { callbackData: "cb-1" }),
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.to, "447700920001");
    assert.equal(res.body.messageCount, 1);
    assert.deepEqual(res.body.status, {
      groupId: 1,
      groupName: "PENDING",
      id: 7,
      name: "PENDING_ENROUTE",
      description: "Message sent to next instance",
    });

    const dlr = await outcome(hooks, "/dlr", res.body.messageId);
    assert.equal(dlr.status.groupName, "UNDELIVERABLE");
    assert.equal(dlr.status.groupId, 2);
    assert.equal(dlr.error.name, "EC_NO_SESSION");
    assert.equal(dlr.error.id, 7010);
    assert.equal(dlr.error.permanent, true);
    assert.equal(dlr.to, "447700920001");
    assert.equal(dlr.callbackData, "cb-1");
    assert.match(dlr.doneAt, INFOBIP_DATE);

    // The dispatcher decided the failure instead of sending (the report above); its reports are out.
    await outboxDrained(server);
    assert.deepEqual(await phone(server, "447700920001"), [], "the phone received nothing");
    assert.equal(reportsFor(hooks, "/dlr", res.body.messageId).length, 1, "one report, no seen report");
  });

  it("forwards what the user writes to the inbound URL, which opens the window for texts", async () => {
    const user = "447700920002";
    const inboundId = await userWrites(server, user, "Hello, is my order ready?", { contactName: "Frank" });
    assert.ok(inboundId.length > 0);

    const hook = await hooks.waitForResult("/in", (r) => r.messageId === inboundId);
    assert.equal(hook.from, user);
    assert.equal(hook.to, SENDER);
    assert.equal(hook.integrationType, "WHATSAPP");
    assert.match(hook.receivedAt, INFOBIP_DATE);
    assert.ok(Math.abs(infobipMs(hook.receivedAt) - Date.now()) < 60_000, "receivedAt is now");
    assert.deepEqual(hook.message, { type: "TEXT", text: "Hello, is my order ready?" });
    assert.equal(hook.contact?.name, "Frank");
    const envelope = hooks.on("/in").find((r) => r.body.results?.[0]?.messageId === inboundId);
    assert.equal(envelope?.body.messageCount, 1);
    assert.equal(envelope?.body.pendingMessageCount, 0);
    assert.equal(
      hooks.results("/dlr").filter((r) => r.messageId === inboundId).length,
      0,
      "inbound does not go to the delivery URL",
    );

    const reply = "Yes, Frank: order 42 is ready for pickup.";
    const id = await sendText(server, user, reply);
    const dlr = await outcome(hooks, "/dlr", id);
    assert.equal(dlr.status.groupName, "DELIVERED");
    assert.equal(dlr.status.name, "DELIVERED_TO_HANDSET");
    assert.equal(dlr.error.name, "NO_ERROR");

    const received = await phone(server, user);
    assert.equal(received.length, 1);
    assert.equal(received[0]?.messageId, id);
    assert.equal(received[0]?.from, SENDER);
    assert.equal(received[0]?.content.text, reply, "the exact text");
  });

  it("opens the window only for the user who wrote", async () => {
    await userWrites(server, "447700920003", "Hi");
    const id = await sendText(server, "447700920004", "Hello stranger");
    const dlr = await outcome(hooks, "/dlr", id);
    assert.equal(dlr.error.name, "EC_NO_SESSION");
  });

  it("refuses to move the clock backwards or absurdly far, with a 400, and keeps time sane", async () => {
    const before = (await server.call("GET", "/sandbox/clock")).body.offsetMs;
    for (const ms of [-1, 1e30, 0.5]) {
      const res = await server.call("POST", "/sandbox/clock/advance", { ms });
      assert.equal(res.status, 400, `ms ${ms}`);
    }
    assert.equal((await server.call("GET", "/sandbox/clock")).body.offsetMs, before);
  });

  it("answers 404 when the user writes to a number that is not a business sender", async () => {
    const res = await server.call("POST", "/sandbox/phones/447700920005/messages", {
      to: "15550009999",
      text: "Hi",
    });
    assert.equal(res.status, 404);
  });
});

describe("the window closes 24 hours after the user's last message", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_INBOUND_URL: `${hooks.url}/in`,
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("delivers texts just before 24 h, fails them with EC_NO_SESSION after, while templates still deliver", async () => {
    const user = "447700921001";
    await userWrites(server, user, "Hi, I have a question");

    await advance(server, 24 * 60 * MINUTE_MS - 2 * MINUTE_MS);
    const before = await sendText(server, user, "Still within the window");
    assert.equal((await outcome(hooks, "/dlr", before)).status.groupName, "DELIVERED", "open at 23 h 58 min");

    await advance(server, 3 * MINUTE_MS); // 24 h + 1 min after the user's message
    const late = await sendText(server, user, "Too late now");
    const failed = await outcome(hooks, "/dlr", late);
    assert.equal(failed.status.groupName, "UNDELIVERABLE");
    assert.equal(failed.error.name, "EC_NO_SESSION");
    assert.equal(failed.error.id, 7010);

    const template = await sendWelcome(server, user);
    const delivered = await outcome(hooks, "/dlr", template);
    assert.equal(delivered.status.groupName, "DELIVERED", "templates need no window");
    assert.equal(delivered.error.name, "NO_ERROR");

    const texts = (await phone(server, user)).map((m) => m.content.text ?? m.content.templateName);
    assert.deepEqual(texts, ["Still within the window", "welcome"], "the late text never reached the phone");

    await userWrites(server, user, "Back again");
    const reopened = await sendText(server, user, "Welcome back");
    assert.equal(
      (await outcome(hooks, "/dlr", reopened)).status.groupName,
      "DELIVERED",
      "a new message reopens the window",
    );
  });
});

/** Registers an AUTHENTICATION template and returns the answer. */
function registerAuth(server: TestServer, name: string, structure: Record<string, unknown>) {
  return server.call("POST", TEMPLATES, { name, language: "en", category: "AUTHENTICATION", structure });
}

/** A send body for an authentication template: the code fills the body and the OTP button. */
function otp(to: string, templateName: string, code: string) {
  return {
    from: SENDER,
    to,
    content: {
      templateName,
      language: "en",
      templateData: { body: { placeholders: [code] }, buttons: [{ type: "URL", parameter: code }] },
    },
  };
}

describe("time-to-live while the phone is offline", () => {
  const hooks = new WebhookReceiver();
  before(async () => {
    await hooks.start();
  });
  after(async () => {
    await hooks.stop();
  });

  /**
   * The TTL scenario: an AUTHENTICATION and a UTILITY template to an offline phone. `auth` is the
   * name of an APPROVED authentication template with one body placeholder and an OTP button.
   */
  async function ttlScenario(server: TestServer, path: string, auth: string, offline: string) {
    await rule(server, { pattern: offline, behaviour: "offline" });
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [otp(offline, auth, "123456"), welcome(offline)],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [authId, utilityId] = res.body.messages.map((m: { messageId: string }) => m.messageId) as [
      string,
      string,
    ];

    // The dispatcher has offered both to the offline phone twice, and what that queued is out.
    await eventually(
      async () => (await attempts(server, authId)) >= 2 && (await attempts(server, utilityId)) >= 2,
      5000,
      "two attempts at the offline phone",
    );
    await outboxDrained(server);
    assert.deepEqual(reportsFor(hooks, path, authId), [], "no report while offline");
    assert.deepEqual(reportsFor(hooks, path, utilityId), [], "no report while offline");
    assert.deepEqual(await phone(server, offline), []);

    await advance(server, 11 * MINUTE_MS);
    const expired = await outcome(hooks, path, authId);
    assert.deepEqual(expired.status, {
      groupId: 4,
      groupName: "EXPIRED",
      id: 15,
      name: "EXPIRED_EXPIRED",
      description: "Message expired",
    });
    // The round that expired the AUTHENTICATION template looked at the UTILITY one at the same
    // time: had it expired too, its report was queued with the first and is out by now.
    await outboxDrained(server);
    assert.deepEqual(reportsFor(hooks, path, utilityId), [], "a UTILITY template lives 30 days");
    assert.equal((await server.ctx.storage.messages.get(SEED.accountId, utilityId))?.status, "accepted");

    await advance(server, 31 * DAY_MS);
    const late = await outcome(hooks, path, utilityId);
    assert.equal(late.status.groupName, "EXPIRED");

    const removed = await server.call("DELETE", `/sandbox/rules/rule-${offline}`);
    assert.equal(removed.status, 204);
    // The phone is back: a new message reaches it, and the expired ones would have gone first.
    const marker = await dispatchedSoFar(server, offline);
    await outboxDrained(server);
    assert.deepEqual(
      (await phone(server, offline)).map((m) => m.messageId),
      [marker],
      "an expired message is never delivered",
    );
    assert.equal(reportsFor(hooks, path, authId).length, 1);
    assert.equal(reportsFor(hooks, path, utilityId).length, 1);
  }

  it("an AUTHENTICATION template registered the Infobip way expires after 10 minutes, a UTILITY one after 30 days", async () => {
    const server = await startServer({
      OPENBSP_BUSINESS_VERIFIED: "true",
      OPENBSP_DELIVERY_URL: `${hooks.url}/ttl-a`,
    });
    try {
      const created = await registerAuth(server, "login_code", {
        body: { addSecurityRecommendation: true },
        buttons: [{ otpType: "COPY_CODE" }],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(
        created.body.status,
        "APPROVED",
        `a verified account's authentication template is usable: ${JSON.stringify(created.body)}`,
      );
      await ttlScenario(server, "/ttl-a", "login_code", "447700923001");
    } finally {
      await server.close();
    }
  });

  it("the same TTLs with an authentication template whose body text the reviewer accepts", async () => {
    // Registered with an explicit body text, so this checks the TTL rules apart from how the
    // reviewer treats WhatsApp's fixed authentication wording (see the test above).
    const server = await startServer({
      OPENBSP_BUSINESS_VERIFIED: "true",
      OPENBSP_DELIVERY_URL: `${hooks.url}/ttl-b`,
    });
    try {
      const created = await registerAuth(server, "sign_in_code", {
        body: { text: "Use code {{1}} to sign in.", examples: ["123456"] },
        buttons: [{ otpType: "COPY_CODE" }],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.status, "APPROVED");
      await ttlScenario(server, "/ttl-b", "sign_in_code", "447700923002");
    } finally {
      await server.close();
    }
  });
});

describe("network rules of the simulated WhatsApp network", () => {
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

  it("not_whatsapp: UNDELIVERABLE with EC_UNKNOWN_USER, and the phone gets nothing", async () => {
    await rule(server, { pattern: "447700924001", behaviour: "not_whatsapp" });
    const id = await sendWelcome(server, "447700924001");
    const dlr = await outcome(hooks, "/dlr", id);
    assert.equal(dlr.status.groupName, "UNDELIVERABLE");
    assert.equal(dlr.error.name, "EC_UNKNOWN_USER");
    assert.equal(dlr.error.id, 7002);
    assert.equal(dlr.error.permanent, true);
    assert.deepEqual(await phone(server, "447700924001"), []);
  });

  it("fail: UNDELIVERABLE with the WhatsApp error mapped to Infobip's", async () => {
    await rule(server, {
      pattern: "447700924002",
      behaviour: "fail",
      errorCode: 131048,
      errorTitle: "Spam rate limit hit",
    });
    const id = await sendWelcome(server, "447700924002");
    const dlr = await outcome(hooks, "/dlr", id);
    assert.equal(dlr.status.groupName, "UNDELIVERABLE");
    assert.equal(dlr.error.id, 7016);
    assert.equal(dlr.error.name, "EC_SPAM_RATE");
    assert.equal(dlr.error.groupId, 1);
    assert.match(dlr.error.description, /131048/);
    assert.deepEqual(await phone(server, "447700924002"), []);
  });

  it("deliverDelayMs holds delivery back", async () => {
    const user = "447700924003";
    await rule(server, { pattern: user, behaviour: "deliver", deliverDelayMs: 1000 });
    const started = Date.now();
    const id = await sendWelcome(server, user);
    await eventually(
      async () => (await phone(server, user)).length > 0,
      5000,
      "the message on its way to the phone",
    );
    assert.deepEqual(reportsFor(hooks, "/dlr", id), [], "not delivered yet");
    const inbox = await phone(server, user);
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0]?.state, "in_transit");

    const dlr = await outcome(hooks, "/dlr", id);
    assert.equal(dlr.status.groupName, "DELIVERED");
    assert.ok(Date.now() - started >= 1000, "delivered after the delay");
    assert.ok(
      infobipMs(dlr.doneAt) - infobipMs(dlr.sentAt) >= 1000,
      `doneAt ${dlr.doneAt} is 1 s after sentAt ${dlr.sentAt}`,
    );
  });

  it("readDelayMs null: delivered but never seen, while a default phone reads", async () => {
    await rule(server, { pattern: "447700924004", behaviour: "deliver", readDelayMs: null });
    const unread = await sendWelcome(server, "447700924004");
    const read = await sendWelcome(server, "447700924014");
    assert.equal((await outcome(hooks, "/dlr", unread)).status.groupName, "DELIVERED");
    await hooks.waitForResult("/dlr", (r) => r.messageId === read && "seenAt" in r);
    // Sent before `read`, so it would have been read in the same round or earlier; that report is out.
    await outboxDrained(server);
    assert.equal(reportsFor(hooks, "/dlr", unread).filter((r) => "seenAt" in r).length, 0, "no seen report");
    assert.equal((await phone(server, "447700924004"))[0]?.state, "delivered");
    assert.equal((await phone(server, "447700924014"))[0]?.state, "read");
  });

  it("a wildcard pattern applies to matching numbers only, and a more specific rule wins", async () => {
    await rule(server, { id: "wild", pattern: "4477009002*", behaviour: "not_whatsapp" });
    await rule(server, { id: "exact", pattern: "447700900202", behaviour: "deliver" });
    const cases: [string, string][] = [
      ["447700900201", "UNDELIVERABLE"],
      ["4477009002", "UNDELIVERABLE"],
      ["44770090029999", "UNDELIVERABLE"],
      ["447700900202", "DELIVERED"],
      ["447700900301", "DELIVERED"],
      ["447700900020", "DELIVERED"],
    ];
    for (const [to, group] of cases) {
      const dlr = await outcome(hooks, "/dlr", await sendWelcome(server, to));
      assert.equal(dlr.status.groupName, group, to);
      if (group === "UNDELIVERABLE") assert.equal(dlr.error.name, "EC_UNKNOWN_USER", to);
    }
    assert.equal((await server.call("DELETE", "/sandbox/rules/wild")).status, 204);
    assert.equal((await server.call("DELETE", "/sandbox/rules/exact")).status, 204);
  });

  it("DELETE /sandbox/rules/{id} restores the default behaviour", async () => {
    const user = "447700924005";
    const created = await rule(server, { id: "block-5", pattern: user, behaviour: "not_whatsapp" });
    assert.equal(created.id, "block-5");
    const listed = await server.call("GET", "/sandbox/rules");
    assert.ok(listed.body.rules.some((r: { id: string }) => r.id === "block-5"));
    assert.equal(
      (await outcome(hooks, "/dlr", await sendWelcome(server, user))).status.groupName,
      "UNDELIVERABLE",
    );

    const removed = await server.call("DELETE", "/sandbox/rules/block-5");
    assert.equal(removed.status, 204);
    const remaining = await server.call("GET", "/sandbox/rules");
    assert.ok(!remaining.body.rules.some((r: { id: string }) => r.id === "block-5"));
    const id = await sendWelcome(server, user);
    assert.equal((await outcome(hooks, "/dlr", id)).status.groupName, "DELIVERED");
    assert.deepEqual(
      (await phone(server, user)).map((m) => m.messageId),
      [id],
    );

    assert.equal((await server.call("DELETE", "/sandbox/rules/block-5")).status, 404, "already gone");
  });

  it("gives the same outcome for the same inputs", async () => {
    await rule(server, {
      pattern: "44770092500*",
      behaviour: "fail",
      errorCode: 132001,
      errorTitle: "Template does not exist",
    });
    const [a, b] = [await sendWelcome(server, "447700925001"), await sendWelcome(server, "447700925002")];
    const [da, db] = [await outcome(hooks, "/dlr", a), await outcome(hooks, "/dlr", b)];
    assert.equal(da.status.groupName, "UNDELIVERABLE");
    assert.deepEqual(da.status, db.status);
    assert.deepEqual(da.error, db.error);
    assert.equal(da.error.name, "EC_TEMPLATE_NOT_AVAILABLE");

    const [c, d] = [await sendWelcome(server, "447700925101"), await sendWelcome(server, "447700925102")];
    const [dc, dd] = [await outcome(hooks, "/dlr", c), await outcome(hooks, "/dlr", d)];
    assert.equal(dc.status.groupName, "DELIVERED");
    assert.deepEqual(dc.status, dd.status);
    assert.deepEqual(dc.error, dd.error);
  });
});
