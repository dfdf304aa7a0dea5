/**
 * Failed authentications are limited per client address: after the allowance, every face and the
 * admin API answer 429 (in their own error body, with Retry-After) before looking a key up — a
 * valid key not seen before included, so keys cannot be guessed at speed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { API_KEY, request, SENDER, startServer, type TestServer } from "./support/harness.ts";

const ADMIN_KEY = "admin-key-0123456789";

describe("failed authentications per client address", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ OPENBSP_ADMIN_KEY: ADMIN_KEY, OPENBSP_AUTH_FAILURES_PER_MINUTE: "5" });
  });
  after(() => server.close());

  it("after 5 failures a minute, the address gets 429s on every face and the admin API", async () => {
    const fresh = await request(
      server.url,
      "POST",
      "/openbsp/1/accounts/acc-default/api-keys",
      {},
      {
        authorization: `Bearer ${ADMIN_KEY}`,
      },
    );
    assert.equal(fresh.status, 201);
    // The seeded key, used now, is known from here on.
    assert.equal((await server.call("GET", `/whatsapp/2/senders/${SENDER}/templates`)).status, 200);

    for (let i = 0; i < 5; i++) {
      const res = await request(server.url, "GET", `/whatsapp/2/senders/${SENDER}/templates`, undefined, {
        authorization: `App guess-${i}-0000000000`,
      });
      assert.equal(res.status, 401, `guess ${i}`);
    }
    const infobip = await request(server.url, "GET", `/whatsapp/2/senders/${SENDER}/templates`, undefined, {
      authorization: "App guess-6-0000000000",
    });
    assert.equal(infobip.status, 429);
    assert.ok(Number(infobip.headers.get("retry-after")) >= 1);
    assert.ok(infobip.body.requestError, "in Infobip's error body");

    const meta = await request(server.url, "GET", "/v23.0/100000000000003", undefined, {
      authorization: `Bearer ${fresh.body.key}`,
    });
    assert.equal(meta.status, 429, "even a valid key not seen before waits");
    assert.ok(meta.body.error, "in Meta's error object");
    const admin = await request(server.url, "GET", "/openbsp/1/accounts", undefined, {
      authorization: `Bearer ${ADMIN_KEY}`,
    });
    assert.equal(admin.status, 429);
    assert.equal(admin.body.error.code, "TOO_MANY_REQUESTS");

    // A key this node already knows costs no lookup and is not held up.
    assert.equal((await server.call("GET", `/whatsapp/2/senders/${SENDER}/templates`)).status, 200);
    assert.ok(API_KEY);
  });
});
