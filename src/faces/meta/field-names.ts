/** The core's field paths in the Meta face's words, for the `details` of its errors. */

/** The core's field path (relative to the content) in Meta's words, for a content of `type`. */
export function metaField(type: string, corePath: string): string {
  const map: Record<string, string> = {
    text: "text.body",
    mediaUrl: `${type}.link`,
    caption: `${type}.caption`,
    filename: `${type}.filename`,
    latitude: "location.latitude",
    longitude: "location.longitude",
    name: "location.name",
    address: "location.address",
    body: "interactive.body.text",
    footer: "interactive.footer.text",
    buttonTitle: "interactive.action.button",
    displayText: "interactive.action.parameters.display_text",
    url: "interactive.action.parameters.url",
    messageId: "reaction.message_id",
    emoji: "reaction.emoji",
    templateName: "template.name",
    language: "template.language.code",
    "body.placeholders": "template.components[body].parameters",
    header: "template.components[header]",
    buttons: "template.components[button]",
  };
  const path = corePath.replace(/^content\./, "");
  const exact = map[path];
  if (exact) return exact;
  if (type === "interactive") {
    if (/^(body|footer|header)\.text$/.test(path)) return `interactive.${path}`;
    if (path === "action.flowId") return "interactive.action.parameters.flow_id";
    if (path === "action.flowActionPayload.screen")
      return "interactive.action.parameters.flow_action_payload.screen";
    const address = /^action\.(country|values|savedAddresses|validationErrors)\b(.*)$/.exec(path);
    if (address) {
      const name = {
        country: "country",
        values: "values",
        savedAddresses: "saved_addresses",
        validationErrors: "validation_errors",
      }[address[1] as string];
      return `interactive.action.parameters.${name}${address[2]}`;
    }
  }
  const order =
    /^action\.(payment|paymentConfiguration|orderCurrency|totalAmount|order|description)\b(.*)$/.exec(path);
  if (order && type === "interactive")
    return `interactive.action.parameters.${orderField(`${order[1]}${order[2]}`)}`;
  const button = /^buttons\[(\d+)\]\.action\.(.*)$/.exec(path);
  if (button && type === "template") {
    return `template.components[button][${button[1]}].parameters[0].action.order_details.${orderField(button[2] as string)}`;
  }
  if (path.startsWith("buttons[") && type === "interactive")
    return `interactive.action.${path.replace(/\.title$/, ".reply.title").replace(/\.id$/, ".reply.id")}`;
  if (path.startsWith("sections")) return `interactive.action.${path}`;
  if (path.startsWith("contacts"))
    return path.replace("formattedName", "formatted_name").replace("firstName", "first_name");
  if (path.startsWith("body.placeholders["))
    return `template.components[body].parameters${path.slice("body.placeholders".length)}`;
  if (path.startsWith("header")) return `template.components[header]${path.slice("header".length)}`;
  if (path.startsWith("buttons[")) return `template.components[button]${path.slice("buttons".length)}`;
  if (path.startsWith("carousel")) return `template.components[carousel]${path.slice("carousel".length)}`;
  return path;
}

/** An order's core field (under `action.`) as Meta's `review_and_pay` / `review_order` parameter. */
function orderField(path: string): string {
  const renames: [RegExp, string][] = [
    [/^payment(\.payments\[\d+\])?\.id$/, "reference_id"],
    [/^payment\.type$/, "payment_settings"],
    [/^payment\.payments(\[\d+\])?/, "payment_settings$1"],
    [/^payment\./, "payment_settings[0]."],
    [/^paymentConfiguration$/, "payment_configuration"],
    [/^orderCurrency$/, "currency"],
    [/^description$/, "order.description"],
    [/^order\.orderExpiration\.expirationSeconds$/, "order.expiration.timestamp"],
    [/^order\.orderExpiration\./, "order.expiration."],
    [/^order\.discount\.amount\./, "order.discount."],
    [/^order\.discount\.programName$/, "order.discount.discount_program_name"],
    [/\.originCountry$/, ".country_of_origin"],
  ];
  const renamed = renames.reduce((p, [from, to]) => p.replace(from, to), path);
  return renamed.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}
