/**
 * The Flow JSON components OpenBSP knows (api-reference D), each with the properties it accepts,
 * those it requires and their limits. `checked: false` marks a component accepted by type alone:
 * its properties are not checked, and the preview shows it as a placeholder.
 */

export type PropKind =
  | "string"
  | "boolean"
  | "integer"
  | "object"
  | "array"
  | "data-source"
  | "children"
  | "action";

export interface PropRule {
  readonly kind: PropKind;
  readonly maxLength?: number;
  readonly values?: readonly string[];
  /** Actions this property may hold (for `action` props). */
  readonly actions?: readonly string[];
}

export interface ComponentRule {
  readonly props: Readonly<Record<string, PropRule>>;
  readonly required: readonly string[];
  /** A form input: its `name` is what `${form.<name>}` refers to and what the completion carries. */
  readonly input?: boolean;
  readonly checked?: false;
}

const s = (maxLength?: number): PropRule => ({ kind: "string", ...(maxLength ? { maxLength } : {}) });
const b: PropRule = { kind: "boolean" };
const i: PropRule = { kind: "integer" };
const select: PropRule = { kind: "action", actions: ["data_exchange", "update_data"] };
const common = { visible: b };
const text = (extra: Record<string, PropRule> = {}): ComponentRule => ({
  props: { text: { kind: "string" }, ...common, ...extra },
  required: ["text"],
});
const weight = { values: ["bold", "italic", "bold_italic", "normal"], kind: "string" } as const;

export const COMPONENTS: Readonly<Record<string, ComponentRule>> = {
  TextHeading: text(),
  TextSubheading: text(),
  TextBody: text({ "font-weight": weight, strikethrough: b, markdown: b }),
  TextCaption: text({ "font-weight": weight, strikethrough: b, markdown: b }),
  RichText: text(),
  TextInput: {
    props: {
      name: s(),
      label: s(20),
      "input-type": { kind: "string", values: ["text", "number", "email", "password", "passcode", "phone"] },
      required: b,
      "min-chars": i,
      "max-chars": i,
      "helper-text": s(80),
      pattern: s(),
      "init-value": s(),
      "error-message": s(),
      enabled: b,
      ...common,
    },
    required: ["name", "label"],
    input: true,
  },
  TextArea: {
    props: {
      name: s(),
      label: s(20),
      "max-length": i,
      required: b,
      "helper-text": s(80),
      "init-value": s(),
      "error-message": s(),
      enabled: b,
      ...common,
    },
    required: ["name", "label"],
    input: true,
  },
  CheckboxGroup: {
    props: {
      name: s(),
      label: s(30),
      description: s(300),
      "data-source": { kind: "data-source" },
      "min-selected-items": i,
      "max-selected-items": i,
      required: b,
      enabled: b,
      "init-value": { kind: "array" },
      "on-select-action": select,
      "on-unselect-action": select,
      "error-message": s(),
      "media-size": s(),
      ...common,
    },
    required: ["name", "data-source"],
    input: true,
  },
  RadioButtonsGroup: {
    props: {
      name: s(),
      label: s(30),
      description: s(300),
      "data-source": { kind: "data-source" },
      required: b,
      enabled: b,
      "init-value": s(),
      "on-select-action": select,
      "on-unselect-action": select,
      "error-message": s(),
      "media-size": s(),
      ...common,
    },
    required: ["name", "data-source"],
    input: true,
  },
  Dropdown: {
    props: {
      name: s(),
      label: s(30),
      "data-source": { kind: "data-source" },
      required: b,
      enabled: b,
      "init-value": s(),
      "on-select-action": select,
      "on-unselect-action": select,
      "error-message": s(),
      ...common,
    },
    required: ["name", "label", "data-source"],
    input: true,
  },
  DatePicker: {
    props: {
      name: s(),
      label: s(40),
      "min-date": s(),
      "max-date": s(),
      "unavailable-dates": { kind: "array" },
      "helper-text": s(80),
      required: b,
      enabled: b,
      "init-value": s(),
      "error-message": s(),
      "on-select-action": select,
      ...common,
    },
    required: ["name", "label"],
    input: true,
  },
  OptIn: {
    props: {
      name: s(),
      label: s(120),
      required: b,
      "init-value": b,
      "on-click-action": { kind: "action", actions: ["data_exchange", "navigate", "open_url"] },
      "on-select-action": select,
      "on-unselect-action": select,
      ...common,
    },
    required: ["name", "label"],
    input: true,
  },
  EmbeddedLink: {
    props: {
      text: s(25),
      "on-click-action": { kind: "action", actions: ["data_exchange", "navigate", "open_url"] },
      ...common,
    },
    required: ["text", "on-click-action"],
  },
  Image: {
    props: {
      src: s(),
      width: i,
      height: i,
      "scale-type": { kind: "string", values: ["cover", "contain"] },
      "aspect-ratio": { kind: "integer" },
      "alt-text": s(),
      ...common,
    },
    required: ["src"],
  },
  Footer: {
    props: {
      label: s(35),
      "left-caption": s(15),
      "center-caption": s(15),
      "right-caption": s(15),
      enabled: b,
      "on-click-action": { kind: "action", actions: ["complete", "navigate", "data_exchange"] },
    },
    required: ["label", "on-click-action"],
  },
  Form: {
    props: {
      name: s(),
      children: { kind: "children" },
      "init-values": { kind: "object" },
      "error-messages": { kind: "object" },
    },
    required: ["name", "children"],
  },
  If: {
    props: { condition: s(), then: { kind: "children" }, else: { kind: "children" } },
    required: ["condition", "then"],
  },
  Switch: {
    props: { value: s(), cases: { kind: "object" } },
    required: ["value", "cases"],
  },
  // Accepted by type; their properties are not checked and the preview shows a placeholder.
  CalendarPicker: { props: {}, required: ["name"], input: true, checked: false },
  ChipsSelector: { props: {}, required: ["name"], input: true, checked: false },
  PhotoPicker: { props: {}, required: ["name"], input: true, checked: false },
  DocumentPicker: { props: {}, required: ["name"], input: true, checked: false },
  NavigationList: { props: {}, required: ["name"], checked: false },
  ImageCarousel: { props: {}, required: [], checked: false },
};

/** Every action name Flow JSON has. */
export const ACTIONS = ["navigate", "complete", "data_exchange", "update_data", "open_url"] as const;

export const FLOW_JSON_VERSIONS = [
  "2.1",
  "3.0",
  "3.1",
  "4.0",
  "5.0",
  "5.1",
  "6.0",
  "6.1",
  "6.2",
  "6.3",
  "7.0",
  "7.1",
  "7.2",
  "7.3",
] as const;
export const DATA_API_VERSIONS = ["3.0", "4.0"] as const;
