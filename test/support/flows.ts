/** A small valid two-screen flow for tests, and helpers to create and publish flows over each face. */
import type { TestServer } from "./harness.ts";
import { SENDER } from "./harness.ts";

/** Sign-up: WELCOME (email, size) → DONE, which completes with both. */
export const SIGN_UP_FLOW = {
  version: "7.2",
  screens: [
    {
      id: "WELCOME",
      title: "Sign up",
      data: {},
      layout: {
        type: "SingleColumnLayout",
        children: [
          { type: "TextHeading", text: "Join us" },
          { type: "TextInput", name: "email", label: "Email", "input-type": "email", required: true },
          {
            type: "Dropdown",
            name: "size",
            label: "Shirt size",
            required: false,
            "data-source": [
              { id: "s", title: "Small" },
              { id: "l", title: "Large" },
            ],
          },
          {
            type: "Footer",
            label: "Next",
            "on-click-action": {
              name: "navigate",
              next: { type: "screen", name: "DONE" },
              payload: { email: "$" + "{form.email}", size: "$" + "{form.size}" },
            },
          },
        ],
      },
    },
    {
      id: "DONE",
      title: "All set",
      terminal: true,
      success: true,
      data: {
        email: { type: "string", __example__: "a@example.com" },
        size: { type: "string", __example__: "s" },
      },
      layout: {
        type: "SingleColumnLayout",
        children: [
          { type: "TextBody", text: "Thanks for signing up." },
          { type: "OptIn", name: "news", label: "Send me news" },
          {
            type: "Footer",
            label: "Finish",
            "on-click-action": {
              name: "complete",
              payload: { email: "$" + "{data.email}", size: "$" + "{data.size}", news: "$" + "{form.news}" },
            },
          },
        ],
      },
    },
  ],
};

/** Creates a flow over Infobip's API, uploads `json` and publishes it (unless `publish` is false). */
export async function infobipFlow(
  server: TestServer,
  name: string,
  json: unknown = SIGN_UP_FLOW,
  publish = true,
): Promise<string> {
  const base = `/whatsapp/1/senders/${SENDER}/flows`;
  const created = await server.call("POST", base, { name, categories: ["SIGN_UP"] });
  if (created.status !== 201)
    throw new Error(`flow create: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const put = await server.call("PUT", `${base}/${id}/json`, json);
  if (put.status !== 201 || put.body.validationErrors.length > 0)
    throw new Error(`flow JSON: ${put.status} ${JSON.stringify(put.body)}`);
  if (publish) {
    const published = await server.call("POST", `${base}/${id}/publish`);
    if (published.status !== 204)
      throw new Error(`flow publish: ${published.status} ${JSON.stringify(published.body)}`);
  }
  return id;
}

/** SIGN_UP_FLOW with its first screen renamed (sends name the screen they open on). */
export function signUpFlowStartingAt(screen: string): unknown {
  return JSON.parse(JSON.stringify(SIGN_UP_FLOW).replaceAll('"WELCOME"', JSON.stringify(screen)));
}

/** `value` with every placeholder flow id `1234567890` replaced by a real flow's id. */
export function withFlowId<T>(value: T, id: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll("1234567890", id)) as T;
}

/** Registers a MARKETING template whose FLOW button opens `flowId` at its WELCOME screen (Infobip's API). */
export async function flowButtonTemplate(server: TestServer, name: string, flowId: string) {
  return server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
    name,
    language: "en",
    category: "MARKETING",
    structure: {
      body: { text: "Sign up today." },
      buttons: [
        {
          type: "FLOW",
          text: "Sign up",
          flowId: Number(flowId),
          flowAction: "NAVIGATE",
          navigateScreen: "WELCOME",
        },
      ],
    },
  });
}
