/**
 * A WhatsApp Flow as registered to a WABA: its metadata, its lifecycle status, the flow JSON as the
 * business uploaded it (text, so that problems can be reported by line and column), what checking
 * that JSON found, and the preview link. The same record serves every face.
 */
import type { FlowValidationError } from "./flow-json-rules.ts";

/** BLOCKED and THROTTLED are Meta's integrity states; OpenBSP reports them but never sets them. */
export type FlowStatus = "DRAFT" | "PUBLISHED" | "DEPRECATED" | "BLOCKED" | "THROTTLED";

export const FLOW_CATEGORIES = [
  "SIGN_UP",
  "SIGN_IN",
  "APPOINTMENT_BOOKING",
  "LEAD_GENERATION",
  "CONTACT_US",
  "CUSTOMER_SUPPORT",
  "SURVEY",
  "OTHER",
  "SHOPPING",
  "UNKNOWN",
] as const;
export type FlowCategory = (typeof FLOW_CATEGORIES)[number];

/** A preview link: opened without login until `expiresAt`. */
export interface FlowPreview {
  readonly token: string;
  readonly expiresAt: number;
}

export interface Flow {
  readonly id: string;
  readonly wabaId: string;
  readonly name: string;
  readonly categories: readonly FlowCategory[];
  readonly status: FlowStatus;
  /** The flow JSON text as uploaded (a default one-screen flow until the first upload). */
  readonly json: string;
  readonly validationErrors: readonly FlowValidationError[];
  /** The screens' ids in order, read from the JSON when it was stored (sends check against them). */
  readonly screens: readonly string[];
  /** Screens a flow message may open on: those no other screen leads to. */
  readonly initialScreens: readonly string[];
  /** Meta's `endpoint_uri`: where `data_exchange` actions would go (stored, never called). */
  readonly endpointUri?: string;
  readonly preview?: FlowPreview;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Infobip's and Meta's "default flow.json" of a new flow: one terminal screen that completes. */
export const DEFAULT_FLOW_JSON = `{
  "version": "7.2",
  "screens": [
    {
      "id": "WELCOME_SCREEN",
      "title": "Welcome",
      "terminal": true,
      "success": true,
      "layout": {
        "type": "SingleColumnLayout",
        "children": [
          { "type": "TextHeading", "text": "Hello World" },
          { "type": "TextBody", "text": "Let's start building things!" },
          { "type": "Footer", "label": "Complete", "on-click-action": { "name": "complete", "payload": {} } }
        ]
      }
    }
  ]
}
`;

/** 30 days, as both providers give a preview link. */
export const FLOW_PREVIEW_MS = 30 * 24 * 3_600_000;

/** The largest flow JSON accepted (both providers: 10 MB). */
export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;
