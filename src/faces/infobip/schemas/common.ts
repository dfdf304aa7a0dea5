/** Shapes shared by Infobip's send, template and report bodies (api-reference A.3, A.6, A.8). */
import { type Static, Type } from "typebox";

export const StatusObject = Type.Object(
  {
    groupId: Type.Integer(),
    groupName: Type.String(),
    id: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    action: Type.Optional(Type.String()),
  },
  { $id: "InfobipStatus" },
);
export type StatusObject = Static<typeof StatusObject>;

export const SingleMessageInfo = Type.Object({
  to: Type.String(),
  messageCount: Type.Integer(),
  messageId: Type.String(),
  status: StatusObject,
});
export type SingleMessageInfo = Static<typeof SingleMessageInfo>;

export const ErrorBody = Type.Object({
  requestError: Type.Object({
    serviceException: Type.Object({
      messageId: Type.String(),
      text: Type.String(),
      validationErrors: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    }),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** The envelope fields every single-message send shares. Unknown fields are ignored, not rejected. */
export const envelope = {
  from: Type.String({ minLength: 1, maxLength: 24 }),
  to: Type.String({ minLength: 1, maxLength: 150 }),
  messageId: Type.Optional(Type.String({ maxLength: 200 })),
  callbackData: Type.Optional(Type.String({ maxLength: 4000 })),
  notifyUrl: Type.Optional(Type.String({ maxLength: 2048 })),
  urlOptions: Type.Optional(
    Type.Object({
      shortenUrl: Type.Optional(Type.Boolean()),
      trackClicks: Type.Optional(Type.Boolean()),
      trackingUrl: Type.Optional(Type.String({ maxLength: 2048 })),
      removeProtocol: Type.Optional(Type.Boolean()),
      customDomain: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    }),
  ),
  entityId: Type.Optional(Type.String({ maxLength: 255 })),
  applicationId: Type.Optional(Type.String({ maxLength: 255 })),
  /** Quote an inbound message of the user's (free-form and interactive sends). */
  context: Type.Optional(Type.Object({ replyToMessageId: Type.String({ minLength: 1, maxLength: 200 }) })),
};

export const SenderParams = Type.Object({ sender: Type.String({ minLength: 1, maxLength: 24 }) });
