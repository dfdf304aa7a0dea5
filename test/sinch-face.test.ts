/**
 * The Sinch WhatsApp API v1 face end to end: every message type reaches the simulated phone as
 * sent, and its callbacks (dispatched, delivered, read; failures) reach the bot's callback URL in
 * Sinch's format; inbound messages too. Errors come in Sinch's body, naming the field.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addAccount } from "./support/accounts.ts";
import { API_KEY, eventually, request, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const BOT = "openbspbot";
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const user = "447700930001";

/** Each Sinch message object, and what the phone must show for it (the core's content). */
const TYPES: [string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    "text",
    { type: "text", text: "Greetings from Sinch", preview_url: true },
    { type: "text", text: "Greetings from Sinch", previewUrl: true },
  ],
  [
    "image",
    { type: "image", url: "https://example.com/image.jpg", caption: "Example Image", provider: "p1" },
    { type: "image", mediaUrl: "https://example.com/image.jpg", caption: "Example Image" },
  ],
  [
    "video",
    { type: "video", url: "https://example.com/video.mp4", caption: "Example Video" },
    { type: "video", mediaUrl: "https://example.com/video.mp4", caption: "Example Video" },
  ],
  [
    "document",
    {
      type: "document",
      url: "https://example.com/study.pdf",
      caption: "Example study",
      filename: "document.pdf",
    },
    {
      type: "document",
      mediaUrl: "https://example.com/study.pdf",
      caption: "Example study",
      filename: "document.pdf",
    },
  ],
  [
    "audio",
    { type: "audio", url: "https://example.com/song.mp3" },
    { type: "audio", mediaUrl: "https://example.com/song.mp3" },
  ],
  [
    "location",
    { type: "location", lat: 55.7047, lng: 13.191, name: "Sinch Ideon Lund", address: "Scheelevägen 17" },
    {
      type: "location",
      latitude: 55.7047,
      longitude: 13.191,
      name: "Sinch Ideon Lund",
      address: "Scheelevägen 17",
    },
  ],
  [
    "contacts",
    {
      type: "contacts",
      contacts: [
        {
          addresses: [
            {
              city: "Menlo Park",
              country: "United States",
              country_code: "us",
              state: "CA",
              street: "1 Hacker Way",
              type: "HOME",
              zip: "94025",
            },
          ],
          birthday: "2012-08-18",
          emails: [{ email: "test@fb.com", type: "WORK" }],
          name: { first_name: "John", formatted_name: "John Smith", last_name: "Smith" },
          org: { company: "WhatsApp", department: "Design", title: "Manager" },
          phones: [{ phone: "+1 (650) 555-1234", type: "WORK", wa_id: "16505551234" }],
          urls: [{ url: "https://www.facebook.com", type: "WORK" }],
        },
      ],
    },
    {
      type: "contact",
      contacts: [
        {
          name: { firstName: "John", formattedName: "John Smith", lastName: "Smith" },
          addresses: [
            {
              city: "Menlo Park",
              country: "United States",
              state: "CA",
              street: "1 Hacker Way",
              type: "HOME",
              zip: "94025",
              countryCode: "us",
            },
          ],
          birthday: "2012-08-18",
          emails: [{ email: "test@fb.com", type: "WORK" }],
          org: { company: "WhatsApp", department: "Design", title: "Manager" },
          phones: [{ phone: "+1 (650) 555-1234", type: "WORK", waId: "16505551234" }],
          urls: [{ url: "https://www.facebook.com", type: "WORK" }],
        },
      ],
    },
  ],
  [
    "sticker",
    { type: "sticker", url: "https://example.com/sticker.webp" },
    { type: "sticker", mediaUrl: "https://example.com/sticker.webp" },
  ],
  [
    "interactive button",
    {
      type: "interactive",
      message: {
        type: "button",
        header: { type: "video", url: "https://example.com/video.mp4" },
        body: { text: "Body text" },
        footer: { text: "Footer text" },
        action: {
          buttons: [
            { type: "reply", title: "Title 1", id: "Id 1" },
            { type: "reply", title: "Title 2", id: "Id 2" },
          ],
        },
      },
    },
    {
      type: "interactive_buttons",
      body: "Body text",
      header: { type: "VIDEO", mediaUrl: "https://example.com/video.mp4" },
      footer: "Footer text",
      buttons: [
        { id: "Id 1", title: "Title 1" },
        { id: "Id 2", title: "Title 2" },
      ],
    },
  ],
  [
    "interactive list",
    {
      type: "interactive",
      message: {
        type: "list",
        header: { type: "text", text: "Header text" },
        body: { text: "Body text" },
        footer: { text: "Footer text" },
        action: {
          button: "Press me",
          sections: [
            { title: "Section 1", rows: [{ title: "A row", id: "ID 1", description: "Description" }] },
            { title: "Section 2", rows: [{ title: "Another row", id: "ID 2" }] },
          ],
        },
      },
    },
    {
      type: "interactive_list",
      body: "Body text",
      header: { type: "TEXT", text: "Header text" },
      footer: "Footer text",
      buttonTitle: "Press me",
      sections: [
        { title: "Section 1", rows: [{ id: "ID 1", title: "A row", description: "Description" }] },
        { title: "Section 2", rows: [{ id: "ID 2", title: "Another row" }] },
      ],
    },
  ],
  [
    "template",
    {
      type: "template",
      template_name: "welcome",
      language: "en",
      body_params: ["Ann"],
      media: { type: "text" },
    },
    { type: "template", templateName: "welcome", language: "en", bodyPlaceholders: ["Ann"], buttons: [] },
  ],
  [
    "template with media header and buttons",
    {
      type: "template",
      template_name: "sinch_promo",
      language: "en",
      body_params: ["Ann"],
      media: { type: "document", url: "https://example.com/menu.pdf", filename: "menu.pdf" },
      buttons: [
        { type: "call" },
        { type: "url", parameter: "summer" },
        { type: "quick_reply", payload: "stop-promos" },
      ],
      ttl: "P1D",
    },
    {
      type: "template",
      templateName: "sinch_promo",
      language: "en",
      bodyPlaceholders: ["Ann"],
      header: { type: "DOCUMENT", mediaUrl: "https://example.com/menu.pdf", filename: "menu.pdf" },
      buttons: [
        { type: "URL", parameter: "summer" },
        { type: "QUICK_REPLY", parameter: "stop-promos" },
      ],
    },
  ],
];

describe("the Sinch WhatsApp API v1 face", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_SINCH_CALLBACK_URL: `${hooks.url}/sinch`,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
    const promo = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
      name: "sinch_promo",
      language: "en",
      category: "MARKETING",
      structure: {
        header: { format: "DOCUMENT", example: "https://example.com/sample.pdf" },
        body: { text: "Hi {{1}}, the summer menu is out.", examples: ["Ann"] },
        buttons: [
          { type: "PHONE_NUMBER", text: "Call us", phoneNumber: "441134960000" },
          {
            type: "URL",
            text: "See it",
            url: "https://example.com/menu/{{1}}",
            example: "https://example.com/menu/x",
          },
          { type: "QUICK_REPLY", text: "No more promos" },
        ],
      },
    });
    assert.equal(promo.status, 201, JSON.stringify(promo.body));
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi, send me things" });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  const sinch = (method: string, path: string, body?: unknown, auth = `Bearer ${API_KEY}`, bot = BOT) =>
    request(server.url, method, `/whatsapp/v1/${bot}${path}`, body, auth ? { authorization: auth } : {});
  // biome-ignore lint/suspicious/noExplicitAny: callback bodies are asserted field by field
  const statuses = (path = "/sinch"): any[] => hooks.on(path).flatMap((r) => r.body?.statuses ?? []);
  const waitForState = (messageId: string, state: string, path = "/sinch") =>
    eventually(
      () => statuses(path).find((s) => s.message_id === messageId && s.state === state),
      5000,
      `${state} of ${messageId}`,
    );
  const phone = async (n: string) =>
    (await server.call("GET", `/sandbox/phones/${n}/messages`)).body.messages;

  for (const [name, message, expected] of TYPES) {
    it(`sends a ${name} message: the phone gets exactly it, and dispatched, delivered and read come back`, async () => {
      const res = await sinch("POST", "/messages", { to: [`+${user}`], message });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.type, "whatsapp");
      assert.equal(res.body.statuses.length, 1);
      const [s] = res.body.statuses;
      assert.match(s.message_id, ULID);
      assert.deepEqual(s, {
        message_id: s.message_id,
        recipient: `+${user}`,
        status: "success",
        state: "queued",
      });

      for (const state of ["dispatched", "delivered", "read"]) {
        const dlr = await waitForState(s.message_id, state);
        assert.deepEqual(Object.keys(dlr).sort(), [
          "message_id",
          "recipient",
          "state",
          "status",
          "timestamp",
        ]);
        assert.equal(dlr.status, "success");
        assert.equal(dlr.recipient, `+${user}`);
        assert.match(dlr.timestamp, TIME);
      }
      const got = (await phone(user)).find((m: { messageId: string }) => m.messageId === s.message_id);
      assert.ok(got, "the phone received it");
      assert.deepEqual(got.content, expected);
      assert.equal(got.from, SENDER);
    });
  }

  it("sends one message to several recipients as one message each, all in one answer", async () => {
    const to = ["447700930101", "+447700930102", "447700930103"];
    const res = await sinch("POST", "/messages", { to, message: TYPES.find(([n]) => n === "template")?.[1] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.statuses.map((s: { recipient: string }) => s.recipient),
      ["+447700930101", "+447700930102", "+447700930103"],
    );
    assert.equal(new Set(res.body.statuses.map((s: { message_id: string }) => s.message_id)).size, 3);
    for (const s of res.body.statuses) {
      await waitForState(s.message_id, "delivered");
      const n = s.recipient.slice(1);
      assert.equal(
        (await phone(n)).filter((m: { messageId: string }) => m.messageId === s.message_id).length,
        1,
      );
    }
  });

  it("reports no_capability for a number that is not on WhatsApp", async () => {
    const n = "447700930201";
    await server.call("POST", "/sandbox/rules", { pattern: n, behaviour: "not_whatsapp" });
    const res = await sinch("POST", "/messages", {
      to: [n],
      message: { type: "template", template_name: "welcome", body_params: ["Bo"] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const dlr = await waitForState(res.body.statuses[0].message_id, "no_capability");
    assert.equal(dlr.status, "failure");
    assert.match(dlr.details, /131026/);
    assert.deepEqual(await phone(n), []);
  });

  it("fails a text outside the 24-hour window, with details", async () => {
    const stranger = "447700930301";
    const res = await sinch("POST", "/messages", { to: [stranger], message: { type: "text", text: "Hi!" } });
    assert.equal(res.status, 201);
    const dlr = await waitForState(res.body.statuses[0].message_id, "failed");
    assert.equal(dlr.status, "failure");
    assert.match(dlr.details, /131047/);
    assert.match(dlr.details, /24 hours/);
    assert.deepEqual(await phone(stranger), []);
  });

  it("sends the callbacks of a send that names its own callback URL there", async () => {
    const res = await sinch("POST", "/messages", {
      to: [user],
      message: { type: "text", text: "elsewhere" },
      callback: `${hooks.url}/override`,
    });
    assert.equal(res.status, 201);
    const id = res.body.statuses[0].message_id;
    await waitForState(id, "read", "/override");
    assert.equal(statuses("/sinch").filter((s) => s.message_id === id).length, 0);
  });

  it("forwards an inbound text to the callback, with the contact", async () => {
    const n = "447700930401";
    const sent = await server.call("POST", `/sandbox/phones/${n}/messages`, {
      to: SENDER,
      text: "Hello bot",
      contactName: "John Smith",
    });
    assert.equal(sent.status, 202);
    const got = await eventually(() =>
      hooks.on("/sinch").find((r) => r.body.notifications?.[0]?.message_id === sent.body.messageId),
    );
    assert.deepEqual(got.body.contacts, [{ profile: { name: "John Smith" }, wa_id: n }]);
    const [note] = got.body.notifications;
    assert.deepEqual(note.message, { type: "text", body: "Hello bot" });
    assert.equal(note.from, n);
    assert.equal(note.to, BOT);
    assert.match(note.timestamp, TIME);
    assert.equal(note.replying_to, undefined);
  });

  it("forwards a tap on a reply button and a list row, replying to the message", async () => {
    const [, buttons] = TYPES.find(([n]) => n === "interactive button") ?? [];
    const [, list] = TYPES.find(([n]) => n === "interactive list") ?? [];
    for (const [message, choiceId, expected] of [
      [buttons, "Id 2", { type: "interactive", message: { type: "button", id: "Id 2", title: "Title 2" } }],
      [
        list,
        "ID 1",
        {
          type: "interactive",
          message: { type: "list", id: "ID 1", title: "A row", description: "Description" },
        },
      ],
    ] as const) {
      const res = await sinch("POST", "/messages", { to: [user], message });
      const id = res.body.statuses[0].message_id;
      await waitForState(id, "delivered");
      const tap = await server.call("POST", `/sandbox/phones/${user}/replies`, { messageId: id, choiceId });
      assert.equal(tap.status, 202, JSON.stringify(tap.body));
      const got = await eventually(() =>
        hooks.on("/sinch").find((r) => r.body.notifications?.[0]?.message_id === tap.body.messageId),
      );
      const [note] = got.body.notifications;
      assert.deepEqual(note.message, expected);
      assert.deepEqual(note.replying_to, { from: SENDER, message_id: id });
      assert.equal(
        got.body.contacts,
        undefined,
        "Sinch sends contacts with text, contact and location messages only",
      );
    }
  });

  it("refuses more than 20 recipients, and a recipient that is not an MSISDN, storing nothing", async () => {
    const many = Array.from({ length: 21 }, (_, i) => `4477009305${String(i).padStart(2, "0")}`);
    const res = await sinch("POST", "/messages", { to: many, message: { type: "text", text: "hi" } });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, "Validation error");
    assert.match(res.body.reason, /Field \[to\]/);
    for (const n of many.slice(0, 2)) assert.deepEqual(await phone(n), []);
    const bad = await sinch("POST", "/messages", {
      to: ["447700930601", "call me"],
      message: { type: "text", text: "hi" },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.details, /Field \[to\[1\]\]/);
    const none = await sinch("POST", "/messages", { to: [], message: { type: "text", text: "hi" } });
    assert.equal(none.status, 400);
    assert.match(none.body.details, /Field \[to\]/);
  });

  it("refuses a send whose template values do not match, for every recipient", async () => {
    const to = ["447700930701", "447700930702"];
    const res = await sinch("POST", "/messages", {
      to,
      message: { type: "template", template_name: "welcome", body_params: [] },
    });
    assert.equal(res.status, 400);
    assert.match(
      res.body.reason,
      /^Field \[message\.body_params\] template welcome expects 1 placeholders, got 0\.$/,
    );
    for (const n of to) assert.deepEqual(await phone(n), []);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["template without a name", { type: "template", body_params: ["x"] }, "message.template_name"],
    ["template that does not exist", { type: "template", template_name: "nope" }, "message.template_name"],
    [
      "template in a language it lacks",
      { type: "template", template_name: "welcome", language: "de", body_params: ["x"] },
      "message.language",
    ],
    [
      "template with a blank body parameter",
      { type: "template", template_name: "welcome", body_params: [" "] },
      "message.body_params[0]",
    ],
    [
      "template header value the template lacks",
      { type: "template", template_name: "welcome", body_params: ["x"], header_params: ["y"] },
      "message.header_params",
    ],
    [
      "template without its media header",
      {
        type: "template",
        template_name: "sinch_promo",
        body_params: ["x"],
        buttons: [{ type: "url", parameter: "a" }, { type: "quick_reply" }],
      },
      "message.media",
    ],
    [
      "template with the wrong media",
      {
        type: "template",
        template_name: "sinch_promo",
        body_params: ["x"],
        media: { type: "image", url: "https://x.example/i.png" },
        buttons: [{ type: "url", parameter: "a" }, { type: "quick_reply" }],
      },
      "message.media.type",
    ],
    [
      "template media without a url",
      { type: "template", template_name: "sinch_promo", body_params: ["x"], media: { type: "document" } },
      "message.media.url",
    ],
    [
      "template buttons in the wrong order",
      {
        type: "template",
        template_name: "sinch_promo",
        body_params: ["x"],
        media: { type: "document", url: "https://x.example/d.pdf" },
        buttons: [{ type: "call" }, { type: "quick_reply" }, { type: "url", parameter: "a" }],
      },
      "message.buttons[1].type",
    ],
    [
      "template missing its buttons",
      {
        type: "template",
        template_name: "sinch_promo",
        body_params: ["x"],
        media: { type: "document", url: "https://x.example/d.pdf" },
      },
      "message.buttons",
    ],
    ["text that is blank", { type: "text", text: "  " }, "message.text"],
    ["text over 4096 characters", { type: "text", text: "x".repeat(4097) }, "message.text"],
    [
      "text with a non-boolean preview_url",
      { type: "text", text: "hi", preview_url: "yes" },
      "message.preview_url",
    ],
    ["image without a url", { type: "image" }, "message.url"],
    ["image with a relative url", { type: "image", url: "cat.png" }, "message.url"],
    ["video with an ftp url", { type: "video", url: "ftp://example.com/v.mp4" }, "message.url"],
    [
      "document with a 241-character filename",
      { type: "document", url: "https://x.example/d.pdf", filename: "f".repeat(241) },
      "message.filename",
    ],
    ["audio with a caption over nothing: no url", { type: "audio", url: 42 }, "message.url"],
    ["location past the pole", { type: "location", lat: 90.5, lng: 0 }, "message.lat"],
    ["location without a longitude", { type: "location", lat: 1 }, "message.lng"],
    [
      "contacts card without a formatted name",
      { type: "contacts", contacts: [{ name: { first_name: "Ann" } }] },
      "message.contacts[0].name.formatted_name",
    ],
    [
      "contacts card with a blank first name",
      { type: "contacts", contacts: [{ name: { first_name: " ", formatted_name: "Ann" } }] },
      "message.contacts[0].name.first_name",
    ],
    ["contacts with no card", { type: "contacts", contacts: [] }, "message.contacts"],
    [
      "sticker with both url and id",
      { type: "sticker", url: "https://x.example/s.webp", id: "abc" },
      "message.id",
    ],
    ["sticker with neither url nor id", { type: "sticker" }, "message.url"],
    [
      "button message with four buttons",
      {
        type: "interactive",
        message: {
          type: "button",
          body: { text: "b" },
          action: { buttons: [1, 2, 3, 4].map((i) => ({ type: "reply", id: `i${i}`, title: `t${i}` })) },
        },
      },
      "message.message.action.buttons",
    ],
    [
      "button title over 20 characters",
      {
        type: "interactive",
        message: {
          type: "button",
          body: { text: "b" },
          action: { buttons: [{ type: "reply", id: "a", title: "t".repeat(21) }] },
        },
      },
      "message.message.action.buttons[0].title",
    ],
    [
      "button message with a media header without url",
      {
        type: "interactive",
        message: {
          type: "button",
          header: { type: "image" },
          body: { text: "b" },
          action: { buttons: [{ type: "reply", id: "a", title: "A" }] },
        },
      },
      "message.message.header.url",
    ],
    [
      "button message with a body over 1024",
      {
        type: "interactive",
        message: {
          type: "button",
          body: { text: "b".repeat(1025) },
          action: { buttons: [{ type: "reply", id: "a", title: "A" }] },
        },
      },
      "message.message.body.text",
    ],
    [
      "list with a list button over 20",
      {
        type: "interactive",
        message: {
          type: "list",
          body: { text: "b" },
          action: { button: "x".repeat(21), sections: [{ title: "s", rows: [{ id: "r", title: "R" }] }] },
        },
      },
      "message.message.action.button",
    ],
    [
      "list with eleven rows",
      {
        type: "interactive",
        message: {
          type: "list",
          body: { text: "b" },
          action: {
            button: "Pick",
            sections: [
              { title: "s", rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) },
            ],
          },
        },
      },
      "message.message.action.sections",
    ],
    [
      "list with a duplicate row id",
      {
        type: "interactive",
        message: {
          type: "list",
          body: { text: "b" },
          action: {
            button: "Pick",
            sections: [
              {
                title: "s",
                rows: [
                  { id: "r", title: "A" },
                  { id: "r", title: "B" },
                ],
              },
            ],
          },
        },
      },
      "message.message.action.sections[0].rows[1].id",
    ],
    [
      "list without an action",
      { type: "interactive", message: { type: "list", body: { text: "b" } } },
      "message.message.action",
    ],
    [
      "interactive of an unknown kind",
      { type: "interactive", message: { type: "carousel" } },
      "message.message.type",
    ],
    ["message of an unknown type", { type: "reaction" }, "message.type"],
  ];
  for (const [what, message, field] of invalid) {
    it(`refuses a ${what}, naming ${field}`, async () => {
      const res = await sinch("POST", "/messages", { to: [user], message });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.message, "Validation error");
      assert.ok(res.body.details.includes(`Field [${field}]`), `expected ${field} in ${res.body.details}`);
    });
  }

  it("refuses a message type named like a JavaScript object property (400, not 500)", async () => {
    for (const type of ["__proto__", "toString", "constructor", "hasOwnProperty"]) {
      const res = await sinch("POST", "/messages", { to: [user], message: { type } });
      assert.equal(res.status, 400, `${type}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.reason, /^Field \[message\.type\] must be one of template, text/);
    }
  });

  it("refuses a callback that is not an http(s) URL, naming callback", async () => {
    const res = await sinch("POST", "/messages", {
      to: [user],
      message: { type: "text", text: "x" },
      callback: "not a url",
    });
    assert.equal(res.status, 400);
    assert.match(res.body.reason, /^Field \[callback\]/);
  });

  it("answers 501 for a stickerpack sticker and stickerpack management, which are not built", async () => {
    const res = await sinch("POST", "/messages", {
      to: [user],
      message: { type: "sticker", id: "sticker-1" },
    });
    assert.equal(res.status, 501);
    assert.match(res.body.reason, /stickerpack/);
    const packs = await sinch("GET", "/stickerpacks");
    assert.equal(packs.status, 501);
    assert.match(packs.body.reason, /stickerpack/);
  });

  it("authenticates with the account's API key as a Bearer token, for its own bots only", async () => {
    const message = { type: "text", text: "hi" };
    for (const auth of [
      "",
      "Bearer wrong-key",
      `App ${API_KEY}`,
      `Basic ${Buffer.from(`u:${API_KEY}`).toString("base64")}`,
    ]) {
      const res = await sinch("POST", "/messages", { to: [user], message }, auth);
      assert.equal(res.status, 401, `${auth}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.message, "Unauthorized");
      assert.equal(typeof res.body.details, "string");
    }
    const unknown = await sinch("POST", "/messages", { to: [user], message }, undefined, "no-such-bot");
    assert.equal(
      unknown.status,
      401,
      "an unknown bot answers like another account's: no probing which bots exist",
    );
    assert.match(unknown.body.details, /no-such-bot/);

    await addAccount(server.ctx.storage, {
      id: "acc-other",
      name: "Other",
      apiKey: "other-key-0001",
      businessVerified: false,
    });
    await server.ctx.storage.catalog.upsertSender({
      number: "441134960099",
      accountId: "acc-other",
      wabaId: "100000000000099",
      aliases: { metaPhoneNumberId: "900000000000099", sinchBotId: "otherbot" },
    });
    const foreign = await sinch("POST", "/messages", { to: [user], message }, undefined, "otherbot");
    assert.equal(foreign.status, 401);
    assert.equal(foreign.body.reason, "Unauthorized bot");
    const own = await sinch(
      "POST",
      "/messages",
      { to: [user], message: { type: "template", template_name: "welcome", body_params: ["x"] } },
      "Bearer other-key-0001",
      "otherbot",
    );
    assert.equal(
      own.status,
      400,
      "the other account's key reaches its own bot (and its WABA has no welcome template)",
    );
    assert.match(own.body.reason, /message\.template_name/);
  });

  it("checks mark-as-read (see read-and-typing.test.ts) and accepts opt-in/opt-out", async () => {
    const read = await sinch("POST", "/events", { type: "read", message_id: "01E7SP2FX8E16R0X3GE8Z41VSQ" });
    assert.equal(read.status, 400, "not a message the bot received");
    assert.match(read.body.reason, /Field \[message_id\]/);
    const badRead = await sinch("POST", "/events", { type: "seen", message_id: "x" });
    assert.equal(badRead.status, 400);
    assert.match(badRead.body.details, /Field \[type\]/);
    for (const method of ["POST", "DELETE"]) {
      const res = await sinch(method, "/provision/optin", { numbers: ["46732001122", "+46732001123"] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const tooMany = await sinch("POST", "/provision/optin", {
      numbers: Array.from({ length: 21 }, (_, i) => `467320011${String(i).padStart(2, "0")}`),
    });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.reason, /Field \[numbers\]/);
  });

  it("reports a message that expires undelivered as deleted", async () => {
    const n = "447700930801";
    await server.call("POST", "/sandbox/rules", { pattern: n, behaviour: "offline" });
    const res = await sinch("POST", "/messages", {
      to: [n],
      message: { type: "template", template_name: "welcome", body_params: ["x"] },
    });
    assert.equal(res.status, 201);
    await server.call("POST", "/sandbox/clock/advance", { ms: 31 * 86_400_000 });
    const dlr = await waitForState(res.body.statuses[0].message_id, "deleted", "/sinch");
    assert.equal(dlr.status, "failure");
    assert.match(dlr.details, /expired/i);
  });
});

describe("Sinch callback wording the simulated network cannot trigger", () => {
  it("words a template quick-reply tap as a button message replying to the template", async () => {
    const { sinchReports } = await import("../src/faces/sinch/sinch-reports.ts");
    const sender = {
      number: SENDER,
      accountId: "acc",
      wabaId: "w",
      aliases: { metaPhoneNumberId: "1", sinchBotId: BOT },
    };
    const post = sinchReports.inbound(
      {
        messageId: "wamid.x",
        to: SENDER,
        from: user,
        receivedAt: Date.UTC(2020, 4, 7, 10, 2, 10),
        content: { type: "button", text: "No more promos", payload: "stop-promos" },
        quote: { messageId: "01E7Q9AVTRB5A30JD7D9ZN0HTE", from: SENDER },
      },
      sender,
      { id: "acc", name: "a", secret: "k", businessVerified: false },
      "https://openbsp.example",
    );
    assert.deepEqual(JSON.parse(post.body), {
      type: "whatsapp",
      notifications: [
        {
          from: user,
          to: BOT,
          message_id: "wamid.x",
          timestamp: "2020-05-07T10:02:10Z",
          message: { type: "button", text: "No more promos", payload: "stop-promos" },
          replying_to: { from: SENDER, message_id: "01E7Q9AVTRB5A30JD7D9ZN0HTE" },
        },
      ],
    });
  });
});
