/**
 * Templates with media headers and with the buttons that must stand alone (flow, catalog,
 * multi-product): registered and sent through the Infobip face, each checked against the other.
 */
import assert from "node:assert/strict";
import { after, before, describe, it, type TestContext } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { infobipFlow } from "./support/flows.ts";
import { SENDER, startServer, type TestServer } from "./support/harness.ts";
import { MediaServer } from "./support/media-server.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const TEMPLATES = `/whatsapp/2/senders/${SENDER}/templates`;

describe("rich templates on the Infobip face", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const media = new MediaServer();

  before(async () => {
    await hooks.start();
    await media.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_BUSINESS_VERIFIED: "true",
      OPENBSP_MEDIA_DOWNLOAD: "true",
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
    await media.stop();
  });

  async function register(t: TestContext, name: string, structure: object, category = "MARKETING") {
    const body = { name, language: "en", category, structure };
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.request("post", "/whatsapp/2/senders/{sender}/templates", body), []),
    );
    return server.call("POST", TEMPLATES, body);
  }

  async function send(templateName: string, templateData: object, messageId: string) {
    return server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: "447700910001",
          messageId,
          content: { templateName, language: "en", templateData },
        },
      ],
    });
  }

  it("sends a template with an image header only with an image, and the phone gets it", async (t) => {
    const created = await register(t, "promo_image", {
      header: { format: "IMAGE", example: "https://example.com/sample.png" },
      body: { text: "Hi {{1}}, our new range is in.", examples: ["Ann"] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.structure.type, "MEDIA");

    const none = await send("promo_image", { body: { placeholders: ["Ann"] } }, "img-none");
    assert.equal(none.status, 400);
    assert.ok(
      none.body.requestError.serviceException.validationErrors["messages[0].content.templateData.header"],
    );
    const video = await send(
      "promo_image",
      { body: { placeholders: ["Ann"] }, header: { type: "VIDEO", mediaUrl: "https://x.example/v.mp4" } },
      "img-video",
    );
    assert.equal(video.status, 400);
    assert.ok(
      video.body.requestError.serviceException.validationErrors[
        "messages[0].content.templateData.header.type"
      ],
    );

    const range = media.put("/range.png", "image/png", "a picture of the range");
    const ok = await send(
      "promo_image",
      { body: { placeholders: ["Ann"] }, header: { type: "IMAGE", mediaUrl: range } },
      "img-ok",
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await hooks.waitForResult("/dlr", (r) => r.messageId === "img-ok" && r.status?.groupName === "DELIVERED");
    const phone = await server.call("GET", "/sandbox/phones/447700910001/messages");
    const got = phone.body.messages.find((m: { messageId: string }) => m.messageId === "img-ok");
    assert.deepEqual(got.content.header, { type: "IMAGE", mediaUrl: range });
    assert.equal(got.media.contentType, "image/png");
  });

  it("registers a flow button only as the template's only button, and sends it with a flow token", async (t) => {
    // The button opens a published flow with a WELCOME screen.
    const flowId = Number(await infobipFlow(server, "book"));
    const flowButton = {
      type: "FLOW",
      text: "Book now",
      flowId,
      flowAction: "NAVIGATE",
      navigateScreen: "WELCOME",
    };
    const mixed = await register(t, "book_mixed", {
      body: { text: "Book a table today." },
      buttons: [flowButton, { type: "QUICK_REPLY", text: "Later" }],
    });
    assert.equal(mixed.status, 400);
    assert.match(
      mixed.body.requestError.serviceException.validationErrors["structure.buttons"][0],
      /only button/,
    );

    const created = await register(t, "book_flow", {
      body: { text: "Book a table today." },
      buttons: [flowButton],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.structure.buttons[0].flowId, flowId);
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.response("post", "/whatsapp/2/senders/{sender}/templates", 201, created.body), []),
    );

    const missing = await send("book_flow", { body: { placeholders: [] } }, "flow-missing");
    assert.equal(missing.status, 400);
    assert.ok(
      missing.body.requestError.serviceException.validationErrors["messages[0].content.templateData.buttons"],
    );
    const ok = await send(
      "book_flow",
      { body: { placeholders: [] }, buttons: [{ type: "FLOW", flowToken: "tok-7", data: { party: 2 } }] },
      "flow-ok",
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === "flow-ok" && r.status?.groupName === "DELIVERED",
    );
  });

  it("sends catalog and multi-product templates with their products, naming what is missing", async (t) => {
    assert.equal(
      (
        await register(t, "shop_catalog", {
          body: { text: "See what is new this week." },
          buttons: [{ type: "CATALOG" }],
        })
      ).status,
      201,
    );
    const catalog = await send(
      "shop_catalog",
      { body: { placeholders: [] }, buttons: [{ type: "CATALOG", thumbnailProductRetailerId: "sku-1" }] },
      "cat-ok",
    );
    assert.equal(catalog.status, 200, JSON.stringify(catalog.body));

    assert.equal(
      (
        await register(t, "shop_picks", {
          body: { text: "Picked for you this week." },
          buttons: [{ type: "MULTI_PRODUCT" }],
        })
      ).status,
      201,
    );
    const noSections = await send(
      "shop_picks",
      {
        body: { placeholders: [] },
        buttons: [{ type: "MULTI_PRODUCT", thumbnailProductRetailerId: "sku-1" }],
      },
      "mpm-bad",
    );
    assert.equal(noSections.status, 400);
    assert.ok(
      noSections.body.requestError.serviceException.validationErrors[
        "messages[0].content.templateData.buttons[0].sections"
      ],
    );
    const wrongKind = await send(
      "shop_picks",
      { body: { placeholders: [] }, buttons: [{ type: "CATALOG" }] },
      "mpm-wrong",
    );
    assert.equal(wrongKind.status, 400);
    assert.ok(
      wrongKind.body.requestError.serviceException.validationErrors[
        "messages[0].content.templateData.buttons[0].type"
      ],
    );
    const ok = await send(
      "shop_picks",
      {
        body: { placeholders: [] },
        buttons: [
          {
            type: "MULTI_PRODUCT",
            thumbnailProductRetailerId: "sku-1",
            sections: [{ title: "Hats", productRetailerIds: ["h1", "h2"] }],
          },
        ],
      },
      "mpm-ok",
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await hooks.waitForResult("/dlr", (r) => r.messageId === "mpm-ok" && r.status?.groupName === "DELIVERED");
  });

  it("registers a limited-time offer for marketing only, and sends it only with its expiration time", async (t) => {
    const structure = {
      body: { text: "Hi {{1}}, this deal ends soon.", examples: ["Ann"] },
      limitedTimeOffer: { text: "Deal ends!", hasExpiration: true },
    };
    const utility = await server.call("POST", TEMPLATES, {
      name: "deal_utility",
      language: "en",
      category: "UTILITY",
      structure,
    });
    assert.equal(utility.status, 400);
    assert.ok(utility.body.requestError.serviceException.validationErrors["structure.limitedTimeOffer"]);
    const long = await server.call("POST", TEMPLATES, {
      name: "deal_long",
      language: "en",
      category: "MARKETING",
      structure: { ...structure, limitedTimeOffer: { text: "x".repeat(17), hasExpiration: true } },
    });
    assert.equal(long.status, 400);
    assert.ok(long.body.requestError.serviceException.validationErrors["structure.limitedTimeOffer.text"]);

    const created = await register(t, "deal_offer", structure);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.structure.limitedTimeOffer, { text: "Deal ends!", hasExpiration: true });
    const missing = await send("deal_offer", { body: { placeholders: ["Ann"] } }, "lto-missing");
    assert.equal(missing.status, 400);
    assert.ok(
      missing.body.requestError.serviceException.validationErrors[
        "messages[0].content.templateData.limitedTimeOffer.expirationTime"
      ],
    );
    const ok = await send(
      "deal_offer",
      {
        body: { placeholders: ["Ann"] },
        limitedTimeOffer: { expirationTime: "2026-12-31T23:59:59.000+0000" },
      },
      "lto-ok",
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await hooks.waitForResult("/dlr", (r) => r.messageId === "lto-ok" && r.status?.groupName === "DELIVERED");
  });
});
