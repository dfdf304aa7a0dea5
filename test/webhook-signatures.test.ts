/**
 * Standard Webhooks signatures, checked with the `standardwebhooks` package a receiver would use:
 * every non-Meta webhook signed with the account's secret; a rotation signs with both secrets for
 * the overlap; without an overlap the old secret stops verifying at once; Meta's webhooks keep
 * their X-Hub-Signature-256 alone.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Webhook } from "standardwebhooks";
import { eventually, request, startServer, type TestServer, welcome } from "./support/harness.ts";
import { APP_SECRET, signatureOk } from "./support/meta.ts";
import type { Received } from "./support/webhook-receiver.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const ADMIN_KEY = "admin-key-0123456789";
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

const verifies = (secret: string, r: Received) => {
  try {
    new Webhook(secret).verify(r.raw, r.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

describe("signed webhooks", () => {
  let server: TestServer;
  const rx = new WebhookReceiver();
  let n = 0;
  const adminCall = (method: string, path: string, body?: unknown) =>
    request(server.url, method, `/openbsp/1${path}`, body, admin);
  /** Sends one template with its reports to the receiver; resolves with its first report. */
  const reportOf = async (): Promise<Received> => {
    const messageId = `sig-${++n}`;
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906201", { messageId, notifyUrl: `${rx.url}/dlr` })],
    });
    return eventually(
      () => rx.received.find((r) => r.path === "/dlr" && r.body?.results?.[0]?.messageId === messageId),
      5000,
      `the report of ${messageId}`,
    );
  };

  before(async () => {
    await rx.start();
    server = await startServer({
      OPENBSP_ADMIN_KEY: ADMIN_KEY,
      OPENBSP_META_WEBHOOK_URL: `${rx.url}/meta`,
      OPENBSP_META_APP_SECRET: APP_SECRET,
    });
  });
  after(async () => {
    await server.close();
    await rx.stop();
  });

  it("unsigned until the account has a secret; then verifiable with standardwebhooks, and tampering is caught", async () => {
    const plain = await reportOf();
    assert.equal(plain.headers["webhook-signature"], undefined);
    assert.deepEqual((await adminCall("GET", "/accounts/acc-default/webhook-secret")).body, {
      signed: false,
    });

    const made = await adminCall("POST", "/accounts/acc-default/webhook-secret/rotate", {});
    assert.equal(made.status, 201);
    const secret = made.body.secret as string;
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
    await new Promise((r) => setTimeout(r, 1100)); // the sender's view of the account is at most a second old
    const signed = await reportOf();
    assert.equal(String(signed.headers["webhook-id"]).length > 0, true);
    assert.ok(verifies(secret, signed), "verifies with the secret");
    assert.ok(
      !verifies(secret, { ...signed, raw: signed.raw.replace("sig-", "SIG-") }),
      "a changed body fails",
    );
    assert.ok(!verifies(`whsec_${Buffer.from("another secret").toString("base64")}`, signed));
    const settings = await adminCall("GET", "/accounts/acc-default/settings");
    assert.ok(!JSON.stringify(settings.body).includes(secret.slice(6)), "the secret is never read back");
  });

  it("a rotation signs with both secrets during the overlap; without one the old stops at once", async () => {
    const first = (await adminCall("POST", "/accounts/acc-default/webhook-secret/rotate", {})).body.secret;
    await reportOf();
    const rotated = await adminCall("POST", "/accounts/acc-default/webhook-secret/rotate", {
      overlapSeconds: 3600,
    });
    const second = rotated.body.secret as string;
    assert.ok(rotated.body.previousValidUntil, "the old one's end");
    // The sender sees a rotation within a second; the overlap means no webhook goes unverifiable.
    await new Promise((r) => setTimeout(r, 1100));
    const both = await reportOf();
    assert.equal(String(both.headers["webhook-signature"]).split(" ").length, 2, "two signatures");
    assert.ok(verifies(first, both), "the old secret still verifies");
    assert.ok(verifies(second, both), "the new one does");

    const third = (
      await adminCall("POST", "/accounts/acc-default/webhook-secret/rotate", { overlapSeconds: 0 })
    ).body.secret as string;
    await new Promise((r) => setTimeout(r, 1100));
    const only = await reportOf();
    assert.ok(verifies(third, only));
    assert.ok(!verifies(second, only), "no overlap: the old secret no longer verifies");
  });

  it("a subscription's webhooks are signed with its own secret (shown on creation), rotated with an overlap", async () => {
    const accountSecret = (await adminCall("POST", "/accounts/acc-default/webhook-secret/rotate", {})).body
      .secret as string;
    const created = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "signed-sub",
      events: ["DELIVERY"],
      profile: { profileId: "signed", webhook: { notifyUrl: `${rx.url}/sub` } },
      criteria: [{ applicationId: "app-signed" }],
    });
    assert.equal(created.status, 201);
    const own = created.body.webhookSecret as string;
    assert.match(own, /^whsec_[A-Za-z0-9+/=]+$/, "shown once, on creation");
    assert.notEqual(own, accountSecret);
    const again = await server.call("GET", "/subscriptions/1/subscription/WHATSAPP/signed-sub");
    assert.equal(again.body.webhookSecret, undefined, "never read back");
    assert.deepEqual(
      (await adminCall("GET", "/accounts/acc-default/subscriptions/signed-sub/webhook-secret")).body,
      { signed: true },
    );
    assert.equal(
      (await adminCall("GET", "/accounts/acc-default/subscriptions/nope/webhook-secret")).status,
      404,
    );

    const subReport = async () => {
      const messageId = `sig-sub-${++n}`;
      await server.call("POST", "/whatsapp/1/message/template", {
        messages: [welcome("447700906202", { messageId, applicationId: "app-signed" })],
      });
      return eventually(
        () => rx.received.find((r) => r.path === "/sub" && r.body?.results?.[0]?.messageId === messageId),
        5000,
        `the subscription's report of ${messageId}`,
      );
    };
    const first = await subReport();
    assert.ok(verifies(own, first), "verifies with the subscription's secret");
    assert.ok(!verifies(accountSecret, first), "not with the account's");
    // The account's secret still signs what no subscription routes.
    assert.ok(verifies(accountSecret, await reportOf()));

    const rotated = await adminCall(
      "POST",
      "/accounts/acc-default/subscriptions/signed-sub/webhook-secret/rotate",
      {
        overlapSeconds: 3600,
      },
    );
    assert.equal(rotated.status, 201);
    const next = rotated.body.secret as string;
    assert.ok(rotated.body.previousValidUntil);
    await new Promise((r) => setTimeout(r, 1100)); // the sender's view of the account is at most a second old
    const during = await subReport();
    assert.equal(String(during.headers["webhook-signature"]).split(" ").length, 2, "two signatures");
    assert.ok(verifies(own, during), "the old secret still verifies during the overlap");
    assert.ok(verifies(next, during), "the new one does");

    await adminCall("POST", "/accounts/acc-default/subscriptions/signed-sub/webhook-secret/rotate", {
      overlapSeconds: 0,
    });
    await new Promise((r) => setTimeout(r, 1100));
    const after = await subReport();
    assert.ok(!verifies(next, after), "no overlap: the previous secret stops at once");
    assert.ok(!verifies(accountSecret, after));
  });

  it("Meta's webhooks carry X-Hub-Signature-256 with the app secret, not a Standard Webhooks signature", async () => {
    await server.call("POST", "/sandbox/phones/447700906201/messages", { to: "441134960000", text: "Hi" });
    await eventually(() => rx.received.some((r) => r.path === "/meta"), 5000, "a Meta webhook");
    const meta = rx.received.find((r) => r.path === "/meta") as Received;
    assert.ok(signatureOk(meta), "signed with the app secret");
    assert.equal(meta.headers["webhook-signature"], undefined);
  });
});
