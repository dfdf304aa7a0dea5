/**
 * Dispatch paced the way WhatsApp paces it, end to end through the faces: a burst over the sender's
 * throughput tier is accepted whole on Infobip and Sinch and reaches the phones at the tier's
 * pace, while Meta's face still refuses over it with 130429; a message still waiting for its slot
 * when its TTL runs out expires (with its SMS failover); templates carry a custom TTL
 * (`message_send_ttl_seconds` on Meta, `validityPeriod` on Infobip) within Meta's bounds, and
 * their sends live that long.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { eventually, SENDER, startServer, type TestServer, welcome } from "./support/harness.ts";
import { metaCall, PHONE_ID, WABA_ID } from "./support/meta.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const TIER = 10;
const INFOBIP_TEMPLATES = `/whatsapp/2/senders/${SENDER}/templates`;

/** When each phone received its message (ms), waiting until all of them have. */
async function receivedAt(server: TestServer, numbers: readonly string[], ms = 15_000): Promise<number[]> {
  return eventually(
    async () => {
      const times: number[] = [];
      for (const n of numbers) {
        const res = await server.call("GET", `/sandbox/phones/${n}/messages`);
        const at = res.body.messages?.[0]?.receivedAt;
        if (at === undefined) return undefined;
        times.push(Date.parse(at));
      }
      return times;
    },
    ms,
    "every phone received its message",
  );
}

/** The delivery report (not the seen report) of each of `ids`, once all have come. */
async function deliveryReports(hooks: WebhookReceiver, ids: ReadonlySet<string>) {
  return eventually(
    () => {
      const got = hooks.results("/dlr").filter((r) => ids.has(r.messageId) && r.status !== undefined);
      return got.length === ids.size ? got : undefined;
    },
    15_000,
    `a delivery report for each of ${ids.size}`,
  );
}

describe("dispatch paced at the sender's throughput tier", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_THROUGHPUT_MPS: String(TIER),
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("Infobip accepts a burst three times the tier whole, and the phones receive it at the tier's pace, in order", async () => {
    const numbers = Array.from({ length: 3 * TIER }, (_, i) => `4477009510${String(i).padStart(2, "0")}`);
    const sentAt = Date.now();
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: numbers.map((to) => welcome(to)),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.messages.length, numbers.length);
    for (const m of res.body.messages) assert.equal(m.status.groupName, "PENDING");
    // Right after the answer the last ones are still waiting for their slots: no phone has them.
    const last = await server.call("GET", `/sandbox/phones/${numbers.at(-1)}/messages`);
    assert.deepEqual(last.body.messages, [], "the last of the burst waits its turn");

    const times = await receivedAt(server, numbers);
    const span = Math.max(...times) - Math.min(...times);
    // 30 messages at 10/s: slots 100 ms apart, so the last goes ≥ 2.9 s after the first.
    assert.ok(span >= 2_800, `received over ${span} ms, not at the tier's pace`);
    assert.ok(span <= 2_900 + 3_000, `received over ${span} ms: far slower than the tier`);
    // Never ahead of the tier: the k-th message is not received before its slot, k × 100 ms after
    // the burst was sent (a late dispatcher may deliver several overdue slots at once, never early ones).
    for (const [k, at] of times.entries())
      assert.ok(
        at >= sentAt + (k * 1000) / TIER - 100,
        `message ${k} came ${sentAt + (k * 1000) / TIER - at} ms before its slot`,
      );
    for (let i = 1; i < times.length; i++)
      assert.ok((times[i] as number) >= (times[i - 1] as number), `message ${i} overtook the one before it`);

    // The reports tell the same story: every one delivered, the last sent well after the first.
    const ids = new Set<string>(res.body.messages.map((m: { messageId: string }) => m.messageId));
    const reports = await deliveryReports(hooks, ids);
    for (const r of reports) assert.equal(r.status.groupName, "DELIVERED");
    const sent = reports.map((r) => Date.parse(r.sentAt.replace("+0000", "Z")));
    assert.ok(Math.max(...sent) - Math.min(...sent) >= 2_800);
  });

  it("Sinch accepts a burst over the tier (201) and paces it too", async () => {
    const numbers = Array.from({ length: 2 * TIER }, (_, i) => `4477009520${String(i).padStart(2, "0")}`);
    const res = await server.call(
      "POST",
      "/whatsapp/v1/openbspbot/messages",
      {
        to: numbers,
        message: { type: "template", template_name: "welcome", language: "en", body_params: ["Ann"] },
      },
      { authorization: "Bearer test-api-key-0001" },
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const times = await receivedAt(server, numbers);
    const span = Math.max(...times) - Math.min(...times);
    assert.ok(span >= 1_800, `received over ${span} ms, not at the tier's pace`);
  });

  it("Meta's face still refuses a burst over the tier at once with 130429 and Retry-After, as Cloud API does", async () => {
    const answers = await Promise.all(
      Array.from({ length: 3 * TIER }, (_, i) =>
        metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
          messaging_product: "whatsapp",
          to: `+4477009530${String(i).padStart(2, "0")}`,
          type: "template",
          template: {
            name: "welcome",
            language: { code: "en" },
            components: [{ type: "body", parameters: [{ type: "text", text: "A" }] }],
          },
        }),
      ),
    );
    const refused = answers.filter((a) => a.status === 429);
    assert.ok(
      answers.some((a) => a.status === 200),
      "a second's worth passes",
    );
    assert.ok(refused.length >= TIER, `refused ${refused.length} of ${answers.length}`);
    for (const r of refused) {
      assert.equal(r.body.error.code, 130429);
      assert.ok(Number(r.headers.get("retry-after")) > 0);
    }
  });

  it("a message still waiting for its slot when its template's TTL runs out expires, and goes by SMS", async (t) => {
    // A utility template whose sends live 30 s, and a queue of 30 s' worth and more ahead of them.
    const created = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
      name: "parcel_update",
      language: "en",
      category: "UTILITY",
      message_send_ttl_seconds: 30,
      components: [{ type: "BODY", text: "Parcel {{1}} is on its way.", example: { body_text: [["42"]] } }],
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const numbers = Array.from({ length: 40 }, (_, i) => `4477009540${String(i).padStart(2, "0")}`);
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: numbers.map((to) => ({
        from: SENDER,
        to,
        content: {
          templateName: "parcel_update",
          language: "en",
          templateData: { body: { placeholders: ["42"] } },
        },
        smsFailover: { from: "InfoSMS", text: "Parcel 42 is on its way." },
      })),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // 31 s later (on the sandbox clock) the ones still queued are past their 30-second TTL.
    await server.call("POST", "/sandbox/clock/advance", { ms: 31_000 });
    const ids = new Set<string>(res.body.messages.map((m: { messageId: string }) => m.messageId));
    const reports = await deliveryReports(hooks, ids);
    const bySms = reports.filter((r) => r.channel === "SMS");
    assert.ok(bySms.length >= 20, `only ${bySms.length} of 40 expired in the queue and went by SMS`);
    for (const r of bySms) assert.equal(r.status.groupName, "DELIVERED", "delivered by SMS");
    const overWhatsApp = reports.filter((r) => r.channel !== "SMS");
    for (const r of overWhatsApp) assert.equal(r.status.groupName, "DELIVERED");
    // Which ones expired: the tail of the queue, each of whose SMS reached its phone.
    const expired = numbers.filter((to) => bySms.some((r) => r.to === to));
    assert.ok(expired.includes(numbers.at(-1) as string), "the last in the queue expired");
    const sms = await server.call("GET", `/sandbox/sms/${numbers.at(-1)}/messages`);
    assert.equal(sms.body.messages[0]?.text, "Parcel 42 is on its way.");
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.webhook("receive-whatsapp-delivery-reports", { results: bySms.slice(0, 3) }), []),
    );
  });
});

describe("a template's custom time-to-live", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const meta = (method: string, path: string, body?: unknown) =>
    metaCall(server.url, method, `/v23.0/${path}`, body);
  const utility = (name: string, ttl?: number, category = "UTILITY") => ({
    name,
    language: "en",
    category,
    ...(ttl !== undefined ? { message_send_ttl_seconds: ttl } : {}),
    components: [{ type: "BODY", text: "Order {{1}} is ready.", example: { body_text: [["42"]] } }],
  });
  const otp = (name: string, validityPeriod?: unknown, category = "AUTHENTICATION") => ({
    name,
    language: "en",
    category,
    structure:
      category === "AUTHENTICATION"
        ? { body: { addSecurityRecommendation: true }, buttons: [{ otpType: "COPY_CODE" }] }
        : { body: { text: "Order {{1}} is ready.", examples: ["42"] } },
    ...(validityPeriod !== undefined ? { validityPeriod } : {}),
  });

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("Meta: message_send_ttl_seconds within the category's bounds is stored and read back; out of bounds → 400 naming it", async () => {
    const ok = await meta("POST", `${WABA_ID}/message_templates`, utility("ttl_ok", 3600));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const got = await meta("GET", ok.body.id);
    assert.equal(got.body.message_send_ttl_seconds, 3600);
    const listed = await meta("GET", `${WABA_ID}/message_templates?name=ttl_ok`);
    assert.equal(listed.body.data[0].message_send_ttl_seconds, 3600);
    const plain = await meta("POST", `${WABA_ID}/message_templates`, utility("ttl_default"));
    assert.equal((await meta("GET", plain.body.id)).body.message_send_ttl_seconds, undefined);

    for (const [body, what] of [
      [utility("ttl_short", 29), /message_send_ttl_seconds: must be from 30 to 43200 seconds/],
      [utility("ttl_long", 43_201), /message_send_ttl_seconds: must be from 30 to 43200/],
      [utility("ttl_marketing", 43_200, "MARKETING"), /message_send_ttl_seconds: .*not MARKETING/],
    ] as const) {
      const res = await meta("POST", `${WABA_ID}/message_templates`, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.error.error_data.details, what);
    }
    const tooLongForAuth = await meta("POST", `${WABA_ID}/message_templates`, {
      name: "code_long",
      language: "en",
      category: "AUTHENTICATION",
      message_send_ttl_seconds: 901,
      components: [
        { type: "BODY", add_security_recommendation: true },
        { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE" }] },
      ],
    });
    assert.equal(tooLongForAuth.status, 400, JSON.stringify(tooLongForAuth.body));
    assert.match(
      tooLongForAuth.body.error.error_data.details,
      /message_send_ttl_seconds: must be from 30 to 900/,
    );

    // An edit changes it, and -1 puts WhatsApp's default back.
    assert.equal((await meta("POST", ok.body.id, { message_send_ttl_seconds: 600 })).status, 200);
    assert.equal((await meta("GET", ok.body.id)).body.message_send_ttl_seconds, 600);
    assert.equal((await meta("POST", ok.body.id, { message_send_ttl_seconds: -1 })).status, 200);
    assert.equal((await meta("GET", ok.body.id)).body.message_send_ttl_seconds, undefined);
    const bad = await meta("POST", ok.body.id, { message_send_ttl_seconds: 5 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.error_data.details, /message_send_ttl_seconds/);
  });

  it("Infobip: validityPeriod on an AUTHENTICATION template, in seconds or minutes, read back; out of bounds or on another category → 400 naming it", async (t) => {
    const ok = await server.call(
      "POST",
      INFOBIP_TEMPLATES,
      otp("code_ttl", { amount: 5, timeUnit: "MINUTES" }),
    );
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.validityPeriod, { amount: 5, timeUnit: "MINUTES" });
    const got = await server.call("GET", `${INFOBIP_TEMPLATES}/${ok.body.id}`);
    assert.deepEqual(got.body.validityPeriod, { amount: 5, timeUnit: "MINUTES" });
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.response("get", "/whatsapp/2/senders/{sender}/templates/{id}", 200, got.body), []),
    );
    const secs = await server.call(
      "POST",
      INFOBIP_TEMPLATES,
      otp("code_ttl_s", { amount: 45, timeUnit: "SECONDS" }),
    );
    assert.deepEqual(secs.body.validityPeriod, { amount: 45, timeUnit: "SECONDS" });

    for (const body of [
      otp("code_ttl_long", { amount: 16, timeUnit: "MINUTES" }),
      otp("code_ttl_short", { amount: 29, timeUnit: "SECONDS" }),
      otp("order_ttl", { amount: 5 }, "UTILITY"),
    ]) {
      const res = await server.call("POST", INFOBIP_TEMPLATES, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(
        res.body.requestError.serviceException.validationErrors.validityPeriod,
        JSON.stringify(res.body),
      );
    }
  });

  it("a send lives as long as its template's TTL: past it, an undelivered one expires; a default-TTL one does not", async () => {
    const created = await meta("POST", `${WABA_ID}/message_templates`, utility("ready_ttl", 60));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const offline = ["447700955001", "447700955002"];
    for (const pattern of offline)
      assert.equal(
        (await server.call("POST", "/sandbox/rules", { pattern, behaviour: "offline" })).status,
        201,
      );
    const short = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: offline[0],
          content: {
            templateName: "ready_ttl",
            language: "en",
            templateData: { body: { placeholders: ["42"] } },
          },
        },
      ],
    });
    const long = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome(offline[1] as string)],
    });
    assert.equal(short.status, 200, JSON.stringify(short.body));
    assert.equal(long.status, 200, JSON.stringify(long.body));
    await server.call("POST", "/sandbox/clock/advance", { ms: 61_000 });
    const expired = await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === short.body.messages[0].messageId,
    );
    assert.equal(expired.status.groupName, "EXPIRED");
    // The seeded template keeps WhatsApp's 30 days: a minute later it is still waiting.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(
      hooks.results("/dlr").find((r) => r.messageId === long.body.messages[0].messageId),
      undefined,
      "the default-TTL send has not expired",
    );
  });
});

describe("the pace across a restart", () => {
  it("is kept in the store: a message sent after a restart still queues behind the ones before it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "openbsp-pacing-"));
    const env = { OPENBSP_DATA_DIR: dataDir, OPENBSP_THROUGHPUT_MPS: "2" };
    try {
      let server = await startServer(env);
      // Ten at two a second: five seconds of queue.
      const numbers = Array.from({ length: 10 }, (_, i) => `4477009560${String(i).padStart(2, "0")}`);
      const res = await server.call("POST", "/whatsapp/1/message/template", {
        messages: numbers.map((to) => welcome(to)),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await server.close();
      server = await startServer(env);
      try {
        const late = "447700956099";
        assert.equal(
          (await server.call("POST", "/whatsapp/1/message/template", { messages: [welcome(late)] })).status,
          200,
        );
        const times = await receivedAt(server, [...numbers, late], 20_000);
        const first = Math.min(...times);
        const lateAt = times.at(-1) as number;
        // Its slot comes after the ten before it (≥ 5 s after the first), however fast the restart.
        assert.ok(
          lateAt - first >= 4_500,
          `the message after the restart went ${lateAt - first} ms after the first`,
        );
        assert.ok(lateAt >= Math.max(...times.slice(0, -1)), "it did not overtake the queue");
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
