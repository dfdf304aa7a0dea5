/**
 * Records and a small events plan for the storage contract suites. The plan is the test's own,
 * built on the core's status machine, so the suites check the adapter and not the report wording.
 */
import type { Account, Sender } from "../../src/core/account.ts";
import type { EventsPlan, PlanEvents } from "../../src/core/events-plan.ts";
import type { InboundMessage } from "../../src/core/inbound.ts";
import { applyEvent } from "../../src/core/message-status.ts";
import type { NewMessage } from "../../src/core/new-message.ts";
import type { Recipient } from "../../src/core/phone-number.ts";
import { triggersFailover } from "../../src/core/sms-failover.ts";
import type { Template } from "../../src/core/template.ts";
import type { NewWebhook } from "../../src/core/webhook.ts";
import type { Storage } from "../../src/store/storage.ts";

/** Makes a fresh, empty Storage that plans carrier events with `plan`; the suite closes it. */
export type StorageFactory = (plan: PlanEvents) => Promise<Storage>;

export const T0 = Date.UTC(2030, 0, 1);

export const account = (over: Partial<Account> = {}): Account => ({
  id: "acc-1",
  name: "one",
  secret: "secret-1",
  businessVerified: false,
  ...over,
});

export const sender = (over: Partial<Sender> = {}): Sender => ({
  number: "441134960000",
  accountId: "acc-1",
  wabaId: "waba-1",
  aliases: { phoneId: "100000000000003", botId: "bot-1" },
  // Unpaced, so that claims return every due message; the pacing contract sets its own tier.
  throughputMps: 0,
  ...over,
});

export const template = (over: Partial<Template> = {}): Template => ({
  id: "tpl-1",
  wabaId: "waba-1",
  name: "welcome",
  language: "en",
  category: "UTILITY",
  structure: { body: { text: "Hello {{1}}", examples: ["Ann"] }, buttons: [] },
  status: "APPROVED",
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

export const webhook = (id: string, over: Partial<NewWebhook> = {}): NewWebhook => ({
  id,
  accountId: "acc-1",
  url: "http://127.0.0.1:9/hook",
  body: JSON.stringify({ id }),
  reports: 1,
  createdAt: T0,
  ...over,
});

let n = 0;
export const message = (over: Partial<NewMessage> = {}): NewMessage =>
  ({
    accountId: "acc-1",
    messageId: `msg-${++n}`,
    face: "dialect-a",
    from: "441134960000",
    to: "447700900001" as Recipient,
    content: { type: "text", text: "Hi", previewUrl: false },
    acceptedAt: T0,
    expiresAt: T0 + 86_400_000,
    ...over,
  }) as NewMessage; // a test picks content and failover together; the type pairs them only when built

export const inbound = (over: Partial<InboundMessage> = {}): InboundMessage => ({
  messageId: `wamid.in-${++n}`,
  to: "441134960000",
  from: "447700900001",
  receivedAt: T0,
  content: { type: "text", text: "Hello" },
  ...over,
});

/** What the plan was shown, per call, for assertions on what the adapter hands it. */
export interface PlanLog {
  readonly calls: Parameters<PlanEvents>[0][];
}

/**
 * The contract's plan: the core's status machine; one webhook per move (id `move-{seq}-{status}`);
 * SMS failover when the core says a move triggers it.
 */
export function testPlan(log: PlanLog = { calls: [] }): PlanEvents {
  return (items) => {
    log.calls.push(items);
    const status = new Map<number, Parameters<PlanEvents>[0][number]["message"]["status"]>();
    const plan: {
      moves: EventsPlan["moves"][number][];
      webhooks: NewWebhook[];
      failovers: { seq: number; at: number }[];
    } = {
      moves: [],
      webhooks: [],
      failovers: [],
    };
    for (const { message: m, event } of items) {
      const from = status.get(m.seq) ?? m.status;
      const t = applyEvent(from, event);
      if (!t) continue;
      status.set(m.seq, t.status);
      plan.moves.push({ seq: m.seq, from, transition: t });
      plan.webhooks.push(webhook(`move-${m.seq}-${t.status}`, { accountId: m.accountId }));
      if (triggersFailover(m, t)) plan.failovers.push({ seq: m.seq, at: event.at });
    }
    return plan;
  };
}
