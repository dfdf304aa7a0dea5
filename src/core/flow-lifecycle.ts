/**
 * The flow's state machine: DRAFT → PUBLISHED → DEPRECATED. A draft can be renamed, recategorised,
 * given new JSON and deleted; publishing needs JSON without errors and freezes the flow; a
 * published flow can only be deprecated, after which it can no longer be sent. Every step answers
 * the changed flow or why not, naming the state the flow is in.
 */
import type { Flow, FlowCategory } from "./flow.ts";
import { checkFlowJson } from "./flow-json-rules.ts";

export type FlowRefusal =
  /** Only a DRAFT can be changed, deleted or published. */
  | "not-draft"
  /** Only a PUBLISHED flow can be deprecated. */
  | "not-published"
  | "already-deprecated"
  /** The flow JSON has validation errors. */
  | "invalid-json";

export type FlowStep =
  | { readonly kind: "ok"; readonly flow: Flow }
  | { readonly kind: "refused"; readonly reason: FlowRefusal; readonly message: string };

const refuse = (reason: FlowRefusal, message: string): FlowStep => ({ kind: "refused", reason, message });

function draftOnly(flow: Flow, doing: string): FlowStep | undefined {
  return flow.status === "DRAFT"
    ? undefined
    : refuse(
        "not-draft",
        `Cannot ${doing} flow ${flow.id}: it is ${flow.status}, and only a DRAFT flow can be ${doing === "delete" ? "deleted" : "modified"}.`,
      );
}

export interface FlowMetadataEdit {
  readonly name?: string;
  readonly categories?: readonly FlowCategory[];
  readonly endpointUri?: string;
}

export function editFlowMetadata(flow: Flow, edit: FlowMetadataEdit, now: number): FlowStep {
  const refused = draftOnly(flow, "update");
  if (refused) return refused;
  return {
    kind: "ok",
    flow: {
      ...flow,
      ...(edit.name !== undefined ? { name: edit.name } : {}),
      ...(edit.categories !== undefined ? { categories: edit.categories } : {}),
      ...(edit.endpointUri !== undefined ? { endpointUri: edit.endpointUri } : {}),
      updatedAt: now,
    },
  };
}

/** Stores new JSON with what checking it found (a draft may hold JSON with errors; it cannot be published). */
export function replaceFlowJson(flow: Flow, json: string, now: number): FlowStep {
  const refused = draftOnly(flow, "update");
  if (refused) return refused;
  const check = checkFlowJson(json);
  return {
    kind: "ok",
    flow: {
      ...flow,
      json,
      validationErrors: check.errors,
      screens: check.screens,
      initialScreens: check.initialScreens,
      updatedAt: now,
    },
  };
}

export function publishFlow(flow: Flow, now: number): FlowStep {
  if (flow.status !== "DRAFT")
    return refuse(
      "not-draft",
      `Cannot publish flow ${flow.id}: it is ${flow.status}, and only a DRAFT flow can be published.`,
    );
  if (flow.validationErrors.length > 0)
    return refuse(
      "invalid-json",
      `Cannot publish flow ${flow.id}: its flow JSON has ${flow.validationErrors.length} validation error(s); the first: ${flow.validationErrors[0]?.message}`,
    );
  return { kind: "ok", flow: { ...flow, status: "PUBLISHED", updatedAt: now } };
}

export function deprecateFlow(flow: Flow, now: number): FlowStep {
  if (flow.status === "DEPRECATED")
    return refuse("already-deprecated", `Cannot deprecate flow ${flow.id}: it is already DEPRECATED.`);
  if (flow.status !== "PUBLISHED")
    return refuse(
      "not-published",
      `Cannot deprecate flow ${flow.id}: it is ${flow.status}, and only a PUBLISHED flow can be deprecated.`,
    );
  return { kind: "ok", flow: { ...flow, status: "DEPRECATED", updatedAt: now } };
}

/** Whether the flow may be deleted: only drafts. */
export function deletableFlow(flow: Flow): FlowStep {
  return draftOnly(flow, "delete") ?? { kind: "ok", flow };
}

/** A new DRAFT flow: with the default JSON, or a copy of a clone source's. */
export function newFlow(
  fields: Pick<Flow, "id" | "wabaId" | "name" | "categories"> & { readonly endpointUri?: string },
  json: string,
  now: number,
): Flow {
  const draft: Flow = {
    ...fields,
    status: "DRAFT",
    json,
    validationErrors: [],
    screens: [],
    initialScreens: [],
    createdAt: now,
    updatedAt: now,
  };
  return (replaceFlowJson(draft, json, now) as { flow: Flow }).flow;
}
