/**
 * Going live on Meta's Cloud API, end to end across processes with no mock in between: OpenBSP A
 * (the business's platform: Infobip face, Meta carrier) points its Graph base URL at OpenBSP B
 * (Meta's Cloud API face over the simulated network), and B's Meta webhook at A's intake. What the
 * business sends through A reaches B's simulated phone; B's signed statuses come back to A as
 * Infobip delivery and seen reports; the user's replies on B reach the business through A, the
 * photo downloadable from A.
 */
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type ChildServer, spawnOpenBsp, stopChild } from "./support/child-server.ts";
import { API_KEY, eventually, request, SENDER, welcome } from "./support/harness.ts";
import { MediaServer } from "./support/media-server.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const B_TOKEN = "meta-token-of-b-0001";
const APP_SECRET = "app-secret-0123456789";
const VERIFY_TOKEN = "verify-me-please";
const PHONE_NUMBER_ID = "100000000000003";
const WABA_ID = "100000000000001";
const INTAKE = "/openbsp/1/carriers/meta/webhook";
const JPEG = Buffer.concat([
  Buffer.from("ffd8ffe0", "hex"),
  Buffer.alloc(2500, 9),
  Buffer.from("ffd9", "hex"),
]);
const APP = { authorization: `App ${API_KEY}` };
/** A child's start on a loaded machine (the suite runs beside others) can take long. */
const START_MS = 120_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const sign = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A's environment: Infobip's receivers at `hooks`, Meta's Cloud API at `graph`. */
function envA(port: number, dataDir: string, hooks: WebhookReceiver, graph: string): Record<string, string> {
  return {
    OPENBSP_PORT: String(port),
    OPENBSP_DATA_DIR: dataDir,
    OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
    OPENBSP_INBOUND_URL: `${hooks.url}/inbound`,
    OPENBSP_META_CARRIER_URL: graph,
    OPENBSP_META_CARRIER_TOKEN: B_TOKEN,
    OPENBSP_META_CARRIER_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    OPENBSP_META_CARRIER_WABA_ID: WABA_ID,
    OPENBSP_META_CARRIER_APP_SECRET: APP_SECRET,
    OPENBSP_META_CARRIER_VERIFY_TOKEN: VERIFY_TOKEN,
    OPENBSP_MARK_AS_READ: "true",
  };
}

/** A Meta `messages` webhook with one user text, as Meta posts it. */
function inboundText(id: string, from: string, text: string): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA_ID,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: SENDER, phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: "Ada" }, wa_id: from }],
              messages: [
                {
                  from,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

describe("two OpenBSPs: A delivers through Meta's Cloud API, which B plays", () => {
  const hooks = new WebhookReceiver();
  const media = new MediaServer();
  const dirs = [mkdtempSync(join(tmpdir(), "openbsp-a-")), mkdtempSync(join(tmpdir(), "openbsp-b-"))];
  let a: ChildServer;
  let b: ChildServer;
  const user = "447700970001";

  before(async () => {
    await hooks.start();
    await media.start();
    const [portA, portB] = [await freePort(), await freePort()];
    a = await spawnOpenBsp(envA(portA, dirs[0] as string, hooks, `http://127.0.0.1:${portB}`), START_MS);
    b = await spawnOpenBsp(
      {
        OPENBSP_PORT: String(portB),
        OPENBSP_DATA_DIR: dirs[1] as string,
        OPENBSP_API_KEY: B_TOKEN,
        OPENBSP_META_WEBHOOK_URL: `${a.url}${INTAKE}`,
        OPENBSP_META_APP_SECRET: APP_SECRET,
        OPENBSP_META_VERIFY_TOKEN: VERIFY_TOKEN,
        OPENBSP_MEDIA_DOWNLOAD: "true",
      },
      START_MS,
    );
  });
  after(async () => {
    await Promise.all([a && stopChild(a.child), b && stopChild(b.child)]);
    await hooks.stop();
    await media.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const onPhone = (messageId: string) =>
    eventually(
      async () => {
        const phone = await request(b.url, "GET", `/sandbox/phones/${user}/messages`);
        return phone.body?.messages?.find((m: { content?: unknown; state: string }) =>
          JSON.stringify(m).includes(messageId) ? m : undefined,
        );
      },
      30_000,
      `${messageId} on B's phone`,
    );
  const reportsOf = (messageId: string) =>
    hooks.received
      .filter((r) => r.path === "/dlr")
      .flatMap((r) => r.body.results)
      .filter((x: { messageId: string }) => x.messageId === messageId);
  const delivered = (messageId: string) =>
    eventually(
      () =>
        reportsOf(messageId).find(
          (x: { status: { groupName: string } }) => x.status.groupName === "DELIVERED",
        ),
      30_000,
      `the delivery report of ${messageId}`,
    );
  const seen = (messageId: string) =>
    eventually(
      () => reportsOf(messageId).find((x: { seenAt?: string }) => x.seenAt !== undefined),
      30_000,
      `the seen report of ${messageId}`,
    );
  const inbound = (pred: (m: { message: Record<string, unknown>; messageId: string }) => boolean) =>
    eventually(
      () =>
        hooks.received
          .filter((r) => r.path === "/inbound")
          .flatMap((r) => r.body.results)
          .find(pred),
      30_000,
      "the inbound message at the business",
    );

  it("answers Meta's subscription handshake with the challenge, and refuses a wrong verify token", async () => {
    const ok = await fetch(
      `${a.url}${INTAKE}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "1158201444");
    const wrong = await fetch(`${a.url}${INTAKE}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    assert.equal(wrong.status, 403);
  });

  it("a template reaches B's phone through Meta's API; B's statuses come back as A's Infobip delivery and seen reports", async () => {
    const sent = await request(
      a.url,
      "POST",
      "/whatsapp/1/message/template",
      { messages: [welcome(user, { messageId: "tpl-1" }, ["Ada"])] },
      APP,
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const got = await onPhone("Ada");
    assert.equal(got.content.type, "template");
    assert.equal(got.content.templateName, "welcome");
    assert.deepEqual(got.content.bodyPlaceholders, ["Ada"]);
    assert.equal((await delivered("tpl-1")).status.name, "DELIVERED_TO_HANDSET");
    await seen("tpl-1");
  });

  it("the user's text and photo on B reach the business through A, the photo downloadable from A", async () => {
    const text = await request(b.url, "POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      contactName: "Ada",
      type: "text",
      text: { body: "Hello from the phone" },
    });
    assert.equal(text.status, 202, JSON.stringify(text.body));
    const photo = await request(b.url, "POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      contactName: "Ada",
      type: "image",
      image: { data: JPEG.toString("base64"), mime_type: "image/jpeg", caption: "My dent" },
    });
    assert.equal(photo.status, 202, JSON.stringify(photo.body));

    const t = await inbound((m) => m.message.type === "TEXT");
    assert.equal(t.message.text, "Hello from the phone");
    assert.equal((t as unknown as { from: string }).from, user);
    assert.equal((t as unknown as { contact: { name: string } }).contact.name, "Ada");
    const p = await inbound((m) => m.message.type === "IMAGE");
    assert.equal(p.message.caption, "My dent");
    const url = String(p.message.url);
    assert.ok(url.startsWith(a.url), `the photo is served by A: ${url}`);
    const download = await fetch(url, { headers: APP });
    assert.equal(download.status, 200);
    const bytes = Buffer.from(await download.arrayBuffer());
    assert.equal(
      createHash("sha256").update(bytes).digest("hex"),
      createHash("sha256").update(JPEG).digest("hex"),
    );
  });

  it("the business marking the user's text read through A shows it read on B's phone", async () => {
    const t = await inbound((m) => m.message.type === "TEXT" && m.message.text === "Hello from the phone");
    const read = await request(
      a.url,
      "POST",
      `/whatsapp/1/senders/${SENDER}/message/${t.messageId}/read`,
      undefined,
      APP,
    );
    assert.ok(read.status < 300, JSON.stringify(read.body));
    await eventually(
      async () => {
        const phone = await request(b.url, "GET", `/sandbox/phones/${user}/messages`);
        return phone.body?.sent?.find(
          (m: { messageId: string; readByBusinessAt?: string }) =>
            m.messageId === t.messageId && m.readByBusinessAt,
        );
      },
      30_000,
      "the read mark on B's phone",
    );
  });

  it("inside the window the user opened, a text and an image by link reach B's phone and report delivered", async () => {
    const link = media.put("/shop/dent-fixed.jpg", "image/jpeg", JPEG);
    const text = await request(
      a.url,
      "POST",
      "/whatsapp/1/message/text",
      { from: SENDER, to: user, messageId: "text-1", content: { text: "We will fix it, Ada" } },
      APP,
    );
    assert.equal(text.status, 200, JSON.stringify(text.body));
    const image = await request(
      a.url,
      "POST",
      "/whatsapp/1/message/image",
      { from: SENDER, to: user, messageId: "image-1", content: { mediaUrl: link, caption: "Fixed" } },
      APP,
    );
    assert.equal(image.status, 200, JSON.stringify(image.body));
    assert.equal((await onPhone("We will fix it, Ada")).content.type, "text");
    const img = await onPhone("dent-fixed.jpg");
    assert.equal(img.content.type, "image");
    assert.equal(img.content.caption, "Fixed");
    await delivered("text-1");
    await delivered("image-1");
    assert.ok(media.hits("/shop/dent-fixed.jpg") >= 1, "B's phone downloaded the image from its link");
  });

  it("a template registered through A's Infobip API is submitted to Meta (B), and follows Meta's review, not A's", async () => {
    const templates = `/whatsapp/2/senders/${SENDER}/templates`;
    const created = await request(
      a.url,
      "POST",
      templates,
      {
        name: "order_ready",
        language: "en",
        category: "UTILITY",
        structure: {
          body: { text: "Your order {{1}} is ready.", examples: ["42"] },
          buttons: [{ type: "QUICK_REPLY", text: "Thanks" }],
        },
      },
      APP,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, "PENDING");
    // At Meta (B) as A registered it, under A's Meta WABA.
    const atMeta = await eventually(
      async () => {
        const list = await request(
          b.url,
          "GET",
          `/v23.0/${WABA_ID}/message_templates?name=order_ready`,
          undefined,
          {
            authorization: `Bearer ${B_TOKEN}`,
          },
        );
        return list.body?.data?.find((t: { name: string }) => t.name === "order_ready");
      },
      30_000,
      "the template at Meta",
    );
    assert.deepEqual(
      atMeta.components.map((c: { type: string }) => c.type),
      ["BODY", "BUTTONS"],
    );
    // B's reviewer approves it; Meta's status webhook brings the verdict to A.
    const approved = await eventually(
      async () => {
        const t = await request(a.url, "GET", `${templates}/${created.body.id}`, undefined, APP);
        return t.body?.status === "APPROVED" && t.body;
      },
      30_000,
      "the template approved at A",
    );
    assert.equal(approved.name, "order_ready");
    const sent = await request(
      a.url,
      "POST",
      "/whatsapp/1/message/template",
      {
        messages: [
          {
            from: SENDER,
            to: user,
            messageId: "tpl-order-ready",
            content: {
              templateName: "order_ready",
              language: "en",
              templateData: {
                body: { placeholders: ["77"] },
                buttons: [{ type: "QUICK_REPLY", parameter: "THANKS" }],
              },
            },
          },
        ],
      },
      APP,
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await delivered("tpl-order-ready");
  });

  it("a failure B's network reports (131026) ends A's message failed with Meta's code and title", async () => {
    const failing = "447700970099";
    const rule = await request(b.url, "POST", "/sandbox/rules", {
      pattern: failing,
      behaviour: "fail",
      errorCode: 131026,
      errorTitle: "Message undeliverable",
    });
    assert.ok(rule.status < 300, JSON.stringify(rule.body));
    const sent = await request(
      a.url,
      "POST",
      "/whatsapp/1/message/template",
      { messages: [welcome(failing, { messageId: "tpl-fail" })] },
      APP,
    );
    assert.equal(sent.status, 200);
    const report = await eventually(
      () =>
        reportsOf("tpl-fail").find(
          (x: { status: { groupName: string } }) => x.status.groupName !== "PENDING",
        ),
      30_000,
      "the failure report",
    );
    assert.equal(report.status.groupName, "UNDELIVERABLE", JSON.stringify(report));
    // Infobip words it with its own error, keeping WhatsApp's code and title in the description.
    assert.match(report.error.description, /Message undeliverable.*131026/, JSON.stringify(report));
  });

  it("a POST without a valid signature is refused 401 and nothing of it is processed", async () => {
    const forged = inboundText("wamid.forged-1", user, "forged");
    const unsigned = await fetch(`${a.url}${INTAKE}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: forged,
    });
    assert.equal(unsigned.status, 401);
    const wrong = await fetch(`${a.url}${INTAKE}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-hub-signature-256": sign(forged, "another-secret-000"),
      },
      body: forged,
    });
    assert.equal(wrong.status, 401);
    // The signature covers the exact bytes: the same JSON re-spaced does not pass either.
    const respaced = JSON.stringify(JSON.parse(forged), null, 1);
    const altered = await fetch(`${a.url}${INTAKE}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(forged) },
      body: respaced,
    });
    assert.equal(altered.status, 401);
    const good = inboundText("wamid.signed-1", user, "signed and sound");
    const ok = await fetch(`${a.url}${INTAKE}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(good) },
      body: good,
    });
    assert.equal(ok.status, 200);
    // Posts are processed in order of arrival: once the good one is through, a kept forged one would be too.
    await inbound((m) => m.message.text === "signed and sound");
    assert.equal(
      hooks.received.filter((r) => r.path === "/inbound" && r.raw.includes("forged")).length,
      0,
      "nothing of the refused posts reached the business",
    );
  });

  it("Meta's repeat of a webhook reaches the business once", async () => {
    const body = inboundText("wamid.repeat-1", user, "said once");
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${a.url}${INTAKE}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
        body,
      });
      assert.equal(res.status, 200);
    }
    await inbound((m) => m.message.text === "said once");
    const marker = inboundText("wamid.repeat-marker", user, "after the repeats");
    await fetch(`${a.url}${INTAKE}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(marker) },
      body: marker,
    });
    await inbound((m) => m.message.text === "after the repeats");
    const copies = hooks.received.filter((r) => r.path === "/inbound" && r.raw.includes("said once"));
    assert.equal(copies.length, 1);
  });
});

describe("A killed between Meta's 200 and the processing loses nothing", () => {
  const hooks = new WebhookReceiver();
  const dir = mkdtempSync(join(tmpdir(), "openbsp-a-kill-"));
  after(async () => {
    await hooks.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a post answered 200 while processing was paused is processed after a crash and restart", async () => {
    await hooks.start();
    const port = await freePort();
    // Processing paused (OPENBSP_DISPATCH=false): the post is kept, answered, and not processed yet.
    const first = await spawnOpenBsp(
      {
        ...envA(port, dir, hooks, "http://127.0.0.1:9"),
        OPENBSP_DISPATCH: "false",
      },
      START_MS,
    );
    const body = inboundText("wamid.crash-1", "447700970077", "kept across a crash");
    try {
      const res = await fetch(`${first.url}${INTAKE}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
        body,
      });
      assert.equal(res.status, 200);
    } finally {
      await stopChild(first.child, "SIGKILL");
    }
    assert.equal(hooks.received.length, 0, "not processed before the crash");
    const second = await spawnOpenBsp(envA(port, dir, hooks, "http://127.0.0.1:9"), START_MS);
    try {
      const got = await eventually(
        () => hooks.received.find((r) => r.path === "/inbound" && r.raw.includes("kept across a crash")),
        30_000,
        "the kept post processed after the restart",
      );
      assert.equal(got.body.results[0].messageId, "wamid.crash-1");
    } finally {
      await stopChild(second.child);
    }
  });
});
