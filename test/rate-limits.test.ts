/**
 * WhatsApp's sending limits, on every face: a sender number's throughput (130429) and the pair
 * rate to one user (131056). Over a limit the request is refused whole with 429 and Retry-After,
 * nothing is stored, and once the bucket refills (the sandbox clock moves) sends pass again.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
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

  it("throughput: over the sender's messages per second → 130429 on Meta, 429 TOO_MANY_REQUESTS on Infobip; a refused bulk stores nothing", async (t) => {
    await server.call("POST", "/sandbox/clock/advance", { ms: 10_000 });
    const bulk = await server.call("POST", "/whatsapp/1/message/template", {
      messages: Array.from({ length: 6 }, (_, i) =>
        welcome(`4477009120${10 + i}`, { messageId: `rl-bulk-${i}` }),
      ),
    });
    assert.equal(bulk.status, 429, JSON.stringify(bulk.body));
    assert.equal(bulk.body.requestError.serviceException.messageId, "TOO_MANY_REQUESTS");
    assert.match(bulk.body.requestError.serviceException.text, /130429/);
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.response("post", "/whatsapp/1/message/template", 429, bulk.body), []),
    );
    assert.equal(
      await server.ctx.storage.messages.get("acc-default", "rl-bulk-0"),
      undefined,
      "nothing of it stored",
    );
    // Forty at once at 5 per second: however slow this machine, most of them are over the limit.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => meta(`+44770091${2100 + i}`)));
    const refused = answers.filter((a) => a.status === 429);
    assert.ok(
      answers.some((a) => a.status === 200),
      "the first ones pass",
    );
    assert.ok(refused.length >= 20, `refused ${refused.length} of 40`);
    for (const r of refused) assert.equal(r.body.error.code, 130429);
    const sinch = await server.call(
      "POST",
      "/whatsapp/v1/openbspbot/messages",
      { to: ["447700912198"], message: { type: "text", text: "x" } },
      {
        authorization: "Bearer test-api-key-0001",
      },
    );
    assert.ok([201, 429].includes(sinch.status), JSON.stringify(sinch.body));
    const sinchBulk = await server.call(
      "POST",
      "/whatsapp/v1/openbspbot/messages",
      {
        to: Array.from({ length: 6 }, (_, i) => `4477009122${10 + i}`),
        message: { type: "text", text: "x" },
      },
      { authorization: "Bearer test-api-key-0001" },
    );
    assert.equal(sinchBulk.status, 429, "six at once is over a burst of five, whatever the timing");
    await server.call("POST", "/sandbox/clock/advance", { ms: 1000 });
    assert.equal((await meta("+447700912199")).status, 200);
  });
});
