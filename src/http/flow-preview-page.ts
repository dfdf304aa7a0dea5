/**
 * A flow's preview page, rendered on the server from its flow JSON: every screen as a person sees
 * it on a phone (its title, text, inputs, dropdown options, radio buttons, checkboxes, date
 * pickers, opt-ins, images, links, the footer button), the first one shown. A small script of its
 * own (no inline script, no external asset, so a strict CSP holds) moves between screens on a
 * footer or link click and shows the completion on `complete`. `${data.x}` shows the screen's
 * `__example__`; components the preview does not draw show as a labelled placeholder.
 */
import type { Flow } from "../core/flow.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** The Content-Security-Policy the page is served with. */
export const PREVIEW_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const PREVIEW_ASSETS = "/flows/preview-assets";

/** What a screen's `${data.x}` shows: the data model's `__example__`. */
function textOf(v: unknown, data: Json): string {
  if (typeof v !== "string") return v === undefined ? "" : String(v);
  return v.replace(/\$\{data\.([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const model = data[name];
    const example = isObject(model) ? model.__example__ : undefined;
    return example === undefined ? "" : typeof example === "string" ? example : JSON.stringify(example);
  });
}

/** The data attributes of an action, for the script: where navigate leads, or complete. */
function actionAttrs(action: unknown): string {
  if (!isObject(action)) return "";
  const name = typeof action.name === "string" ? action.name : "";
  const next = isObject(action.next) && typeof action.next.name === "string" ? action.next.name : "";
  const url = typeof action.url === "string" ? action.url : "";
  return ` data-action="${escapeHtml(name)}"${next ? ` data-next="${escapeHtml(next)}"` : ""}${url ? ` data-url="${escapeHtml(url)}"` : ""}`;
}

function options(c: Json): Json[] {
  return Array.isArray(c["data-source"]) ? (c["data-source"] as unknown[]).filter(isObject) : [];
}

function field(c: Json, data: Json, control: string): string {
  const label = textOf(c.label, data);
  const required = c.required === true ? ' <span class="req">*</span>' : "";
  const helper = c["helper-text"]
    ? `<small class="helper">${escapeHtml(textOf(c["helper-text"], data))}</small>`
    : "";
  return `<label class="field"><span class="label">${escapeHtml(label)}${required}</span>${control}${helper}</label>`;
}

const INPUT_TYPES: Record<string, string> = {
  text: "text",
  number: "number",
  email: "email",
  password: "password",
  passcode: "password",
  phone: "tel",
};

function component(c: unknown, data: Json): string {
  if (!isObject(c)) return "";
  const type = String(c.type);
  const name = escapeHtml(String(c.name ?? ""));
  const text = () => escapeHtml(textOf(c.text, data));
  if (c.visible === false) return "";
  switch (type) {
    case "TextHeading":
      return `<h2 class="heading">${text()}</h2>`;
    case "TextSubheading":
      return `<h3 class="subheading">${text()}</h3>`;
    case "TextBody":
    case "RichText":
      return `<p class="body">${text()}</p>`;
    case "TextCaption":
      return `<p class="caption">${text()}</p>`;
    case "TextInput":
      return field(
        c,
        data,
        `<input name="${name}" type="${INPUT_TYPES[String(c["input-type"] ?? "text")] ?? "text"}"${c.required === true ? " required" : ""}>`,
      );
    case "TextArea":
      return field(c, data, `<textarea name="${name}"${c.required === true ? " required" : ""}></textarea>`);
    case "DatePicker":
      return field(c, data, `<input name="${name}" type="date">`);
    case "Dropdown":
      return field(
        c,
        data,
        `<select name="${name}"><option value="">Select</option>${options(c)
          .map(
            (o) =>
              `<option value="${escapeHtml(String(o.id))}">${escapeHtml(textOf(o.title, data))}</option>`,
          )
          .join("")}</select>`,
      );
    case "RadioButtonsGroup":
    case "CheckboxGroup": {
      const kind = type === "RadioButtonsGroup" ? "radio" : "checkbox";
      const items = options(c)
        .map(
          (o) =>
            `<label class="option"><input type="${kind}" name="${name}" value="${escapeHtml(String(o.id))}"> <span>${escapeHtml(textOf(o.title, data))}</span>${o.description ? `<small>${escapeHtml(textOf(o.description, data))}</small>` : ""}</label>`,
        )
        .join("");
      return `<fieldset class="group"><legend>${escapeHtml(textOf(c.label, data))}</legend>${items}</fieldset>`;
    }
    case "OptIn":
      return `<label class="option optin"><input type="checkbox" name="${name}"> <span>${escapeHtml(textOf(c.label, data))}</span></label>`;
    case "EmbeddedLink":
      return `<button type="button" class="link"${actionAttrs(c["on-click-action"])}>${text()}</button>`;
    case "Image": {
      const src = typeof c.src === "string" && !c.src.startsWith("${") ? c.src : "";
      return src
        ? `<img class="image" alt="${escapeHtml(String(c["alt-text"] ?? ""))}" src="data:image/png;base64,${escapeHtml(src)}">`
        : "";
    }
    case "Footer":
      return `<footer class="footer"><button type="button" class="footer-button"${actionAttrs(c["on-click-action"])}>${escapeHtml(textOf(c.label, data))}</button></footer>`;
    case "Form":
      return Array.isArray(c.children) ? c.children.map((x) => component(x, data)).join("") : "";
    case "If":
      // The condition is not evaluated: the preview shows the `then` branch.
      return Array.isArray(c.then) ? c.then.map((x) => component(x, data)).join("") : "";
    default:
      return `<div class="placeholder">${escapeHtml(type)} (not drawn in the preview)</div>`;
  }
}

function screenHtml(screen: Json, first: boolean): string {
  const data = isObject(screen.data) ? screen.data : {};
  const layout = isObject(screen.layout) ? screen.layout : {};
  const children = Array.isArray(layout.children) ? layout.children : [];
  const id = escapeHtml(String(screen.id ?? ""));
  return `<section class="screen" data-screen="${id}"${first ? "" : " hidden"}>
<header class="bar"><button type="button" class="back" data-back aria-label="Back">&#8592;</button><h1>${escapeHtml(textOf(screen.title, data))}</h1></header>
<form class="content" novalidate>${children.map((c) => component(c, data)).join("")}</form>
</section>`;
}

/** The whole page; `initial` is the screen shown first. */
export function flowPreviewPage(flow: Flow): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(flow.json);
  } catch {
    parsed = undefined;
  }
  const screens = isObject(parsed) && Array.isArray(parsed.screens) ? parsed.screens.filter(isObject) : [];
  const first = flow.initialScreens[0] ?? flow.screens[0];
  const body =
    screens.length === 0
      ? '<p class="empty">This flow has no screens to show yet.</p>'
      : screens.map((s, n) => screenHtml(s, first === undefined ? n === 0 : s.id === first)).join("\n");
  const issues =
    flow.validationErrors.length > 0
      ? `<p class="issues">This flow's JSON has ${flow.validationErrors.length} validation error(s); the preview may be incomplete.</p>`
      : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(flow.name)} · Flow preview</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="${PREVIEW_ASSETS}/preview.css"></head>
<body><main class="phone" data-flow="${escapeHtml(flow.id)}">
${issues}${body}
<section class="done" data-completed hidden><h1>Flow completed</h1><p>The answers would now go to the business.</p></section>
</main><script src="${PREVIEW_ASSETS}/preview.js"></script></body></html>
`;
}

export const PREVIEW_JS = `"use strict";
(() => {
  const screens = [...document.querySelectorAll("[data-screen]")];
  const done = document.querySelector("[data-completed]");
  const history = [];
  const current = () => screens.find((s) => !s.hidden);
  const show = (id) => {
    const next = screens.find((s) => s.dataset.screen === id);
    if (!next) return;
    const now = current();
    if (now) { now.hidden = true; history.push(now.dataset.screen); }
    next.hidden = false;
  };
  document.addEventListener("click", (e) => {
    const target = e.target instanceof Element ? e.target.closest("button") : null;
    if (!target) return;
    if (target.hasAttribute("data-back")) {
      const back = history.pop();
      const now = current();
      if (back && now) { now.hidden = true; screens.find((s) => s.dataset.screen === back).hidden = false; }
      return;
    }
    const action = target.dataset.action;
    if (action === "navigate") show(target.dataset.next);
    else if (action === "complete") { const now = current(); if (now) now.hidden = true; done.hidden = false; }
    else if (action === "open_url" && target.dataset.url) window.open(target.dataset.url, "_blank", "noopener");
  });
})();
`;

export const PREVIEW_CSS = `*{box-sizing:border-box}body{margin:0;background:#e5ddd5;font:16px/1.4 system-ui,sans-serif;color:#111}
.phone{max-width:400px;min-height:100vh;margin:0 auto;background:#fff;display:flex;flex-direction:column}
.bar{display:flex;align-items:center;gap:8px;padding:12px;border-bottom:1px solid #ddd}.bar h1{font-size:18px;margin:0}
.back{border:0;background:none;font-size:20px;cursor:pointer}.content{padding:16px;display:flex;flex-direction:column;gap:12px}
.heading{font-size:22px;margin:0}.subheading{font-size:18px;margin:0}.body{margin:0}.caption{margin:0;font-size:13px;color:#555}
.field{display:flex;flex-direction:column;gap:4px}.field input,.field select,.field textarea{font:inherit;padding:10px;border:1px solid #bbb;border-radius:8px}
.req{color:#c00}.helper{color:#666}.group{border:0;padding:0;margin:0;display:flex;flex-direction:column;gap:6px}
.option{display:flex;gap:8px;align-items:center}.link{border:0;background:none;color:#0a7cff;text-align:left;padding:0;font:inherit;cursor:pointer}
.image{max-width:100%}.placeholder{padding:10px;border:1px dashed #aaa;border-radius:8px;color:#666;font-size:14px}
.footer{margin-top:auto;padding-top:8px}.footer-button{width:100%;padding:12px;border:0;border-radius:24px;background:#008069;color:#fff;font:inherit;cursor:pointer}
.done{padding:24px;text-align:center}.issues{margin:0;padding:8px 12px;background:#fff3cd;font-size:14px}.empty{padding:24px}
[hidden]{display:none!important}`;
