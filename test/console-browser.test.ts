/**
 * The web console end to end in real Chromium (Debian's, through playwright-core) against a real
 * OpenBSP and real webhook receivers: what a person does in the page, checked where a user or an
 * integration would notice it (the phone, the receivers, the APIs). Screenshots of each view go to
 * test-artifacts/console/ (not committed).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { type Browser, CHROMIUM, launchChromium } from "./support/browser.ts";
import { ensureConsoleBuilt } from "./support/console-build.ts";
import { API_KEY, eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/console/", import.meta.url));
const USER = "447700966001";
const FAILING = "447700966009";
// A 1x1 PNG: what the user sends from the phone.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`;

describe("the web console in Chromium", { skip }, () => {
  let server: TestServer;
  let hooks: WebhookReceiver;
  let browser: Browser;
  let page: Page;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const tab = async (name: string) => {
    await page.click(`nav a[href="#/${name}"]`);
    await page.waitForSelector(`nav a[href="#/${name}"][aria-current="page"]`);
  };
  const bubble = (text: string) => page.locator("article.bubble.in", { hasText: text });
  const inboundWith = (path: string, needle: string) =>
    eventually(
      () => hooks.received.find((r) => r.path === path && r.raw.includes(needle)),
      8000,
      `${needle} at ${path}`,
    );

  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    hooks = await new WebhookReceiver().start();
    server = await startServer({
      OPENBSP_TEMPLATE_REVIEW_MS: "600000",
      OPENBSP_SANDBOX_READ_DELAY_MS: "400",
      OPENBSP_DELIVERY_URL: `${hooks.url}/delivery`,
      OPENBSP_INBOUND_URL: `${hooks.url}/infobip`,
      OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta`,
      // A thousand messages to one number, for the log's scrolling: no pair rate limit.
      OPENBSP_PAIR_RATE_BURST: "0",
    });
    // A template with quick replies, approved by the reviewer, for the phone to tap.
    const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
      name: "visit_reminder",
      language: "en",
      category: "UTILITY",
      structure: {
        body: { text: "Hi {{1}}, see you tomorrow at ten.", examples: ["Ann"] },
        footer: { text: "Reply to confirm" },
        buttons: [
          { type: "QUICK_REPLY", text: "Confirm" },
          { type: "QUICK_REPLY", text: "Reschedule" },
        ],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await server.call("POST", `/sandbox/templates/${created.body.id}/review`, { status: "APPROVED" });
    browser = await launchChromium();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await hooks?.stop();
  });

  it("a template sent through the Infobip API appears in the phone, placeholder filled, ticks moving to read", async () => {
    const sent = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: USER,
          messageId: "console-visit",
          content: {
            templateName: "visit_reminder",
            language: "en",
            templateData: {
              body: { placeholders: ["Zoe"] },
              buttons: [
                { type: "QUICK_REPLY", parameter: "visit-confirm" },
                { type: "QUICK_REPLY", parameter: "visit-reschedule" },
              ],
            },
          },
        },
      ],
    });
    assert.equal(sent.status, 200);
    await page.goto(`${server.url}/console/#key=${API_KEY}`);
    await page.getByRole("button", { name: new RegExp(`\\+${USER}`) }).click();
    const msg = bubble("Hi Zoe, see you tomorrow at ten.");
    await msg.waitFor();
    assert.equal(await msg.locator(".footer").textContent(), "Reply to confirm");
    await msg.locator('.ticks[data-state="read"]').waitFor({ timeout: 8000 });
    await shot("phones-template");
  });

  it("tapping the template's quick reply makes the inbound webhook arrive at the receiver", async () => {
    await bubble("Hi Zoe")
      .getByRole("button", { name: /Confirm/ })
      .click();
    const hook = await inboundWith("/infobip", "visit-confirm");
    assert.match(hook.raw, new RegExp(USER));
    assert.match(hook.raw, /Confirm/);
    // The tap shows in the chat as the user's message.
    await page.locator("article.bubble.out", { hasText: "Confirm" }).waitFor();
  });

  it("a list pick from the phone reaches the receiver as the row chosen", async () => {
    // The user writes first (through the composer), which opens the window for the list.
    await page.getByLabel("Message", { exact: true }).fill("Can I pick a slot?");
    await page.keyboard.press("Enter");
    await inboundWith("/infobip", "Can I pick a slot?");
    const list = await server.call("POST", "/whatsapp/1/message/interactive/list", {
      from: SENDER,
      to: USER,
      content: {
        body: { text: "Pick a slot" },
        action: {
          title: "Slots",
          sections: [
            {
              title: "Tomorrow",
              rows: [
                { id: "slot-am", title: "Morning" },
                { id: "slot-pm", title: "Afternoon" },
              ],
            },
          ],
        },
      },
    });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const msg = bubble("Pick a slot");
    await msg.getByRole("button", { name: /Slots/ }).click();
    await msg.getByLabel("Afternoon").check();
    await shot("phones-list");
    await msg.getByRole("button", { name: "Send" }).click();
    const hook = await inboundWith("/infobip", "slot-pm");
    assert.match(hook.raw, /Afternoon/);
  });

  it("a photo sent from the phone reaches the Meta receiver, and its bytes download", async () => {
    await page
      .getByLabel("Send a photo or file")
      .setInputFiles({ name: "dent.png", mimeType: "image/png", buffer: PNG });
    const hook = await eventually(
      () =>
        hooks.received.find(
          (r) =>
            r.path === "/meta" && r.body?.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.type === "image",
        ),
      8000,
      "the image at the Meta receiver",
    );
    const id = hook.body.entry[0].changes[0].value.messages[0].image.id as string;
    const bearer = { authorization: `Bearer ${API_KEY}` };
    const info = (await (await fetch(`${server.url}/v23.0/${id}`, { headers: bearer })).json()) as {
      url: string;
    };
    const bytes = Buffer.from(await (await fetch(info.url, { headers: bearer })).arrayBuffer());
    assert.deepEqual(bytes, PNG);
    // The phone shows the photo it sent.
    await page.locator("article.bubble.out img").last().waitFor();
  });

  it("a template approved from the console becomes sendable", async () => {
    const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
      name: "console_approved",
      language: "en",
      category: "UTILITY",
      structure: { body: { text: "Your code {{1}} works.", examples: ["A1"] } },
    });
    assert.equal(created.body.status, "PENDING");
    const send = () =>
      server.call("POST", "/whatsapp/1/message/template", {
        messages: [
          {
            from: SENDER,
            to: USER,
            content: {
              templateName: "console_approved",
              language: "en",
              templateData: { body: { placeholders: ["B2"] } },
            },
          },
        ],
      });
    const before = await send();
    const refused = before.status !== 200 || before.body.messages?.[0]?.status?.groupName === "REJECTED";
    assert.ok(refused, `a PENDING template is not sendable: ${JSON.stringify(before.body)}`);
    await tab("templates");
    const card = page.locator('li.template[data-template="console_approved"]');
    await card.getByRole("button", { name: "Approve" }).click();
    await page.locator('li.template[data-template="console_approved"] .tag.APPROVED').waitFor();
    await shot("templates");
    const after = await send();
    assert.equal(after.status, 200, JSON.stringify(after.body));
    assert.equal(after.body.messages[0].status.groupName, "PENDING");
  });

  it("the message log shows a failed message's WhatsApp error and its webhook attempts (replayable)", async () => {
    await server.call("POST", "/sandbox/rules", { pattern: FAILING, behaviour: "fail", errorCode: 131026 });
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: FAILING,
          messageId: "console-failed",
          content: {
            templateName: "visit_reminder",
            language: "en",
            templateData: {
              body: { placeholders: ["Al"] },
              buttons: [
                { type: "QUICK_REPLY", parameter: "a" },
                { type: "QUICK_REPLY", parameter: "b" },
              ],
            },
          },
        },
      ],
    });
    await inboundWith("/delivery", "console-failed");
    await tab("messages");
    await page.locator('button.log-row[data-message-id="console-failed"]').click();
    const detail = page.getByRole("complementary", { name: "Message console-failed" });
    await detail.getByText(/WhatsApp error 131026/).waitFor();
    // The delivery log with the account's key alone: this server has no admin key at all.
    const reportsOf = () =>
      hooks.received.filter((r) => r.path === "/delivery" && r.raw.includes("console-failed"));
    const attempt = detail.locator(".attempt").first();
    await attempt.waitFor();
    const eventId = (await attempt.getAttribute("data-event-id")) as string;
    assert.ok(
      reportsOf().some((r) => r.headers["webhook-id"] === eventId),
      "the attempt shown is the report the receiver got",
    );
    const before = reportsOf().length;
    await attempt.getByRole("button", { name: "Replay" }).click();
    await detail
      .getByRole("status")
      .filter({ hasText: `Replayed ${eventId}` })
      .waitFor();
    const replayed = await eventually(() => reportsOf().slice(before)[0], 8000, "the replayed report");
    assert.equal(replayed.headers["webhook-id"], eventId, "replayed under the same event id");
    assert.equal(await detail.getByText(/delivery log not available/).count(), 0);
    await shot("messages");
  });

  it("the message log keeps only the rows in view in the page while it scrolls through a thousand", async () => {
    const BULK = "447700966500";
    for (let batch = 0; batch < 10; batch++) {
      const messages = Array.from({ length: 100 }, (_, i) => ({
        from: SENDER,
        to: BULK,
        messageId: `bulk-${batch * 100 + i}`,
        content: {
          templateName: "visit_reminder",
          language: "en",
          templateData: {
            body: { placeholders: ["Bo"] },
            buttons: [
              { type: "QUICK_REPLY", parameter: "a" },
              { type: "QUICK_REPLY", parameter: "b" },
            ],
          },
        },
      }));
      assert.equal((await server.call("POST", "/whatsapp/1/message/template", { messages })).status, 200);
    }
    await tab("messages");
    await page.getByLabel("Recipient").fill(BULK);
    await page.getByLabel("Recipient").press("Enter");
    await page.locator("output.count", { hasText: /1,?000 messages/ }).waitFor();
    const rendered = () => page.locator(".log-rows > li").count();
    assert.ok((await rendered()) < 80, `only the rows in view are in the page (${await rendered()})`);
    const oldest = page.locator('button.log-row[data-message-id="bulk-0"]');
    await eventually(
      async () => {
        await page.locator("section.log").evaluate((el) => {
          el.scrollTop = el.scrollHeight;
        });
        return (await oldest.count()) > 0;
      },
      15_000,
      "the oldest row after scrolling to the end",
    );
    assert.ok((await rendered()) < 80, `still only the rows in view (${await rendered()})`);
    await page.getByLabel("Recipient").fill("");
    await page.getByLabel("Recipient").press("Enter");
  });

  it("the clock moved from the console closes the customer-service window", async () => {
    const text = (messageId: string) =>
      server.call("POST", "/whatsapp/1/message/text", {
        from: SENDER,
        to: USER,
        messageId,
        content: { text: "Still there?" },
      });
    const statusOf = async (id: string) =>
      (await server.call("GET", `/openbsp/1/messages/${id}`)).body.message;
    assert.equal((await text("window-open")).status, 200);
    await eventually(
      async () => ["delivered", "seen"].includes((await statusOf("window-open")).status),
      8000,
      "delivery",
    );
    await tab("sandbox");
    await page.getByRole("button", { name: /\+24 h/ }).click();
    await page.getByText(/24 h ahead/).waitFor();
    await shot("sandbox");
    assert.equal((await text("window-closed")).status, 200);
    const closed = await eventually(
      async () => {
        const m = await statusOf("window-closed");
        return m.status === "failed" && m;
      },
      8000,
      "the failure outside the window",
    );
    assert.equal(closed.error.code, 131047);
    await tab("overview");
    await page.getByRole("img", { name: "Messages per minute by status" }).locator("canvas").waitFor();
    await shot("overview");
  });
});
