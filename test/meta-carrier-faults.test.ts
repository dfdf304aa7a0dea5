/**
 * How the Meta carrier meets Meta's answers, against a Graph stand-in on real HTTP that answers
 * each recipient as scripted: errors that are final fail the message at once with Meta's code and
 * title in the business's report; throttling (429 with Retry-After, 130429, 131056), a 500 and a
 * hung connection are retried until Meta takes the message. Media uploaded to OpenBSP goes to
 * Meta's `/media` first, once. Every body POSTed is checked against Meta's OpenAPI document.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { loadMetaContract, referenceAvailable } from "./support/contracts.ts";
import { API_KEY, eventually, SENDER, startServer, type TestServer, welcome } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const CARRIER_PHONE_ID = "106540352242922";
const APP_SECRET = "stand-in-app-secret-01";
const TOKEN = "EAAG-stand-in-token";
const INTAKE = "/openbsp/1/carriers/meta/webhook";
const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(600, 1)]);

interface Seen {
  readonly at: number;
  readonly path: string;
  readonly auth: string | undefined;
  readonly contentType: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are asserted on loosely
  readonly body: any;
}

type Script = (attempt: number, res: ServerResponse) => boolean;
const graphError = (res: ServerResponse, status: number, code: number, title: string, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(
    JSON.stringify({
      error: {
        message: `(#${code}) ${title}`,
        type: "OAuthException",
        code,
        error_data: { messaging_product: "whatsapp", details: `${title} (stand-in)` },
        fbtrace_id: "AbC",
      },
    }),
  );
  return true;
};

/** Answers per recipient: how its first attempts go (true: answered); later attempts succeed. */
const SCRIPTS: Record<string, Script> = {
  "447700980001": (_n, res) => graphError(res, 400, 131026, "Message undeliverable"),
  "447700980002": (_n, res) => graphError(res, 400, 131047, "Re-engagement message"),
  "447700980003": (n, res) => n === 1 && graphError(res, 400, 130429, "Rate limit hit"),
  "447700980004": (n, res) =>
    n === 1 && graphError(res, 400, 131056, "(Business Account, Consumer Account) pair rate limit hit"),
  "447700980005": (n, res) => n === 1 && graphError(res, 500, 131000, "Something went wrong"),
  // A hung connection: never answered (A's time limit ends the attempt).
  "447700980006": (n) => n === 1,
  "447700980007": (n, res) =>
    n === 1 && graphError(res, 429, 130429, "Rate limit hit", { "retry-after": "1" }),
  // Meta failing for good: retried until the message's time to live runs out.
  "447700980008": (_n, res) => graphError(res, 503, 131016, "Service unavailable"),
};

class GraphStandIn {
  readonly seen: Seen[] = [];
  readonly #attempts = new Map<string, number>();
  #server: Server | undefined;
  #wamid = 0;
  intake = "";
  uploads = 0;

  get url(): string {
    return `http://127.0.0.1:${(this.#server as Server).address() ? ((this.#server as Server).address() as AddressInfo).port : 0}`;
  }

  attemptsOf(to: string): number {
    return this.#attempts.get(to) ?? 0;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((r) => this.#server?.listen(0, "127.0.0.1", r));
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => this.#server?.close(() => r()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = req.url ?? "";
    const isJson = String(req.headers["content-type"]).startsWith("application/json");
    const body = isJson ? JSON.parse(raw.toString()) : raw.toString("latin1");
    this.seen.push({
      at: Date.now(),
      path,
      auth: req.headers.authorization,
      contentType: req.headers["content-type"],
      body,
    });
    if (path === `/v23.0/${CARRIER_PHONE_ID}/media`) {
      this.uploads++;
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ id: `7${this.uploads}0000000001` }));
      return;
    }
    const to = String(body.to);
    const n = (this.#attempts.get(to) ?? 0) + 1;
    this.#attempts.set(to, n);
    if (SCRIPTS[to]?.(n, res)) return;
    if (SCRIPTS[to] && n === 1) return; // hung: left unanswered
    const wamid = `wamid.standin-${++this.#wamid}`;
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        messaging_product: "whatsapp",
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: wamid }],
      }),
    );
    // Then, as Meta does, the delivered status to the app's webhook, signed.
    const status = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102290129340398",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: SENDER, phone_number_id: CARRIER_PHONE_ID },
                statuses: [
                  {
                    id: wamid,
                    status: "delivered",
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    recipient_id: to,
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    setTimeout(() => {
      void fetch(this.intake, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": `sha256=${createHmac("sha256", APP_SECRET).update(status).digest("hex")}`,
        },
        body: status,
      }).catch(() => undefined);
    }, 20);
  }
}

describe("the Meta carrier against Meta's answers", () => {
  const graph = new GraphStandIn();
  const hooks = new WebhookReceiver();
  let a: TestServer;

  before(async () => {
    await graph.start();
    await hooks.start();
    a = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_META_CARRIER_URL: graph.url,
      OPENBSP_META_CARRIER_TOKEN: TOKEN,
      OPENBSP_META_CARRIER_PHONE_NUMBER_ID: CARRIER_PHONE_ID,
      OPENBSP_META_CARRIER_WABA_ID: "102290129340398",
      OPENBSP_META_CARRIER_APP_SECRET: APP_SECRET,
      OPENBSP_META_CARRIER_VERIFY_TOKEN: "verify-token",
      OPENBSP_META_CARRIER_TIMEOUT_MS: "400",
    });
    graph.intake = `${a.url}${INTAKE}`;
  });
  after(async () => {
    await a.close();
    await hooks.stop();
    await graph.stop();
  });

  const report = (messageId: string) =>
    eventually(
      () =>
        hooks.received
          .flatMap((r) => r.body.results ?? [])
          .find((x: { messageId: string }) => x.messageId === messageId),
      10_000,
      `the report of ${messageId}`,
    );
  const send = async (to: string, messageId: string) => {
    const res = await a.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome(to, { messageId })],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  for (const [to, code, title] of [
    ["447700980001", 131026, "Message undeliverable"],
    ["447700980002", 131047, "Re-engagement message"],
  ] as const) {
    it(`Meta's ${code} fails the message at once, no retry, its code and title in the report`, async () => {
      await send(to, `final-${code}`);
      const r = await report(`final-${code}`);
      assert.equal(r.status.groupName, "UNDELIVERABLE", JSON.stringify(r));
      assert.match(r.error.description, new RegExp(`${title}.*${code}`), JSON.stringify(r));
      await new Promise((res) => setTimeout(res, 500));
      assert.equal(graph.attemptsOf(to), 1, "not retried");
    });
  }

  for (const [to, what] of [
    ["447700980003", "130429 (throughput)"],
    ["447700980004", "131056 (pair rate)"],
    ["447700980005", "a 500"],
    ["447700980006", "a hung connection"],
  ] as const) {
    it(`${what} is retried, and the message is delivered`, async () => {
      await send(to, `retry-${to}`);
      const r = await report(`retry-${to}`);
      assert.equal(r.status.groupName, "DELIVERED", JSON.stringify(r));
      assert.equal(graph.attemptsOf(to), 2);
    });
  }

  it("a 429 with Retry-After is retried no sooner than Meta asked", async () => {
    const to = "447700980007";
    await send(to, "retry-after");
    assert.equal((await report("retry-after")).status.groupName, "DELIVERED");
    const [first, second] = graph.seen.filter((s) => s.body?.to === to);
    assert.ok(
      (second?.at ?? 0) - (first?.at ?? 0) >= 950,
      `waited ${(second?.at ?? 0) - (first?.at ?? 0)} ms`,
    );
  });

  it("a Meta that keeps failing is retried until the message's TTL, which then ends it EXPIRED", async () => {
    const to = "447700980008";
    await send(to, "retry-ttl");
    await eventually(() => graph.attemptsOf(to) >= 2, 10_000, "a retry").catch(async (err) => {
      const m = await a.ctx.storage.messages.get(a.seeded.account.id, "retry-ttl");
      throw new Error(`${err.message}: ${graph.attemptsOf(to)} attempts; message ${JSON.stringify(m)}`);
    });
    const advanced = await a.call("POST", "/sandbox/clock/advance", { ms: 31 * 86_400_000 });
    assert.ok(advanced.status < 300, JSON.stringify(advanced.body));
    const r = await report("retry-ttl");
    assert.equal(r.status.groupName, "EXPIRED", JSON.stringify(r));
    const attempts = graph.attemptsOf(to);
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(graph.attemptsOf(to), attempts, "no attempt after the TTL");
  });

  it("calls Graph with the sender's token at its phone number id, with bodies Meta's document accepts", () => {
    const sends = graph.seen.filter((s) => s.path.endsWith("/messages"));
    assert.ok(sends.length >= 8);
    for (const s of sends) {
      assert.equal(s.path, `/v23.0/${CARRIER_PHONE_ID}/messages`);
      assert.equal(s.auth, `Bearer ${TOKEN}`);
      if (referenceAvailable())
        assert.deepEqual(
          loadMetaContract().request("post", "/{Version}/{Phone-Number-ID}/messages", s.body),
          [],
        );
    }
  });

  it("media uploaded to OpenBSP goes to Meta's /media first, once, then by Meta's id", async () => {
    const user = "447700980010";
    await a.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", "image/png");
    form.set("file", new Blob([PNG], { type: "image/png" }), "pic.png");
    const up = await fetch(`${a.url}/v23.0/100000000000003/media`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
      body: form,
    });
    assert.equal(up.status, 200);
    const { id } = (await up.json()) as { id: string };
    for (const n of [1, 2]) {
      const res = await fetch(`${a.url}/v23.0/100000000000003/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          to: user,
          type: "image",
          image: { id, caption: `n${n}` },
        }),
      });
      assert.equal(res.status, 200, await res.text());
    }
    const sends = await eventually(
      () => {
        const s = graph.seen.filter((x) => x.body?.to === user);
        return s.length === 2 ? s : undefined;
      },
      10_000,
      "both sends at Meta",
    );
    assert.equal(graph.uploads, 1, "uploaded once, then Meta's id reused");
    const upload = graph.seen.find((x) => x.path.endsWith("/media"));
    assert.match(String(upload?.contentType), /^multipart\/form-data/);
    assert.equal(upload?.auth, `Bearer ${TOKEN}`);
    for (const s of sends) assert.deepEqual(Object.keys(s.body.image).sort(), ["caption", "id"]);
    assert.equal(sends[0]?.body.image.id, "710000000001");
  });

  it("what is not built yet answers 501 saying what: Meta-face fault injection, resumable uploads, registration, business profile", async () => {
    for (const [method, path] of [
      ["GET", "/sandbox/faults"],
      ["POST", "/sandbox/faults"],
      ["DELETE", "/sandbox/faults/f1"],
      ["POST", "/v23.0/1234567890123/uploads"],
      ["POST", "/v23.0/100000000000003/register"],
      ["POST", "/v23.0/100000000000003/request_code"],
      ["GET", "/v23.0/100000000000003/whatsapp_business_profile"],
    ] as const) {
      const res = await fetch(`${a.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      const text = await res.text();
      assert.equal(res.status, 501, `${method} ${path}: ${text}`);
      assert.match(text, /not built/, `${method} ${path}: ${text}`);
    }
  });
});
