/** Inbound media download and media deletion (api-reference A.2; Infobip's UrlDeletionRequest). */
import { Type } from "typebox";

export const MediaParams = Type.Object({
  sender: Type.String({ minLength: 1, maxLength: 24 }),
  mediaId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const UrlDeletionRequest = Type.Object({
  url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: "The media URL, as the inbound message gave it",
  }),
});
