/** Flow JSON validation: one problem per rule family, each at its path and its line and column. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_FLOW_JSON } from "../../src/core/flow.ts";
import { checkFlowJson } from "../../src/core/flow-json-rules.ts";
import {
  deprecateFlow,
  editFlowMetadata,
  newFlow,
  publishFlow,
  replaceFlowJson,
} from "../../src/core/flow-lifecycle.ts";

const dyn = (x: string) => `$\{${x}}`;

const good = {
  version: "7.2",
  screens: [
    {
      id: "WELCOME",
      title: "Sign up",
      data: { hello: { type: "string", __example__: "Hi" } },
      layout: {
        type: "SingleColumnLayout",
        children: [
          { type: "TextHeading", text: dyn("data.hello") },
          { type: "TextInput", name: "email", label: "Email", "input-type": "email", required: true },
          {
            type: "Dropdown",
            name: "size",
            label: "Size",
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
              payload: { email: dyn("form.email") },
            },
          },
        ],
      },
    },
    {
      id: "DONE",
      title: "Done",
      terminal: true,
      data: { email: { type: "string", __example__: "a@b.c" } },
      layout: {
        type: "SingleColumnLayout",
        children: [
          {
            type: "Footer",
            label: "Finish",
            "on-click-action": { name: "complete", payload: { email: dyn("data.email") } },
          },
        ],
      },
    },
  ],
};

/** `good` changed by `edit`, as pretty-printed text (two-space indents). */
function variant(edit: (f: typeof good & Record<string, unknown>) => void): string {
  const f = structuredClone(good) as typeof good & Record<string, unknown>;
  edit(f);
  return JSON.stringify(f, null, 2);
}
const only = (text: string) => {
  const { errors } = checkFlowJson(text);
  assert.equal(errors.length, 1, JSON.stringify(errors, null, 2));
  return errors[0] as (typeof errors)[number];
};
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
// biome-ignore lint/suspicious/noExplicitAny: tests reach into the sample freely
const child = (f: any, screen: number, n: number) => f.screens[screen].layout.children[n];

describe("flow JSON rules", () => {
  it("a well-formed two-screen flow and the default flow have no errors", () => {
    const check = checkFlowJson(JSON.stringify(good, null, 2));
    assert.deepEqual(check.errors, []);
    assert.deepEqual(check.screens, ["WELCOME", "DONE"]);
    assert.deepEqual(check.initialScreens, ["WELCOME"]);
    assert.deepEqual(checkFlowJson(DEFAULT_FLOW_JSON).errors, []);
  });

  it("syntax: reports where the text stops being JSON", () => {
    const e = only('{\n  "version": "7.2",\n  "screens": [\n}');
    assert.equal(e.errorType, "JSON_SYNTAX_ERROR");
    assert.equal(e.lineStart, 4);
  });

  it("top level: an unsupported version, at its line", () => {
    const text = variant((f) => {
      f.version = "1.0";
    });
    const e = only(text);
    assert.equal(e.error, "INVALID_FLOW_JSON_VERSION");
    assert.equal(e.path, "$root/version");
    assert.equal(e.lineStart, lineOf(text, '"version"'));
    assert.equal(e.columnStart, 14);
  });

  it("screen: an id with digits", () => {
    assert.equal(
      only(
        variant((f) => {
          (f.screens[1] as { id: string }).id = "DONE2";
          child(f, 0, 3)["on-click-action"].next.name = "DONE2";
        }),
      ).path,
      "$root/screens/1/id",
    );
  });

  it("component: an unknown property is reported at its key", () => {
    const text = variant((f) => {
      child(f, 0, 1)["initial-text"] = "x";
    });
    const e = only(text);
    assert.equal(e.error, "INVALID_PROPERTY");
    assert.equal(e.path, "$root/screens/0/layout/children/1/initial-text");
    assert.match(
      e.message,
      /The property "initial-text" cannot be specified at "\$root\/screens\/0\/layout\/children\/1"/,
    );
    assert.equal(e.lineStart, lineOf(text, '"initial-text"'));
  });

  it("component: a label over its limit, a missing required property, an unknown type", () => {
    assert.equal(
      only(
        variant((f) => {
          child(f, 0, 1).label = "x".repeat(21);
        }),
      ).path,
      "$root/screens/0/layout/children/1/label",
    );
    assert.equal(
      only(
        variant((f) => {
          delete child(f, 0, 2)["data-source"];
        }),
      ).error,
      "REQUIRED_PROPERTY_MISSING",
    );
    assert.equal(
      only(
        variant((f) => {
          child(f, 0, 0).type = "Marquee";
        }),
      ).path,
      "$root/screens/0/layout/children/0/type",
    );
  });

  it("action: navigate to a screen that does not exist; complete on a non-terminal screen", () => {
    const missing = only(
      variant((f) => {
        child(f, 0, 3)["on-click-action"].next.name = "NOWHERE";
      }),
    );
    assert.equal(missing.error, "MISSING_SCREEN");
    assert.equal(missing.path, "$root/screens/0/layout/children/3/on-click-action/next/name");
    const complete = checkFlowJson(
      variant((f) => {
        child(f, 0, 3)["on-click-action"] = { name: "complete", payload: {} };
      }),
    ).errors;
    assert.ok(
      complete.some(
        (e) => e.error === "INVALID_ACTION" && e.path.endsWith("children/3/on-click-action/name"),
      ),
    );
  });

  it("reference: a data reference not in the screen's data, a form reference naming no input", () => {
    assert.equal(
      only(
        variant((f) => {
          child(f, 0, 0).text = dyn("data.nope");
        }),
      ).error,
      "UNRESOLVED_REFERENCE",
    );
    assert.equal(
      only(
        variant((f) => {
          child(f, 0, 3)["on-click-action"].payload.email = dyn("form.mail");
        }),
      ).path,
      "$root/screens/0/layout/children/3/on-click-action/payload/email",
    );
  });

  it("routing: a routing model naming unknown screens; no terminal screen; a terminal screen without a Footer", () => {
    assert.equal(
      only(
        variant((f) => {
          f.routing_model = { WELCOME: ["DONE", "ELSEWHERE"], DONE: [] };
        }),
      ).path,
      "$root/routing_model/WELCOME/1",
    );
    const noTerminal = checkFlowJson(
      variant((f) => {
        (f.screens[1] as { terminal?: boolean }).terminal = false;
      }),
    ).errors;
    assert.ok(noTerminal.some((e) => e.error === "MISSING_TERMINAL_SCREEN"));
    const noFooter = checkFlowJson(
      variant((f) => {
        child(f, 1, 0).type = "TextBody";
        child(f, 1, 0).text = "Thanks";
        delete child(f, 1, 0).label;
        delete child(f, 1, 0)["on-click-action"];
      }),
    ).errors;
    assert.deepEqual(
      noFooter.map((e) => [e.error, e.path]),
      [["MISSING_FOOTER", "$root/screens/1/layout"]],
    );
  });
});

describe("flow lifecycle", () => {
  const base = newFlow({ id: "1", wabaId: "w", name: "f", categories: ["OTHER"] }, DEFAULT_FLOW_JSON, 1);

  it("a draft is edited and published; a published flow is frozen, then deprecated once", () => {
    const renamed = editFlowMetadata(base, { name: "g" }, 2);
    assert.equal(renamed.kind === "ok" && renamed.flow.name, "g");
    const published = publishFlow(base, 3);
    assert.equal(published.kind, "ok");
    const flow = (published as { flow: typeof base }).flow;
    assert.equal(flow.status, "PUBLISHED");
    assert.deepEqual(
      [editFlowMetadata(flow, { name: "h" }, 4), replaceFlowJson(flow, "{}", 4), publishFlow(flow, 4)].map(
        (s) => s.kind === "refused" && s.reason,
      ),
      ["not-draft", "not-draft", "not-draft"],
    );
    const deprecated = deprecateFlow(flow, 5);
    assert.equal(deprecated.kind === "ok" && deprecated.flow.status, "DEPRECATED");
    const again = deprecateFlow((deprecated as { flow: typeof base }).flow, 6);
    assert.equal(again.kind === "refused" && again.reason, "already-deprecated");
  });

  it("a flow whose JSON has errors cannot be published", () => {
    const broken = replaceFlowJson(base, '{"version":"7.2","screens":[]}', 2);
    assert.equal(broken.kind, "ok");
    const step = publishFlow((broken as { flow: typeof base }).flow, 3);
    assert.equal(step.kind === "refused" && step.reason, "invalid-json");
    assert.equal(
      deprecateFlow(base, 2).kind === "refused" && (deprecateFlow(base, 2) as { reason: string }).reason,
      "not-published",
    );
  });
});
