/**
 * Tenant isolation over every route in /openapi.json × two accounts, generated from the document
 * so a new route is covered without editing this test. Account A (the seeded one) owns a sender,
 * its ids on each face, a template, a user's message with a photo and a short-link domain;
 * account B (onboarded through the admin API) calls every face route with A's resources in the
 * path. No call of B's naming A's resources may succeed or fail with a 5xx (an unbuilt route's 501
 * aside), and no answer may show A's content; A's own GETs of the same
 * URLs do succeed (so the test is aimed at real resources). Admin routes refuse both accounts' keys.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { API_KEY, eventually, request, SENDER, startServer, type TestServer } from "./support/harness.ts";

const ADMIN_KEY = "admin-key-0123456789";
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
/** Text only A's records hold: B must never see it. */
const MARKER = "welcome to OpenBSP";
const USER = "447700906301";

/** Routes that belong to no account: the simulator's levers, health, the docs and short-link redirects. */
const UNOWNED = [/^\/sandbox\//, /^\/healthz$/, /^\/s\/\{code\}$/, /^\/\{code\}$/];
/** The console's live stream never ends: its own case below reads it for a while. */
const STREAMS = [/^\/openbsp\/1\/events$/];

type Op = { security?: { Admin?: unknown[] }[] };

describe("isolation matrix: every route × two accounts", () => {
  let server: TestServer;
  let keyB = "";
  const params: Record<string, string> = {};

  before(async () => {
    server = await startServer({ OPENBSP_ADMIN_KEY: ADMIN_KEY });
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const b = await request(server.url, "POST", "/openbsp/1/accounts", { name: "B" }, admin);
    keyB = (await request(server.url, "POST", `/openbsp/1/accounts/${b.body.id}/api-keys`, {}, admin)).body
      .key;
    await request(
      server.url,
      "POST",
      `/openbsp/1/accounts/${b.body.id}/senders`,
      { number: "441134960888" },
      admin,
    );

    // A's resources: a user's photo (and so a message and its media), a domain.
    const sent = await server.call("POST", `/sandbox/phones/${USER}/messages`, {
      to: SENDER,
      type: "image",
      image: { mime_type: "image/png", data: PNG, caption: MARKER },
    });
    assert.ok(sent.status < 300, JSON.stringify(sent.body));
    const phone = await eventually(
      async () => {
        const p = await server.call("GET", `/sandbox/phones/${USER}/messages`);
        return p.body.sent?.[0]?.content?.media?.id ? p.body.sent[0] : undefined;
      },
      5000,
      "the photo stored",
    );
    await server.call("POST", "/openbsp/1/url-shortening/domains", { domain: "a-shop.example.com" });
    const appId = (await request(server.url, "GET", "/openbsp/1/accounts/acc-default", undefined, admin)).body
      .metaAppId;
    Object.assign(params, {
      sender: SENDER,
      phoneNumberId: "100000000000003",
      wabaId: "100000000000001",
      botId: "openbspbot",
      id: "100000000000002",
      templateName: "welcome",
      messageId: phone.messageId,
      mediaId: phone.content.media.id,
      objectId: "100000000000002",
      domain: "a-shop.example.com",
      "*": "x",
      accountId: "acc-default",
      keyId: "key-acc-default",
      number: SENDER,
      eventId: "x",
      appId,
    });
  });
  after(() => server.close());

  const fill = (path: string) => path.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? "x");
  /** How each face takes a key: Infobip's `App`, the others' Bearer (the admin API's too). */
  const auth = (path: string, key: string) =>
    path.startsWith("/whatsapp/") && !path.startsWith("/whatsapp/v1/") ? `App ${key}` : `Bearer ${key}`;

  it("no route lets B reach A's resources, and every admin route refuses account keys", async () => {
    const doc = (await request(server.url, "GET", "/openapi.json")).body;
    const rows: string[] = [];
    let faceRoutes = 0;
    let provenByA = 0;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Op>>)) {
      if (UNOWNED.some((re) => re.test(path)) || STREAMS.some((re) => re.test(path))) continue;
      for (const [method, op] of Object.entries(ops)) {
        const url = fill(path);
        const isAdmin = op.security?.some((s) => s.Admin) ?? false;
        const body = ["post", "put", "patch"].includes(method) ? {} : undefined;
        if (isAdmin) {
          for (const key of [API_KEY, keyB]) {
            const res = await request(server.url, method.toUpperCase(), url, body, {
              authorization: `Bearer ${key}`,
            });
            if (res.status !== 401) rows.push(`${method} ${path} with an account key: ${res.status}`);
          }
          continue;
        }
        faceRoutes++;
        const res = await request(server.url, method.toUpperCase(), url, body, {
          authorization: auth(path, keyB),
        });
        const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body ?? "");
        // A route naming none of A's resources may answer B with B's own (say, an empty list); one
        // that names A's must refuse (an unbuilt one answers 501, which shows nothing either).
        const namesA = path.includes("{");
        const refused = (res.status >= 400 && res.status < 500) || res.status === 501;
        const shows = [MARKER, PNG.slice(0, 20), params.domain as string].some((s) => text.includes(s));
        if ((namesA && !refused) || (!namesA && res.status >= 500 && res.status !== 501) || shows)
          rows.push(`${method} ${path} as B: ${res.status} ${text.slice(0, 120)}`);
        if (method === "get") {
          const own = await request(server.url, "GET", url, undefined, {
            authorization: auth(path, API_KEY),
          });
          if (own.status >= 200 && own.status < 300) provenByA++;
        }
      }
    }
    assert.deepEqual(rows, [], "routes where B got through or A's data showed");
    assert.ok(faceRoutes >= 40, `every face route was tried (${faceRoutes})`);
    assert.ok(
      provenByA >= 8,
      `A's own GETs of the same URLs succeed (${provenByA}), so B was aimed at real things`,
    );
  });

  it("B's sends from A's sender, bot and phone number id are refused: 403 for the sender, 401 for the bot", async () => {
    const infobip = await request(
      server.url,
      "POST",
      "/whatsapp/1/message/text",
      { from: SENDER, to: USER, content: { text: "hi" } },
      { authorization: `App ${keyB}` },
    );
    assert.equal(infobip.status, 403);
    const meta = await request(
      server.url,
      "POST",
      `/${params.phoneNumberId}/messages`,
      { messaging_product: "whatsapp", to: USER, type: "text", text: { body: "hi" } },
      { authorization: `Bearer ${keyB}` },
    );
    assert.ok([400, 403, 404].includes(meta.status), `Meta: ${meta.status}`);
    const sinch = await request(
      server.url,
      "POST",
      `/whatsapp/v1/${params.botId}/messages`,
      { to: [USER], message: { type: "text", text: "hi" } },
      { authorization: `Bearer ${keyB}` },
    );
    assert.equal(sinch.status, 401);
    const phone = await server.call("GET", `/sandbox/phones/${USER}/messages`);
    assert.deepEqual(phone.body.messages, [], "nothing reached A's user");
  });

  it("B's live event stream tells nothing of A's messages, while A's own stream does", async () => {
    const stop = new AbortController();
    const listen = async (key: string) => {
      const res = await fetch(`${server.url}/openbsp/1/events`, {
        headers: { authorization: `App ${key}`, accept: "text/event-stream" },
        signal: stop.signal,
      });
      assert.equal(res.status, 200);
      const got = { text: "" };
      const done = (async () => {
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        try {
          for (;;) {
            const { value, done: end } = await reader.read();
            if (end) return;
            got.text += new TextDecoder().decode(value);
          }
        } catch {
          // aborted at the end of the test
        }
      })();
      return { got, done };
    };
    const b = await listen(keyB);
    const a = await listen(API_KEY);
    const sent = await request(
      server.url,
      "POST",
      "/whatsapp/1/message/text",
      { from: SENDER, to: USER, content: { text: MARKER } },
      { authorization: `App ${API_KEY}` },
    );
    const id = sent.body.messageId as string;
    assert.ok(id, "A sent a message");
    await eventually(async () => a.got.text.includes(id), 10_000, "A's own stream tells of it");
    await new Promise((r) => setTimeout(r, 1000));
    stop.abort();
    await Promise.all([a.done, b.done]);
    assert.ok(!b.got.text.includes(id), `B's stream showed A's message: ${b.got.text.slice(0, 200)}`);
  });
});
