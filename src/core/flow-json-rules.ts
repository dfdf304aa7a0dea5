/**
 * Checks a flow JSON text against WhatsApp's rules (api-reference D), rule family by rule family:
 * syntax, the top level (version, data_api_version, routing_model, screens), screens (ids, title,
 * terminal, data model, layout), components (known types, their properties, required ones,
 * limits, options), actions (navigate, complete, data_exchange, update_data, open_url, and where
 * each may be used), `${data.…}` / `${form.…}` references, and routing (targets exist, a terminal
 * screen with a Footer, completion on terminal screens only). Every problem carries its path
 * (`$root/screens/0/…`) and its place in the text.
 */
import {
  ACTIONS,
  COMPONENTS,
  DATA_API_VERSIONS,
  FLOW_JSON_VERSIONS,
  type PropRule,
} from "./flow-components.ts";
import { JsonPositions, JsonSyntaxError, pointerSegment, type TextSpan } from "./json-positions.ts";

export interface FlowValidationError extends TextSpan {
  /** What is wrong, in Meta's words: INVALID_PROPERTY, REQUIRED_PROPERTY_MISSING, … */
  readonly error: string;
  /** JSON_SYNTAX_ERROR, JSON_SCHEMA_ERROR (shape) or FLOW_JSON_ERROR (meaning). */
  readonly errorType: string;
  readonly message: string;
  /** Where, as Meta words it: `$root/screens/0/layout/children/2`. */
  readonly path: string;
}

export interface FlowJsonCheck {
  readonly errors: readonly FlowValidationError[];
  /** Screen ids in order (those that have one). */
  readonly screens: readonly string[];
  /** Screens nothing leads to (where a flow message may open), or the first one. */
  readonly initialScreens: readonly string[];
}

type Json = Record<string, unknown>;
interface Issue {
  readonly error: string;
  readonly errorType: "JSON_SCHEMA_ERROR" | "FLOW_JSON_ERROR";
  readonly message: string;
  readonly pointer: string;
  /** Point at the property's key (an unknown property) rather than its value. */
  readonly atKey?: boolean;
}

const TOP_LEVEL = new Set(["version", "data_api_version", "routing_model", "screens", "data_channel_uri"]);
const SCREEN_PROPS = new Set([
  "id",
  "title",
  "terminal",
  "success",
  "data",
  "layout",
  "refresh_on_back",
  "sensitive",
]);
const DATA_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array"]);
const SCREEN_ID = /^[A-Za-z_]+$/;
const REF = /\$\{(data|form)\.([A-Za-z0-9_]+)/g;
const SCREEN_REF = /\$\{screen\.([A-Za-z0-9_]+)\.(data|form)\./g;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isDynamic = (v: unknown) => typeof v === "string" && v.trim().startsWith("${");
const at = (pointer: string) => `$root${pointer}`;

/** Navigation found while walking: checked once every screen id is known. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly pointer: string;
}

interface ScreenWalk {
  readonly id: string;
  readonly terminal: boolean;
  readonly data: ReadonlySet<string>;
  readonly inputs: Map<string, string>;
  footers: number;
  readonly refs: { kind: "data" | "form"; name: string; pointer: string }[];
  readonly completes: string[];
}

export function checkFlowJson(text: string): FlowJsonCheck {
  let positions: JsonPositions;
  try {
    positions = new JsonPositions(text);
  } catch (err) {
    const offset = err instanceof JsonSyntaxError ? err.offset : 0;
    const place = new JsonPositions("null").spanOf(0, 0);
    const span = lineColumnOf(text, offset) ?? place;
    return {
      errors: [
        {
          error: "INVALID_JSON",
          errorType: "JSON_SYNTAX_ERROR",
          message: `The flow JSON is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`,
          path: "$root",
          ...span,
        },
      ],
      screens: [],
      initialScreens: [],
    };
  }
  const root: unknown = JSON.parse(text);
  const issues: Issue[] = [];
  const walked = checkRoot(root, issues);
  const errors = issues.map((i) => ({
    error: i.error,
    errorType: i.errorType,
    message: i.message,
    path: at(i.pointer),
    ...positions.span(i.pointer, i.atKey),
  }));
  return { errors, ...walked };
}

function lineColumnOf(text: string, offset: number): TextSpan | undefined {
  const before = text.slice(0, offset).split("\n");
  const line = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  return { lineStart: line, lineEnd: line, columnStart: column, columnEnd: column };
}

function checkRoot(root: unknown, issues: Issue[]): Pick<FlowJsonCheck, "screens" | "initialScreens"> {
  const schema: Report = (error, pointer, message, atKey = false) => {
    issues.push({ error, errorType: "JSON_SCHEMA_ERROR", message, pointer, ...(atKey ? { atKey } : {}) });
  };
  const logic: Report = (error, pointer, message) => {
    issues.push({ error, errorType: "FLOW_JSON_ERROR", message, pointer });
  };
  if (!isObject(root)) {
    schema("INVALID_PROPERTY_TYPE", "", 'The flow JSON must be an object at "$root".');
    return { screens: [], initialScreens: [] };
  }
  unknownProps(root, TOP_LEVEL, "", schema);
  const version = root.version;
  if (version === undefined)
    schema("REQUIRED_PROPERTY_MISSING", "", 'The property "version" is required at "$root".');
  else if (typeof version !== "string" || !(FLOW_JSON_VERSIONS as readonly string[]).includes(version))
    schema(
      "INVALID_FLOW_JSON_VERSION",
      "/version",
      `The flow JSON version ${JSON.stringify(version)} is not supported (${FLOW_JSON_VERSIONS.join(", ")}).`,
    );
  const dataApi = root.data_api_version;
  if (dataApi !== undefined && !(DATA_API_VERSIONS as readonly unknown[]).includes(dataApi))
    schema(
      "INVALID_DATA_API_VERSION",
      "/data_api_version",
      `The data_api_version ${JSON.stringify(dataApi)} is not supported (${DATA_API_VERSIONS.join(", ")}).`,
    );
  if (root.data_channel_uri !== undefined && typeof version === "string" && Number(version) >= 3)
    schema(
      "INVALID_PROPERTY",
      "/data_channel_uri",
      `The property "data_channel_uri" cannot be specified at "$root" from version 3.0 on; set the flow's endpoint_uri instead.`,
      true,
    );

  const screensValue = root.screens;
  if (screensValue === undefined) {
    schema("REQUIRED_PROPERTY_MISSING", "", 'The property "screens" is required at "$root".');
    return { screens: [], initialScreens: [] };
  }
  if (!Array.isArray(screensValue) || screensValue.length === 0) {
    schema(
      "INVALID_PROPERTY_TYPE",
      "/screens",
      'The property "screens" must be a non-empty array at "$root".',
    );
    return { screens: [], initialScreens: [] };
  }

  // First the ids, so that navigation can be checked against every screen.
  const ids: string[] = [];
  screensValue.forEach((screen, n) => {
    const id = isObject(screen) ? screen.id : undefined;
    if (typeof id !== "string") return;
    if (ids.includes(id))
      logic(
        "DUPLICATE_SCREEN_ID",
        `/screens/${n}/id`,
        `The screen id "${id}" is used by more than one screen.`,
      );
    ids.push(id);
  });
  const known = new Set(ids);
  const edges: Edge[] = [];
  const walks: ScreenWalk[] = [];
  let dataExchange: string | undefined;
  screensValue.forEach((screen, n) => {
    const walk = checkScreen(screen, `/screens/${n}`, known, edges, schema, logic, (p) => {
      dataExchange ??= p;
    });
    if (walk) walks.push(walk);
  });
  if (dataExchange !== undefined && dataApi === undefined)
    logic(
      "MISSING_DATA_API_VERSION",
      dataExchange,
      'A "data_exchange" action needs "data_api_version" (and "routing_model") at "$root".',
    );

  // Routing: the model's screens exist, navigation follows it, something ends the flow.
  const routing = root.routing_model;
  const routes = new Map<string, Set<string>>();
  if (routing !== undefined) {
    if (!isObject(routing))
      schema("INVALID_PROPERTY_TYPE", "/routing_model", 'The property "routing_model" must be an object.');
    else
      for (const [from, tos] of Object.entries(routing)) {
        const p = `/routing_model/${pointerSegment(from)}`;
        if (!known.has(from))
          logic(
            "INVALID_ROUTING_MODEL",
            p,
            `The routing model names a screen "${from}" the flow does not have.`,
          );
        if (!Array.isArray(tos)) {
          schema("INVALID_PROPERTY_TYPE", p, `The routes of "${from}" must be an array of screen ids.`);
          continue;
        }
        routes.set(from, new Set(tos.filter((t): t is string => typeof t === "string")));
        tos.forEach((to, k) => {
          if (typeof to !== "string" || !known.has(to))
            logic(
              "INVALID_ROUTING_MODEL",
              `${p}/${k}`,
              `The routing model leads from "${from}" to a screen ${JSON.stringify(to)} the flow does not have.`,
            );
          else if (to === from)
            logic("INVALID_ROUTING_MODEL", `${p}/${k}`, `The screen "${from}" cannot route to itself.`);
        });
      }
  } else if (dataApi !== undefined) {
    schema(
      "REQUIRED_PROPERTY_MISSING",
      "",
      'The property "routing_model" is required at "$root" when "data_api_version" is set.',
    );
  }
  for (const e of edges) {
    if (!known.has(e.to))
      logic(
        "MISSING_SCREEN",
        e.pointer,
        `The navigate action leads to a screen "${e.to}" the flow does not have.`,
      );
    else if (routing !== undefined && isObject(routing) && !routes.get(e.from)?.has(e.to))
      logic(
        "INVALID_ROUTING_MODEL",
        e.pointer,
        `The routing model has no route from "${e.from}" to "${e.to}".`,
      );
  }
  if (walks.length > 0 && !walks.some((w) => w.terminal))
    logic("MISSING_TERMINAL_SCREEN", "/screens", 'The flow needs at least one screen with "terminal": true.');

  const inbound = new Set<string>([
    ...edges.map((e) => e.to),
    ...[...routes.values()].flatMap((t) => [...t]),
  ]);
  const initial = ids.filter((id) => !inbound.has(id));
  return { screens: ids, initialScreens: initial.length > 0 ? initial : ids.slice(0, 1) };
}

/** Records a problem; answers nothing, so that a check can `return report(…)` as it stops. */
type Report = (error: string, pointer: string, message: string, atKey?: boolean) => undefined;

function unknownProps(value: Json, allowed: ReadonlySet<string>, pointer: string, schema: Report): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key))
      schema(
        "INVALID_PROPERTY",
        `${pointer}/${pointerSegment(key)}`,
        `The property "${key}" cannot be specified at "${at(pointer)}".`,
        true,
      );
  }
}

function checkScreen(
  screen: unknown,
  pointer: string,
  known: ReadonlySet<string>,
  edges: Edge[],
  schema: Report,
  logic: Report,
  usesDataExchange: (pointer: string) => void,
): ScreenWalk | undefined {
  if (!isObject(screen)) {
    schema("INVALID_PROPERTY_TYPE", pointer, `A screen must be an object at "${at(pointer)}".`);
    return undefined;
  }
  unknownProps(screen, SCREEN_PROPS, pointer, schema);
  const id = screen.id;
  if (id === undefined)
    schema("REQUIRED_PROPERTY_MISSING", pointer, `The property "id" is required at "${at(pointer)}".`);
  else if (typeof id !== "string" || !SCREEN_ID.test(id))
    schema(
      "INVALID_PROPERTY_VALUE",
      `${pointer}/id`,
      `The screen id ${JSON.stringify(id)} must be letters and underscores only.`,
    );
  else if (id === "SUCCESS")
    logic("RESERVED_SCREEN_ID", `${pointer}/id`, 'The screen id "SUCCESS" is reserved.');
  if (screen.title === undefined)
    schema("REQUIRED_PROPERTY_MISSING", pointer, `The property "title" is required at "${at(pointer)}".`);
  else if (typeof screen.title !== "string")
    schema("INVALID_PROPERTY_TYPE", `${pointer}/title`, 'The property "title" must be a string.');
  for (const flag of ["terminal", "success", "refresh_on_back"]) {
    if (screen[flag] !== undefined && typeof screen[flag] !== "boolean")
      schema("INVALID_PROPERTY_TYPE", `${pointer}/${flag}`, `The property "${flag}" must be a boolean.`);
  }
  const data = new Set<string>();
  if (screen.data !== undefined) {
    if (!isObject(screen.data))
      schema("INVALID_PROPERTY_TYPE", `${pointer}/data`, 'The property "data" must be an object.');
    else
      for (const [name, model] of Object.entries(screen.data)) {
        const p = `${pointer}/data/${pointerSegment(name)}`;
        data.add(name);
        if (!isObject(model))
          schema("INVALID_PROPERTY_TYPE", p, `The data model of "${name}" must be an object.`);
        else {
          if (typeof model.type !== "string" || !DATA_TYPES.has(model.type))
            schema(
              "INVALID_PROPERTY_VALUE",
              model.type === undefined ? p : `${p}/type`,
              `The data model of "${name}" needs a "type" (${[...DATA_TYPES].join(", ")}).`,
            );
          if (!("__example__" in model))
            schema("REQUIRED_PROPERTY_MISSING", p, `The property "__example__" is required at "${at(p)}".`);
        }
      }
  }
  const walk: ScreenWalk = {
    id: typeof id === "string" ? id : "",
    terminal: screen.terminal === true,
    data,
    inputs: new Map(),
    footers: 0,
    refs: [],
    completes: [],
  };
  const layout = screen.layout;
  if (layout === undefined)
    schema("REQUIRED_PROPERTY_MISSING", pointer, `The property "layout" is required at "${at(pointer)}".`);
  else if (!isObject(layout))
    schema("INVALID_PROPERTY_TYPE", `${pointer}/layout`, 'The property "layout" must be an object.');
  else {
    unknownProps(layout, new Set(["type", "children"]), `${pointer}/layout`, schema);
    if (layout.type !== "SingleColumnLayout")
      schema(
        "INVALID_PROPERTY_VALUE",
        `${pointer}/layout${layout.type === undefined ? "" : "/type"}`,
        'The layout "type" must be "SingleColumnLayout".',
      );
    if (!Array.isArray(layout.children))
      schema(
        "REQUIRED_PROPERTY_MISSING",
        `${pointer}/layout`,
        `The property "children" must be an array at "${at(`${pointer}/layout`)}".`,
      );
    else
      checkChildren(
        layout.children,
        `${pointer}/layout/children`,
        walk,
        { known, edges, schema, logic, usesDataExchange },
        false,
      );
  }
  // References resolve against the screen's own data model and inputs.
  for (const r of walk.refs) {
    if (r.kind === "data" && !walk.data.has(r.name))
      logic(
        "UNRESOLVED_REFERENCE",
        r.pointer,
        `"\${data.${r.name}}" refers to "${r.name}", which the screen's "data" does not declare.`,
      );
    if (r.kind === "form" && !walk.inputs.has(r.name))
      logic(
        "UNRESOLVED_REFERENCE",
        r.pointer,
        `"\${form.${r.name}}" refers to "${r.name}", which no input of the screen is named.`,
      );
  }
  if (walk.terminal && walk.footers === 0)
    logic("MISSING_FOOTER", `${pointer}/layout`, `The terminal screen "${walk.id}" needs a Footer.`);
  if (walk.footers > 1)
    logic("TOO_MANY_FOOTERS", `${pointer}/layout`, `The screen "${walk.id}" has more than one Footer.`);
  if (!walk.terminal)
    for (const p of walk.completes)
      logic(
        "INVALID_ACTION",
        p,
        `The "complete" action can only be used on a terminal screen; "${walk.id}" is not one.`,
      );
  return walk;
}

interface Walk {
  readonly known: ReadonlySet<string>;
  readonly edges: Edge[];
  readonly schema: Report;
  readonly logic: Report;
  readonly usesDataExchange: (pointer: string) => void;
}

function checkChildren(
  children: readonly unknown[],
  pointer: string,
  screen: ScreenWalk,
  w: Walk,
  branch: boolean,
): undefined {
  for (const [n, c] of children.entries()) checkComponent(c, `${pointer}/${n}`, screen, w, branch);
}

function checkComponent(c: unknown, pointer: string, screen: ScreenWalk, w: Walk, branch: boolean): void {
  if (!isObject(c)) {
    w.schema("INVALID_PROPERTY_TYPE", pointer, `A component must be an object at "${at(pointer)}".`);
    return;
  }
  const type = c.type;
  const rule = typeof type === "string" ? COMPONENTS[type] : undefined;
  if (!rule) {
    w.schema(
      type === undefined ? "REQUIRED_PROPERTY_MISSING" : "INVALID_PROPERTY_VALUE",
      type === undefined ? pointer : `${pointer}/type`,
      type === undefined
        ? `The property "type" is required at "${at(pointer)}".`
        : `The component type ${JSON.stringify(type)} is not known (${Object.keys(COMPONENTS).join(", ")}).`,
    );
    return;
  }
  if (type === "Footer" && !branch) screen.footers++;
  for (const r of rule.required) {
    if (c[r] === undefined)
      w.schema("REQUIRED_PROPERTY_MISSING", pointer, `The property "${r}" is required at "${at(pointer)}".`);
  }
  if (rule.input && typeof c.name === "string") {
    if (screen.inputs.has(c.name))
      w.logic(
        "DUPLICATE_COMPONENT_NAME",
        `${pointer}/name`,
        `The name "${c.name}" is used by more than one input of the screen.`,
      );
    screen.inputs.set(c.name, type as string);
  }
  collectRefs(c, pointer, screen, w);
  if (rule.checked === false) return;
  unknownProps(c, new Set(["type", ...Object.keys(rule.props)]), pointer, w.schema);
  for (const [key, prop] of Object.entries(rule.props)) {
    const v = c[key];
    if (v === undefined) continue;
    checkProp(v, prop, `${pointer}/${pointerSegment(key)}`, key, type as string, screen, w);
  }
  if (type === "Switch" && isObject(c.cases))
    for (const [k, v] of Object.entries(c.cases)) {
      if (Array.isArray(v)) checkChildren(v, `${pointer}/cases/${pointerSegment(k)}`, screen, w, true);
      else
        w.schema(
          "INVALID_PROPERTY_TYPE",
          `${pointer}/cases/${pointerSegment(k)}`,
          "Each case of a Switch must be an array of components.",
        );
    }
}

function checkProp(
  v: unknown,
  prop: PropRule,
  pointer: string,
  key: string,
  type: string,
  screen: ScreenWalk,
  w: Walk,
): undefined {
  if (isDynamic(v) && prop.kind !== "children" && prop.kind !== "action") return;
  const wrong = (what: string) =>
    w.schema("INVALID_PROPERTY_TYPE", pointer, `The property "${key}" of ${type} must be ${what}.`);
  switch (prop.kind) {
    case "string":
      if (typeof v !== "string") return wrong("a string");
      if (prop.maxLength !== undefined && v.length > prop.maxLength)
        w.schema(
          "INVALID_PROPERTY_VALUE",
          pointer,
          `The property "${key}" of ${type} is ${v.length} characters long; at most ${prop.maxLength} are allowed.`,
        );
      if (prop.values && !prop.values.includes(v))
        w.schema(
          "INVALID_PROPERTY_VALUE",
          pointer,
          `The property "${key}" of ${type} must be one of ${prop.values.join(", ")}.`,
        );
      return;
    case "boolean":
      return typeof v === "boolean" ? undefined : wrong("a boolean");
    case "integer":
      return Number.isInteger(v) ? undefined : wrong("an integer");
    case "object":
      return isObject(v) ? undefined : wrong("an object");
    case "array":
      return Array.isArray(v) ? undefined : wrong("an array");
    case "children":
      if (!Array.isArray(v)) return wrong("an array of components");
      return checkChildren(v, pointer, screen, w, type === "If");
    case "data-source": {
      if (!Array.isArray(v)) return wrong("an array of options");
      if (v.length === 0)
        w.schema(
          "INVALID_PROPERTY_VALUE",
          pointer,
          `The "data-source" of ${type} needs at least one option.`,
        );
      if (type === "Dropdown" && v.length > 200)
        w.schema(
          "INVALID_PROPERTY_VALUE",
          pointer,
          `A Dropdown takes at most 200 options; it has ${v.length}.`,
        );
      const seen = new Set<string>();
      for (const [n, o] of v.entries()) {
        const p = `${pointer}/${n}`;
        if (!isObject(o)) {
          w.schema("INVALID_PROPERTY_TYPE", p, "An option must be an object with an id and a title.");
          continue;
        }
        for (const r of ["id", "title"])
          if (typeof o[r] !== "string")
            w.schema("REQUIRED_PROPERTY_MISSING", p, `The property "${r}" is required at "${at(p)}".`);
        if (typeof o.id === "string") {
          if (seen.has(o.id))
            w.logic("DUPLICATE_OPTION_ID", `${p}/id`, `The option id "${o.id}" is used twice.`);
          seen.add(o.id);
        }
      }
      return;
    }
    case "action":
      return checkAction(v, prop.actions ?? ACTIONS, pointer, key, type, screen, w);
  }
}

function checkAction(
  v: unknown,
  allowed: readonly string[],
  pointer: string,
  key: string,
  type: string,
  screen: ScreenWalk,
  w: Walk,
): undefined {
  if (!isObject(v))
    return w.schema("INVALID_PROPERTY_TYPE", pointer, `The "${key}" of ${type} must be an action object.`);
  const name = v.name;
  if (typeof name !== "string" || !(ACTIONS as readonly string[]).includes(name))
    return w.schema(
      "INVALID_PROPERTY_VALUE",
      name === undefined ? pointer : `${pointer}/name`,
      `The action name ${JSON.stringify(name)} is not one of ${ACTIONS.join(", ")}.`,
    );
  if (!allowed.includes(name))
    return w.logic(
      "INVALID_ACTION",
      `${pointer}/name`,
      `The "${key}" of ${type} cannot be "${name}" (only ${allowed.join(", ")}).`,
    );
  const props = new Set([
    "name",
    "payload",
    ...(name === "navigate" ? ["next"] : name === "open_url" ? ["url"] : []),
  ]);
  unknownProps(v, props, pointer, w.schema);
  if (v.payload !== undefined && !isObject(v.payload))
    w.schema("INVALID_PROPERTY_TYPE", `${pointer}/payload`, `The payload of "${name}" must be an object.`);
  switch (name) {
    case "navigate": {
      const next = v.next;
      if (!isObject(next))
        return w.schema(
          "REQUIRED_PROPERTY_MISSING",
          pointer,
          `The property "next" is required at "${at(pointer)}".`,
        );
      if (next.type !== undefined && next.type !== "screen")
        w.schema(
          "INVALID_PROPERTY_VALUE",
          `${pointer}/next/type`,
          'The "next" of a navigate action must be of type "screen".',
        );
      if (typeof next.name !== "string")
        return w.schema(
          "REQUIRED_PROPERTY_MISSING",
          `${pointer}/next`,
          `The property "name" is required at "${at(`${pointer}/next`)}".`,
        );
      w.edges.push({ from: screen.id, to: next.name, pointer: `${pointer}/next/name` });
      return;
    }
    case "complete":
      screen.completes.push(`${pointer}/name`);
      return;
    case "data_exchange":
      w.usesDataExchange(`${pointer}/name`);
      return;
    case "update_data":
      if (!isObject(v.payload))
        w.schema(
          "REQUIRED_PROPERTY_MISSING",
          pointer,
          `The property "payload" is required at "${at(pointer)}".`,
        );
      return;
    case "open_url":
      if (typeof v.url !== "string" || !/^https?:\/\//.test(v.url))
        w.schema(
          "INVALID_PROPERTY_VALUE",
          v.url === undefined ? pointer : `${pointer}/url`,
          'The "url" of an open_url action must be an http(s) link.',
        );
      return;
  }
}

/** `${data.x}` and `${form.x}` in the component's own strings (not its child components'). */
function collectRefs(c: Json, pointer: string, screen: ScreenWalk, w: Walk): void {
  const visit = (v: unknown, p: string): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(REF))
        screen.refs.push({ kind: m[1] as "data" | "form", name: m[2] as string, pointer: p });
      for (const m of v.matchAll(SCREEN_REF))
        if (!w.known.has(m[1] as string))
          w.logic(
            "UNRESOLVED_REFERENCE",
            p,
            `"\${screen.${m[1]}…}" refers to a screen "${m[1]}" the flow does not have.`,
          );
    } else if (Array.isArray(v)) for (const [n, x] of v.entries()) visit(x, `${p}/${n}`);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, `${p}/${pointerSegment(k)}`);
  };
  for (const [k, v] of Object.entries(c)) {
    if (k === "children" || k === "then" || k === "else" || k === "cases") continue;
    // A `${form.x}` inside If's condition refers to the same screen's inputs, like any other.
    visit(v, `${pointer}/${pointerSegment(k)}`);
  }
}
