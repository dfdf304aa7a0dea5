/**
 * The simulated user's answer to a message the phone received (`POST /sandbox/phones/{n}/replies`):
 * a tap on a reply button, a pick of a list row, or the address an address message asks for.
 */
import { type Static, Type } from "typebox";
import type { InboundContent } from "../../core/inbound.ts";
import type { MessageContent } from "../../core/message.ts";
import { type AnswerResult, answerAddress } from "./address-answer.ts";

export const ReplyBody = Type.Object({
  messageId: Type.String({ minLength: 1, description: "The interactive message the phone received" }),
  choiceId: Type.Optional(
    Type.String({ minLength: 1, description: "The id of the reply button or list row" }),
  ),
  address: Type.Optional(
    Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }), {
      description: "An address message's answer: the form's fields by name (in_pin_code, city, …)",
    }),
  ),
  savedAddressId: Type.Optional(
    Type.String({ minLength: 1, description: "An address message's answer: one of its saved addresses" }),
  ),
});

/** The user's answer to a received message: a tap on a choice, or an address message's address. */
export function answerOf(content: MessageContent, body: Static<typeof ReplyBody>): AnswerResult {
  const addressGiven = body.address !== undefined || body.savedAddressId !== undefined;
  if (content.type === "interactive_address") {
    if (!addressGiven)
      return { ok: false, error: "an address message is answered with address or savedAddressId" };
    return answerAddress(content, {
      ...(body.address ? { address: body.address } : {}),
      ...(body.savedAddressId ? { savedAddressId: body.savedAddressId } : {}),
    });
  }
  if (addressGiven) return { ok: false, error: "address and savedAddressId answer address messages only" };
  if (body.choiceId === undefined) return { ok: false, error: "choiceId is required" };
  const choice = chosen(content, body.choiceId);
  return choice
    ? { ok: true, content: choice }
    : { ok: false, error: `has no button or row ${body.choiceId}` };
}

/** The reply a tap on `choiceId` produces, if the message offers that choice. */
function chosen(content: MessageContent, choiceId: string): InboundContent | undefined {
  if (content.type === "interactive_buttons") {
    const b = content.buttons.find((x) => x.id === choiceId);
    return b && { type: "button_reply", id: b.id, title: b.title };
  }
  if (content.type === "interactive_list") {
    const r = content.sections.flatMap((s) => s.rows).find((x) => x.id === choiceId);
    return (
      r && {
        type: "list_reply",
        id: r.id,
        title: r.title,
        ...(r.description ? { description: r.description } : {}),
      }
    );
  }
  return undefined;
}
