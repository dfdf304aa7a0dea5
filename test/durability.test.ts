import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { recordEvents } from "../src/app/record-events.ts";
import { SEED } from "../src/app/seed.ts";
import type { CarrierEvent } from "../src/core/message-status.ts";
import { type ChildServer, spawnOpenBsp, stopChild } from "./support/child-server.ts";
import {
  API_KEY,
  eventually,
  outboxDrained,
  request,
  sleep,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { RecordingReceiver } from "./support/recording-receiver.ts";

const PATIENT_RETRY_MS = "100,200,300,400,500,500,500,500,500,500,500,500,500,500,500,500,500,500,500,500";
const auth = { authorization: `App ${API_KEY}` };

const phone = (i: number) => `4477009${String(i).padStart(5, "0")}`;

/** One template request to `numbers`, each message with a client id derived from its number. */
async function send(base: string, numbers: readonly string[], tag: string) {
  const res = await request(
    base,
    "POST",
    "/whatsapp/1/message/template",
    {
      messages: numbers.map((n) => welcome(n, { messageId: `${tag}-${n}` })),
    },
    auth,
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.messages.map((m: { messageId: string; to: string }) => ({
    messageId: m.messageId,
    to: m.to,
  })) as {
    messageId: string;
    to: string;
  }[];
}

/** `npm start` with two invalid settings; started by a root hook so it runs alongside the other tests. */
function startWithInvalidConfig() {
  const dir = mkdtempSync(join(tmpdir(), "openbsp-config-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      OPENBSP_PORT: "abc",
      OPENBSP_SENDER: "12",
      OPENBSP_DATA_DIR: dir,
      OPENBSP_LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += String(d)));
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    }),
  );
}
let invalidConfigRun: ReturnType<typeof startWithInvalidConfig> | undefined;
before(() => {
  invalidConfigRun = startWithInvalidConfig();
});
after(async () => {
  await invalidConfigRun;
});

describe("durability across a crash (a real child process killed with SIGKILL)", () => {
  const rx = new RecordingReceiver();
  const dir = mkdtempSync(join(tmpdir(), "openbsp-crash-"));
  const children: ChildProcess[] = [];
  /** The process serving `dir` now (each test kills it and starts the next). */
  let current: ChildServer | undefined;

  before(async () => {
    await rx.start();
  });
  after(async () => {
    for (const c of children) await stopChild(c, "SIGKILL");
    await rx.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function restart(): Promise<ChildServer> {
    if (current) await stopChild(current.child, "SIGKILL");
    current = await spawnOpenBsp({
      OPENBSP_DATA_DIR: dir,
      OPENBSP_DELIVERY_URL: `${rx.url}/crash`,
      OPENBSP_WEBHOOK_RETRY_MS: PATIENT_RETRY_MS,
    });
    children.push(current.child);
    return current;
  }

  /** Waits for a report of `kind` for every id; on timeout says which are missing and what /healthz says. */
  async function waitForReports(ids: readonly string[], kind: "delivery" | "seen", ms: number) {
    const deadline = Date.now() + ms;
    while (!rx.hasAll(ids, kind, "/crash")) {
      if (Date.now() > deadline) {
        const got = new Set(
          rx
            .accepted("/crash")
            .filter((a) => a.kind === kind)
            .map((a) => a.messageId),
        );
        const missing = ids.filter((id) => !got.has(id));
        const health = current
          ? (await request(current.url, "GET", "/healthz").catch((e) => ({ body: String(e) }))).body
          : "no server";
        assert.fail(
          `${missing.length} of ${ids.length} ${kind} reports missing after ${ms} ms (e.g. ${missing.slice(0, 3).join(", ")}); /healthz: ${JSON.stringify(health)}`,
        );
      }
      await sleep(25);
    }
  }

  it("loses nothing and repeats nothing when killed mid-dispatch", async () => {
    // A slow receiver, so that the crash catches webhooks in flight (claimed, not yet answered).
    rx.respond = () => ({ status: 200, delayMs: 150 });
    const first = await restart();
    const rule = await request(first.url, "POST", "/sandbox/rules", {
      pattern: "44770*",
      behaviour: "deliver",
      deliverDelayMs: 300,
    });
    assert.equal(rule.status, 201);

    const sent: { messageId: string; to: string }[] = [];
    for (let r = 0; r < 10; r++) {
      const batch = Array.from({ length: 20 }, (_, i) => phone(r * 20 + i));
      sent.push(...(await send(first.url, batch, "crash")));
      if (r % 3 === 2) await sleep(120); // let earlier requests get further along
    }
    assert.equal(sent.length, 200);
    await eventually(() => rx.inFlight > 0, 3000, "webhooks in flight");
    await stopChild(first.child, "SIGKILL");
    rx.respond = () => ({ status: 200 });
    const deliveredBeforeCrash = new Set(
      rx
        .accepted("/crash")
        .filter((a) => a.kind === "delivery")
        .map((a) => a.messageId),
    );
    assert.ok(deliveredBeforeCrash.size < 200, "the crash interrupted work in flight");

    const second = await restart();
    const ids = sent.map((s) => s.messageId);
    await waitForReports(ids, "delivery", 10_000);
    await waitForReports(ids, "seen", 5000);

    for (const id of ids) {
      const reports = rx.accepted("/crash").filter((a) => a.kind === "delivery" && a.messageId === id);
      for (const a of reports)
        assert.equal(a.body.results[0].status.groupName, "DELIVERED", `${id} delivered`);
    }
    const byReport = rx.eventIdsByReport("/crash");
    for (const id of ids) {
      for (const kind of ["delivery", "seen"]) {
        const eventIds = byReport.get(`${id} ${kind}`);
        assert.equal(
          eventIds?.size,
          1,
          `one event id for the ${kind} report of ${id}: ${[...(eventIds ?? [])].join(", ")}`,
        );
      }
    }
    const phones = await Promise.all(
      sent.map((s) => request(second.url, "GET", `/sandbox/phones/${s.to}/messages`)),
    );
    phones.forEach((res, i) => {
      const s = sent[i] as { messageId: string; to: string };
      assert.deepEqual(
        res.body.messages.map((m: { messageId: string }) => m.messageId),
        [s.messageId],
        `phone ${s.to} got its message once`,
      );
    });
  });

  it("keeps every message it answered 2xx for, even when killed right after the answer", async () => {
    const server = current ?? (await restart());
    await request(server.url, "POST", "/sandbox/rules", {
      pattern: "44770*",
      behaviour: "deliver",
      deliverDelayMs: 300,
    });

    // Many concurrent requests (group commit batches them); kill the moment the last answer is in.
    const requests = Array.from({ length: 30 }, (_, r) =>
      send(
        server.url,
        Array.from({ length: 5 }, (_, i) => phone(500 + r * 5 + i)),
        "ack",
      ),
    );
    const acked = (await Promise.all(requests)).flat();
    server.child.kill("SIGKILL");
    assert.equal(acked.length, 150);

    const next = await restart();
    const ids = acked.map((a) => a.messageId);
    await waitForReports(ids, "delivery", 10_000);
    const phones = await Promise.all(
      acked.map((a) => request(next.url, "GET", `/sandbox/phones/${a.to}/messages`)),
    );
    phones.forEach((res, i) => {
      const a = acked[i] as { messageId: string; to: string };
      assert.deepEqual(
        res.body.messages.map((m: { messageId: string }) => m.messageId),
        [a.messageId],
        `phone ${a.to} got its message once`,
      );
    });
  });
});

describe("an in-process server", () => {
  let server: TestServer;
  const rx = new RecordingReceiver();
  let n = 0;

  before(async () => {
    await rx.start();
    server = await startServer({ OPENBSP_DELIVERY_URL: `${rx.url}/dlr` });
    // The sandbox takes the message but never delivers or reads it during the test: we do.
    const rule = await server.call("POST", "/sandbox/rules", {
      pattern: "4477009007*",
      behaviour: "deliver",
      deliverDelayMs: 600_000,
      readDelayMs: null,
    });
    assert.equal(rule.status, 201);
  });
  after(async () => {
    await server.close();
    await rx.stop();
  });

  /** Sends one message and waits until the dispatcher has handed it to the network. */
  async function sentMessage() {
    const to = `4477009007${String(n++).padStart(2, "0")}`;
    const messageId = `ooo-${to}`;
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome(to, { messageId })],
    });
    assert.equal(res.status, 200);
    const seq = await eventually(
      async () => {
        const m = await server.ctx.storage.messages.get(SEED.accountId, messageId);
        return m?.status === "sent" ? m.seq : undefined;
      },
      3000,
      `${messageId} sent`,
    );
    return { to, messageId, seq };
  }

  /** Applies carrier events; resolves once they and the reports they owe are committed. */
  async function apply(seq: number, ...kinds: CarrierEvent["kind"][]) {
    const at = server.ctx.clock.now();
    const events: CarrierEvent[] = kinds.map((kind) =>
      kind === "failed"
        ? { kind, at, error: { code: 131026, title: "Message undeliverable" } }
        : { kind, at },
    );
    await recordEvents(
      server.ctx,
      events.map((event) => ({ seq, event })),
    );
  }

  const reportsFor = (messageId: string, kind: "delivery" | "seen") =>
    rx.attempts.filter((a) => a.messageId === messageId && a.kind === kind);

  /** The status an idempotent re-send of the same client messageId answers with: what the API says now. */
  async function statusNow(to: string, messageId: string) {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome(to, { messageId })],
    });
    assert.equal(res.status, 200);
    return res.body.messages[0].status.name as string;
  }

  describe("out-of-order carrier events", () => {
    it("ignores a late delivered and sent after SEEN: no downgrade, no new webhook", async () => {
      const m = await sentMessage();
      await apply(m.seq, "delivered");
      await apply(m.seq, "seen");
      await eventually(() => reportsFor(m.messageId, "seen").length === 1, 3000, "the seen report");
      await apply(m.seq, "delivered");
      await apply(m.seq, "sent");
      await outboxDrained(server); // any report these events queued has arrived by now
      assert.equal(reportsFor(m.messageId, "delivery").length, 1, "one delivery report");
      assert.equal(reportsFor(m.messageId, "seen").length, 1, "one seen report");
      assert.equal(reportsFor(m.messageId, "delivery")[0]?.body.results[0].status.groupName, "DELIVERED");
      assert.equal(await statusNow(m.to, m.messageId), "DELIVERED_TO_HANDSET");
    });

    it("reports both delivery and seen when SEEN overtakes DELIVERED", async () => {
      const m = await sentMessage();
      await apply(m.seq, "seen");
      await eventually(
        () =>
          reportsFor(m.messageId, "delivery").length === 1 && reportsFor(m.messageId, "seen").length === 1,
        3000,
        "both reports",
      );
      const dlr = reportsFor(m.messageId, "delivery")[0]?.body.results[0];
      assert.equal(dlr.status.groupName, "DELIVERED");
      assert.equal(dlr.error.name, "NO_ERROR");
      assert.match(dlr.doneAt, /^\d{4}-\d\d-\d\dT/);
      await apply(m.seq, "delivered");
      await outboxDrained(server); // any report these events queued has arrived by now
      assert.equal(reportsFor(m.messageId, "delivery").length, 1, "the late delivered adds no report");
      assert.equal(reportsFor(m.messageId, "seen").length, 1);
    });

    it("reports a duplicate DELIVERED once", async () => {
      const m = await sentMessage();
      await apply(m.seq, "delivered", "delivered");
      await Promise.all([apply(m.seq, "delivered"), apply(m.seq, "delivered")]);
      await eventually(() => reportsFor(m.messageId, "delivery").length >= 1, 3000, "the delivery report");
      await outboxDrained(server); // any report these events queued has arrived by now
      assert.equal(reportsFor(m.messageId, "delivery").length, 1);
      assert.equal(reportsFor(m.messageId, "seen").length, 0);
    });

    it("ignores FAILED (and EXPIRED) after DELIVERED", async () => {
      const m = await sentMessage();
      await apply(m.seq, "delivered");
      await eventually(() => reportsFor(m.messageId, "delivery").length === 1, 3000, "the delivery report");
      await apply(m.seq, "failed");
      await apply(m.seq, "expired");
      await outboxDrained(server); // any report these events queued has arrived by now
      const reports = reportsFor(m.messageId, "delivery");
      assert.equal(reports.length, 1);
      assert.equal(reports[0]?.body.results[0].status.groupName, "DELIVERED");
      assert.equal(await statusNow(m.to, m.messageId), "DELIVERED_TO_HANDSET");
    });
  });

  describe("the HTTP surface", () => {
    it("documents every route in /openapi.json, serves /docs and answers /healthz", async () => {
      {
        const doc = await request(server.url, "GET", "/openapi.json");
        assert.equal(doc.status, 200);
        const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
          ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
        );
        for (const route of [
          "POST /whatsapp/1/message/template",
          "POST /whatsapp/1/message/text",
          "POST /whatsapp/2/senders/{sender}/templates",
          "GET /whatsapp/2/senders/{sender}/templates",
          "GET /whatsapp/2/senders/{sender}/templates/{id}",
          "PATCH /whatsapp/2/senders/{sender}/templates/{id}",
          "DELETE /whatsapp/2/senders/{sender}/templates/{templateName}",
          "POST /sandbox/phones/{number}/messages",
          "GET /sandbox/phones/{number}/messages",
          "GET /sandbox/rules",
          "POST /sandbox/rules",
          "DELETE /sandbox/rules/{id}",
          "GET /sandbox/clock",
          "POST /sandbox/clock/advance",
          "GET /sandbox/sms/{number}/messages",
          "POST /sandbox/sms/rules",
          "GET /healthz",
        ]) {
          assert.ok(routes.includes(route), `${route} is documented; documented: ${routes.join(", ")}`);
        }

        for (const path of ["/docs", "/docs/"]) {
          const res = await fetch(`${server.url}${path}`);
          assert.equal(res.status, 200, path);
          assert.match(res.headers.get("content-type") ?? "", /text\/html/, path);
          assert.match(await res.text(), /<html/i, path);
        }

        const health = await request(server.url, "GET", "/healthz");
        assert.equal(health.status, 200);
        assert.equal(health.body.status, "ok");
      }
    });
  });
});

describe("configuration", () => {
  it("exits non-zero on invalid settings and lists every problem", async () => {
    assert.ok(invalidConfigRun, "started by the root hook");
    const { code, stdout, stderr } = await invalidConfigRun;
    assert.notEqual(code, null, "exits by itself, not killed after hanging");
    assert.notEqual(code, 0, "exits with a failure status");
    assert.match(stderr, /OPENBSP_PORT/, `stderr names OPENBSP_PORT:\n${stderr}`);
    assert.match(stderr, /OPENBSP_SENDER/, `stderr names OPENBSP_SENDER:\n${stderr}`);
    assert.doesNotMatch(stdout, /OpenBSP is running/);
  });
});
