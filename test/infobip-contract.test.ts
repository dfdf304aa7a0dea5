/**
 * What the Infobip face answers and POSTs validates against Infobip's own published OpenAPI
 * document, and the official Infobip Node SDK works against it unmodified.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuthType, Infobip } from "@infobip-api/sdk";
import { loadInfobipContract, referenceSkip } from "./support/contracts.ts";
import { API_KEY, request, SENDER, startServer, type TestServer, welcome } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

/** Skipped without the reference documents, and failing without them in CI. */
const skip = referenceSkip();
const TEMPLATES = "/whatsapp/2/senders/{sender}/templates";

describe("the Infobip face against Infobip's OpenAPI document", { skip }, () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const contract = skip ? undefined : loadInfobipContract();
  const valid = (errors: string[] | undefined, what: string) =>
    assert.deepEqual(errors, [], `${what} must match the contract`);

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_INBOUND_URL: `${hooks.url}/inbound`,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("template send: request, 200 answer, delivery and seen reports", async () => {
    const body = {
      messages: [
        welcome("447700900801", { callbackData: "cb", messageId: "contract-1" }),
        welcome("447700900802"),
      ],
    };
    valid(contract?.request("post", "/whatsapp/1/message/template", body), "our request");
    const res = await server.call("POST", "/whatsapp/1/message/template", body);
    assert.equal(res.status, 200);
    valid(contract?.response("post", "/whatsapp/1/message/template", 200, res.body), "the send answer");

    await hooks.waitForResult("/dlr", (r) => r.messageId === "contract-1" && "seenAt" in r);
    const delivery = hooks
      .on("/dlr")
      .find((r) => r.body.results[0].messageId === "contract-1" && r.body.results[0].status);
    const seen = hooks
      .on("/dlr")
      .find((r) => r.body.results[0].messageId === "contract-1" && r.body.results[0].seenAt);
    valid(contract?.webhook("receive-whatsapp-delivery-reports", delivery?.body), "the delivery report");
    valid(contract?.webhook("receive-whatsapp-seen-reports", seen?.body), "the seen report");
  });

  it("text send, inbound message and the failed report outside the window", async () => {
    const text = { from: SENDER, to: "447700900803", content: { text: "Hello there" } };
    valid(contract?.request("post", "/whatsapp/1/message/text", text), "our request");
    const res = await server.call("POST", "/whatsapp/1/message/text", text);
    valid(contract?.response("post", "/whatsapp/1/message/text", 200, res.body), "the text answer");
    const failed = await hooks.waitForResult("/dlr", (r) => r.messageId === res.body.messageId && r.status);
    assert.equal(failed.error.name, "EC_NO_SESSION");
    valid(contract?.webhook("receive-whatsapp-delivery-reports", { results: [failed] }), "the failed report");

    await server.call("POST", "/sandbox/phones/447700900803/messages", {
      to: SENDER,
      text: "hi",
      contactName: "Frank",
    });
    const inbound = await hooks.waitForResult("/inbound", (r) => r.from === "447700900803");
    valid(
      contract?.webhook("receive-inbound-whatsapp-messages", hooks.on("/inbound")[0]?.body),
      "the inbound message",
    );
    assert.equal(inbound.message.text, "hi");
  });

  it("templates v2: create, list, get, edit answers", async () => {
    const create = {
      name: "contract_check",
      language: "en_GB",
      category: "MARKETING",
      structure: {
        header: { format: "TEXT", text: "Hi {{1}}", example: "Ann" },
        body: { text: "Your code {{1}} is valid today.", examples: ["X1"] },
        footer: { text: "Reply STOP to opt out" },
        buttons: [
          { type: "QUICK_REPLY", text: "Yes" },
          { type: "URL", text: "Open", url: "https://example.com/{{1}}", example: "https://example.com/a" },
        ],
      },
    };
    valid(contract?.request("post", TEMPLATES, create), "our request");
    const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, create);
    assert.equal(created.status, 201);
    valid(contract?.response("post", TEMPLATES, 201, created.body), "the created template");
    const list = await server.call("GET", `/whatsapp/2/senders/${SENDER}/templates`);
    valid(contract?.response("get", TEMPLATES, 200, list.body), "the list");
    const one = await server.call("GET", `/whatsapp/2/senders/${SENDER}/templates/${created.body.id}`);
    valid(contract?.response("get", `${TEMPLATES}/{id}`, 200, one.body), "one template");
    const edited = await server.call("PATCH", `/whatsapp/2/senders/${SENDER}/templates/${created.body.id}`, {
      structure: {
        ...create.structure,
        body: { text: "Your code {{1}} is valid this week.", examples: ["X2"] },
      },
    });
    assert.equal(edited.status, 200);
    valid(contract?.response("patch", `${TEMPLATES}/{id}`, 200, edited.body), "the edited template");
  });

  it("error bodies: 400, 401, 403, 404", async () => {
    const bad = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700900804", {}, [])],
    });
    assert.equal(bad.status, 400);
    valid(contract?.response("post", "/whatsapp/1/message/template", 400, bad.body), "the 400");
    const unauthorized = await request(server.url, "POST", "/whatsapp/1/message/template", { messages: [] });
    assert.equal(unauthorized.status, 401);
    valid(contract?.response("post", "/whatsapp/1/message/template", 401, unauthorized.body), "the 401");
    const forbidden = await server.call("GET", "/whatsapp/2/senders/15550001111/templates");
    assert.equal(forbidden.status, 403);
    valid(contract?.response("get", TEMPLATES, 403, forbidden.body), "the 403");
    const missing = await server.call("GET", `/whatsapp/2/senders/${SENDER}/templates/999`);
    assert.equal(missing.status, 404);
    valid(contract?.response("get", `${TEMPLATES}/{id}`, 404, missing.body), "the 404");
  });
});

describe("the official Infobip Node SDK against OpenBSP", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("creates, lists and sends a template, sends a text, and deletes the template", async () => {
    const infobip = new Infobip({ baseUrl: server.url, apiKey: API_KEY, authType: AuthType.ApiKey });
    // biome-ignore lint/suspicious/noExplicitAny: the SDK types its WhatsApp channel as any
    const wa: any = infobip.channels.whatsapp;
    const ok = (
      r: { status?: number; response?: { status: number; data: unknown }; message?: string },
      what: string,
    ) => {
      assert.ok(!(r instanceof Error), `${what} failed: ${r.message} ${JSON.stringify(r.response?.data)}`);
      return r as { status: number; data: Record<string, unknown> };
    };

    const created = ok(
      await wa.template.create(SENDER, {
        name: "sdk_order_update",
        language: "en",
        category: "UTILITY",
        structure: { body: { text: "Hi {{1}}, order {{2}} has shipped.", examples: ["Ann", "42"] } },
      }),
      "template.create",
    );
    assert.equal(created.status, 201);
    assert.equal(created.data.status, "APPROVED");

    const listed = ok(await wa.template.get(SENDER), "template.get");
    const names = (listed.data.templates as { name: string }[]).map((t) => t.name);
    assert.ok(names.includes("sdk_order_update"));

    const sent = ok(
      await wa.send({
        type: "template",
        messages: [
          {
            from: SENDER,
            to: "447700900901",
            content: {
              templateName: "sdk_order_update",
              language: "en",
              templateData: { body: { placeholders: ["Ann", "42"] } },
            },
          },
        ],
      }),
      "send template",
    );
    const messageId = (sent.data.messages as { messageId: string }[])[0]?.messageId;
    await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === messageId && r.status?.groupName === "DELIVERED",
    );

    const text = ok(
      await wa.send({ type: "text", from: SENDER, to: "447700900901", content: { text: "hello" } }),
      "send text",
    );
    assert.equal((text.data.status as { groupName: string }).groupName, "PENDING");

    const deleted = ok(await wa.template.delete(SENDER, "sdk_order_update"), "template.delete");
    assert.equal(deleted.status, 204);
  });
});
