/**
 * WhatsApp's sending limits: the pair rate to one user (131056) on every face, and a sender
 * number's throughput (130429) on Meta's face, where Cloud API refuses over it at once. Over a
 * limit the request is refused whole with 429 and Retry-After, nothing is stored, and once the
 * bucket refills (the sandbox clock moves) sends pass again. Infobip and Sinch accept a burst
 * over the throughput and pace it (test/pacing.test.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startServer, type TestServer, welcome } from "./support/harness.ts";
import { metaCall, PHONE_ID } from "./support/meta.ts";

describe("sending limits", () => {
  let server: TestServer;
  const meta = (to: string) =>
    metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to,
      type: "template",
      template: {
        name: "welcome",
        language: { code: "en" },
        components: [{ type: "body", parameters: [{ type: "text", text: "A" }] }],
      },
    });

  before(async () => {
    server = await startServer({
      OPENBSP_THROUGHPUT_MPS: "5",
      OPENBSP_PAIR_RATE_BURST: "2",
      OPENBSP_PAIR_RATE_INTERVAL_MS: "60000",
    });
  });
  after(() => server.close());

  it("the pair rate: a third message to the same user in a burst → 131056 (429); other users are not affected", async () => {
    assert.equal((await meta("+447700911001")).status, 200);
    assert.equal((await meta("+447700911001")).status, 200);
    const third = await meta("+447700911001");
    assert.equal(third.status, 429, JSON.stringify(third.body));
    assert.equal(third.body.error.code, 131056);
    assert.ok(Number(third.headers.get("retry-after")) > 0);
    assert.equal((await meta("+447700911002")).status, 200, "another user");
    await server.call("POST", "/sandbox/clock/advance", { ms: 60_000 });
    assert.equal((await meta("+447700911001")).status, 200, "after the interval");
  });

  it("throughput: over the sender's messages per second → 130429 on Meta; Infobip and Sinch accept the burst (they pace it)", async () => {
    await server.call("POST", "/sandbox/clock/advance", { ms: 10_000 });
    // Forty at once at 5 per second: however slow this machine, most of them are over the limit.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => meta(`+44770091${2100 + i}`)));
    const refused = answers.filter((a) => a.status === 429);
    assert.ok(
      answers.some((a) => a.status === 200),
      "the first ones pass",
    );
    assert.ok(refused.length >= 20, `refused ${refused.length} of 40`);
    for (const r of refused) {
      assert.equal(r.body.error.code, 130429);
      assert.ok(Number(r.headers.get("retry-after")) > 0);
    }
    const bulk = await server.call("POST", "/whatsapp/1/message/template", {
      messages: Array.from({ length: 6 }, (_, i) =>
        welcome(`4477009120${10 + i}`, { messageId: `rl-bulk-${i}` }),
      ),
    });
    assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
    for (const m of bulk.body.messages) assert.equal(m.status.groupName, "PENDING");
    const sinchBulk = await server.call(
      "POST",
      "/whatsapp/v1/openbspbot/messages",
      {
        to: Array.from({ length: 6 }, (_, i) => `4477009122${10 + i}`),
        message: { type: "text", text: "x" },
      },
      { authorization: "Bearer test-api-key-0001" },
    );
    assert.equal(sinchBulk.status, 201, JSON.stringify(sinchBulk.body));
    await server.call("POST", "/sandbox/clock/advance", { ms: 1000 });
    assert.equal((await meta("+447700912199")).status, 200);
  });
});
