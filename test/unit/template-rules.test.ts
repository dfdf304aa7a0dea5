import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TemplateContent } from "../../src/core/message.ts";
import {
  authenticationBody,
  bodyPlaceholderCount,
  type CarouselCard,
  dynamicButtons,
  headerNeedsValue,
  placeholders,
  type Template,
  type TemplateDefinition,
  type TemplateStructure,
} from "../../src/core/template.ts";
import { checkTemplateDefinition } from "../../src/core/template-definition-rules.ts";
import { reviewTemplate } from "../../src/core/template-review.ts";
import { checkTemplateSend, resolveTemplate } from "../../src/core/template-send-rules.ts";

const def = (
  structure: Partial<TemplateStructure> = {},
  extra: Partial<TemplateDefinition> = {},
): TemplateDefinition => ({
  name: "order_ready",
  language: "en",
  category: "UTILITY",
  structure: { body: { text: "Your order {{1}} is ready.", examples: ["42"] }, buttons: [], ...structure },
  ...extra,
});
/** The fields of the errors, in order. */
const fields = (d: TemplateDefinition) => checkTemplateDefinition(d).map((e) => e.field);

describe("placeholder arithmetic", () => {
  it("reads placeholder numbers in order, spaces allowed, repeats kept", () => {
    assert.deepEqual(placeholders("Hi {{1}}, order {{ 2 }} and {{1}} again"), [1, 2, 1]);
    assert.deepEqual(placeholders("no values {1} {{x}} {{}}"), []);
    assert.equal(bodyPlaceholderCount({ body: { text: "{{1}} {{2}} {{1}}" }, buttons: [] }), 2);
  });

  it("a header takes a value when it is media or a text with a placeholder", () => {
    assert.equal(headerNeedsValue(undefined), false);
    assert.equal(headerNeedsValue({ format: "TEXT", text: "Hello" }), false);
    assert.equal(headerNeedsValue({ format: "TEXT", text: "Hello {{1}}" }), true);
    assert.equal(headerNeedsValue({ format: "IMAGE" }), true);
    assert.equal(headerNeedsValue({ format: "LOCATION" }), true);
  });

  it("only dynamic buttons take a value, in registration order; an OTP button is filled like a URL", () => {
    assert.deepEqual(
      dynamicButtons({
        buttons: [
          { type: "URL", text: "Site", url: "https://example.com/" },
          {
            type: "URL",
            text: "Track",
            url: "https://example.com/t/{{1}}",
            example: "https://example.com/t/1",
          },
          { type: "PHONE_NUMBER", text: "Call", phoneNumber: "+441134960000" },
          { type: "QUICK_REPLY", text: "Stop" },
          { type: "VOICE_CALL", text: "Call us" },
          { type: "COPY_CODE", text: "Copy", example: "ABC" },
        ],
      }),
      ["URL", "QUICK_REPLY", "COPY_CODE"],
    );
    assert.deepEqual(dynamicButtons({ buttons: [{ type: "OTP", otpType: "COPY_CODE" }] }), ["URL"]);
  });

  it("authentication bodies use WhatsApp's fixed wording", () => {
    assert.equal(authenticationBody(false), "{{1}} is your verification code.");
    assert.equal(
      authenticationBody(true),
      "{{1}} is your verification code. For your security, do not share this code.",
    );
  });
});

describe("template definition rules", () => {
  it("accepts a plain utility template", () => {
    assert.deepEqual(checkTemplateDefinition(def()), []);
  });

  it("names: lowercase letters, digits and underscores, 1 to 512", () => {
    assert.deepEqual(fields(def({}, { name: "a" })), []);
    assert.deepEqual(fields(def({}, { name: "a".repeat(512) })), []);
    for (const name of ["", "a".repeat(513), "Order", "order-ready", "order ready"]) {
      assert.deepEqual(fields(def({}, { name })), ["name"], JSON.stringify(name));
    }
  });

  it("languages: two or three letters with an optional region", () => {
    for (const language of ["en", "fil", "en_GB", "pt_BR", "zh_Hant"])
      assert.deepEqual(fields(def({}, { language })), [], language);
    for (const language of ["e", "english", "en-GB", "EN", "en_G"])
      assert.deepEqual(fields(def({}, { language })), ["language"], language);
  });

  it("body: 1 to 1024 characters counted as code points", () => {
    assert.deepEqual(fields(def({ body: { text: "x".repeat(1024) } })), []);
    assert.deepEqual(fields(def({ body: { text: "😀".repeat(1024) } })), []);
    assert.deepEqual(fields(def({ body: { text: "x".repeat(1025) } })), ["structure.body.text"]);
    assert.deepEqual(fields(def({ body: { text: "" } })), ["structure.body.text"]);
  });

  it("body placeholders are numbered from 1 without gaps, in any order", () => {
    assert.deepEqual(fields(def({ body: { text: "{{2}} then {{1}}", examples: ["a", "b"] } })), []);
    assert.deepEqual(fields(def({ body: { text: "a {{1}} b {{3}} c" } })), ["structure.body.text"]);
    assert.deepEqual(fields(def({ body: { text: "a {{0}} b" } })), ["structure.body.text"]);
    assert.deepEqual(fields(def({ body: { text: "a {{2}} b" } })), ["structure.body.text"]);
  });

  it("a text header: 1 to 60 characters, at most one placeholder, and it is {{1}}", () => {
    assert.deepEqual(fields(def({ header: { format: "TEXT", text: "h".repeat(60) } })), []);
    assert.deepEqual(fields(def({ header: { format: "TEXT", text: "h".repeat(61) } })), [
      "structure.header.text",
    ]);
    assert.deepEqual(fields(def({ header: { format: "TEXT", text: "" } })), ["structure.header.text"]);
    assert.deepEqual(fields(def({ header: { format: "TEXT", text: "Hi {{1}}" } })), []);
    assert.deepEqual(fields(def({ header: { format: "TEXT", text: "Hi {{2}}" } })), [
      "structure.header.text",
    ]);
    assert.deepEqual(fields(def({ header: { format: "TEXT", text: "{{1}} {{1}}" } })), [
      "structure.header.text",
    ]);
  });

  it("a footer: at most 60 characters and no placeholder", () => {
    assert.deepEqual(fields(def({ footer: { text: "f".repeat(60) } })), []);
    assert.deepEqual(fields(def({ footer: { text: "f".repeat(61) } })), ["structure.footer.text"]);
    assert.deepEqual(fields(def({ footer: { text: "Reply {{1}}" } })), ["structure.footer.text"]);
  });

  it("buttons: at most 10, 2 URL, 1 phone number, 1 copy code, 1 voice call; text 1 to 25", () => {
    const qr = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: "QUICK_REPLY" as const, text: `Reply ${i}` }));
    assert.deepEqual(fields(def({ buttons: qr(10) })), []);
    assert.deepEqual(fields(def({ buttons: qr(11) })), ["structure.buttons"]);
    const url = { type: "URL" as const, text: "Site", url: "https://example.com/" };
    assert.deepEqual(fields(def({ buttons: [url, url] })), []);
    assert.deepEqual(fields(def({ buttons: [url, url, url] })), ["structure.buttons"]);
    const phone = { type: "PHONE_NUMBER" as const, text: "Call", phoneNumber: "+441134960000" };
    assert.deepEqual(fields(def({ buttons: [phone, phone] })), ["structure.buttons"]);
    const voice = { type: "VOICE_CALL" as const, text: "Call us" };
    assert.deepEqual(fields(def({ buttons: [voice, voice] })), ["structure.buttons"]);
    assert.deepEqual(fields(def({ buttons: [{ type: "QUICK_REPLY", text: "t".repeat(25) }] })), []);
    assert.deepEqual(fields(def({ buttons: [{ type: "QUICK_REPLY", text: "t".repeat(26) }] })), [
      "structure.buttons[0].text",
    ]);
    assert.deepEqual(fields(def({ buttons: [{ type: "QUICK_REPLY", text: "" }] })), [
      "structure.buttons[0].text",
    ]);
  });

  it("quick replies stand together, before or after the call-to-action buttons", () => {
    const q = { type: "QUICK_REPLY" as const, text: "Yes" };
    const c = { type: "URL" as const, text: "Site", url: "https://example.com/" };
    assert.deepEqual(fields(def({ buttons: [q, q, c] })), []);
    assert.deepEqual(fields(def({ buttons: [c, q, q] })), []);
    assert.deepEqual(fields(def({ buttons: [q, c, q] })), ["structure.buttons"]);
    assert.deepEqual(fields(def({ buttons: [c, q, c] })), ["structure.buttons"]);
  });

  it("a flow, catalog, multi-product or order-details button must be the only one", () => {
    const flow = {
      type: "FLOW" as const,
      text: "Book",
      flowId: "1234567890",
      flowAction: "NAVIGATE" as const,
    };
    assert.deepEqual(fields(def({ buttons: [flow] })), []);
    assert.deepEqual(fields(def({ buttons: [flow, { type: "QUICK_REPLY", text: "Later" }] })), [
      "structure.buttons",
    ]);
    assert.deepEqual(fields(def({ buttons: [{ ...flow, flowId: "flow-1" }] })), [
      "structure.buttons[0].flowId",
    ]);
    assert.deepEqual(
      fields(
        def({
          buttons: [
            { type: "CATALOG", text: "See" },
            { type: "CATALOG", text: "See" },
          ],
        }),
      ),
      ["structure.buttons"],
    );
  });

  it("a URL button: an http(s) URL, dynamic only by a trailing {{1}} with an example", () => {
    const url = (u: string, example?: string) =>
      def({ buttons: [{ type: "URL", text: "Go", url: u, ...(example ? { example } : {}) }] });
    assert.deepEqual(fields(url("https://example.com/o/{{1}}", "https://example.com/o/42")), []);
    assert.deepEqual(fields(url("https://example.com/o/{{1}}")), ["structure.buttons[0].example"]);
    assert.deepEqual(fields(url("https://example.com/{{1}}/o", "x")), ["structure.buttons[0].url"]);
    assert.deepEqual(fields(url("https://example.com/{{1}}/{{2}}", "x")), ["structure.buttons[0].url"]);
    assert.deepEqual(fields(url("ftp://example.com/")), ["structure.buttons[0].url"]);
  });

  it("a voice call lasts 1440 to 43200 minutes; a copy-code example is 1 to 15 characters", () => {
    const voice = (callValidityPeriod: number) =>
      def({ buttons: [{ type: "VOICE_CALL", text: "Call", callValidityPeriod }] });
    assert.deepEqual(fields(voice(1440)), []);
    assert.deepEqual(fields(voice(43200)), []);
    assert.deepEqual(fields(voice(1439)), ["structure.buttons[0].callValidityPeriod"]);
    assert.deepEqual(fields(voice(43201)), ["structure.buttons[0].callValidityPeriod"]);
    const copy = (example: string) => def({ buttons: [{ type: "COPY_CODE", text: "Copy", example }] });
    assert.deepEqual(fields(copy("x".repeat(15))), []);
    assert.deepEqual(fields(copy("x".repeat(16))), ["structure.buttons[0].example"]);
    assert.deepEqual(fields(copy("")), ["structure.buttons[0].example"]);
  });

  it("a limited-time offer: marketing only, 1 to 16 characters, no footer", () => {
    const offer = { text: "Ends soon", hasExpiration: true };
    assert.deepEqual(fields(def({ limitedTimeOffer: offer }, { category: "MARKETING" })), []);
    assert.deepEqual(fields(def({ limitedTimeOffer: offer })), ["structure.limitedTimeOffer"]);
    assert.deepEqual(
      fields(def({ limitedTimeOffer: { ...offer, text: "x".repeat(16) } }, { category: "MARKETING" })),
      [],
    );
    assert.deepEqual(
      fields(def({ limitedTimeOffer: { ...offer, text: "x".repeat(17) } }, { category: "MARKETING" })),
      ["structure.limitedTimeOffer.text"],
    );
    assert.deepEqual(fields(def({ limitedTimeOffer: { ...offer, text: " " } }, { category: "MARKETING" })), [
      "structure.limitedTimeOffer.text",
    ]);
    assert.deepEqual(
      fields(def({ limitedTimeOffer: offer, footer: { text: "f" } }, { category: "MARKETING" })),
      ["structure.footer"],
    );
  });

  it("a carousel: marketing only, 1 to 10 alike cards, no header, footer or buttons of its own", () => {
    const card = (format: "IMAGE" | "VIDEO" = "IMAGE"): CarouselCard => ({
      header: { format },
      buttons: [{ type: "QUICK_REPLY", text: "More" }],
    });
    const carousel = (
      cards: CarouselCard[],
      extra: Partial<TemplateStructure> = {},
      category: TemplateDefinition["category"] = "MARKETING",
    ) => fields(def({ carousel: { cards }, ...extra }, { category }));
    assert.deepEqual(carousel([card()]), []);
    assert.deepEqual(carousel(Array.from({ length: 10 }, () => card())), []);
    assert.deepEqual(carousel(Array.from({ length: 11 }, () => card())), ["structure.carousel.cards"]);
    assert.deepEqual(carousel([]), ["structure.carousel.cards"]);
    assert.deepEqual(carousel([card()], {}, "UTILITY"), ["structure.carousel"]);
    assert.deepEqual(carousel([card(), card("VIDEO")]), ["structure.carousel.cards[1].header"]);
    assert.deepEqual(carousel([card()], { footer: { text: "f" } }), ["structure.footer"]);
    assert.deepEqual(carousel([card()], { buttons: [{ type: "QUICK_REPLY", text: "x" }] }), [
      "structure.buttons",
    ]);
    assert.deepEqual(carousel([{ ...card(), buttons: [] }]), ["structure.carousel.cards[0].buttons"]);
    assert.deepEqual(
      carousel([card(), { ...card(), buttons: [{ type: "URL", text: "Go", url: "https://example.com/" }] }]),
      ["structure.carousel.cards[1].buttons"],
    );
  });
});

describe("the simulated template review", () => {
  const structure = (text: string, examples: string[] = []): TemplateStructure => ({
    body: { text, examples },
    buttons: [],
  });
  const rejected = (details: string) => ({ verdict: "REJECTED", reason: "INVALID_FORMAT", details });

  it("approves a body with a variable inside and an example for it", () => {
    assert.deepEqual(reviewTemplate("UTILITY", structure("Your order {{1}} is ready.", ["42"])), {
      verdict: "APPROVED",
    });
    assert.deepEqual(reviewTemplate("MARKETING", structure("No variables at all.")), { verdict: "APPROVED" });
  });

  it("rejects a body starting or ending with a variable (a final full stop does not help)", () => {
    assert.deepEqual(
      reviewTemplate("UTILITY", structure("{{1}} is ready", ["x"])),
      rejected("the body may not start with a variable"),
    );
    assert.deepEqual(
      reviewTemplate("UTILITY", structure("  {{ 1 }} is ready", ["x"])),
      rejected("the body may not start with a variable"),
    );
    assert.deepEqual(
      reviewTemplate("UTILITY", structure("Ready: {{1}}", ["x"])),
      rejected("the body may not end with a variable"),
    );
    assert.deepEqual(
      reviewTemplate("UTILITY", structure("Ready: {{1}}.", ["x"])),
      rejected("the body may not end with a variable"),
    );
    assert.deepEqual(reviewTemplate("UTILITY", structure("Ready: {{1}} now.", ["x"])), {
      verdict: "APPROVED",
    });
  });

  it("rejects two variables next to each other", () => {
    assert.deepEqual(
      reviewTemplate("UTILITY", structure("Hi {{1}} {{2}} there", ["a", "b"])),
      rejected("two variables may not stand next to each other"),
    );
    assert.deepEqual(reviewTemplate("UTILITY", structure("Hi {{1}}, {{2}} there", ["a", "b"])), {
      verdict: "APPROVED",
    });
  });

  it("wants an example for every distinct variable", () => {
    assert.deepEqual(
      reviewTemplate("UTILITY", structure("Hi {{1}} and {{2}} there", ["a"])),
      rejected("the body has 2 variables but 1 examples"),
    );
    assert.deepEqual(reviewTemplate("UTILITY", structure("Hi {{1}} and {{1}} there", ["a"])), {
      verdict: "APPROVED",
    });
  });

  it("approves authentication templates: WhatsApp fixes their wording", () => {
    assert.deepEqual(reviewTemplate("AUTHENTICATION", structure("{{1}} is your verification code.")), {
      verdict: "APPROVED",
    });
  });
});

describe("a template send against the template as registered", () => {
  const template = (structure: Partial<TemplateStructure> = {}, extra: Partial<Template> = {}): Template => ({
    id: "t1",
    wabaId: "w1",
    name: "order_ready",
    language: "en",
    category: "UTILITY",
    structure: {
      body: { text: "Order {{1}} for {{2}} is ready.", examples: ["42", "Ann"] },
      buttons: [],
      ...structure,
    },
    status: "APPROVED",
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  });
  const send = (extra: Partial<TemplateContent> = {}): TemplateContent => ({
    type: "template",
    templateName: "order_ready",
    language: "en",
    bodyPlaceholders: ["42", "Ann"],
    buttons: [],
    ...extra,
  });
  const errors = (t: Template, c: TemplateContent) => checkTemplateSend(t, c).map((e) => [e.field, e.code]);

  it("picks the registered language, or says which field is wrong with WhatsApp's code", () => {
    const en = template();
    const de = template({}, { id: "t2", language: "de" });
    assert.equal(resolveTemplate([de, en], { templateName: "order_ready", language: "en" }), en);
    assert.deepEqual(resolveTemplate([], { templateName: "order_ready", language: "en" }), {
      field: "templateName",
      message: "template order_ready does not exist",
      code: 132001,
    });
    assert.deepEqual(resolveTemplate([de], { templateName: "order_ready", language: "en" }), {
      field: "language",
      message: "template order_ready is not registered in en (registered: de)",
      code: 132001,
    });
  });

  it("refuses a template that is not approved, paused and disabled with their own codes", () => {
    const codes = { PENDING: 132001, REJECTED: 132001, PAUSED: 132015, DISABLED: 132016 } as const;
    for (const [status, code] of Object.entries(codes)) {
      const got = resolveTemplate([template({}, { status: status as Template["status"] })], {
        templateName: "order_ready",
        language: "en",
      });
      assert.deepEqual(
        got,
        { field: "templateName", message: `template order_ready is ${status}, not APPROVED`, code },
        status,
      );
    }
  });

  it("wants exactly as many body values as distinct placeholders, none blank", () => {
    assert.deepEqual(errors(template(), send()), []);
    assert.deepEqual(errors(template(), send({ bodyPlaceholders: ["42"] })), [["body.placeholders", 132000]]);
    assert.deepEqual(errors(template(), send({ bodyPlaceholders: ["42", "Ann", "x"] })), [
      ["body.placeholders", 132000],
    ]);
    assert.deepEqual(errors(template(), send({ bodyPlaceholders: ["42", " "] })), [
      ["body.placeholders[1]", undefined],
    ]);
  });

  it("a header value exactly when the header takes one, of the registered format", () => {
    const image = template({ header: { format: "IMAGE" } });
    assert.deepEqual(
      errors(image, send({ header: { type: "IMAGE", mediaUrl: "https://example.com/a.png" } })),
      [],
    );
    assert.deepEqual(errors(image, send()), [["header", 132000]]);
    assert.deepEqual(
      errors(image, send({ header: { type: "VIDEO", mediaUrl: "https://example.com/a.mp4" } })),
      [["header.type", 132012]],
    );
    assert.deepEqual(errors(template(), send({ header: { type: "TEXT", placeholder: "x" } })), [
      ["header", 132000],
    ]);
    assert.deepEqual(
      errors(
        template({ header: { format: "TEXT", text: "Static" } }),
        send({ header: { type: "TEXT", placeholder: "x" } }),
      ),
      [["header", 132000]],
    );
  });

  it("a value for each dynamic button, of the registered kind, in order; a voice call needs none", () => {
    const t = template({
      buttons: [
        { type: "QUICK_REPLY", text: "Stop" },
        {
          type: "URL",
          text: "Track",
          url: "https://example.com/t/{{1}}",
          example: "https://example.com/t/1",
        },
        { type: "VOICE_CALL", text: "Call us" },
      ],
    });
    const qr = { type: "QUICK_REPLY", parameter: "stop" } as const;
    const url = { type: "URL", parameter: "42" } as const;
    assert.deepEqual(errors(t, send({ buttons: [qr, url] })), []);
    assert.deepEqual(errors(t, send({ buttons: [qr, url, { type: "VOICE_CALL" }] })), []);
    assert.deepEqual(errors(t, send({ buttons: [qr] })), [["buttons", 132000]]);
    assert.deepEqual(errors(t, send({ buttons: [url, qr] })), [
      ["buttons[0].type", 132012],
      ["buttons[1].type", 132012],
    ]);
    assert.deepEqual(errors(template(), send({ buttons: [{ type: "VOICE_CALL" }] })), [
      ["buttons[0].type", 132012],
    ]);
    assert.deepEqual(
      errors(t, send({ buttons: [qr, url, { type: "VOICE_CALL", callValidityPeriod: 43201 }] })),
      [["buttons[2].callValidityPeriod", undefined]],
    );
    assert.deepEqual(
      errors(t, send({ buttons: [qr, url, { type: "VOICE_CALL", callValidityPeriod: 1 }] })),
      [],
    );
    assert.deepEqual(errors(t, send({ buttons: [qr, url, { type: "VOICE_CALL", callValidityPeriod: 0 }] })), [
      ["buttons[2].callValidityPeriod", undefined],
    ]);
  });

  it("a limited-time offer with an expiration needs a valid expiration time, and only then", () => {
    const offer = template({ limitedTimeOffer: { text: "Ends soon", hasExpiration: true } });
    assert.deepEqual(errors(offer, send({ offerExpiresAt: "2026-12-31T23:59:59.000Z" })), []);
    assert.deepEqual(errors(offer, send()), [["limitedTimeOffer.expirationTime", undefined]]);
    assert.deepEqual(errors(offer, send({ offerExpiresAt: "next week" })), [
      ["limitedTimeOffer.expirationTime", undefined],
    ]);
    assert.deepEqual(errors(template(), send({ offerExpiresAt: "2026-12-31T23:59:59.000Z" })), [
      ["limitedTimeOffer", undefined],
    ]);
  });

  it("a carousel send fills every card, in order", () => {
    const card = {
      header: { format: "IMAGE" as const },
      body: { text: "Only {{1}}", examples: ["$5"] },
      buttons: [{ type: "QUICK_REPLY" as const, text: "More" }],
    };
    const t = template({ carousel: { cards: [card, card] } });
    const value = {
      header: { type: "IMAGE" as const, mediaUrl: "https://example.com/a.png" },
      bodyPlaceholders: ["$5"],
      buttons: [{ type: "QUICK_REPLY" as const, parameter: "more" }],
    };
    assert.deepEqual(errors(t, send({ carousel: [value, value] })), []);
    assert.deepEqual(errors(t, send()), [["carousel", 132000]]);
    assert.deepEqual(errors(t, send({ carousel: [value] })), [["carousel.cards", 132000]]);
    assert.deepEqual(errors(t, send({ carousel: [value, { ...value, bodyPlaceholders: [] }] })), [
      ["carousel.cards[1].body.placeholders", 132000],
    ]);
    assert.deepEqual(
      errors(
        t,
        send({
          carousel: [value, { ...value, header: { type: "VIDEO", mediaUrl: "https://example.com/a.mp4" } }],
        }),
      ),
      [["carousel.cards[1].header.type", 132012]],
    );
    assert.deepEqual(errors(template(), send({ carousel: [value] })), [["carousel", 132000]]);
  });
});
