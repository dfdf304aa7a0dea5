/**
 * What a send that opens a flow (an interactive flow message, a template's FLOW button) needs of
 * the flow: it exists for the sender's WABA, it is PUBLISHED (a DRAFT only in draft mode), it is not
 * deprecated, and the screen the message opens on exists.
 */

import type { FieldError } from "./field-error.ts";
import type { Flow } from "./flow.ts";

export interface FlowSend {
  readonly flowId: string;
  /** DRAFT: Meta's `mode: draft` (Infobip's `mode: DRAFT`), for testing a flow before publishing it. */
  readonly mode: "DRAFT" | "PUBLISHED";
  /** The first screen (NAVIGATE's payload screen, a FLOW button's navigate screen). */
  readonly screen?: string;
}

/** The fields of the send (in the core's paths) the errors name. */
export interface FlowSendFields {
  readonly flowId: string;
  readonly screen: string;
}

export function checkFlowSend(flow: Flow | undefined, send: FlowSend, fields: FlowSendFields): FieldError[] {
  if (!flow)
    return [
      {
        field: fields.flowId,
        message: `flow ${send.flowId} does not exist for this WhatsApp Business Account`,
      },
    ];
  switch (flow.status) {
    case "DEPRECATED":
      return [{ field: fields.flowId, message: `flow ${flow.id} is DEPRECATED and can no longer be sent` }];
    case "BLOCKED":
    case "THROTTLED":
      return [{ field: fields.flowId, message: `flow ${flow.id} is ${flow.status} and cannot be sent` }];
    case "DRAFT":
      if (send.mode !== "DRAFT")
        return [
          {
            field: fields.flowId,
            message: `flow ${flow.id} is a DRAFT: publish it first, or send it in draft mode to test it`,
          },
        ];
      break;
    case "PUBLISHED":
      break;
  }
  if (send.screen !== undefined && !flow.screens.includes(send.screen))
    return [
      {
        field: fields.screen,
        message: `flow ${flow.id} has no screen ${send.screen} (its screens: ${flow.screens.join(", ") || "none"})`,
      },
    ];
  return [];
}
