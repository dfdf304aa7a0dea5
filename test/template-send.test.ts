import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SEED } from "../src/app/seed.ts";
import {
  API_KEY,
  dispatchedSoFar,
  request,
  SENDER,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

describe("sending a template through the Infobip face", () => {
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

  it("answers PENDING_ENROUTE, then reports DELIVERED and SEEN with the callbackData", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700900101", { callbackData: "order-42", messageId: "client-id-1" })],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.bulkId, undefined, "no bulkId for a single message");
    const [info] = res.body.messages;
    assert.deepEqual(info, {
      to: "447700900101",
      messageCount: 1,
      messageId: "client-id-1",
      status: {
        groupId: 1,
        groupName: "PENDING",
        id: 7,
        name: "PENDING_ENROUTE",
        description: "Message sent to next instance",
      },
    });

    const dlr = await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === "client-id-1" && r.status.groupName === "DELIVERED",
    );
    assert.equal(dlr.status.name, "DELIVERED_TO_HANDSET");
    assert.equal(dlr.to, "447700900101");
    assert.equal(dlr.callbackData, "order-42");
    assert.equal(dlr.error.name, "NO_ERROR");
    assert.match(dlr.doneAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    const seen = await hooks.waitForResult("/dlr", (r) => r.messageId === "client-id-1" && "seenAt" in r);
    assert.equal(seen.from, SENDER);
    assert.equal(seen.to, "447700900101");

    const phone = await server.call("GET", "/sandbox/phones/447700900101/messages");
    assert.equal(phone.body.messages.length, 1);
    assert.deepEqual(phone.body.messages[0].content.bodyPlaceholders, ["Ann"]);
  });

  it("sends the reports to a message's own notifyUrl instead of the account's", async () => {
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700900102", { messageId: "notify-1", notifyUrl: `${hooks.url}/own` })],
    });
    await hooks.waitForResult(
      "/own",
      (r) => r.messageId === "notify-1" && r.status?.groupName === "DELIVERED",
    );
    assert.equal(hooks.results("/dlr").filter((r) => r.messageId === "notify-1").length, 0);
  });

  it("gives a bulk of several messages one bulkId, echoed in each report", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700900103"), welcome("447700900104")],
    });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.bulkId, "string");
    assert.equal(res.body.messages.length, 2);
    const ids = res.body.messages.map((m: { messageId: string }) => m.messageId);
    assert.notEqual(ids[0], ids[1]);
    for (const id of ids) {
      const dlr = await hooks.waitForResult(
        "/dlr",
        (r) => r.messageId === id && r.status.groupName === "DELIVERED",
      );
      assert.equal(dlr.bulkId, res.body.bulkId);
    }
  });

  it("keeps a client's own bulkId", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      bulkId: "campaign-7",
      messages: [welcome("447700900105"), welcome("447700900106")],
    });
    assert.equal(res.body.bulkId, "campaign-7");
  });

  it("rejects a placeholder count that does not match, naming the field", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700900107", {}, ["Ann", "extra"])],
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.requestError.serviceException.messageId, "BAD_REQUEST");
    const errors = res.body.requestError.serviceException.validationErrors;
    assert.deepEqual(Object.keys(errors), ["messages[0].content.templateData.body.placeholders"]);
    assert.match(
      errors["messages[0].content.templateData.body.placeholders"][0],
      /expects 1 placeholders, got 2/,
    );
  });

  it("rejects an unknown template, a wrong language, and a header the template does not have", async () => {
    const unknown = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          ...welcome("447700900108"),
          content: { templateName: "no_such", language: "en", templateData: { body: { placeholders: [] } } },
        },
      ],
    });
    assert.equal(unknown.status, 400);
    assert.ok(
      unknown.body.requestError.serviceException.validationErrors["messages[0].content.templateName"],
    );

    const language = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          ...welcome("447700900108"),
          content: {
            templateName: "welcome",
            language: "de",
            templateData: { body: { placeholders: ["x"] } },
          },
        },
      ],
    });
    assert.equal(language.status, 400);
    assert.ok(language.body.requestError.serviceException.validationErrors["messages[0].content.language"]);

    const header = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          ...welcome("447700900108"),
          content: {
            templateName: "welcome",
            language: "en",
            templateData: { body: { placeholders: ["x"] }, header: { type: "TEXT", placeholder: "h" } },
          },
        },
      ],
    });
    assert.equal(header.status, 400);
    assert.ok(
      header.body.requestError.serviceException.validationErrors["messages[0].content.templateData.header"],
    );
  });

  it("rejects a template that is not yet approved", async () => {
    const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
      name: "still_pending",
      language: "en",
      category: "UTILITY",
      structure: { body: { text: "Your order {{1}} is ready.", examples: ["42"] } },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, "PENDING");
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: "447700900109",
          content: {
            templateName: "still_pending",
            language: "en",
            templateData: { body: { placeholders: ["1"] } },
          },
        },
      ],
    });
    assert.equal(res.status, 400);
    assert.match(
      res.body.requestError.serviceException.validationErrors["messages[0].content.templateName"][0],
      /PENDING, not APPROVED/,
    );
  });

  it("rejects a bulk with one invalid message as a whole and stores none of it", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        welcome("447700900110", { messageId: "bulk-ok-1" }),
        welcome("447700900111", { messageId: "bulk-bad-2" }, []),
      ],
    });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body.requestError.serviceException.validationErrors), [
      "messages[1].content.templateData.body.placeholders",
    ]);
    await dispatchedSoFar(server, "447700900190"); // had the bulk been stored, its messages went out first
    assert.equal(await server.ctx.storage.messages.get(SEED.accountId, "bulk-ok-1"), undefined);
    const phone = await server.call("GET", "/sandbox/phones/447700900110/messages");
    assert.deepEqual(phone.body.messages, []);
  });

  it("treats a repeated client messageId as the same message (an idempotent retry)", async () => {
    const body = { messages: [welcome("447700900112", { messageId: "retry-me" })] };
    const first = await server.call("POST", "/whatsapp/1/message/template", body);
    const second = await server.call("POST", "/whatsapp/1/message/template", body);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.body.messages[0].messageId, "retry-me");
    await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === "retry-me" && r.status.groupName === "DELIVERED",
    );
    await dispatchedSoFar(server, "447700900191"); // a second copy would have gone out before this one
    const phone = await server.call("GET", "/sandbox/phones/447700900112/messages");
    assert.equal(phone.body.messages.length, 1, "the phone got it once");
  });

  it("rejects the same messageId twice within one request", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        welcome("447700900113", { messageId: "twice" }),
        welcome("447700900114", { messageId: "twice" }),
      ],
    });
    assert.equal(res.status, 400);
    assert.ok(res.body.requestError.serviceException.validationErrors["messages[1].messageId"]);
  });

  it("answers 401 without or with a wrong key, in every scheme", async () => {
    const body = { messages: [welcome("447700900115")] };
    for (const authorization of [
      undefined,
      "App wrong-key",
      `Basic ${Buffer.from("user:wrong").toString("base64")}`,
      "Token x",
    ]) {
      const res = await request(
        server.url,
        "POST",
        "/whatsapp/1/message/template",
        body,
        authorization ? { authorization } : {},
      );
      assert.equal(res.status, 401, `for ${authorization}`);
      assert.deepEqual(res.body, {
        requestError: { serviceException: { messageId: "UNAUTHORIZED", text: "Unauthorized" } },
      });
    }
    const basic = await request(server.url, "POST", "/whatsapp/1/message/template", body, {
      authorization: `Basic ${Buffer.from(`default:${API_KEY}`).toString("base64")}`,
    });
    assert.equal(basic.status, 200, "Basic with the API key as password works");
  });

  it("answers 403 for a sender that is not the account's", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [{ ...welcome("447700900116"), from: "15550001111" }],
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.requestError.serviceException.messageId, "FORBIDDEN");
    const templates = await server.call("GET", "/whatsapp/2/senders/15550001111/templates");
    assert.equal(templates.status, 403);
  });

  it("ignores unknown top-level fields such as the SDK's type", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      type: "template",
      messages: [welcome("447700900117")],
    });
    assert.equal(res.status, 200);
  });

  it("answers malformed JSON with a 400 in Infobip's format", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", "{not json");
    assert.equal(res.status, 400);
    assert.equal(res.body.requestError.serviceException.messageId, "BAD_REQUEST");
  });
});

describe("Infobip endpoints that are not built yet", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it("answer 501 in Infobip's error body, saying what is missing, after authenticating", async () => {
    const carousel = await server.call("POST", "/whatsapp/1/message/interactive/media-carousel", {
      from: SENDER,
      to: "447700900999",
      content: {},
    });
    assert.equal(carousel.status, 501);
    assert.match(carousel.body.requestError.serviceException.text, /interactive media-carousel messages/);
    const orderStatus = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        welcome("447700900998", {
          content: {
            templateName: "welcome",
            language: "en",
            templateData: {
              body: { placeholders: ["A"] },
              orderStatus: { referenceId: "r1", status: "PROCESSING" },
            },
          },
        }),
      ],
    });
    assert.equal(orderStatus.status, 501, "an order status template is not silently sent as a plain one");
    assert.match(orderStatus.body.requestError.serviceException.text, /orderStatus/);
    const anonymous = await request(server.url, "POST", "/whatsapp/1/message/interactive/buttons", {});
    assert.equal(anonymous.status, 401);
    const unknown = await server.call("GET", "/whatsapp/9/nothing");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.requestError.serviceException.messageId, "NOT_FOUND");
  });
});
