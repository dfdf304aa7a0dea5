/**
 * Media sent by link: the simulated phone downloads it when the message reaches it, within
 * WhatsApp's type and size limits, reusing a link fetched in the last 10 minutes; links to the
 * host's own networks are refused unless OPENBSP_MEDIA_ALLOW_PRIVATE is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { SENDER, startServer, type TestServer } from "./support/harness.ts";
import { bytes, MediaServer, sha256 } from "./support/media-server.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const MB = 1024 * 1024;

/** A WebP file header whose VP8X chunk sets the animation flag, padded to `size` bytes. */
function animatedWebp(size: number): Buffer {
  const head = Buffer.concat([
    Buffer.from("RIFF"),
    Buffer.alloc(4),
    Buffer.from("WEBPVP8X"),
    Buffer.alloc(4),
    Buffer.from([0x02]),
  ]);
  return Buffer.concat([head, Buffer.alloc(size - head.length)]);
}

describe("media links", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const media = new MediaServer();
  const user = "447700911001";

  before(async () => {
    await hooks.start();
    await media.start();
    server = await startServer({ OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`, OPENBSP_MEDIA_DOWNLOAD: "true" });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "send me pictures" });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
    await media.stop();
  });

  async function send(type: string, messageId: string, content: object, on = server) {
    const res = await on.call("POST", `/whatsapp/1/message/${type}`, {
      from: SENDER,
      to: user,
      messageId,
      content,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return hooks.waitForResult("/dlr", (r) => r.messageId === messageId);
  }

  async function received(messageId: string, on = server) {
    const phone = await on.call("GET", `/sandbox/phones/${user}/messages`);
    return phone.body.messages.find((m: { messageId: string }) => m.messageId === messageId);
  }

  async function assertMediaFailure(
    dlr: { status: { groupName: string }; error: { id: number; name: string; description: string } },
    why: RegExp,
  ) {
    assert.equal(dlr.status.groupName, "UNDELIVERABLE");
    assert.equal(dlr.error.id, 7014);
    assert.equal(dlr.error.name, "EC_MEDIA_UPLOAD_ERROR");
    assert.match(dlr.error.description, /WhatsApp error 131053/);
    assert.match(dlr.error.description, why);
  }

  it("delivers an image, and the phone shows its type, size and sha256", async () => {
    const body = bytes(2048, "p");
    const link = media.put("/ok/cat.png", "image/png; charset=binary", body);
    const dlr = await send("image", "media-ok", { mediaUrl: link, caption: "A cat" });
    assert.equal(dlr.status.groupName, "DELIVERED");
    const got = await received("media-ok");
    assert.deepEqual(got.content, { type: "image", mediaUrl: link, caption: "A cat" });
    assert.deepEqual(got.media, { url: link, contentType: "image/png", size: 2048, sha256: sha256(body) });
  });

  it("fails an image over 5 MB with WhatsApp's media upload error, and the phone gets nothing", async (t) => {
    const link = media.put("/big/photo.jpg", "image/jpeg", bytes(5 * MB + 1));
    const dlr = await send("image", "media-big", { mediaUrl: link });
    await assertMediaFailure(dlr, /too big.*5MB/);
    await checkContract(t, "infobip", (c) => {
      const report = hooks.received.find(
        (r) =>
          r.path === "/dlr" && r.body.results.some((x: { messageId: string }) => x.messageId === "media-big"),
      );
      assert.deepEqual(c.webhook("receive-whatsapp-delivery-reports", report?.body), []);
    });
    assert.equal(await received("media-big"), undefined);
  });

  it("fails media of a type WhatsApp does not take for that kind", async () => {
    const link = media.put("/gif/dance.gif", "image/gif", bytes(100));
    await assertMediaFailure(await send("image", "media-gif", { mediaUrl: link }), /mime type image\/gif/);
    const pdf = media.put("/pdf/menu.pdf", "application/pdf", bytes(100));
    await assertMediaFailure(
      await send("video", "media-pdf-as-video", { mediaUrl: pdf }),
      /mime type application\/pdf/,
    );
  });

  it("fails a link that answers 404", async () => {
    await assertMediaFailure(
      await send("document", "media-404", { mediaUrl: media.url("/missing.pdf") }),
      /http code 404/,
    );
  });

  it("takes a static sticker up to 100 KB and an animated one up to 500 KB", async () => {
    const staticBig = media.put("/s/static.webp", "image/webp", bytes(100 * 1024 + 1));
    await assertMediaFailure(await send("sticker", "sticker-static-big", { mediaUrl: staticBig }), /100KB/);
    const animated = media.put("/s/animated.webp", "image/webp", animatedWebp(400 * 1024));
    assert.equal(
      (await send("sticker", "sticker-animated", { mediaUrl: animated })).status.groupName,
      "DELIVERED",
    );
    assert.equal((await received("sticker-animated")).media.animated, true);
  });

  it("fails an interactive message whose header media is of the wrong type", async () => {
    const png = media.put("/h/not-a-video.png", "image/png", bytes(64));
    const content = {
      body: { text: "Pick one" },
      header: { type: "VIDEO", mediaUrl: png },
      action: { buttons: [{ type: "REPLY", id: "a", title: "A" }] },
    };
    await assertMediaFailure(
      await send("interactive/buttons", "media-header", content),
      /mime type image\/png/,
    );
  });

  it("fetches a link once in 10 minutes, and again once they have passed", async () => {
    const link = media.put("/cached/logo.png", "image/png", bytes(300, "c"));
    for (const id of ["cache-1", "cache-2"])
      assert.equal((await send("image", id, { mediaUrl: link })).status.groupName, "DELIVERED");
    assert.equal(media.hits("/cached/logo.png"), 1);
    // Another spelling of the link is another link.
    assert.equal(
      (await send("image", "cache-query", { mediaUrl: `${link}?v=2` })).status.groupName,
      "DELIVERED",
    );
    assert.equal(media.hits("/cached/logo.png"), 2);

    await server.call("POST", "/sandbox/clock/advance", { ms: 10 * 60_000 + 1000 });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "still here" });
    assert.equal((await send("image", "cache-3", { mediaUrl: link })).status.groupName, "DELIVERED");
    assert.equal(media.hits("/cached/logo.png"), 3);
    assert.equal((await received("cache-3")).media.sha256, sha256(bytes(300, "c")));
  });

  it("refuses links to private addresses unless OPENBSP_MEDIA_ALLOW_PRIVATE is set, redirects included", async () => {
    const guarded = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_MEDIA_DOWNLOAD: "true",
      OPENBSP_MEDIA_ALLOW_PRIVATE: "false",
    });
    try {
      await guarded.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
      const link = media.put("/private/secret.png", "image/png", bytes(10));
      const before = media.hits("/private/secret.png");
      await assertMediaFailure(
        await send("image", "private-ip", { mediaUrl: link }, guarded),
        /private address/,
      );
      const byName = link.replace("127.0.0.1", "localhost");
      await assertMediaFailure(
        await send("image", "private-name", { mediaUrl: byName }, guarded),
        /private address/,
      );
      await assertMediaFailure(
        await send("image", "private-v6", { mediaUrl: "http://[::ffff:127.0.0.1]:9/x.png" }, guarded),
        /private address/,
      );
      await assertMediaFailure(
        await send("image", "metadata", { mediaUrl: "http://169.254.169.254/latest/meta-data" }, guarded),
        /private address/,
      );
      assert.equal(media.hits("/private/secret.png"), before, "no request reached the private server");
      assert.equal(await received("private-ip", guarded), undefined);
    } finally {
      await guarded.close();
    }
  });

  it("delivers media unchecked when OPENBSP_MEDIA_DOWNLOAD is off", async () => {
    const offline = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_MEDIA_DOWNLOAD: "false",
    });
    try {
      await offline.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
      const dlr = await send(
        "image",
        "placeholder",
        { mediaUrl: "https://placeholder.invalid/cat.png" },
        offline,
      );
      assert.equal(dlr.status.groupName, "DELIVERED");
      assert.equal((await received("placeholder", offline)).media, undefined);
    } finally {
      await offline.close();
    }
  });

  it("follows a redirect to the media, and checks what it lands on", async () => {
    const target = media.put("/r/real.png", "image/png", bytes(50, "r"));
    const hop = media.redirect("/r/hop", target);
    assert.equal((await send("image", "redirected", { mediaUrl: hop })).status.groupName, "DELIVERED");
    assert.deepEqual((await received("redirected")).media, {
      url: hop,
      contentType: "image/png",
      size: 50,
      sha256: sha256(bytes(50, "r")),
    });
    const toText = media.redirect("/r/to-text", media.put("/r/readme.txt", "text/plain", "hello"));
    await assertMediaFailure(
      await send("image", "redirected-text", { mediaUrl: toText }),
      /mime type text\/plain/,
    );
  });
});
