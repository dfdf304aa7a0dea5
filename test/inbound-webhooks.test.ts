/**
 * What the simulated user writes reaches the business in every dialect it listens in, end to end:
 * one account with Infobip's inbound URL, Meta's webhook and Sinch's bot callback all set gets each
 * inbound once per dialect, in that dialect's exact body (Infobip's and Meta's checked against
 * their OpenAPI documents), with the quoted message in each dialect's context.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract, META_WEBHOOK } from "./support/contracts.ts";
import { eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { PHONE_ID, WABA_ID } from "./support/meta.ts";
import { type Received, WebhookReceiver } from "./support/webhook-receiver.ts";

const BOT = "inboundbot";

describe("inbound messages in every dialect", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700931001";

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_INBOUND_URL: `${hooks.url}/infobip`,
      OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta`,
      OPENBSP_SINCH_CALLBACK_URL: `${hooks.url}/sinch`,
      OPENBSP_SINCH_BOT_ID: BOT,
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  /** The one POST each dialect's receiver got for inbound `id`. */
  async function postsFor(id: string): Promise<{ infobip: Received; meta: Received; sinch: Received }> {
    const one = (path: string, has: (b: Received["body"]) => boolean): Promise<Received[]> =>
      eventually(
        () => {
          const got = hooks.on(path).filter((r) => has(r.body));
          return got.length > 0 ? got : undefined;
        },
        5000,
        `the inbound ${id} on ${path}`,
      );
    const [infobip, meta, sinch] = await Promise.all([
      one("/infobip", (b) => b.results?.[0]?.messageId === id),
      one("/meta", (b) => b.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id === id),
      one("/sinch", (b) => b.notifications?.[0]?.message_id === id),
    ]);
    for (const got of [infobip, meta, sinch]) assert.equal(got.length, 1, "one POST per dialect");
    return { infobip: infobip[0] as Received, meta: meta[0] as Received, sinch: sinch[0] as Received };
  }

  /** Each dialect's body for an inbound received at `ms`, `message`s by dialect, `quote`d or not. */
  function expected(
    id: string,
    ms: number,
    m: { infobip: object; meta: object; sinch: object },
    profile: boolean,
    quote?: { id: string; from: string },
    name = "Frank",
  ) {
    return {
      infobip: {
        results: [
          {
            from: user,
            to: SENDER,
            integrationType: "WHATSAPP",
            receivedAt: new Date(ms).toISOString().replace("Z", "+0000"),
            messageId: id,
            ...(quote && quote.from === SENDER ? { pairedMessageId: quote.id } : {}),
            message: { ...m.infobip, ...(quote ? { context: { from: quote.from, id: quote.id } } : {}) },
            price: { pricePerMessage: 0, currency: "EUR" },
            contact: { name, phoneNumber: user },
          },
        ],
        messageCount: 1,
        pendingMessageCount: 0,
      },
      meta: {
        object: "whatsapp_business_account",
        entry: [
          {
            id: WABA_ID,
            changes: [
              {
                field: "messages",
                value: {
                  messaging_product: "whatsapp",
                  metadata: { display_phone_number: SENDER, phone_number_id: PHONE_ID },
                  contacts: [{ profile: { name }, wa_id: user }],
                  messages: [
                    {
                      ...(quote ? { context: { from: quote.from, id: quote.id } } : {}),
                      from: user,
                      id,
                      timestamp: String(Math.floor(ms / 1000)),
                      ...m.meta,
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
      sinch: {
        type: "whatsapp",
        ...(profile ? { contacts: [{ profile: { name }, wa_id: user }] } : {}),
        notifications: [
          {
            from: user,
            to: BOT,
            message_id: id,
            message: m.sinch,
            timestamp: new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"),
            ...(quote ? { replying_to: { from: quote.from, message_id: quote.id } } : {}),
          },
        ],
      },
    };
  }

  const receivedAt = (p: Received) => Date.parse(p.body.results[0].receivedAt.replace("+0000", "Z"));

  it("a text, then a text quoting the business's message, in each dialect's words", async (t) => {
    const first = await server.call("POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      text: "Hello, shop!",
      contactName: "Frank",
    });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const posts = await postsFor(first.body.messageId);
    const text = {
      infobip: { type: "TEXT", text: "Hello, shop!" },
      meta: { type: "text", text: { body: "Hello, shop!" } },
      sinch: { type: "text", body: "Hello, shop!" },
    };
    const want = expected(first.body.messageId, receivedAt(posts.infobip), text, true);
    assert.deepEqual(posts.infobip.body, want.infobip);
    assert.deepEqual(posts.meta.body, want.meta);
    assert.deepEqual(posts.sinch.body, want.sinch);

    const sent = await server.call("POST", "/whatsapp/1/message/text", {
      from: SENDER,
      to: user,
      messageId: "shop-answer-1",
      content: { text: "Hi Frank!" },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const quoting = await server.call("POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      text: "Thanks!",
      contactName: "Frank",
      replyToMessageId: "shop-answer-1",
    });
    assert.equal(quoting.status, 202, JSON.stringify(quoting.body));
    const quoted = await postsFor(quoting.body.messageId);
    const thanks = {
      infobip: { type: "TEXT", text: "Thanks!" },
      meta: { type: "text", text: { body: "Thanks!" } },
      sinch: { type: "text", body: "Thanks!" },
    };
    const wantQuoted = expected(quoting.body.messageId, receivedAt(quoted.infobip), thanks, true, {
      id: "shop-answer-1",
      from: SENDER,
    });
    assert.deepEqual(quoted.infobip.body, wantQuoted.infobip);
    assert.deepEqual(quoted.meta.body, wantQuoted.meta);
    assert.deepEqual(quoted.sinch.body, wantQuoted.sinch);

    await checkContract(t, "infobip", (c) => {
      for (const p of [posts, quoted])
        assert.deepEqual(c.webhook("receive-inbound-whatsapp-messages", p.infobip.body), []);
    });
    await checkContract(t, "meta", (c) => {
      for (const p of [posts, quoted]) assert.deepEqual(c.webhook(META_WEBHOOK, p.meta.body), []);
    });
  });

  it("a tap on a reply button and a list row, each quoting the interactive message", async (t) => {
    const opened = await server.call("POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      text: "Options?",
      contactName: "Frank",
    });
    assert.equal(opened.status, 202);
    const buttons = await server.call("POST", "/whatsapp/1/message/interactive/buttons", {
      from: SENDER,
      to: user,
      messageId: "shop-buttons-1",
      content: {
        body: { text: "Deliver today?" },
        action: {
          buttons: [
            { type: "REPLY", id: "yes", title: "Yes" },
            { type: "REPLY", id: "no", title: "No" },
          ],
        },
      },
    });
    assert.equal(buttons.status, 200, JSON.stringify(buttons.body));
    const list = await server.call("POST", "/whatsapp/1/message/interactive/list", {
      from: SENDER,
      to: user,
      messageId: "shop-list-1",
      content: {
        body: { text: "Pick a slot" },
        action: {
          title: "Slots",
          sections: [{ title: "Today", rows: [{ id: "pm", title: "Afternoon", description: "2-6 pm" }] }],
        },
      },
    });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const onPhone = (id: string) =>
      eventually(
        async () => {
          const m = (await server.call("GET", `/sandbox/phones/${user}/messages`)).body.messages.find(
            (x: { messageId: string }) => x.messageId === id,
          );
          return m && m.state !== "in_transit" && m;
        },
        5000,
        `${id} on the phone`,
      );
    await onPhone("shop-buttons-1");
    await onPhone("shop-list-1");

    const tap = await server.call("POST", `/sandbox/phones/${user}/replies`, {
      messageId: "shop-buttons-1",
      choiceId: "yes",
    });
    assert.equal(tap.status, 202, JSON.stringify(tap.body));
    const tapped = await postsFor(tap.body.messageId);
    const reply = {
      infobip: { type: "INTERACTIVE_BUTTON_REPLY", id: "yes", title: "Yes" },
      meta: {
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } },
      },
      sinch: { type: "interactive", message: { type: "button", id: "yes", title: "Yes" } },
    };
    // The sandbox's taps carry no profile name (only a user's text sets contactName).
    const wantTap = expected(
      tap.body.messageId,
      receivedAt(tapped.infobip),
      reply,
      false,
      { id: "shop-buttons-1", from: SENDER },
      "",
    );
    assert.deepEqual(tapped.infobip.body, wantTap.infobip);
    assert.deepEqual(tapped.meta.body, wantTap.meta);
    assert.deepEqual(tapped.sinch.body, wantTap.sinch);

    const pick = await server.call("POST", `/sandbox/phones/${user}/replies`, {
      messageId: "shop-list-1",
      choiceId: "pm",
    });
    assert.equal(pick.status, 202, JSON.stringify(pick.body));
    const picked = await postsFor(pick.body.messageId);
    const row = {
      infobip: { type: "INTERACTIVE_LIST_REPLY", id: "pm", title: "Afternoon", description: "2-6 pm" },
      meta: {
        type: "interactive",
        interactive: {
          type: "list_reply",
          list_reply: { id: "pm", title: "Afternoon", description: "2-6 pm" },
        },
      },
      sinch: {
        type: "interactive",
        message: { type: "list", id: "pm", title: "Afternoon", description: "2-6 pm" },
      },
    };
    const wantPick = expected(
      pick.body.messageId,
      receivedAt(picked.infobip),
      row,
      false,
      { id: "shop-list-1", from: SENDER },
      "",
    );
    assert.deepEqual(picked.infobip.body, wantPick.infobip);
    assert.deepEqual(picked.meta.body, wantPick.meta);
    assert.deepEqual(picked.sinch.body, wantPick.sinch);

    await checkContract(t, "infobip", (c) => {
      for (const p of [tapped, picked])
        assert.deepEqual(c.webhook("receive-inbound-whatsapp-messages", p.infobip.body), []);
    });
    await checkContract(t, "meta", (c) => {
      for (const p of [tapped, picked]) assert.deepEqual(c.webhook(META_WEBHOOK, p.meta.body), []);
    });
  });
});
