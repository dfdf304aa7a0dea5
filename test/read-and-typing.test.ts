/**
 * Mark as read and typing indicators, in every dialect, as the simulated phone shows them: which of
 * the user's messages the business read and when, and a typing indicator for 25 s (sandbox clock)
 * or until the business's next message reaches the phone. Infobip's mark-as-read is off until the
 * account has it enabled; ids of unknown messages, or of another sender's, are refused.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addAccount } from "./support/accounts.ts";
import { checkContract } from "./support/contracts.ts";
import { API_KEY, eventually, request, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, PHONE_ID } from "./support/meta.ts";

const READ = "/whatsapp/1/senders/{sender}/message/{messageId}/read";
const EVENTS = "/whatsapp/1/events";
const OTHER_SENDER = "441134960099";
const OTHER_KEY = "other-key-0001";

async function userWrites(server: TestServer, phone: string, text: string, to = SENDER): Promise<string> {
  const res = await request(server.url, "POST", `/sandbox/phones/${phone}/messages`, { to, text });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.messageId;
}

// biome-ignore lint/suspicious/noExplicitAny: the phone's view is asserted on field by field
async function phoneView(server: TestServer, phone: string): Promise<any> {
  const res = await request(server.url, "GET", `/sandbox/phones/${phone}/messages`);
  assert.equal(res.status, 200);
  return res.body;
}

async function readAt(server: TestServer, phone: string, messageId: string): Promise<string | undefined> {
  const sent = (await phoneView(server, phone)).sent.find(
    (m: { messageId: string }) => m.messageId === messageId,
  );
  assert.ok(sent, `the phone lists ${messageId} among what its user sent`);
  return sent.readByBusinessAt;
}

async function advance(server: TestServer, ms: number): Promise<void> {
  const res = await request(server.url, "POST", "/sandbox/clock/advance", { ms });
  assert.equal(res.status, 200);
}

const now = async (server: TestServer) =>
  Date.parse((await request(server.url, "GET", "/sandbox/clock")).body.now);

/** A second account with its own sender (and bot), which the seeded account must not reach. */
async function seedOtherAccount(server: TestServer): Promise<void> {
  await addAccount(server.ctx.storage, {
    id: "acc-other",
    name: "Other",
    apiKey: OTHER_KEY,
    businessVerified: false,
  });
  await server.ctx.storage.catalog.upsertSender({
    number: OTHER_SENDER,
    accountId: "acc-other",
    wabaId: "100000000000099",
    aliases: { metaPhoneNumberId: "900000000000099", sinchBotId: "otherbot" },
  });
}

describe("Infobip mark as read, off by default", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it("is refused with 403 saying it is not enabled, and the phone shows nothing read", async (t) => {
    const messageId = await userWrites(server, "447700950001", "Hello?");
    const res = await server.call("POST", `/whatsapp/1/senders/${SENDER}/message/${messageId}/read`);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.requestError.serviceException.messageId, "FORBIDDEN");
    assert.match(res.body.requestError.serviceException.text, /Mark as read is not enabled for this account/);
    assert.equal(await readAt(server, "447700950001", messageId), undefined);
    await checkContract(t, "infobip", (c) => assert.deepEqual(c.response("post", READ, 403, res.body), []));
  });
});

describe("mark as read and typing, enabled", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ OPENBSP_MARK_AS_READ: "true" });
    await seedOtherAccount(server);
  });
  after(() => server.close());

  it("Infobip: 204; the phone shows the message and the earlier ones read, each when first read", async (t) => {
    const phone = "447700950002";
    const first = await userWrites(server, phone, "One");
    await advance(server, 1000);
    const second = await userWrites(server, phone, "Two");
    await advance(server, 1000);
    const third = await userWrites(server, phone, "Three");
    const before = await phoneView(server, phone);
    assert.deepEqual(
      before.sent.map((m: { messageId: string; to: string }) => [m.messageId, m.to]),
      [
        [first, SENDER],
        [second, SENDER],
        [third, SENDER],
      ],
    );
    assert.deepEqual(before.sent[0].content, { type: "text", text: "One" });
    assert.ok(
      before.sent.every((m: { readByBusinessAt?: string }) => m.readByBusinessAt === undefined),
      "nothing read yet",
    );

    const res = await server.call("POST", `/whatsapp/1/senders/${SENDER}/message/${second}/read`);
    assert.equal(res.status, 204, JSON.stringify(res.body));
    const readTime = new Date(await now(server)).toISOString().slice(0, 16);
    assert.equal(
      (await readAt(server, phone, first))?.slice(0, 16),
      readTime,
      "an earlier message is read with it",
    );
    assert.equal((await readAt(server, phone, second))?.slice(0, 16), readTime);
    assert.equal(await readAt(server, phone, third), undefined, "a later one is not");
    const firstReadAt = await readAt(server, phone, first);

    await advance(server, 60_000);
    assert.equal(
      (await server.call("POST", `/whatsapp/1/senders/${SENDER}/message/${third}/read`)).status,
      204,
    );
    assert.equal(await readAt(server, phone, first), firstReadAt, "read again, the first reading stays");
    assert.ok(
      Date.parse((await readAt(server, phone, third)) ?? "") >= Date.parse(firstReadAt ?? "") + 60_000,
    );
    await checkContract(t, "infobip", (c) => assert.deepEqual(c.response("post", READ, 204, res.body), []));
  });

  it("Infobip: unknown message ids and other senders' messages are refused, naming messageId", async (t) => {
    const unknown = await server.call("POST", `/whatsapp/1/senders/${SENDER}/message/wamid.nothing/read`);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error, /messageId wamid\.nothing/);
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.response("post", READ, 400, unknown.body), []),
    );

    const theirs = await userWrites(server, "447700950003", "Hi other", OTHER_SENDER);
    const acrossSenders = await server.call("POST", `/whatsapp/1/senders/${SENDER}/message/${theirs}/read`);
    assert.equal(acrossSenders.status, 400, "another account's sender's message is not this sender's");
    assert.match(acrossSenders.body.error, /messageId/);
    const foreignSender = await server.call(
      "POST",
      `/whatsapp/1/senders/${OTHER_SENDER}/message/${theirs}/read`,
    );
    assert.equal(foreignSender.status, 403, "another account's sender");
    assert.match(foreignSender.body.requestError.serviceException.text, /not registered to this account/);
    const ownKey = await request(
      server.url,
      "POST",
      `/whatsapp/1/senders/${OTHER_SENDER}/message/${theirs}/read`,
      undefined,
      { authorization: `App ${OTHER_KEY}` },
    );
    assert.equal(ownKey.status, 403, "enabled for the seeded account only: the other account has it off");
    assert.match(ownKey.body.requestError.serviceException.text, /not enabled/);
    assert.equal(await readAt(server, "447700950003", theirs), undefined);
  });

  it("Infobip: a TYPING_INDICATOR event shows typing for 25 s of the sandbox clock", async (t) => {
    const phone = "447700950004";
    await userWrites(server, phone, "Are you there?");
    const body = {
      events: [{ sender: SENDER, destinations: [{ to: phone }], content: { type: "TYPING_INDICATOR" } }],
    };
    const res = await server.call("POST", EVENTS, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.messages[0].destination, phone);
    assert.equal(res.body.messages[0].status.groupName, "PENDING");
    const shown = (await phoneView(server, phone)).typing;
    assert.equal(shown.length, 1);
    assert.equal(shown[0].sender, SENDER);
    const left = Date.parse(shown[0].until) - (await now(server));
    assert.ok(left > 20_000 && left <= 25_000, `until is 25 s ahead (${left} ms)`);
    await advance(server, 25_000);
    assert.deepEqual((await phoneView(server, phone)).typing, [], "gone after 25 s");
    await checkContract(t, "infobip", (c) => {
      assert.deepEqual(c.request("post", EVENTS, body), []);
      assert.deepEqual(c.response("post", EVENTS, 200, res.body), []);
    });
  });

  it("Infobip: typing ends when the business's next message reaches the phone", async () => {
    const phone = "447700950005";
    await userWrites(server, phone, "Hello");
    const typing = await server.call("POST", EVENTS, {
      events: [{ sender: SENDER, destinations: [{ to: phone }], content: { type: "TYPING_INDICATOR" } }],
    });
    assert.equal(typing.status, 200);
    assert.equal((await phoneView(server, phone)).typing.length, 1);
    const sent = await server.call("POST", "/whatsapp/1/message/text", {
      from: SENDER,
      to: phone,
      messageId: "answer-1",
      content: { text: "Here!" },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const view = await eventually(
      async () => {
        const v = await phoneView(server, phone);
        return v.messages.some((m: { messageId: string }) => m.messageId === "answer-1") && v;
      },
      5000,
      "the answer on the phone",
    );
    assert.deepEqual(view.typing, [], "the indicator gave way to the message");
  });

  it("Infobip: typing to someone who never wrote, or a malformed event, is a 400 naming the field", async (t) => {
    const stranger = await server.call("POST", EVENTS, {
      events: [
        { sender: SENDER, destinations: [{ to: "447700950099" }], content: { type: "TYPING_INDICATOR" } },
      ],
    });
    assert.equal(stranger.status, 400);
    assert.equal(stranger.body.errorCode, "E400");
    assert.equal(stranger.body.violations[0].property, "events[0].destinations[0].to");
    const malformed = await server.call("POST", EVENTS, {
      events: [{ sender: SENDER, destinations: [{ to: "447700950004" }], content: { type: "TYPING" } }],
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.violations[0].property, "events[0].content.type");
    const foreign = await server.call("POST", EVENTS, {
      events: [
        {
          sender: OTHER_SENDER,
          destinations: [{ to: "447700950003" }],
          content: { type: "TYPING_INDICATOR" },
        },
      ],
    });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.violations[0].property, "events[0].sender");
    assert.deepEqual((await phoneView(server, "447700950003")).typing, [], "nothing shown");
    await checkContract(t, "infobip", (c) => {
      for (const res of [stranger, malformed, foreign])
        assert.deepEqual(c.response("post", EVENTS, 400, res.body), []);
    });
  });

  it("Meta: status read marks the message read; with typing_indicator the phone shows typing for 25 s", async (t) => {
    const phone = "447700950006";
    const messageId = await userWrites(server, phone, "Meta?");
    const send = (body: Record<string, unknown>) =>
      metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, { messaging_product: "whatsapp", ...body });
    const res = await send({ status: "read", message_id: messageId });
    assert.deepEqual(res.body, { success: true });
    assert.ok(await readAt(server, phone, messageId));
    assert.deepEqual((await phoneView(server, phone)).typing, [], "no typing without typing_indicator");

    const typing = await send({ status: "read", message_id: messageId, typing_indicator: { type: "text" } });
    assert.deepEqual(typing.body, { success: true });
    assert.equal((await phoneView(server, phone)).typing[0]?.sender, SENDER);
    await advance(server, 24_000);
    assert.equal((await phoneView(server, phone)).typing.length, 1, "still typing after 24 s");
    await advance(server, 1_000);
    assert.deepEqual((await phoneView(server, phone)).typing, [], "gone after 25 s");
    await checkContract(t, "meta", (c) =>
      assert.deepEqual(c.response("post", "/{Version}/{Phone-Number-ID}/messages", 200, typing.body), []),
    );
  });

  it("Meta: an unknown message id or another sender's is 131009 naming message_id", async () => {
    const send = (body: Record<string, unknown>) =>
      metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, { messaging_product: "whatsapp", ...body });
    const unknown = await send({ status: "read", message_id: "wamid.nothing" });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 131009);
    assert.match(unknown.body.error.error_data.details, /message_id/);
    const theirs = await userWrites(server, "447700950007", "To the other one", OTHER_SENDER);
    const other = await send({ status: "read", message_id: theirs, typing_indicator: { type: "text" } });
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 131009);
    const view = await phoneView(server, "447700950007");
    assert.equal(view.sent[0].readByBusinessAt, undefined);
    assert.deepEqual(view.typing, []);
    const badType = await send({ status: "read", message_id: theirs, typing_indicator: { type: "audio" } });
    assert.equal(badType.status, 400);
    assert.match(badType.body.error.error_data.details, /typing_indicator\.type/);
  });

  it("Sinch: the read event marks the message read (201); an unknown or other bot's id is a 400 naming message_id", async () => {
    const sinch = (body: unknown) =>
      request(server.url, "POST", "/whatsapp/v1/openbspbot/events", body, {
        authorization: `Bearer ${API_KEY}`,
      });
    const phone = "447700950008";
    const messageId = await userWrites(server, phone, "Sinch?");
    const read = await sinch({ type: "read", message_id: messageId });
    assert.equal(read.status, 201, JSON.stringify(read.body));
    assert.ok(await readAt(server, phone, messageId));
    const unknown = await sinch({ type: "read", message_id: "01E7SP2FX8E16R0X3GE8Z41VSQ" });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.reason, /Field \[message_id\]/);
    const theirs = await userWrites(server, "447700950009", "Other bot", OTHER_SENDER);
    const other = await sinch({ type: "read", message_id: theirs });
    assert.equal(other.status, 400);
    assert.equal(await readAt(server, "447700950009", theirs), undefined);
  });
});
