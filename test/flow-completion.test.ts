/**
 * The simulated user completes a flow: a received flow message, answers per screen, the flow's
 * screens walked (bad answers refused, naming the field), and the completion reaching the business
 * in each dialect: Infobip's INTERACTIVE_FLOW_REPLY (validated against Infobip's document), Meta's
 * interactive.nfm_reply with response_json and flow_token, and Sinch's (which has no flow reply).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { flowButtonTemplate, infobipFlow } from "./support/flows.ts";
import { eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaValues } from "./support/meta.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

describe("a simulated user completes a flow", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700932001";
  let messageId: string;

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_INBOUND_URL: `${hooks.url}/inbound`,
      OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta`,
      OPENBSP_SINCH_CALLBACK_URL: `${hooks.url}/sinch`,
    });
    // The user writes first: a flow message is free-form, sent inside the 24-hour window.
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
    const flowId = await infobipFlow(server, "complete me");
    const sent = await server.call("POST", "/whatsapp/1/message/interactive/flow", {
      from: SENDER,
      to: user,
      content: {
        body: { text: "Sign up" },
        action: {
          flowToken: "token-42",
          flowId,
          callToActionButton: "Open",
          flowAction: "NAVIGATE",
          flowActionPayload: { screen: "WELCOME" },
        },
      },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    messageId = sent.body.messageId;
    await eventually(async () => {
      const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
      return phone.body.messages.some((m: { messageId: string }) => m.messageId === messageId);
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  const complete = (answers: unknown) =>
    server.call("POST", `/sandbox/phones/${user}/flow-replies`, { messageId, answers });

  it("refuses a missing required input, a value not among the options, an input the screen lacks", async () => {
    const missing = await complete({ WELCOME: { size: "s" } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, "answers.WELCOME.email");
    assert.match(missing.body.error, /is required/);
    const option = await complete({ WELCOME: { email: "ann@example.com", size: "xl" } });
    assert.equal(option.body.field, "answers.WELCOME.size");
    assert.match(option.body.error, /one of the options s, l/);
    const email = await complete({ WELCOME: { email: "not an email" } });
    assert.equal(email.body.field, "answers.WELCOME.email");
    const unknown = await complete({ WELCOME: { email: "ann@example.com", age: "3" } });
    assert.equal(unknown.body.field, "answers.WELCOME.age");
    const notFlow = await server.call("POST", `/sandbox/phones/${user}/flow-replies`, {
      messageId: "nope",
      answers: {},
    });
    assert.equal(notFlow.status, 404);
  });

  it("a template's FLOW button opens its flow too: completed with the token the send gave", async () => {
    const flowId = await infobipFlow(server, "template completion");
    const created = await flowButtonTemplate(server, "signup_template", flowId);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const send = () =>
      server.call("POST", "/whatsapp/1/message/template", {
        messages: [
          {
            from: SENDER,
            to: user,
            messageId: "tmpl-flow",
            content: {
              templateName: "signup_template",
              language: "en",
              templateData: {
                body: { placeholders: [] },
                buttons: [{ type: "FLOW", flowToken: "tmpl-token" }],
              },
            },
          },
        ],
      });
    // The template is APPROVED by the simulated reviewer after a moment.
    await eventually(async () => (await send()).status === 200, 5000, "the template's approval");
    await eventually(async () => {
      const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
      return phone.body.messages.some((m: { messageId: string }) => m.messageId === "tmpl-flow");
    });
    const done = await server.call("POST", `/sandbox/phones/${user}/flow-replies`, {
      messageId: "tmpl-flow",
      answers: { WELCOME: { email: "bo@example.com" } },
    });
    assert.equal(done.status, 202, JSON.stringify(done.body));
    const infobip = await hooks.waitForResult(
      "/inbound",
      (r) => r.message?.type === "INTERACTIVE_FLOW_REPLY" && r.message.response?.flow_token === "tmpl-token",
    );
    assert.equal(infobip.message.response.email, "bo@example.com");
  });

  it("walks both screens and the business receives the completion in each dialect", async (t) => {
    const done = await complete({ WELCOME: { email: "ann@example.com", size: "l" }, DONE: { news: true } });
    assert.equal(done.status, 202, JSON.stringify(done.body));
    const expected = { email: "ann@example.com", size: "l", news: true, flow_token: "token-42" };

    const infobip = await hooks.waitForResult(
      "/inbound",
      (r) => r.message?.type === "INTERACTIVE_FLOW_REPLY" && r.message.response?.flow_token === "token-42",
    );
    assert.deepEqual(infobip.message.response, expected);
    assert.equal(infobip.message.context?.id, messageId);
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(
        c.webhook("receive-inbound-whatsapp-messages", {
          results: [infobip],
          messageCount: 1,
          pendingMessageCount: 0,
        }),
        [],
      ),
    );

    const meta = await eventually(() =>
      metaValues(hooks, "/meta")
        .flatMap((v) => v.messages ?? [])
        .find(
          (m: { type: string; interactive?: { nfm_reply?: { response_json: string } } }) =>
            m.type === "interactive" && m.interactive?.nfm_reply?.response_json.includes("token-42"),
        ),
    );
    assert.equal(meta.interactive.type, "nfm_reply");
    assert.equal(meta.interactive.nfm_reply.name, "flow");
    assert.deepEqual(JSON.parse(meta.interactive.nfm_reply.response_json), expected);
    assert.equal(meta.context.id, messageId);

    // Sinch's WhatsApp API v1 has no flow reply: the business is told what the user sent.
    const sinch = await eventually(() =>
      hooks.on("/sinch").find((r) => JSON.stringify(r.body).includes("token-42")),
    );
    assert.match(JSON.stringify(sinch.body), /completed a flow/);
  });
});
