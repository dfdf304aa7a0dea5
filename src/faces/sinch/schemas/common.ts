/** Sinch WhatsApp API v1 envelopes (api-reference B.1, B.2): send, status answer, error, events, opt-in. */
import { type Static, Type } from "typebox";
import { MESSAGE_TYPES, SinchMessage } from "./message-schemas.ts";

/** An MSISDN: digits in international form, optionally with a leading +. */
export const Msisdn = Type.String({
  pattern: "^\\+?[0-9]{5,15}$",
  description: "MSISDN, digits, optional leading +",
});

export const BotParams = Type.Object({ botId: Type.String({ minLength: 1, maxLength: 100 }) });
export type BotParams = Static<typeof BotParams>;

export const MediaParams = Type.Object({
  ...BotParams.properties,
  mediaId: Type.String({ minLength: 1, maxLength: 100 }),
});

const envelope = {
  to: Type.Array(Msisdn, { minItems: 1, maxItems: 20 }),
  callback: Type.Optional(
    Type.String({ description: "Status callbacks of this send go here instead of the bot's callback URL" }),
  ),
};

export const SendBody = Type.Object({ ...envelope, message: SinchMessage });
export type SendBody = Static<typeof SendBody>;

/** The envelope with the message only typed: its fields are checked by its own type's schema. */
export const SendShell = Type.Object({
  ...envelope,
  message: Type.Object({ type: Type.Enum(Object.keys(MESSAGE_TYPES) as (keyof typeof MESSAGE_TYPES)[]) }),
});

export const Status = Type.Object({
  message_id: Type.String(),
  recipient: Type.String(),
  status: Type.Enum(["success", "failure"]),
  state: Type.String(),
  details: Type.Optional(Type.String()),
  timestamp: Type.Optional(Type.String()),
});
export type Status = Static<typeof Status>;

export const StatusesBody = Type.Object({ type: Type.Literal("whatsapp"), statuses: Type.Array(Status) });

export const ErrorBody = Type.Object({
  message: Type.String(),
  reason: Type.Optional(Type.String()),
  details: Type.Optional(Type.String()),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const ReadEventBody = Type.Object({
  type: Type.Literal("read"),
  message_id: Type.String({ minLength: 1, description: "The inbound message to mark as read" }),
});

export const OptInBody = Type.Object({ numbers: Type.Array(Msisdn, { minItems: 1, maxItems: 20 }) });
