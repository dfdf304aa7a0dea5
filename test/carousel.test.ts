/**
 * Carousel templates: a body over 1–10 media cards that all look alike. Registered through the
 * Infobip face (templates v2 `structure.carousel`) and the Meta face (a CAROUSEL component), sent
 * through each, and what the phone receives; every rule broken once, naming the field.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { API_KEY, eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, PHONE_ID, WABA_ID } from "./support/meta.ts";

const TEMPLATES = `/whatsapp/2/senders/${SENDER}/templates`;
const USER = "447700911001";

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are asserted on field by field
type Json = any;

/** An Infobip card: image header, a body with one placeholder, a quick reply and a dynamic URL. */
const ibCard = (n: number, over: Json = {}): Json => ({
  header: { format: "IMAGE", example: `https://example.com/card${n}.png` },
  body: { text: `Card ${n}: now {{1}}`, examples: ["$10"] },
  buttons: [
    { type: "QUICK_REPLY", text: "More like this" },
    {
      type: "URL",
      text: "Buy",
      url: "https://shop.example.com/p/{{1}}",
      example: "https://shop.example.com/p/1",
    },
  ],
  ...over,
});
const ibStructure = (cards: Json[], over: Json = {}): Json => ({
  body: { text: "Hi {{1}}, picked for you:", examples: ["Ann"] },
  carousel: { cards },
  ...over,
});
/** The values an Infobip send gives one card of `ibCard`. */
const ibCardValue = (n: number, over: Json = {}): Json => ({
  header: { type: "IMAGE", mediaUrl: `https://cdn.example.com/p${n}.png` },
  body: { placeholders: [`$${n}9`] },
  buttons: [
    { type: "QUICK_REPLY", parameter: `more-${n}` },
    { type: "URL", parameter: `sku-${n}` },
  ],
  ...over,
});

/** A Meta card: video header, a plain body, a static URL and a quick reply. */
const metaCard = (n: number): Json => ({
  components: [
    { type: "HEADER", format: "VIDEO", example: { header_handle: [`4::vid${n}`] } },
    { type: "BODY", text: `Trip ${n}, all included.` },
    {
      type: "BUTTONS",
      buttons: [
        { type: "URL", text: "Book", url: "https://travel.example.com" },
        { type: "QUICK_REPLY", text: "Call me" },
      ],
    },
  ],
});
const metaCardValue = (n: number): Json => ({
  card_index: n,
  components: [
    {
      type: "header",
      parameters: [{ type: "video", video: { link: `https://cdn.example.com/trip${n}.mp4` } }],
    },
    {
      type: "button",
      sub_type: "quick_reply",
      index: "1",
      parameters: [{ type: "payload", payload: `call-${n}` }],
    },
  ],
});

describe("carousel templates", () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ OPENBSP_BUSINESS_VERIFIED: "true" });
  });
  after(async () => {
    await server.close();
  });

  const register = (name: string, structure: Json, category = "MARKETING") =>
    server.call("POST", TEMPLATES, { name, language: "en", category, structure });
  const infobipSend = (templateName: string, templateData: Json, messageId: string) => {
    const body = {
      messages: [
        { from: SENDER, to: USER, messageId, content: { templateName, language: "en", templateData } },
      ],
    };
    return { body, answer: server.call("POST", "/whatsapp/1/message/template", body) };
  };
  const metaRegister = (name: string, components: Json[], category = "MARKETING") =>
    metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
      name,
      language: "en",
      category,
      components,
    });
  const metaSend = (name: string, components: Json[]) =>
    metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: USER,
      type: "template",
      template: { name, language: { code: "en" }, components },
    });
  const onPhone = (messageId: string) =>
    eventually(
      async () => {
        const res = await server.call("GET", `/sandbox/phones/${USER}/messages`);
        return res.body.messages.find((m: Json) => m.messageId === messageId);
      },
      5000,
      `message ${messageId} on the phone`,
    );
  const errorsOf = (res: Json) =>
    res.body.requestError.serviceException.validationErrors as Record<string, string[]>;

  it("registers a carousel through the Infobip face, approved, and sends it: the phone gets every card", async (t) => {
    const body = {
      name: "summer_cards",
      language: "en",
      category: "MARKETING",
      structure: ibStructure([ibCard(1), ibCard(2)]),
    };
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.request("post", "/whatsapp/2/senders/{sender}/templates", body), []),
    );
    const created = await server.call("POST", TEMPLATES, body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, "APPROVED");
    assert.equal(created.body.structure.carousel.cards.length, 2);
    assert.deepEqual(created.body.structure.carousel.cards[1].buttons[0], {
      type: "QUICK_REPLY",
      text: "More like this",
    });
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.response("post", "/whatsapp/2/senders/{sender}/templates", 201, created.body), []),
    );

    const { body: sendBody, answer } = infobipSend(
      "summer_cards",
      { body: { placeholders: ["Ann"] }, carousel: { cards: [ibCardValue(1), ibCardValue(2)] } },
      "car-ib-1",
    );
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.request("post", "/whatsapp/1/message/template", sendBody), []),
    );
    const sent = await answer;
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const got = await onPhone("car-ib-1");
    assert.deepEqual(got.content.bodyPlaceholders, ["Ann"]);
    assert.deepEqual(got.content.carousel, [
      {
        header: { type: "IMAGE", mediaUrl: "https://cdn.example.com/p1.png" },
        bodyPlaceholders: ["$19"],
        buttons: [
          { type: "QUICK_REPLY", parameter: "more-1" },
          { type: "URL", parameter: "sku-1" },
        ],
      },
      {
        header: { type: "IMAGE", mediaUrl: "https://cdn.example.com/p2.png" },
        bodyPlaceholders: ["$29"],
        buttons: [
          { type: "QUICK_REPLY", parameter: "more-2" },
          { type: "URL", parameter: "sku-2" },
        ],
      },
    ]);
  });

  it("registers a carousel through the Meta face, reads it back, and sends it with cards in card_index order", async () => {
    const created = await metaRegister("trip_cards", [
      { type: "BODY", text: "Three trips for spring." },
      { type: "CAROUSEL", cards: [metaCard(0), metaCard(1), metaCard(2)] },
    ]);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.status, "APPROVED");
    const read = await metaCall(server.url, "GET", `/v23.0/${created.body.id}`);
    const carousel = read.body.components.find((c: Json) => c.type === "CAROUSEL");
    assert.equal(carousel.cards.length, 3);
    assert.deepEqual(carousel.cards[2], metaCard(2));

    // Cards may come in any order; card_index places them. A card's media may be uploaded media.
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("file", new Blob([Buffer.alloc(1024, 1)], { type: "video/mp4" }), "trip.mp4");
    const upload = await fetch(`${server.url}/v23.0/${PHONE_ID}/media`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const mediaId = ((await upload.json()) as { id: string }).id;
    const byId = metaCardValue(1);
    byId.components[0].parameters = [{ type: "video", video: { id: mediaId } }];
    const sent = await metaSend("trip_cards", [
      { type: "carousel", cards: [metaCardValue(2), metaCardValue(0), byId] },
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const got = await onPhone(sent.body.messages[0].id);
    assert.deepEqual(
      got.content.carousel.map((c: Json) => c.buttons[0].parameter),
      ["call-0", "call-1", "call-2"],
    );
    assert.equal(got.content.carousel[0].header.mediaUrl, "https://cdn.example.com/trip0.mp4");
    assert.ok(
      got.content.carousel[1].header.mediaUrl.includes(mediaId),
      got.content.carousel[1].header.mediaUrl,
    );

    // The same template is seen and sent through the Infobip face too.
    const list = await server.call("GET", TEMPLATES);
    const seen = list.body.templates.find((t: Json) => t.name === "trip_cards");
    assert.equal(seen.structure.carousel.cards[0].header.format, "VIDEO");
    const cards = [0, 1, 2].map((n) => ({
      header: { type: "VIDEO", mediaUrl: `https://cdn.example.com/t${n}.mp4` },
      buttons: [{ type: "QUICK_REPLY", parameter: `q${n}` }],
    }));
    const viaInfobip = await infobipSend(
      "trip_cards",
      { body: { placeholders: [] }, carousel: { cards } },
      "car-ib-trip",
    ).answer;
    assert.equal(viaInfobip.status, 200, JSON.stringify(viaInfobip.body));
    assert.equal((await onPhone("car-ib-trip")).content.carousel.length, 3);
  });

  const registrationCases: [string, () => [Json, string?], string][] = [
    ["a UTILITY carousel", () => [ibStructure([ibCard(1)]), "UTILITY"], "structure.carousel"],
    [
      "a top-level header",
      () => [ibStructure([ibCard(1)], { header: { format: "TEXT", text: "Hello" } })],
      "structure.header",
    ],
    ["a top-level footer", () => [ibStructure([ibCard(1)], { footer: { text: "Bye" } })], "structure.footer"],
    [
      "top-level buttons",
      () => [ibStructure([ibCard(1)], { buttons: [{ type: "QUICK_REPLY", text: "Hi" }] })],
      "structure.buttons",
    ],
    ["no cards", () => [ibStructure([])], "structure.carousel.cards"],
    [
      "eleven cards",
      () => [ibStructure(Array.from({ length: 11 }, (_, i) => ibCard(i)))],
      "structure.carousel.cards",
    ],
    [
      "a DOCUMENT card header",
      () => [
        ibStructure([ibCard(1, { header: { format: "DOCUMENT", example: "https://example.com/a.pdf" } })]),
      ],
      "structure.carousel.cards[0].header",
    ],
    [
      "cards of different media",
      () => [
        ibStructure([
          ibCard(1),
          ibCard(2, { header: { format: "VIDEO", example: "https://example.com/v.mp4" } }),
        ]),
      ],
      "structure.carousel.cards[1].header",
    ],
    [
      "a card body over 160 characters",
      () => [ibStructure([ibCard(1, { body: { text: "x".repeat(161) } })])],
      "structure.carousel.cards[0].body.text",
    ],
    [
      "a card body with a gap in its placeholders",
      () => [ibStructure([ibCard(1, { body: { text: "Now {{2}}", examples: ["a"] } })])],
      "structure.carousel.cards[0].body.text",
    ],
    [
      "three buttons on a card",
      () => [
        ibStructure([ibCard(1, { buttons: [1, 2, 3].map((n) => ({ type: "QUICK_REPLY", text: `Q${n}` })) })]),
      ],
      "structure.carousel.cards[0].buttons",
    ],
    [
      "a COPY_CODE button on a card",
      () => [ibStructure([ibCard(1, { buttons: [{ type: "COPY_CODE", example: "SAVE10" }] })])],
      "structure.carousel.cards[0].buttons[0].type",
    ],
    [
      "cards whose buttons differ",
      () => [ibStructure([ibCard(1), ibCard(2, { buttons: [{ type: "QUICK_REPLY", text: "More" }] })])],
      "structure.carousel.cards[1].buttons",
    ],
    [
      "a card URL button without a valid URL",
      () => [ibStructure([ibCard(1, { buttons: [{ type: "URL", text: "Buy", url: "shop" }] })])],
      "structure.carousel.cards[0].buttons[0].url",
    ],
  ];
  for (const [what, make, field] of registrationCases) {
    it(`refuses to register ${what} (Infobip): 400 naming ${field}`, async () => {
      const [structure, category] = make();
      const res = await register(`bad_${what.replace(/\W+/g, "_").toLowerCase()}`, structure, category);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(errorsOf(res)[field], `${field} in ${JSON.stringify(res.body)}`);
    });
  }

  it("refuses invalid carousels on the Meta face, naming the field", async () => {
    const bodyless = { components: metaCard(1).components.filter((c: Json) => c.type !== "BODY") };
    const cases: [Json[], string][] = [
      [
        [
          { type: "BODY", text: "Hi" },
          { type: "CAROUSEL", cards: Array.from({ length: 11 }, (_, i) => metaCard(i)) },
        ],
        "structure.carousel.cards",
      ],
      [
        [
          { type: "BODY", text: "Hi" },
          { type: "CAROUSEL", cards: [metaCard(0), bodyless] },
        ],
        "structure.carousel.cards[1].body",
      ],
      [
        [
          { type: "HEADER", format: "TEXT", text: "Top" },
          { type: "BODY", text: "Hi" },
          { type: "CAROUSEL", cards: [metaCard(0)] },
        ],
        "structure.header",
      ],
      [
        [
          { type: "BODY", text: "Hi" },
          { type: "CAROUSEL", cards: [{ components: [{ type: "FOOTER", text: "x" }] }] },
        ],
        "components[1].cards[0].components[0].type",
      ],
    ];
    for (const [components, field] of cases) {
      const res = await metaRegister("bad_meta_cards", components);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 100);
      assert.ok(
        res.body.error.error_data.details.includes(`${field}:`),
        `${field} in ${res.body.error.error_data.details}`,
      );
    }
  });

  const sendCases: [string, Json, string][] = [
    ["no carousel", { body: { placeholders: ["Ann"] } }, "carousel"],
    [
      "one card too few",
      { body: { placeholders: ["Ann"] }, carousel: { cards: [ibCardValue(1)] } },
      "carousel.cards",
    ],
    [
      "a VIDEO for an IMAGE card",
      {
        body: { placeholders: ["Ann"] },
        carousel: {
          cards: [
            ibCardValue(1),
            ibCardValue(2, { header: { type: "VIDEO", mediaUrl: "https://cdn.example.com/v.mp4" } }),
          ],
        },
      },
      "carousel.cards[1].header.type",
    ],
    [
      "a card without its body value",
      {
        body: { placeholders: ["Ann"] },
        carousel: { cards: [ibCardValue(1, { body: { placeholders: [] } }), ibCardValue(2)] },
      },
      "carousel.cards[0].body.placeholders",
    ],
    [
      "a card without its buttons",
      {
        body: { placeholders: ["Ann"] },
        carousel: { cards: [ibCardValue(1), ibCardValue(2, { buttons: undefined })] },
      },
      "carousel.cards[1].buttons",
    ],
    [
      "a card's buttons swapped",
      {
        body: { placeholders: ["Ann"] },
        carousel: {
          cards: [
            ibCardValue(1, {
              buttons: [
                { type: "URL", parameter: "a" },
                { type: "QUICK_REPLY", parameter: "b" },
              ],
            }),
            ibCardValue(2),
          ],
        },
      },
      "carousel.cards[0].buttons[0].type",
    ],
  ];
  for (const [what, templateData, field] of sendCases) {
    it(`refuses a send with ${what} (Infobip): 400 naming ${field}`, async () => {
      const res = await infobipSend("summer_cards", templateData, `bad-${what.replace(/\W+/g, "-")}`).answer;
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(
        errorsOf(res)[`messages[0].content.templateData.${field}`],
        `${field} in ${JSON.stringify(res.body)}`,
      );
    });
  }

  it("refuses a Meta send with the wrong card count (132000) or a card's wrong media (132012)", async () => {
    const few = await metaSend("trip_cards", [
      { type: "carousel", cards: [metaCardValue(0), metaCardValue(1)] },
    ]);
    assert.equal(few.status, 400, JSON.stringify(few.body));
    assert.equal(few.body.error.code, 132000);
    assert.match(
      few.body.error.error_data.details,
      /template\.components\[carousel\]\.cards: .*3 cards, got 2/,
    );

    const image = metaCardValue(1);
    image.components[0].parameters = [{ type: "image", image: { link: "https://cdn.example.com/x.png" } }];
    const wrong = await metaSend("trip_cards", [
      { type: "carousel", cards: [metaCardValue(0), image, metaCardValue(2)] },
    ]);
    assert.equal(wrong.status, 400, JSON.stringify(wrong.body));
    assert.equal(wrong.body.error.code, 132012);
    assert.match(wrong.body.error.error_data.details, /cards\[1\]\.header\.type: must be VIDEO/);

    const none = await metaSend("trip_cards", []);
    assert.equal(none.body.error.code, 132000);
  });
});
