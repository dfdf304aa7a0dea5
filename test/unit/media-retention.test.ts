/** Media retention (30 days from when it was stored, to the millisecond) and how a document's name is sent. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { isDocument, mediaExpired, UPLOADED_MEDIA_TTL_MS } from "../../src/core/uploaded-media.ts";
import { attachmentDisposition } from "../../src/faces/kit/media-bytes.ts";

it("media expires exactly 30 days after it was stored", () => {
  const createdAt = 1_700_000_000_000;
  assert.equal(UPLOADED_MEDIA_TTL_MS, 30 * 86_400_000);
  assert.equal(mediaExpired({ createdAt }, createdAt + UPLOADED_MEDIA_TTL_MS - 1), false);
  assert.equal(mediaExpired({ createdAt }, createdAt + UPLOADED_MEDIA_TTL_MS), true);
});

it("documents are the document kind's types only", () => {
  assert.equal(isDocument("application/pdf"), true);
  assert.equal(isDocument("text/plain"), true);
  assert.equal(isDocument("image/jpeg"), false);
  assert.equal(isDocument("audio/ogg"), false);
});

it("a filename is quoted safely, with the UTF-8 form when it is not plain ASCII", () => {
  assert.equal(attachmentDisposition(undefined), "attachment");
  assert.equal(attachmentDisposition("invoice 42.pdf"), 'attachment; filename="invoice 42.pdf"');
  assert.equal(
    attachmentDisposition('a"b\\c.pdf'),
    "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf",
  );
  assert.equal(
    attachmentDisposition("résumé.pdf"),
    "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
  );
  assert.equal(attachmentDisposition("Ann's (1).pdf"), 'attachment; filename="Ann\'s (1).pdf"');
  assert.equal(
    attachmentDisposition("Ann's (1) é.pdf"),
    "attachment; filename=\"Ann's (1) _.pdf\"; filename*=UTF-8''Ann%27s%20%281%29%20%C3%A9.pdf",
  );
  assert.equal(
    attachmentDisposition("line\r\nbreak.pdf"),
    "attachment; filename=\"line__break.pdf\"; filename*=UTF-8''line%0D%0Abreak.pdf",
  );
});
