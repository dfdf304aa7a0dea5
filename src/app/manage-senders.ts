/**
 * Senders as the admin API (and the seed) registers them: a number, its WABA, its id on each face
 * (given, or generated as each provider shapes them) and its settings. A number, WABA or id that
 * is another account's is refused, so no account can take over another's.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { Sender, SenderCarrier, SenderSettings } from "../core/account.ts";
import { AdminError } from "./admin-error.ts";
import type { AppContext } from "./context.ts";
import { accountOrFail } from "./manage-accounts.ts";

/** The alias kinds the faces read (Meta's phone number id, Sinch's bot id). */
const ALIASES = { metaPhoneNumberId: "metaPhoneNumberId", sinchBotId: "sinchBotId" } as const;

export interface NewSender extends SenderSettings {
  readonly number: string;
  readonly wabaId?: string;
  readonly metaPhoneNumberId?: string;
  readonly sinchBotId?: string;
  /** The throughput tier, messages per second the dispatcher sends at (absent: 80; 0: unpaced). */
  readonly throughputMps?: number;
  /** Who delivers its messages (absent: kept as it is, else the simulated network). */
  readonly carrier?: SenderCarrier;
}

/** A numeric id of 15 digits, as Meta's WABA and phone number ids are. */
const numericId = () => `${randomInt(1, 10)}${String(randomInt(0, 1e14)).padStart(14, "0")}`;

/** Registers the sender, or replaces one the account has under that number. */
export async function registerSender(ctx: AppContext, accountId: string, input: NewSender): Promise<Sender> {
  const { catalog } = ctx.storage;
  await accountOrFail(ctx, accountId);
  const existing = await catalog.findSender(input.number);
  if (existing && existing.accountId !== accountId)
    throw new AdminError("conflict", "number", `${input.number} is registered to another account`);
  const own = await catalog.listAccountSenders(accountId);
  const wabaId = input.wabaId ?? existing?.wabaId ?? own[0]?.wabaId ?? numericId();
  const wabaOwners = await catalog.listSenders(wabaId);
  if (wabaOwners.some((s) => s.accountId !== accountId))
    throw new AdminError("conflict", "wabaId", `WABA ${wabaId} is another account's`);
  const aliases: Record<string, string> = {
    [ALIASES.metaPhoneNumberId]:
      input.metaPhoneNumberId ?? existing?.aliases[ALIASES.metaPhoneNumberId] ?? numericId(),
    [ALIASES.sinchBotId]:
      input.sinchBotId ?? existing?.aliases[ALIASES.sinchBotId] ?? `bot${randomBytes(6).toString("hex")}`,
  };
  for (const [field, alias] of Object.entries(aliases)) {
    const holder = await catalog.findSenderByAlias(field, alias);
    if (holder && holder.number !== input.number)
      throw new AdminError("conflict", field, `${field} ${alias} is another sender's`);
  }
  const settings: SenderSettings = {
    ...existing?.settings,
    ...(input.throughputTier !== undefined ? { throughputTier: input.throughputTier } : {}),
    ...(input.businessVerified !== undefined ? { businessVerified: input.businessVerified } : {}),
    ...(input.markAsRead !== undefined ? { markAsRead: input.markAsRead } : {}),
  };
  const sender: Sender = {
    number: input.number,
    accountId,
    wabaId,
    aliases,
    ...(input.throughputMps !== undefined
      ? { throughputMps: input.throughputMps }
      : existing?.throughputMps !== undefined
        ? { throughputMps: existing.throughputMps }
        : {}),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
    ...(input.carrier !== undefined
      ? { carrier: input.carrier }
      : existing?.carrier !== undefined
        ? { carrier: existing.carrier }
        : {}),
  };
  await catalog.upsertSender(sender);
  ctx.lookups.sendersChanged();
  return sender;
}

export async function senderOf(ctx: AppContext, accountId: string, number: string): Promise<Sender> {
  await accountOrFail(ctx, accountId);
  const sender = await ctx.storage.catalog.findSender(number);
  // Another account's number is not named: to this account it does not exist.
  if (!sender || sender.accountId !== accountId)
    throw new AdminError("not-found", "number", `account ${accountId} has no sender ${number}`);
  return sender;
}

export async function removeSender(ctx: AppContext, accountId: string, number: string): Promise<void> {
  await senderOf(ctx, accountId, number);
  await ctx.storage.catalog.deleteSender(number);
  ctx.lookups.sendersChanged();
}
