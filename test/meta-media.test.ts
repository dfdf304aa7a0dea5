/**
 * Media on the Meta face: upload (multipart), retrieve, download with the Bearer token, send by
 * id (the phone gets exactly the uploaded bytes' hash), delete — through whatsapp-api-js and
 * @great-detail/whatsapp unmodified, and the type and size rules at upload.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Client } from "@great-detail/whatsapp";
import { WhatsAppAPI } from "whatsapp-api-js";
import { Image } from "whatsapp-api-js/messages";
import { checkContract } from "./support/contracts.ts";
import { API_KEY, eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, PHONE_ID } from "./support/meta.ts";

/** A PNG signature and some bytes: the phone checks the declared type, not the pixels. */
const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(2048, 7)]);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("Meta media", () => {
  let server: TestServer;
  let api: WhatsAppAPI;
  const user = "447700913001";

  before(async () => {
    server = await startServer({ OPENBSP_MEDIA_DOWNLOAD: "true" });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
    const base = server.url;
    api = new WhatsAppAPI({
      token: API_KEY,
      secure: false,
      v: "v23.0",
      ponyfill: {
        fetch: (url: string | URL | Request, init?: RequestInit) =>
          fetch(String(url).replace("https://graph.facebook.com", base), init),
      },
    });
  });
  after(() => server.close());

  it("whatsapp-api-js uploads, retrieves, downloads, sends by id and deletes", async (t) => {
    const form = new FormData();
    form.set("file", new Blob([PNG], { type: "image/png" }), "pic.png");
    const uploaded = await api.uploadMedia(PHONE_ID, form);
    assert.ok("id" in uploaded, JSON.stringify(uploaded));
    const id = (uploaded as { id: string }).id;
    assert.match(id, /^\d+$/);

    const info = (await api.retrieveMedia(id)) as unknown as {
      url: string;
      mime_type: string;
      sha256: string;
      file_size: string;
      id: string;
    };
    assert.deepEqual(
      [info.mime_type, info.sha256, info.file_size, info.id],
      ["image/png", sha(PNG), String(PNG.length), id],
    );
    await checkContract(t, "meta", (c) =>
      assert.deepEqual(c.response("get", "/{Version}/{Media-ID}", 200, info), []),
    );
    const bytes = Buffer.from(await (await api.fetchMedia(info.url)).arrayBuffer());
    assert.ok(bytes.equals(PNG), "the download is the upload");
    const anonymous = await fetch(info.url);
    assert.equal(anonymous.status, 401, "the download URL needs the token");

    const sent = (await api.sendMessage(PHONE_ID, user, new Image(id, true, "by id"))) as {
      messages: { id: string }[];
    };
    const messageId = sent.messages[0]?.id;
    const got = await eventually(async () =>
      (await server.call("GET", `/sandbox/phones/${user}/messages`)).body.messages.find(
        (m: { messageId: string; state: string }) => m.messageId === messageId && m.state !== "in_transit",
      ),
    );
    assert.equal(got.content.caption, "by id");
    assert.equal(got.media.sha256, sha(PNG));
    assert.equal(got.media.contentType, "image/png");

    assert.deepEqual(await api.deleteMedia(id), { success: true });
    const gone = await metaCall(server.url, "GET", `/v23.0/${id}`);
    assert.equal(gone.body.error.code, 100);
    const byDeleted = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: user,
      type: "image",
      image: { id },
    });
    assert.equal(byDeleted.status, 400);
    assert.match(byDeleted.body.error.error_data.details, /image\.id/);
  });

  it("@great-detail/whatsapp uploads a document", async () => {
    const client = new Client({
      prefixUrl: server.url,
      request: { headers: { Authorization: `Bearer ${API_KEY}` } },
    });
    const res = await client.media
      .upload({
        phoneNumberID: PHONE_ID,
        file: new Blob(["hello"], { type: "text/plain" }),
        filename: "hello.txt",
        mimeType: "text/plain",
      } as never)
      .json<{ id: string }>();
    const info = await metaCall(server.url, "GET", `/v21.0/${res.id}`);
    assert.equal(info.body.file_size, "5", "a string, as Meta answers");
    assert.equal(info.body.mime_type, "text/plain");
  });

  it("refuses a type WhatsApp does not take and a file over its kind's limit (131053)", async () => {
    const upload = async (blob: Blob, type: string) => {
      const form = new FormData();
      form.set("messaging_product", "whatsapp");
      form.set("type", type);
      form.set("file", blob, "f");
      const res = await fetch(`${server.url}/v23.0/${PHONE_ID}/media`, {
        method: "POST",
        body: form,
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      return {
        status: res.status,
        body: (await res.json()) as { error: { code: number; error_data: { details: string } } },
      };
    };
    const gif = await upload(new Blob(["GIF89a"], { type: "image/gif" }), "image/gif");
    assert.equal(gif.status, 400);
    assert.equal(gif.body.error.code, 131053);
    assert.match(gif.body.error.error_data.details, /image\/gif/);
    const big = await upload(
      new Blob([Buffer.alloc(5 * 1024 * 1024 + 1)], { type: "image/png" }),
      "image/png",
    );
    assert.equal(big.body.error.code, 131053);
    assert.match(big.body.error.error_data.details, /5MB/);
    const none = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/media`, {
      messaging_product: "whatsapp",
    });
    assert.equal(none.status, 400);
  });
});
