/**
 * Races and hostile inputs found in review: each must end in a clear answer, never a 500, a
 * freeze or a lost message.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { SENDER, startServer, type TestServer, welcome } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

describe("races and hostile inputs", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_INBOUND_URL: `${hooks.url}/in`,
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("keeps every one of several messages a user writes at the same moment", async () => {
    const user = "447700909001";
    const answers = await Promise.all(
      ["one", "two", "three", "four"].map((text) =>
        server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      [202, 202, 202, 202],
    );
    assert.equal(new Set(answers.map((a) => a.body.messageId)).size, 4, "four distinct ids");
    for (const text of ["one", "two", "three", "four"]) {
      await hooks.waitForResult("/in", (r) => r.from === user && r.message.text === text);
    }
  });

  it("answers 409 for a simulated user's message id that is already used", async () => {
    const first = await server.call("POST", "/sandbox/phones/447700909002/messages", {
      to: SENDER,
      text: "a",
      messageId: "wamid.same",
    });
    const again = await server.call("POST", "/sandbox/phones/447700909003/messages", {
      to: SENDER,
      text: "b",
      messageId: "wamid.same",
    });
    assert.equal(first.status, 202);
    assert.equal(again.status, 409);
  });

  it("creates a template once when the same registration arrives several times at once", async () => {
    const body = {
      name: "race_me",
      language: "en",
      category: "UTILITY",
      structure: { body: { text: "Order {{1}} ready.", examples: ["1"] } },
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, body)),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [201, 400, 400, 400, 400]);
    for (const a of answers.filter((x) => x.status === 400)) {
      assert.ok(a.body.requestError.serviceException.validationErrors.language);
    }
  });

  it("rejects a notifyUrl that is not an http(s) URL, naming it", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700909004", { notifyUrl: "not a url" })],
    });
    assert.equal(res.status, 400);
    assert.ok(res.body.requestError.serviceException.validationErrors["messages[0].notifyUrl"]);
  });

  it("matches a many-wildcard rule against a long number without freezing", async () => {
    await server.call("POST", "/sandbox/rules", {
      pattern: "************************",
      behaviour: "not_whatsapp",
    });
    const started = Date.now();
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("4477009000010000000000", { messageId: "stars" })],
    });
    assert.equal(res.status, 200);
    const dlr = await hooks.waitForResult("/dlr", (r) => r.messageId === "stars");
    assert.equal(dlr.error.name, "EC_UNKNOWN_USER");
    assert.ok(Date.now() - started < 4000);
    await server.call("DELETE", "/sandbox/rules/rule-************************");
  });

  it("accepts Infobip's full lengths for a template message's to (150) and messageId (200)", async () => {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("4".repeat(150), { messageId: "m".repeat(200) })],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
});

describe("a client messageId used twice", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it("answers the stored message for the same message again, and REJECTED_DUPLICATE_MESSAGE_ID for a different one", async () => {
    const first = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700909101", { messageId: "reuse-1" })],
    });
    assert.equal(first.body.messages[0].status.groupName, "PENDING");
    const same = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700909101", { messageId: "reuse-1" })],
    });
    assert.notEqual(same.body.messages[0].status.name, "REJECTED_DUPLICATE_MESSAGE_ID");
    const other = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700909102", { messageId: "reuse-1" })],
    });
    assert.equal(other.status, 200);
    assert.equal(other.body.messages[0].status.name, "REJECTED_DUPLICATE_MESSAGE_ID");
    assert.equal(other.body.messages[0].status.id, 23);
    const phone = await server.call("GET", "/sandbox/phones/447700909102/messages");
    assert.deepEqual(phone.body.messages, [], "the second message was not sent");
  });
});

describe("the simulated clock across a restart", () => {
  it("keeps its offset, so work scheduled in the moved time is not stranded", async () => {
    const first = await startServer({ OPENBSP_DISPATCH: "false" });
    const dataDir = first.dataDir;
    await first.call("POST", "/sandbox/clock/advance", { ms: 86_400_000 });
    await first.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700909201", { messageId: "after-restart" })],
    });
    await first.stop();
    const second = await startServer({ OPENBSP_DATA_DIR: dataDir });
    try {
      assert.equal((await second.call("GET", "/sandbox/clock")).body.offsetMs, 86_400_000);
      const phone = await eventuallyDelivered(second, "447700909201");
      assert.equal(phone.length, 1);
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function eventuallyDelivered(server: TestServer, number: string) {
  for (let i = 0; i < 100; i++) {
    const res = await server.call("GET", `/sandbox/phones/${number}/messages`);
    if (res.body.messages.length > 0) return res.body.messages;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}

describe("deeply nested flow data", () => {
  it("answers 400 naming the field, not 500", async () => {
    const server = await startServer();
    try {
      await server.call("POST", "/sandbox/phones/447700909301/messages", { to: SENDER, text: "hi" });
      // Written as text: building it as an object would overflow this test's own stack.
      const data = `${'{"d":'.repeat(5000)}1${"}".repeat(5000)}`;
      const body =
        `{"from":"${SENDER}","to":"447700909301","content":{"body":{"text":"b"},"action":{"flowToken":"t","flowId":"1",` +
        `"callToActionButton":"Go","flowActionPayload":{"screen":"A","data":${data}}}}}`;
      const res = await server.call("POST", "/whatsapp/1/message/interactive/flow", body);
      assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 300));
      assert.ok(
        res.body.requestError.serviceException.validationErrors["content.action.flowActionPayload.data"],
      );
    } finally {
      await server.close();
    }
  });
});

describe("length limits count characters, not UTF-16 units", () => {
  it("accepts a 20-emoji button title and a 4096-emoji text, and refuses one more", async () => {
    const server = await startServer();
    try {
      await server.call("POST", "/sandbox/phones/447700909401/messages", { to: SENDER, text: "hi" });
      const buttons = (title: string) => ({
        from: SENDER,
        to: "447700909401",
        content: { body: { text: "Pick" }, action: { buttons: [{ type: "REPLY", id: "a", title }] } },
      });
      assert.equal(
        (await server.call("POST", "/whatsapp/1/message/interactive/buttons", buttons("😀".repeat(20))))
          .status,
        200,
      );
      assert.equal(
        (await server.call("POST", "/whatsapp/1/message/interactive/buttons", buttons("😀".repeat(21))))
          .status,
        400,
      );
      const text = (t: string) => ({ from: SENDER, to: "447700909401", content: { text: t } });
      assert.equal(
        (await server.call("POST", "/whatsapp/1/message/text", text("😀".repeat(4096)))).status,
        200,
      );
      assert.equal(
        (await server.call("POST", "/whatsapp/1/message/text", text("😀".repeat(4097)))).status,
        400,
      );
    } finally {
      await server.close();
    }
  });
});
