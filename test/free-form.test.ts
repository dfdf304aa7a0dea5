/**
 * Free-form media, location and contact messages on the Infobip face: each reaches the phone
 * exactly as sent inside the window, each limit is a 400 naming the field, and outside the
 * window they fail like text.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuthType, Infobip } from "@infobip-api/sdk";
import { checkContract } from "./support/contracts.ts";
import { API_KEY, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { MediaServer } from "./support/media-server.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

/** Media the test's media server hosts: path → content type. */
const FILES: Record<string, string> = {
  "/files/invoice.pdf": "application/pdf",
  "/img/cat.png": "image/png",
  "/a/hello.mp3": "audio/mpeg",
  "/v/clip.mp4": "video/mp4",
  "/s/smile.webp": "image/webp",
};
const media = new MediaServer();

/** Media links are written as paths here and point at the media server when sent. */
const CONTENTS: Record<string, Record<string, unknown>> = {
  document: { mediaUrl: "/files/invoice.pdf", caption: "Your invoice", filename: "invoice-42.pdf" },
  image: { mediaUrl: "/img/cat.png", caption: "A cat" },
  audio: { mediaUrl: "/a/hello.mp3", voice: true },
  video: { mediaUrl: "/v/clip.mp4", caption: "Clip" },
  sticker: { mediaUrl: "/s/smile.webp" },
  location: { latitude: 51.5072, longitude: -0.1276, name: "London", address: "Trafalgar Square" },
  contact: {
    contacts: [
      {
        name: { firstName: "John", lastName: "Smith", formattedName: "John Smith" },
        phones: [{ phone: "+441134960001", type: "CELL", waId: "441134960001" }],
        emails: [{ email: "john@example.com", type: "WORK" }],
        birthday: "1990-05-17",
        org: { company: "Acme", title: "Buyer" },
      },
    ],
  },
};

const linked = (content: Record<string, unknown>) =>
  typeof content.mediaUrl === "string" ? { ...content, mediaUrl: media.url(content.mediaUrl) } : content;

describe("free-form messages on the Infobip face", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700907001";

  before(async () => {
    await hooks.start();
    await media.start();
    for (const [path, type] of Object.entries(FILES)) media.put(path, type, `bytes of ${path}`);
    server = await startServer({ OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`, OPENBSP_MEDIA_DOWNLOAD: "true" });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi, send me things" });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
    await media.stop();
  });

  for (const [type, template] of Object.entries(CONTENTS)) {
    it(`delivers a ${type} message exactly as sent`, async (t) => {
      const content = linked(template);
      const messageId = `ff-${type}`;
      const body = { from: SENDER, to: user, messageId, content };
      await checkContract(t, "infobip", (c) =>
        assert.deepEqual(
          c.request("post", `/whatsapp/1/message/${type}`, body),
          [],
          "a valid Infobip request",
        ),
      );
      const res = await server.call("POST", `/whatsapp/1/message/${type}`, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status.name, "PENDING_ENROUTE");
      await checkContract(t, "infobip", (c) =>
        assert.deepEqual(c.response("post", `/whatsapp/1/message/${type}`, 200, res.body), []),
      );
      await hooks.waitForResult(
        "/dlr",
        (r) => r.messageId === messageId && r.status?.groupName === "DELIVERED",
      );
      const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
      const got = phone.body.messages.find((m: { messageId: string }) => m.messageId === messageId);
      assert.deepEqual(got.content, { type, ...content });
    });
  }

  const invalid: [string, string, Record<string, unknown>, string][] = [
    ["image", "a link that is not http(s)", { mediaUrl: "ftp://example.com/cat.png" }, "content.mediaUrl"],
    ["image", "a relative link", { mediaUrl: "cat.png" }, "content.mediaUrl"],
    [
      "image",
      "a caption over 3000 characters",
      { mediaUrl: "https://x.example/c.png", caption: "x".repeat(3001) },
      "content.caption",
    ],
    [
      "document",
      "a file name over 240 characters",
      { mediaUrl: "https://x.example/d.pdf", filename: `${"f".repeat(241)}` },
      "content.filename",
    ],
    ["video", "no link", {}, "content.mediaUrl"],
    ["sticker", "an empty link", { mediaUrl: "" }, "content.mediaUrl"],
    ["location", "a latitude past the pole", { latitude: 90.5, longitude: 0 }, "content.latitude"],
    ["location", "a longitude past the date line", { latitude: 0, longitude: -181 }, "content.longitude"],
    [
      "location",
      "a name over 1000 characters",
      { latitude: 0, longitude: 0, name: "n".repeat(1001) },
      "content.name",
    ],
    ["contact", "no contacts", { contacts: [] }, "content.contacts"],
    [
      "contact",
      "a card without a formatted name",
      { contacts: [{ name: { firstName: "Ann" } }] },
      "content.contacts[0].name.formattedName",
    ],
    [
      "contact",
      "a blank first name",
      { contacts: [{ name: { firstName: " ", formattedName: "Ann" } }] },
      "content.contacts[0].name.firstName",
    ],
    [
      "contact",
      "a birthday that is not a date",
      { contacts: [{ name: { firstName: "A", formattedName: "A" }, birthday: "17/05/1990" }] },
      "content.contacts[0].birthday",
    ],
  ];
  for (const [type, what, content, field] of invalid) {
    it(`rejects a ${type} with ${what}, naming ${field}`, async () => {
      const res = await server.call("POST", `/whatsapp/1/message/${type}`, {
        from: SENDER,
        to: user,
        content,
      });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const errors = res.body.requestError.serviceException.validationErrors;
      assert.ok(errors[field], `expected ${field} in ${JSON.stringify(errors)}`);
    });
  }

  it("fails a location outside the window with EC_NO_SESSION, and the phone gets nothing", async () => {
    const stranger = "447700907099";
    const res = await server.call("POST", "/whatsapp/1/message/location", {
      from: SENDER,
      to: stranger,
      messageId: "ff-closed",
      content: CONTENTS.location,
    });
    assert.equal(res.status, 200);
    const dlr = await hooks.waitForResult("/dlr", (r) => r.messageId === "ff-closed");
    assert.equal(dlr.status.groupName, "UNDELIVERABLE");
    assert.equal(dlr.error.name, "EC_NO_SESSION");
    const phone = await server.call("GET", `/sandbox/phones/${stranger}/messages`);
    assert.deepEqual(phone.body.messages, []);
  });

  it("works with the official Infobip SDK for image and location", async () => {
    const infobip = new Infobip({ baseUrl: server.url, apiKey: API_KEY, authType: AuthType.ApiKey });
    // biome-ignore lint/suspicious/noExplicitAny: the SDK types its WhatsApp channel as any
    const wa: any = infobip.channels.whatsapp;
    for (const [type, content] of [
      ["image", CONTENTS.image],
      ["location", CONTENTS.location],
    ] as const) {
      const res = await wa.send({
        type,
        from: SENDER,
        to: user,
        messageId: `sdk-${type}`,
        content: linked(content ?? {}),
      });
      assert.ok(!(res instanceof Error), `${type}: ${res.message} ${JSON.stringify(res.response?.data)}`);
      assert.equal(res.status, 200);
      await hooks.waitForResult(
        "/dlr",
        (r) => r.messageId === `sdk-${type}` && r.status?.groupName === "DELIVERED",
      );
    }
  });

  it("quotes the user's message when a send names it in context.replyToMessageId", async () => {
    const inbound = await server.call("POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      text: "what time do you open?",
    });
    const res = await server.call("POST", "/whatsapp/1/message/text", {
      from: SENDER,
      to: user,
      messageId: "ff-reply",
      content: { text: "At nine." },
      context: { replyToMessageId: inbound.body.messageId },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === "ff-reply" && r.status?.groupName === "DELIVERED",
    );
    const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
    const got = phone.body.messages.find((m: { messageId: string }) => m.messageId === "ff-reply");
    assert.deepEqual(got.context, { messageId: inbound.body.messageId });
    const plain = phone.body.messages.find((m: { messageId: string }) => m.messageId === "ff-image");
    assert.equal(plain.context, undefined);
  });
});
