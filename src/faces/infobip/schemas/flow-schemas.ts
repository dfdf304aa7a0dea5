/** Infobip's Flows API bodies (`/whatsapp/1/senders/{sender}/flows…`, api-reference A.11). */
import { Type } from "typebox";
import { FLOW_CATEGORIES } from "../../../core/flow.ts";

const Category = Type.Enum([...FLOW_CATEGORIES]);
const Status = Type.Enum(["DRAFT", "PUBLISHED", "DEPRECATED", "BLOCKED", "THROTTLED"]);

export const FlowParams = Type.Object({
  sender: Type.String({ minLength: 1, maxLength: 24 }),
  flowId: Type.String({ minLength: 1, maxLength: 40 }),
});

export const CreateFlowRequest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  categories: Type.Array(Category, { minItems: 1 }),
  cloneFlowId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
});

export const UpdateFlowRequest = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  categories: Type.Optional(Type.Array(Category, { minItems: 1 })),
});

export const FlowDataResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  businessAccountId: Type.Integer(),
  categories: Type.Array(Category),
  status: Status,
  initialScreens: Type.Optional(Type.Array(Type.String())),
});

export const GetSenderFlowsResponse = Type.Object({ flows: Type.Array(FlowDataResponse) });

/** The flow JSON itself: any object (it is checked by the core's rules, not by this schema). */
export const AddFlowJson = Type.Record(Type.String(), Type.Unknown());

export const AddFlowJsonResponse = Type.Object({
  validationErrors: Type.Array(
    Type.Object({
      error: Type.String(),
      errorType: Type.String(),
      message: Type.String(),
      lineStart: Type.Integer(),
      lineEnd: Type.Integer(),
      columnStart: Type.Integer(),
      columnEnd: Type.Integer(),
    }),
  ),
});

export const GetFlowJsonResponse = Type.Object({ externalDownloadUrl: Type.String() });

export const FlowPreview = Type.Object({
  previewUrl: Type.String(),
  expiresAt: Type.String({ format: "date-time" }),
});

export const ApiError = Type.Object({
  errorCode: Type.String(),
  description: Type.String(),
  action: Type.String(),
  violations: Type.Array(Type.Object({ property: Type.String(), violation: Type.String() })),
  resources: Type.Array(
    Type.Object({ name: Type.Optional(Type.String()), url: Type.Optional(Type.String()) }),
  ),
});
