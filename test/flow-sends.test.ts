/**
 * Sends that open a flow check it, on every face: an unknown flow, another WABA's, a DRAFT (unless
 * sent in draft mode), a deprecated one and a first screen the flow lacks are refused with a 4xx
 * naming the field; a published flow goes out. A template's FLOW button is checked the same way.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { flowButtonTemplate, infobipFlow } from "./support/flows.ts";
import { SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, PHONE_ID } from "./support/meta.ts";

const FLOWS = `/whatsapp/1/senders/${SENDER}/flows`;

describe("sending a flow checks the flow", () => {
  let server: TestServer;
  let published: string;
  let draft: string;
  let deprecated: string;
  const user = "447700931001";

  const infobip = (flowId: string, extra: Record<string, unknown> = {}, screen = "WELCOME") =>
    server.call("POST", "/whatsapp/1/message/interactive/flow", {
      from: SENDER,
      to: user,
      content: {
        body: { text: "Sign up" },
        action: {
          flowToken: "tok",
          flowId,
          callToActionButton: "Open",
          flowAction: "NAVIGATE",
          flowActionPayload: { screen },
          ...extra,
        },
      },
    });
  const meta = (flowId: string, extra: Record<string, unknown> = {}, screen = "WELCOME") =>
    metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: user,
      type: "interactive",
      interactive: {
        type: "flow",
        body: { text: "Sign up" },
        action: {
          name: "flow",
          parameters: {
            flow_message_version: "3",
            flow_id: flowId,
            flow_cta: "Open",
            flow_action: "navigate",
            flow_action_payload: { screen },
            ...extra,
          },
        },
      },
    });
  const infobipError = (res: { status: number; body: { requestError?: unknown } }, field: string) => {
    assert.equal(res.status, 400, JSON.stringify(res.body));
    // biome-ignore lint/suspicious/noExplicitAny: the error body is read loosely
    const errors = (res.body as any).requestError.serviceException.validationErrors;
    assert.ok(errors[field], `${field} is named: ${JSON.stringify(errors)}`);
    return errors[field][0] as string;
  };
  const metaError = (res: { status: number; body: unknown }, field: string) => {
    assert.equal(res.status, 400, JSON.stringify(res.body));
    // biome-ignore lint/suspicious/noExplicitAny: the error body is read loosely
    const error = (res.body as any).error;
    assert.equal(error.code, 131009);
    assert.ok(error.error_data.details.startsWith(`${field}: `), error.error_data.details);
    return error.error_data.details as string;
  };

  before(async () => {
    server = await startServer();
    published = await infobipFlow(server, "published");
    draft = await infobipFlow(server, "draft", undefined, false);
    deprecated = await infobipFlow(server, "deprecated");
    await server.call("POST", `${FLOWS}/${deprecated}/deprecate`);
  });
  after(() => server.close());

  it("Infobip: a published flow goes; unknown, DRAFT, deprecated flows and a missing screen are refused", async () => {
    assert.equal((await infobip(published)).status, 200);
    assert.match(infobipError(await infobip("424242"), "content.action.flowId"), /does not exist/);
    assert.match(infobipError(await infobip(draft), "content.action.flowId"), /is a DRAFT/);
    assert.equal((await infobip(draft, { mode: "DRAFT" })).status, 200, "a draft in draft mode goes");
    assert.match(infobipError(await infobip(deprecated), "content.action.flowId"), /DEPRECATED/);
    assert.match(
      infobipError(await infobip(published, {}, "NOWHERE"), "content.action.flowActionPayload.screen"),
      /has no screen NOWHERE/,
    );
  });

  it("Meta: the same refusals, with code 131009 naming Meta's field; mode draft sends a DRAFT", async () => {
    assert.equal((await meta(published)).status, 200);
    assert.match(metaError(await meta("424242"), "interactive.action.parameters.flow_id"), /does not exist/);
    assert.match(metaError(await meta(draft), "interactive.action.parameters.flow_id"), /is a DRAFT/);
    assert.equal((await meta(draft, { mode: "draft" })).status, 200);
    assert.match(metaError(await meta(deprecated), "interactive.action.parameters.flow_id"), /DEPRECATED/);
    metaError(
      await meta(published, {}, "NOWHERE"),
      "interactive.action.parameters.flow_action_payload.screen",
    );
  });

  it("a template's FLOW button: sent while its flow is published, refused once it is deprecated", async () => {
    const flowId = await infobipFlow(server, "template flow");
    const created = await flowButtonTemplate(server, "flow_template", flowId);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const send = () =>
      server.call("POST", "/whatsapp/1/message/template", {
        messages: [
          {
            from: SENDER,
            to: user,
            content: {
              templateName: "flow_template",
              language: "en",
              templateData: { body: { placeholders: [] }, buttons: [{ type: "FLOW", flowToken: "t" }] },
            },
          },
        ],
      });
    // The template is reviewed after a moment (the account is not verified).
    let sent = await send();
    for (let i = 0; i < 50 && sent.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sent = await send();
    }
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await server.call("POST", `${FLOWS}/${flowId}/deprecate`);
    assert.match(infobipError(await send(), "messages[0].content.templateData.buttons"), /DEPRECATED/);
  });
});
