/**
 * Media a user sent in, served in every dialect: Infobip's inbound media URL (GET bytes, HEAD
 * headers, DELETE by URL), Meta's two hops (`GET /{media-id}` → a 5-minute URL → bytes with the
 * token) and delete, Sinch's inbound media URL. Deleted and expired (30 days, on the sandbox
 * clock) media answers 404 in each face's format; another account's media is never served, never
 * deleted and never told apart from media that does not exist.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { API_KEY, request, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { type OtherAccount, seedInboundMedia, seedOtherAccount } from "./support/inbound-media.ts";
import { metaCall, PHONE_ID } from "./support/meta.ts";

const JPEG = Buffer.concat([
  Buffer.from("ffd8ffe0", "hex"),
  Buffer.alloc(4096, 3),
  Buffer.from("ffd9", "hex"),
]);
const PDF = Buffer.from("%PDF-1.4\n% a user's invoice\n%%EOF\n");
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const USER = "447700914001";
const BOT = "openbsp-bot";
const DAY = 86_400_000;

/** A raw request with `authorization`, resolving with the status, headers and the body as bytes. */
async function raw(base: string, method: string, path: string, authorization?: string) {
  const res = await fetch(path.startsWith("http") ? path : `${base}${path}`, {
    method,
    headers: authorization ? { authorization } : {},
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const infobipUrl = (server: TestServer, id: string, sender = SENDER) =>
  `${server.url}/whatsapp/1/senders/${sender}/media/${id}`;

describe("inbound media", () => {
  let server: TestServer;
  let other: OtherAccount;
  const app = `App ${API_KEY}`;
  const bearer = `Bearer ${API_KEY}`;

  before(async () => {
    server = await startServer({ OPENBSP_SINCH_BOT_ID: BOT });
    other = await seedOtherAccount(server);
  });
  after(() => server.close());

  it("Infobip: GET gives the user's bytes with their type and length, HEAD the headers alone, DELETE by URL makes it 404", async (t) => {
    const media = await seedInboundMedia(server, {
      bytes: JPEG,
      mimeType: "image/jpeg",
      from: USER,
      sender: SENDER,
    });
    const url = infobipUrl(server, media.id);

    const got = await raw(server.url, "GET", url, app);
    assert.equal(got.status, 200);
    assert.equal(sha(got.bytes), sha(JPEG), "the bytes the user sent");
    assert.equal(got.headers.get("content-type"), "image/jpeg");
    assert.equal(got.headers.get("content-length"), String(JPEG.length));
    assert.equal(got.headers.get("content-disposition"), null, "an image is not an attachment");

    const head = await raw(server.url, "HEAD", url, app);
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-type"), "image/jpeg");
    assert.equal(head.headers.get("content-length"), String(JPEG.length));
    assert.equal(head.bytes.length, 0);

    const body = { url };
    const deleted = await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, body);
    assert.equal(deleted.status, 204);
    await checkContract(t, "infobip", (c) => {
      assert.deepEqual(c.request("delete", "/whatsapp/1/senders/{sender}/media", body), []);
      assert.deepEqual(c.response("delete", "/whatsapp/1/senders/{sender}/media", 204, deleted.body), []);
      assert.deepEqual(c.response("head", "/whatsapp/1/senders/{sender}/media/{mediaId}", 200, ""), []);
    });

    const gone = await server.call("GET", `/whatsapp/1/senders/${SENDER}/media/${media.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.requestError.serviceException.messageId, "NOT_FOUND");
    await checkContract(t, "infobip", (c) => {
      // The document declares this 404 without a body; OpenBSP answers it in Infobip's error body, as its other 404s.
      assert.deepEqual(c.schema("ApiException", gone.body), []);
    });
    assert.equal((await raw(server.url, "HEAD", url, app)).status, 404);
    const again = await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, body);
    assert.equal(again.status, 404, "a second delete finds nothing");
    assert.equal(existsSync(join(server.dataDir, "media", media.id)), false, "the file is gone too");
  });

  it("Infobip: a document comes as an attachment with its filename", async () => {
    const media = await seedInboundMedia(server, {
      bytes: PDF,
      mimeType: "application/pdf",
      from: USER,
      sender: SENDER,
      filename: "invoice 42.pdf",
    });
    const got = await raw(server.url, "GET", infobipUrl(server, media.id), app);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(PDF));
    assert.equal(got.headers.get("content-disposition"), 'attachment; filename="invoice 42.pdf"');
    const head = await raw(server.url, "HEAD", infobipUrl(server, media.id), app);
    assert.equal(head.headers.get("content-disposition"), 'attachment; filename="invoice 42.pdf"');
    assert.equal(head.headers.get("content-type"), "application/pdf");
  });

  it("Infobip: bad input is a 4xx in Infobip's body; another account's sender is a 403", async (t) => {
    const media = await seedInboundMedia(server, {
      bytes: JPEG,
      mimeType: "image/jpeg",
      from: USER,
      sender: SENDER,
    });
    const noUrl = await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, {});
    assert.equal(noUrl.status, 400);
    assert.ok(noUrl.body.requestError.serviceException.validationErrors.url, JSON.stringify(noUrl.body));
    const notMedia = await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, {
      url: "https://example.com/logo.png",
    });
    assert.equal(notMedia.status, 400);
    assert.ok(notMedia.body.requestError.serviceException.validationErrors.url);
    const forbidden = await server.call("GET", `/whatsapp/1/senders/${other.sender}/media/${media.id}`);
    assert.equal(forbidden.status, 403);
    const unauthenticated = await raw(server.url, "GET", infobipUrl(server, media.id));
    assert.equal(unauthenticated.status, 401);
    await checkContract(t, "infobip", (c) => {
      assert.deepEqual(
        c.response("get", "/whatsapp/1/senders/{sender}/media/{mediaId}", 403, forbidden.body),
        [],
      );
      assert.deepEqual(c.response("delete", "/whatsapp/1/senders/{sender}/media", 400, noUrl.body), []);
    });
    // The media is still there: nothing above touched it.
    assert.equal((await raw(server.url, "GET", infobipUrl(server, media.id), app)).status, 200);
  });

  it("Meta: GET /{media-id} gives a signed 5-minute URL; that URL with the token gives the same bytes; DELETE makes both go", async (t) => {
    const media = await seedInboundMedia(server, {
      bytes: JPEG,
      mimeType: "image/jpeg",
      from: USER,
      sender: SENDER,
    });
    const info = await metaCall(server.url, "GET", `/v23.0/${media.id}`);
    assert.equal(info.status, 200, JSON.stringify(info.body));
    assert.deepEqual(
      { ...info.body, url: undefined },
      {
        messaging_product: "whatsapp",
        url: undefined,
        mime_type: "image/jpeg",
        sha256: sha(JPEG),
        file_size: String(JPEG.length),
        id: media.id,
      },
    );
    await checkContract(t, "meta", (c) =>
      assert.deepEqual(c.response("get", "/{Version}/{Media-ID}", 200, info.body), []),
    );
    const url = new URL(info.body.url);
    assert.equal(url.searchParams.get("mid"), media.id);
    assert.ok(Number(url.searchParams.get("ext")) * 1000 > server.clock.now(), "an expiry in the future");
    assert.ok(url.searchParams.get("hash"));

    const got = await raw(server.url, "GET", info.body.url, bearer);
    assert.equal(got.status, 200);
    assert.equal(sha(got.bytes), sha(JPEG));
    assert.equal(got.headers.get("content-type"), "image/jpeg");
    assert.equal((await raw(server.url, "GET", info.body.url)).status, 401, "the URL needs the token");
    const forged = new URL(info.body.url);
    forged.searchParams.set("ext", String(Number(forged.searchParams.get("ext")) + 3600));
    const late = await raw(server.url, "GET", forged.href, bearer);
    assert.equal(late.status, 404, "a URL whose expiry was moved is not honoured");

    // `?phone_number_id=` acts only on that phone number's media.
    assert.equal(
      (await metaCall(server.url, "GET", `/v23.0/${media.id}?phone_number_id=${PHONE_ID}`)).body.id,
      media.id,
    );
    assert.equal(
      (await metaCall(server.url, "GET", `/v23.0/${media.id}?phone_number_id=${other.metaPhoneNumberId}`))
        .body.error.code,
      100,
    );
    assert.equal(
      (await metaCall(server.url, "DELETE", `/v23.0/${media.id}?phone_number_id=${other.metaPhoneNumberId}`))
        .body.error.code,
      100,
    );
    assert.equal(
      (await raw(server.url, "GET", info.body.url, bearer)).status,
      200,
      "not deleted by the refused call",
    );

    const deleted = await metaCall(server.url, "DELETE", `/v23.0/${media.id}?phone_number_id=${PHONE_ID}`);
    assert.deepEqual(deleted.body, { success: true });
    const gone = await metaCall(server.url, "GET", `/v23.0/${media.id}`);
    assert.equal(gone.body.error.code, 100, "Graph's answer for an object that is not there");
    const byUrl = await raw(server.url, "GET", info.body.url, bearer);
    assert.equal(byUrl.status, 404);
    assert.equal(JSON.parse(byUrl.bytes.toString()).error.code, 100, "in Meta's error object");
    assert.equal((await metaCall(server.url, "DELETE", `/v23.0/${media.id}`)).body.error.code, 100);
  });

  it("the API document shows every media route", async () => {
    const doc = (await request(server.url, "GET", "/openapi.json")).body;
    assert.deepEqual(Object.keys(doc.paths["/whatsapp/1/senders/{sender}/media/{mediaId}"]).sort(), [
      "get",
      "head",
    ]);
    assert.ok(doc.paths["/whatsapp/1/senders/{sender}/media"].delete);
    assert.deepEqual(Object.keys(doc.paths["/whatsapp/v1/{botId}/media/{mediaId}"]).sort(), ["get", "head"]);
    assert.ok(
      doc.paths["/whatsapp_business/attachments/"].get.parameters.some(
        (p: { name: string }) => p.name === "ext",
      ),
    );
  });

  it("Sinch: the inbound media URL gives the bytes with the bot's Bearer key", async () => {
    const media = await seedInboundMedia(server, {
      bytes: PDF,
      mimeType: "application/pdf",
      from: USER,
      sender: SENDER,
      filename: "invoice.pdf",
    });
    const path = `/whatsapp/v1/${BOT}/media/${media.id}`;
    const got = await raw(server.url, "GET", path, bearer);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(PDF));
    assert.equal(got.headers.get("content-type"), "application/pdf");
    assert.equal(got.headers.get("content-length"), String(PDF.length));
    assert.equal(got.headers.get("content-disposition"), 'attachment; filename="invoice.pdf"');
    const head = await raw(server.url, "HEAD", path, bearer);
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(PDF.length));
    assert.equal(head.bytes.length, 0);
    assert.equal((await raw(server.url, "GET", path)).status, 401, "Sinch's endpoints take the bot's token");
    const unknown = await request(server.url, "GET", `/whatsapp/v1/${BOT}/media/123456789`, undefined, {
      authorization: bearer,
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, "Not found", "in Sinch's body");
  });

  it("another account cannot read, HEAD or delete a user's media on any face, nor tell it exists", async () => {
    const theirs = await seedInboundMedia(server, {
      bytes: JPEG,
      mimeType: "image/jpeg",
      from: USER,
      sender: other.sender,
      accountId: other.accountId,
    });
    const otherApp = `App ${other.apiKey}`;
    const otherBearer = `Bearer ${other.apiKey}`;
    // The owner reads it, so what follows is refused for whose it is, not for what it is.
    assert.equal(
      (await raw(server.url, "GET", infobipUrl(server, theirs.id, other.sender), otherApp)).status,
      200,
    );

    // Infobip: through the caller's own sender it is not there; through theirs the sender is forbidden.
    const absent = await server.call("GET", `/whatsapp/1/senders/${SENDER}/media/${theirs.id}`);
    const neverWas = await server.call("GET", `/whatsapp/1/senders/${SENDER}/media/999999999999`);
    assert.equal(absent.status, 404);
    assert.deepEqual(absent.body, neverWas.body, "the same answer as for an id that never existed");
    assert.equal((await raw(server.url, "HEAD", infobipUrl(server, theirs.id), app)).status, 404);
    assert.equal(
      (await raw(server.url, "GET", infobipUrl(server, theirs.id, other.sender), app)).status,
      403,
    );
    assert.equal(
      (
        await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, {
          url: infobipUrl(server, theirs.id, other.sender),
        })
      ).status,
      404,
    );
    assert.equal(
      (
        await server.call("DELETE", `/whatsapp/1/senders/${other.sender}/media`, {
          url: infobipUrl(server, theirs.id, other.sender),
        })
      ).status,
      403,
    );

    // Meta: the id is an object the token cannot see, and the owner's URL means nothing to it.
    const seen = await metaCall(server.url, "GET", `/v23.0/${theirs.id}`);
    const never = await metaCall(server.url, "GET", "/v23.0/999999999999");
    assert.equal(seen.status, never.status);
    assert.equal(seen.body.error.code, 100);
    assert.equal(seen.body.error.error_subcode, never.body.error.error_subcode);
    assert.equal((await metaCall(server.url, "DELETE", `/v23.0/${theirs.id}`)).body.error.code, 100);
    const ownersUrl = (await metaCall(server.url, "GET", `/v23.0/${theirs.id}`, undefined, other.apiKey)).body
      .url;
    assert.equal((await raw(server.url, "GET", ownersUrl, bearer)).status, 404);

    // Sinch: not behind the caller's bot, and the owner's bot is not the caller's.
    assert.equal(
      (await raw(server.url, "GET", `/whatsapp/v1/${BOT}/media/${theirs.id}`, bearer)).status,
      404,
    );
    assert.equal(
      (await raw(server.url, "GET", `/whatsapp/v1/${other.sinchBotId}/media/${theirs.id}`, bearer)).status,
      401,
    );

    // And the other way round: the owner cannot reach the seeded account's media either.
    const ours = await seedInboundMedia(server, {
      bytes: PDF,
      mimeType: "application/pdf",
      from: USER,
      sender: SENDER,
    });
    assert.equal(
      (await raw(server.url, "GET", infobipUrl(server, ours.id, other.sender), otherApp)).status,
      404,
    );
    assert.equal(
      (await raw(server.url, "GET", `/whatsapp/v1/${other.sinchBotId}/media/${ours.id}`, otherBearer)).status,
      404,
    );

    // Nothing was deleted: the owners still get their bytes.
    const still = await raw(server.url, "GET", infobipUrl(server, theirs.id, other.sender), otherApp);
    assert.equal(sha(still.bytes), sha(JPEG));
    assert.equal((await raw(server.url, "GET", ownersUrl, otherBearer)).status, 200);
    assert.equal((await raw(server.url, "GET", infobipUrl(server, ours.id), app)).status, 200);
  });
});

describe("inbound media expiry (sandbox clock)", () => {
  let server: TestServer;
  const bearer = `Bearer ${API_KEY}`;

  before(async () => {
    server = await startServer({ OPENBSP_SINCH_BOT_ID: BOT });
  });
  after(() => server.close());

  it("a Meta media URL is honoured for 5 minutes, then 404; a fresh GET /{media-id} gives a working one", async () => {
    const media = await seedInboundMedia(server, {
      bytes: JPEG,
      mimeType: "image/jpeg",
      from: USER,
      sender: SENDER,
    });
    const first = (await metaCall(server.url, "GET", `/${media.id}`)).body.url;
    assert.equal((await raw(server.url, "GET", first, bearer)).status, 200);
    await server.call("POST", "/sandbox/clock/advance", { ms: 4 * 60_000 });
    assert.equal((await raw(server.url, "GET", first, bearer)).status, 200, "still within 5 minutes");
    await server.call("POST", "/sandbox/clock/advance", { ms: 61_000 });
    const late = await raw(server.url, "GET", first, bearer);
    assert.equal(late.status, 404, "used late");
    assert.equal(JSON.parse(late.bytes.toString()).error.code, 100);
    const fresh = (await metaCall(server.url, "GET", `/${media.id}`)).body.url;
    const got = await raw(server.url, "GET", fresh, bearer);
    assert.equal(got.status, 200);
    assert.equal(sha(got.bytes), sha(JPEG));
  });

  it("inbound media lives 30 days after it was received, then is a 404 on every face and its file goes", async () => {
    const media = await seedInboundMedia(server, {
      bytes: JPEG,
      mimeType: "image/jpeg",
      from: USER,
      sender: SENDER,
    });
    const url = infobipUrl(server, media.id);
    const app = `App ${API_KEY}`;
    await server.call("POST", "/sandbox/clock/advance", { ms: 29 * DAY });
    assert.equal((await raw(server.url, "GET", url, app)).status, 200, "29 days on it is still there");
    await server.call("POST", "/sandbox/clock/advance", { ms: DAY - 60_000 });
    // A minute before the media expires: a URL that would live 5 minutes more.
    const metaUrl = (await metaCall(server.url, "GET", `/v23.0/${media.id}`)).body.url;
    assert.equal((await raw(server.url, "GET", metaUrl, bearer)).status, 200);

    await server.call("POST", "/sandbox/clock/advance", { ms: 60_000 });
    const gone = await server.call("GET", `/whatsapp/1/senders/${SENDER}/media/${media.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.requestError.serviceException.messageId, "NOT_FOUND");
    assert.equal((await raw(server.url, "HEAD", url, app)).status, 404);
    assert.equal((await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, { url })).status, 404);
    assert.equal((await metaCall(server.url, "GET", `/v23.0/${media.id}`)).body.error.code, 100);
    assert.equal(
      (await raw(server.url, "GET", metaUrl, bearer)).status,
      404,
      "a URL still within its 5 minutes: the media itself is gone",
    );
    const sinch = await request(server.url, "GET", `/whatsapp/v1/${BOT}/media/${media.id}`, undefined, {
      authorization: bearer,
    });
    assert.equal(sinch.status, 404);
    assert.equal(sinch.body.message, "Not found");
    assert.equal(
      await server.ctx.storage.media.get(media.id),
      undefined,
      "the record went when it was read expired",
    );
    assert.equal(existsSync(join(server.dataDir, "media", media.id)), false, "and its file");
  });
});
