/**
 * The console's server side, over real HTTP: the base URL sends browsers to /console/ (API clients
 * keep their answer), the console's security headers, the authenticated message log with filters
 * and paging, one message's timeline with WhatsApp's error, the overview's figures, the live event
 * stream, one message's webhook attempts and their replay with the account's own key, and reviewing
 * a PENDING template in the simulated reviewer's place.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ensureConsoleBuilt } from "./support/console-build.ts";
import {
  API_KEY,
  eventually,
  request,
  SENDER,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

/** Only to onboard a second account; the console itself never uses it. */
const ADMIN_KEY = "admin-key-console-0001";

describe("console API", () => {
  let server: TestServer;
  let hooks: WebhookReceiver;
  before(async () => {
    ensureConsoleBuilt();
    hooks = await new WebhookReceiver().start();
    server = await startServer({
      OPENBSP_TEMPLATE_REVIEW_MS: "600000",
      OPENBSP_ADMIN_KEY: ADMIN_KEY,
      OPENBSP_DELIVERY_URL: `${hooks.url}/delivery`,
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("redirects a browser at / to /console/; a JSON client gets today's answer", async () => {
    const html = await fetch(`${server.url}/`, { headers: { accept: "text/html,*/*" }, redirect: "manual" });
    assert.equal(html.status, 302);
    assert.equal(html.headers.get("location"), "/console/");
    const json = await request(server.url, "GET", "/", undefined, { accept: "application/json" });
    assert.equal(json.status, 404);
    assert.notEqual(json.headers.get("location"), "/console/");
  });

  it("serves the console page and its assets with CSP and no framing; a missing file is a 404", async () => {
    const page = await fetch(`${server.url}/console/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    const html = await page.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, "the page loads its bundled script from /console/assets/");
    assert.doesNotMatch(html, /https?:\/\//, "nothing is loaded from another origin");
    const js = await fetch(`${server.url}${script}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /javascript/);
    assert.match(js.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`${server.url}/console/assets/nope.js`)).status, 404);
    // A view's URL is the page too (client-side routing).
    assert.equal((await fetch(`${server.url}/console/messages`)).status, 200);
  });

  it("refuses the console API without a key, naming Authorization", async () => {
    const res = await request(server.url, "GET", "/openbsp/1/messages");
    assert.equal(res.status, 401);
    assert.equal(res.body.field, "Authorization");
    const bad = await request(server.url, "GET", "/openbsp/1/messages", undefined, {
      authorization: "App nope-nope-nope",
    });
    assert.equal(bad.status, 401);
  });

  it("lists the account's senders", async () => {
    const res = await server.call("GET", "/openbsp/1/senders");
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.senders.map((s: { number: string }) => s.number),
      [SENDER],
    );
  });

  it("lists messages newest first with filters and pages, and shows one message's timeline with WhatsApp's error", async () => {
    await server.call("POST", "/sandbox/rules", {
      pattern: "447700955501",
      behaviour: "fail",
      errorCode: 131026,
    });
    const sent = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        welcome("447700955500", { messageId: "log-ok-1" }),
        welcome("447700955500", { messageId: "log-ok-2" }),
        welcome("447700955501", { messageId: "log-failed" }),
      ],
    });
    assert.equal(sent.status, 200);
    const failed = await eventually(async () => {
      const r = await server.call("GET", "/openbsp/1/messages?status=failed");
      return r.body.messages.find((m: { messageId: string }) => m.messageId === "log-failed");
    });
    assert.equal(failed.error.code, 131026);

    const mine = await server.call("GET", "/openbsp/1/messages?recipient=447700955500&limit=1");
    assert.equal(mine.status, 200);
    assert.equal(mine.body.total, 2);
    assert.deepEqual(
      mine.body.messages.map((m: { messageId: string }) => m.messageId),
      ["log-ok-2"],
    );
    const next = await server.call(
      "GET",
      `/openbsp/1/messages?recipient=447700955500&limit=1&before=${mine.body.next}`,
    );
    assert.deepEqual(
      next.body.messages.map((m: { messageId: string }) => m.messageId),
      ["log-ok-1"],
    );
    const none = await server.call("GET", "/openbsp/1/messages?face=sinch&recipient=447700955500");
    assert.equal(none.body.total, 0);
    const badFilter = await server.call("GET", "/openbsp/1/messages?status=lost");
    assert.equal(badFilter.status, 400);

    const detail = await server.call("GET", "/openbsp/1/messages/log-failed");
    assert.equal(detail.status, 200);
    const steps = detail.body.timeline.map((s: { status: string }) => s.status);
    assert.equal(steps[0], "accepted");
    assert.equal(steps[steps.length - 1], "failed");
    assert.equal(detail.body.timeline[steps.length - 1].error.code, 131026);
    assert.equal((await server.call("GET", "/openbsp/1/messages/nope")).status, 404);
  });

  it("lists a message's webhook attempts and replays one under its event id, with the account's key", async () => {
    const sent = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        welcome("447700955510", { messageId: "hook-1" }),
        welcome("447700955511", { messageId: "hook-2" }),
      ],
    });
    assert.equal(sent.status, 200);
    const reportsOf = (id: string) =>
      hooks.received.filter((r) => r.path === "/delivery" && r.raw.includes(`"${id}"`));
    await eventually(() => reportsOf("hook-1").length > 0, 8000, "hook-1's delivery report");
    const listed = await eventually(async () => {
      const r = await server.call("GET", "/openbsp/1/messages/hook-1/webhook-attempts");
      return r.status === 200 && r.body.attempts.length > 0 ? r : undefined;
    });
    const attempt = listed.body.attempts[0];
    assert.ok(attempt.ok, JSON.stringify(attempt));
    assert.equal(attempt.status, 200);
    assert.equal(attempt.url, `${hooks.url}/delivery`);
    assert.ok(attempt.messageIds.includes("hook-1"));
    assert.ok(
      !listed.body.attempts.some(
        (a: { messageIds: string[] }) => a.messageIds.includes("hook-2") && !a.messageIds.includes("hook-1"),
      ),
      "only hook-1's",
    );
    const eventId = attempt.eventId as string;
    assert.ok(
      reportsOf("hook-1").some((r) => r.headers["webhook-id"] === eventId),
      "the listed event is what was POSTed",
    );

    // The same event, named under another of the account's messages, is not that message's.
    const elsewhere = await server.call(
      "POST",
      `/openbsp/1/messages/hook-2/webhook-events/${eventId}/replay`,
    );
    assert.equal(elsewhere.status, 404);
    assert.equal(elsewhere.body.field, "eventId");

    const before = reportsOf("hook-1").filter((r) => r.headers["webhook-id"] === eventId).length;
    const replayed = await server.call("POST", `/openbsp/1/messages/hook-1/webhook-events/${eventId}/replay`);
    assert.equal(replayed.status, 202, JSON.stringify(replayed.body));
    assert.equal(replayed.body.eventId, eventId);
    await eventually(
      () => reportsOf("hook-1").filter((r) => r.headers["webhook-id"] === eventId).length > before,
      8000,
      "the replayed report, under the same webhook-id",
    );
    const again = await eventually(async () => {
      const r = await server.call("GET", "/openbsp/1/messages/hook-1/webhook-attempts");
      const mine = r.body.attempts.filter((a: { eventId: string }) => a.eventId === eventId);
      return mine.length > 1 ? mine : undefined;
    });
    assert.ok(again[0].seq > attempt.seq, "the replay's attempt is listed newest first");

    const noEvent = await server.call("POST", "/openbsp/1/messages/hook-1/webhook-events/nope/replay");
    assert.equal(noEvent.status, 404);
    assert.equal((await server.call("GET", "/openbsp/1/messages/nope/webhook-attempts")).status, 404);
    assert.equal(
      (await server.call("GET", "/openbsp/1/messages/hook-1/webhook-attempts?limit=x")).status,
      400,
    );
  });

  it("refuses another account's message and event with 404, showing nothing of them", async () => {
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const b = await request(server.url, "POST", "/openbsp/1/accounts", { name: "B" }, admin);
    assert.equal(b.status, 201, JSON.stringify(b.body));
    const keyB = (await request(server.url, "POST", `/openbsp/1/accounts/${b.body.id}/api-keys`, {}, admin))
      .body.key as string;
    const asB = { authorization: `App ${keyB}` };
    const own = await server.call("GET", "/openbsp/1/messages/hook-1/webhook-attempts");
    const eventId = own.body.attempts[0].eventId as string;
    const countOf = () => hooks.received.filter((r) => r.headers["webhook-id"] === eventId).length;
    const sentSoFar = countOf();

    const list = await request(
      server.url,
      "GET",
      "/openbsp/1/messages/hook-1/webhook-attempts",
      undefined,
      asB,
    );
    assert.equal(list.status, 404);
    assert.doesNotMatch(JSON.stringify(list.body), new RegExp(eventId));
    const replay = await request(
      server.url,
      "POST",
      `/openbsp/1/messages/hook-1/webhook-events/${eventId}/replay`,
      undefined,
      asB,
    );
    assert.equal(replay.status, 404);
    // The admin API stays the admin key's: an account key is refused there.
    const adminRoute = await server.call("GET", "/openbsp/1/webhook-attempts?messageId=hook-1");
    assert.equal(adminRoute.status, 401);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(countOf(), sentSoFar, "nothing was sent again for B");
  });

  it("answers the overview: messages per minute by status, the funnel, webhook totals", async () => {
    const res = await server.call("GET", "/openbsp/1/stats?minutes=30");
    assert.equal(res.status, 200);
    assert.ok(res.body.perMinute.length >= 1);
    assert.ok(res.body.funnel.accepted >= 3);
    assert.ok(res.body.funnel.failed >= 1);
    assert.equal(typeof res.body.webhooks.delivered, "number");
  });

  it("streams live events: the accept, the status moves, what a user writes", async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/openbsp/1/events`, {
      headers: { authorization: `App ${API_KEY}` },
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const waitFor = async (re: RegExp) => {
      while (!re.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${re}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await waitFor(/event: hello/);
      await server.call("POST", "/whatsapp/1/message/template", {
        messages: [welcome("447700955502", { messageId: "live-1" })],
      });
      await waitFor(/"messageId":"live-1","status":"accepted"/);
      await waitFor(/"messageId":"live-1","status":"delivered"/);
      await server.call("POST", "/sandbox/phones/447700955502/messages", { to: SENDER, text: "hi there" });
      await waitFor(/event: inbound\ndata: \{[^\n]*"from":"447700955502"/);
    } finally {
      controller.abort();
    }
  });

  it("reviews a PENDING template by hand: approved becomes sendable; a rejection needs a reason", async () => {
    const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
      name: "by_hand",
      language: "en",
      category: "UTILITY",
      structure: { body: { text: "Parcel {{1}} is on its way.", examples: ["7"] } },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, "PENDING");
    const noReason = await server.call("POST", `/sandbox/templates/${created.body.id}/review`, {
      status: "REJECTED",
    });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.field, "reason");
    const ok = await server.call("POST", `/sandbox/templates/${created.body.id}/review`, {
      status: "APPROVED",
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, "APPROVED");
    const again = await server.call("POST", `/sandbox/templates/${created.body.id}/review`, {
      status: "APPROVED",
    });
    assert.equal(again.status, 409, "only a PENDING template is reviewed");
    const send = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: "447700955503",
          content: {
            templateName: "by_hand",
            language: "en",
            templateData: { body: { placeholders: ["7"] } },
          },
        },
      ],
    });
    assert.equal(send.status, 200);
    assert.equal(
      (await server.call("POST", "/sandbox/templates/999/review", { status: "APPROVED" })).status,
      404,
    );
  });
});
