/**
 * The accept path: check every message of a request against WhatsApp's rules, then store them all
 * durably in one go. A request is all or nothing: one invalid message rejects the whole request and
 * nothing of it is stored. Window and delivery rules are applied later, at dispatch, as providers do.
 */
import type { Account } from "../core/account.ts";
import { checkContent } from "../core/content-rules.ts";
import type { FieldError } from "../core/field-error.ts";
import { isHttpUrl } from "../core/http-url.ts";
import type { Face, OutboundRequest, StoredMessage } from "../core/message.ts";
import type { MessageStatus } from "../core/message-status.ts";
import type { NewMessage } from "../core/new-message.ts";
import { type OverThroughput, throughputOf } from "../core/pacing.ts";
import { checkSmsFailover } from "../core/sms-failover.ts";
import type { TemplateCategory, TemplateStructure } from "../core/template.ts";
import { checkTemplateSend, resolveTemplate } from "../core/template-send-rules.ts";
import { ttlFor } from "../core/ttl.ts";
import { type KnownError, WA } from "../core/whatsapp-errors.ts";
import type { AppContext } from "./context.ts";
import { flowSendErrors } from "./flow-sends.ts";
import { uuidv7 } from "./ids.ts";
import { shorteningDomainFor, withShortLinks } from "./short-links.ts";

/** A rule violation in message `index` of the request. */
export interface MessageFieldError extends FieldError {
  readonly index: number;
}

export interface AcceptedMessage {
  readonly to: string;
  readonly messageId: string;
  /**
   * The message's status; `duplicate-id` when the client reused a messageId for a different
   * message (that one is not stored, the earlier one is left alone).
   */
  readonly status: MessageStatus | "duplicate-id";
  readonly message?: StoredMessage;
}

export type AcceptResult =
  | { readonly kind: "accepted"; readonly bulkId?: string; readonly messages: readonly AcceptedMessage[] }
  | { readonly kind: "invalid"; readonly errors: readonly MessageFieldError[] }
  | { readonly kind: "forbidden"; readonly index: number; readonly reason: string }
  /**
   * Over a limit: the account's requests per second (Graph's code 4), or a sender's throughput or
   * pair rate; nothing stored; retry after `retryAfterMs`.
   */
  | { readonly kind: "rate-limited"; readonly error: KnownError; readonly retryAfterMs: number };

export async function acceptMessages(
  ctx: AppContext,
  account: Account,
  face: Face,
  requests: readonly OutboundRequest[],
  bulkId?: string,
  /** Base URL of OpenBSP's own short links (`{linkBase}/s/{code}`), as the client reaches it. */
  linkBase = ctx.config.publicUrl ?? `http://${ctx.config.host}:${ctx.config.port}`,
  /** Over the sender's throughput tier: refused here (Cloud API), or queued for the dispatcher's pace. */
  overThroughput: OverThroughput = "queue",
): Promise<AcceptResult> {
  // Infobip counts send requests per account, valid or not, before looking at them.
  if (ctx.requestLimit) {
    const taken = ctx.requestLimit.take(account.id);
    const allowed = taken instanceof Promise ? await taken : taken;
    if (!allowed.ok)
      return { kind: "rate-limited", error: WA.apiTooManyCalls, retryAfterMs: allowed.retryAfterMs };
  }
  const now = ctx.clock.now();
  const errors: MessageFieldError[] = [];
  const tiers = overThroughput === "refuse" ? new Map<string, number>() : undefined;
  const categories: (TemplateCategory | undefined)[] = [];
  const ttls: (number | undefined)[] = [];
  const structures: (TemplateStructure | undefined)[] = [];
  const domains: (string | undefined)[] = [];
  const seenIds = new Set<string>();

  for (const [index, req] of requests.entries()) {
    const sender = ctx.lookups.peekSender(req.from) ?? (await ctx.lookups.sender(req.from));
    if (!sender || sender.accountId !== account.id) {
      return { kind: "forbidden", index, reason: `sender ${req.from} is not registered to this account` };
    }
    tiers?.set(sender.number, throughputOf(sender));
    if (req.notifyUrl !== undefined && !isHttpUrl(req.notifyUrl)) {
      errors.push({
        index,
        field: "notifyUrl",
        message: "is not a valid url (an absolute http or https link)",
      });
    }
    if (req.messageId !== undefined) {
      if (seenIds.has(req.messageId)) {
        errors.push({ index, field: "messageId", message: "must be unique within the request" });
      }
      seenIds.add(req.messageId);
    }
    if (req.smsFailover) {
      for (const e of checkSmsFailover(req.smsFailover))
        errors.push({ index, field: `smsFailover.${e.field}`, message: e.message });
    }
    if (req.content.type !== "template") {
      // The code travels with the error: a dialect that carries codes (Meta's) reports it.
      for (const e of checkContent(req.content, req.to))
        errors.push({ index, ...e, field: `content.${e.field}` });
      if (req.content.type === "interactive_flow") {
        const c = req.content;
        const send = {
          flowId: c.flowId,
          mode: c.mode,
          ...(c.flowAction === "NAVIGATE" && c.flowActionPayload
            ? { screen: c.flowActionPayload.screen }
            : {}),
        };
        const fields = { flowId: "content.action.flowId", screen: "content.action.flowActionPayload.screen" };
        for (const e of await flowSendErrors(ctx, sender.wabaId, send, fields)) errors.push({ index, ...e });
      }
    } else {
      const name = req.content.templateName;
      const cached =
        ctx.lookups.peekTemplates(sender.wabaId, name) ?? (await ctx.lookups.templates(sender.wabaId, name));
      let template = resolveTemplate(cached, req.content);
      if ("field" in template) {
        template = resolveTemplate(await ctx.lookups.templates(sender.wabaId, name, true), req.content);
      }
      if ("field" in template) {
        errors.push({ index, ...template });
        continue;
      }
      for (const e of checkTemplateSend(template, req.content)) errors.push({ index, ...e });
      const flowButton = template.structure.buttons.find((b) => b.type === "FLOW");
      if (flowButton?.type === "FLOW") {
        const send = {
          flowId: flowButton.flowId,
          mode: "PUBLISHED" as const,
          ...(flowButton.flowAction === "NAVIGATE" && flowButton.navigateScreen !== undefined
            ? { screen: flowButton.navigateScreen }
            : {}),
        };
        const fields = { flowId: "buttons", screen: "buttons" };
        for (const e of await flowSendErrors(ctx, sender.wabaId, send, fields)) errors.push({ index, ...e });
      }
      categories[index] = template.category;
      structures[index] = template.structure;
      ttls[index] = template.ttlSeconds;
    }
    if (req.urlOptions || structures[index]?.shortening) {
      const shortening = await shorteningDomainFor(ctx, account, req, structures[index]);
      if ("errors" in shortening) for (const e of shortening.errors) errors.push({ index, ...e });
      else domains[index] = shortening.domain;
    }
  }
  if (errors.length > 0) return { kind: "invalid", errors };
  const limit = ctx.limits.check(requests, now, tiers);
  if (!limit.ok) return { kind: "rate-limited", error: limit.error, retryAfterMs: limit.retryAfterMs };

  const effectiveBulkId = bulkId ?? (requests.length > 1 ? uuidv7(now) : undefined);
  const rows: NewMessage[] = requests.map((req, i) =>
    withShortLinks(
      {
        accountId: account.id,
        messageId: req.messageId ?? uuidv7(now),
        ...(effectiveBulkId !== undefined ? { bulkId: effectiveBulkId } : {}),
        face,
        from: req.from,
        to: req.to,
        ...(req.smsFailover
          ? { content: req.content, smsFailover: req.smsFailover }
          : { content: req.content }),
        ...optional(req),
        acceptedAt: now,
        expiresAt: now + ttlFor(categories[i], ttls[i]),
        ...(categories[i] !== undefined ? { category: categories[i] } : {}),
      },
      req,
      structures[i],
      domains[i],
      linkBase,
    ),
  );
  // The store wakes dispatch once the messages are committed.
  const outcomes = await ctx.storage.messages.insert(rows);
  let inserted = 0;
  const messages = outcomes.map((o, i): AcceptedMessage => {
    const row = rows[i] as NewMessage;
    if (o.kind === "inserted") {
      inserted++;
      return { to: row.to, messageId: row.messageId, status: "accepted" };
    }
    // The same message sent again (a client retrying) answers as it stands; a different one under
    // a used id is refused, as providers do.
    const same = sameMessage(o.existing, row);
    return {
      to: row.to,
      messageId: row.messageId,
      status: same ? o.existing.status : "duplicate-id",
      message: o.existing,
    };
  });
  ctx.metrics.accepted(face, inserted);
  return {
    kind: "accepted",
    ...(effectiveBulkId !== undefined ? { bulkId: effectiveBulkId } : {}),
    messages,
  };
}

function sameMessage(a: StoredMessage, b: NewMessage): boolean {
  return a.from === b.from && a.to === b.to && JSON.stringify(a.content) === JSON.stringify(b.content);
}

function optional(req: OutboundRequest) {
  const out: {
    -readonly [K in "callbackData" | "notifyUrl" | "entityId" | "applicationId" | "replyTo"]?: NewMessage[K];
  } = {};
  if (req.callbackData !== undefined) out.callbackData = req.callbackData;
  if (req.notifyUrl !== undefined) out.notifyUrl = req.notifyUrl;
  if (req.entityId !== undefined) out.entityId = req.entityId;
  if (req.applicationId !== undefined) out.applicationId = req.applicationId;
  if (req.replyTo !== undefined) out.replyTo = req.replyTo;
  return out;
}
