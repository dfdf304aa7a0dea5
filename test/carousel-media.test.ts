/**
 * A carousel's card media on the simulated phone: the phone downloads every card's header (type
 * and size checked like any media), shows each card's media, and a card that fails fails the
 * message with WhatsApp's 131053.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SENDER, startServer, type TestServer } from "./support/harness.ts";
import { bytes, MediaServer, sha256 } from "./support/media-server.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const MB = 1024 * 1024;
const USER = "447700915001";

const card = (n: number, format: "IMAGE" | "VIDEO") => ({
  header: { format, example: `https://example.com/card${n}` },
  body: { text: `Card ${n}` },
  buttons: [{ type: "QUICK_REPLY", text: "More like this" }],
});

describe("carousel card media on the simulated phone", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const media = new MediaServer();

  before(async () => {
    await hooks.start();
    await media.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_MEDIA_DOWNLOAD: "true",
      OPENBSP_MEDIA_ALLOW_PRIVATE: "true",
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
    for (const [name, format] of [
      ["three_pictures", "IMAGE"],
      ["two_videos", "VIDEO"],
    ] as const) {
      const cards =
        format === "IMAGE"
          ? [card(0, format), card(1, format), card(2, format)]
          : [card(0, format), card(1, format)];
      const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
        name,
        language: "en",
        category: "MARKETING",
        structure: { body: { text: "Picked for you:" }, carousel: { cards } },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
  });
  after(async () => {
    await server.close();
    await hooks.stop();
    await media.stop();
  });

  async function send(templateName: string, links: string[], messageId: string) {
    const cards = links.map((mediaUrl, i) => ({
      header: { type: templateName === "two_videos" ? "VIDEO" : "IMAGE", mediaUrl },
      buttons: [{ type: "QUICK_REPLY", parameter: `more-${i}` }],
    }));
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: USER,
          messageId,
          content: {
            templateName,
            language: "en",
            templateData: { body: { placeholders: [] }, carousel: { cards } },
          },
        },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return hooks.waitForResult("/dlr", (r) => r.messageId === messageId);
  }

  async function received(messageId: string) {
    const phone = await server.call("GET", `/sandbox/phones/${USER}/messages`);
    return phone.body.messages.find((m: { messageId: string }) => m.messageId === messageId);
  }

  it("downloads every card's media, and the phone shows each card's type, size and sha256", async () => {
    const bodies = [bytes(1000, "a"), bytes(2000, "b"), bytes(3000, "c")];
    const links = bodies.map((b, i) =>
      media.put(`/cards/p${i}.${i === 1 ? "png" : "jpg"}`, i === 1 ? "image/png" : "image/jpeg", b),
    );
    const dlr = await send("three_pictures", links, "cards-ok");
    assert.equal(dlr.status.groupName, "DELIVERED", JSON.stringify(dlr.error));
    const got = await received("cards-ok");
    assert.deepEqual(got.cardMedia, [
      { url: links[0], contentType: "image/jpeg", size: 1000, sha256: sha256(bodies[0] as Buffer) },
      { url: links[1], contentType: "image/png", size: 2000, sha256: sha256(bodies[1] as Buffer) },
      { url: links[2], contentType: "image/jpeg", size: 3000, sha256: sha256(bodies[2] as Buffer) },
    ]);
    assert.equal(got.media, undefined);
    for (let i = 0; i < 3; i++) assert.equal(media.hits(`/cards/p${i}.${i === 1 ? "png" : "jpg"}`), 1);
  });

  it("downloads video cards as video", async () => {
    const links = [0, 1].map((i) => media.put(`/cards/v${i}.mp4`, "video/mp4", bytes(4000 + i)));
    const dlr = await send("two_videos", links, "cards-video");
    assert.equal(dlr.status.groupName, "DELIVERED", JSON.stringify(dlr.error));
    assert.deepEqual(
      (await received("cards-video")).cardMedia.map((m: { size: number }) => m.size),
      [4000, 4001],
    );
  });

  it("fails the message with 131053 when one card's media is too big, of the wrong type or missing, naming the card", async () => {
    const ok = media.put("/cards/fine.jpg", "image/jpeg", bytes(500));
    const cases: [string, string, RegExp][] = [
      [
        "too-big",
        media.put("/cards/huge.jpg", "image/jpeg", bytes(5 * MB + 1)),
        /Carousel card 1: .*too big.*5MB/,
      ],
      [
        "wrong-type",
        media.put("/cards/anim.gif", "image/gif", bytes(100)),
        /Carousel card 1: .*mime type image\/gif/,
      ],
      ["missing", media.url("/cards/gone.jpg"), /Carousel card 1: .*404/],
    ];
    for (const [name, bad, why] of cases) {
      const dlr = await send("three_pictures", [ok, bad, ok], `cards-${name}`);
      assert.equal(dlr.status.groupName, "UNDELIVERABLE", name);
      assert.equal(dlr.error.name, "EC_MEDIA_UPLOAD_ERROR", name);
      assert.match(dlr.error.description, /WhatsApp error 131053/, name);
      assert.match(dlr.error.description, why, name);
      assert.equal(await received(`cards-${name}`), undefined, `${name}: the phone gets nothing`);
    }
  });
});
