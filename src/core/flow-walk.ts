/**
 * A user going through a flow, as the WhatsApp client would: from the screen the message opens on,
 * each screen takes the answers given for it (its inputs by name), refuses what its inputs do not
 * accept (a required input left empty, a value not among a dropdown's or radio group's options, a
 * malformed email or number, a date not YYYY-MM-DD, text over its limit), and its footer's action
 * moves on: `navigate` carries its payload to the next screen's data, `complete` ends the flow with
 * its payload, which is what the business receives (`response_json`, with the flow token).
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The answers per screen id: each input's value by its name. */
export type FlowAnswers = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export type FlowWalk =
  | {
      readonly ok: true;
      readonly response: Readonly<Record<string, unknown>>;
      readonly screens: readonly string[];
    }
  | { readonly ok: false; readonly field: string; readonly message: string };

interface Input {
  readonly type: string;
  readonly c: Json;
}

/** The inputs of a list of components (inside Forms and If's `then` branch too). */
function inputsOf(children: readonly unknown[], out = new Map<string, Input>()): Map<string, Input> {
  for (const c of children) {
    if (!isObject(c)) continue;
    const type = String(c.type);
    if (typeof c.name === "string" && !["Form", "NavigationList"].includes(type))
      out.set(c.name, { type, c });
    if (Array.isArray(c.children)) inputsOf(c.children, out);
    if (type === "If" && Array.isArray(c.then)) inputsOf(c.then, out);
  }
  return out;
}

function footerOf(children: readonly unknown[]): Json | undefined {
  for (const c of children) {
    if (!isObject(c)) continue;
    if (c.type === "Footer") return c;
    const inner = Array.isArray(c.children) ? footerOf(c.children) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

const optionIds = (c: Json) =>
  Array.isArray(c["data-source"])
    ? (c["data-source"] as unknown[]).filter(isObject).map((o) => String(o.id))
    : [];

/** Why `value` is not an answer the input accepts, or undefined when it is. */
function refusal(input: Input, value: unknown): string | undefined {
  const { type, c } = input;
  switch (type) {
    case "TextInput":
    case "TextArea": {
      if (typeof value !== "string") return "must be text";
      const kind = String(c["input-type"] ?? "text");
      if (kind === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return "must be an email address";
      if (kind === "number" && !/^-?\d+(\.\d+)?$/.test(value)) return "must be a number";
      if (kind === "phone" && !/^\+?[\d\s()-]{5,}$/.test(value)) return "must be a phone number";
      const max = Number(c["max-chars"] ?? c["max-length"] ?? (type === "TextArea" ? 600 : 80));
      if (value.length > max) return `must be at most ${max} characters`;
      const min = Number(c["min-chars"] ?? 0);
      if (value.length < min) return `must be at least ${min} characters`;
      if (typeof c.pattern === "string" && !new RegExp(c.pattern).test(value))
        return `must match ${c.pattern}`;
      return undefined;
    }
    case "Dropdown":
    case "RadioButtonsGroup": {
      const ids = optionIds(c);
      return typeof value === "string" && ids.includes(value)
        ? undefined
        : `must be one of the options ${ids.join(", ")}`;
    }
    case "CheckboxGroup": {
      const ids = optionIds(c);
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !ids.includes(v)))
        return `must be a list of the options ${ids.join(", ")}`;
      const min = Number(c["min-selected-items"] ?? 0);
      const max = Number(c["max-selected-items"] ?? ids.length);
      if (value.length < min || value.length > max) return `must pick between ${min} and ${max} options`;
      return undefined;
    }
    case "DatePicker":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? undefined
        : "must be a date (YYYY-MM-DD)";
    case "OptIn":
      return typeof value === "boolean" ? undefined : "must be true or false";
    default:
      return undefined;
  }
}

const isEmpty = (v: unknown) =>
  v === undefined || v === "" || (Array.isArray(v) && v.length === 0) || v === false;

/** `${form.x}` and `${data.x}` in a payload, replaced by the answers and the screen's data. */
function resolve(value: unknown, form: Json, data: Json): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{(form|data)\.([A-Za-z0-9_]+)\}$/.exec(value);
    if (whole) return (whole[1] === "form" ? form : data)[whole[2] as string];
    return value.replace(/\$\{(form|data)\.([A-Za-z0-9_]+)\}/g, (_, k: string, n: string) => {
      const v = (k === "form" ? form : data)[n];
      return v === undefined ? "" : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, form, data));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, form, data)]));
  return value;
}

/**
 * Walks the flow JSON from `start` (the screen the message opens on; the first screen if none)
 * with `data` (the message's initial data) and the answers.
 */
export function walkFlow(
  json: string,
  start: { readonly screen?: string; readonly data?: Readonly<Record<string, unknown>> },
  answers: FlowAnswers,
): FlowWalk {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    return { ok: false, field: "flow", message: "the flow's JSON is not valid JSON" };
  }
  const screens = isObject(root) && Array.isArray(root.screens) ? root.screens.filter(isObject) : [];
  const byId = new Map(screens.map((s) => [String(s.id), s]));
  const firstId = start.screen ?? (screens[0] ? String(screens[0].id) : undefined);
  let id = firstId;
  let data: Json = { ...start.data };
  const visited: string[] = [];
  for (const screenId of Object.keys(answers))
    if (!byId.has(screenId))
      return { ok: false, field: `answers.${screenId}`, message: "the flow has no such screen" };
  while (id !== undefined) {
    const screen = byId.get(id);
    if (!screen)
      return { ok: false, field: "flow", message: `the flow leads to a screen ${id} it does not have` };
    if (visited.length > byId.size * 2)
      return { ok: false, field: "flow", message: "the flow goes round in circles" };
    visited.push(id);
    const layout = isObject(screen.layout) ? screen.layout : {};
    const children = Array.isArray(layout.children) ? layout.children : [];
    const inputs = inputsOf(children);
    const given = answers[id] ?? {};
    for (const name of Object.keys(given))
      if (!inputs.has(name))
        return {
          ok: false,
          field: `answers.${id}.${name}`,
          message: `screen ${id} has no input named ${name}`,
        };
    const form: Json = {};
    for (const [name, input] of inputs) {
      const value = given[name];
      const at = `answers.${id}.${name}`;
      if (isEmpty(value)) {
        if (input.c.required === true)
          return {
            ok: false,
            field: at,
            message: `is required (${input.type} "${String(input.c.label ?? name)}")`,
          };
        if (value !== undefined) form[name] = value;
        continue;
      }
      const why = refusal(input, value);
      if (why) return { ok: false, field: at, message: why };
      form[name] = value;
    }
    const footer = footerOf(children);
    const action = footer && isObject(footer["on-click-action"]) ? footer["on-click-action"] : undefined;
    if (!action) return { ok: false, field: "flow", message: `screen ${id} has no footer to move on with` };
    const payload = isObject(action.payload) ? (resolve(action.payload, form, data) as Json) : {};
    switch (action.name) {
      case "navigate":
        id = isObject(action.next) ? String(action.next.name) : undefined;
        data = payload;
        break;
      case "complete":
        return { ok: true, response: payload, screens: visited };
      default:
        return {
          ok: false,
          field: "flow",
          message: `screen ${id}'s footer runs ${String(action.name)}, which needs the business's flow endpoint (not simulated)`,
        };
    }
  }
  return { ok: false, field: "flow", message: "the flow has no screen to open on" };
}
