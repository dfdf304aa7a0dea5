/** Meta Cloud API templates (api-reference C.4): the components format, create/edit bodies, the template object. */
import { type Static, Type } from "typebox";

const Opt = Type.Optional;

export const TemplateButtonDef = Type.Object({
  type: Type.String({ maxLength: 40 }),
  text: Opt(Type.String({ maxLength: 1000 })),
  url: Opt(Type.String({ maxLength: 2000 })),
  phone_number: Opt(Type.String({ maxLength: 40 })),
  example: Opt(Type.Union([Type.String(), Type.Array(Type.String())])),
  otp_type: Opt(Type.String({ maxLength: 40 })),
  flow_id: Opt(Type.Union([Type.String({ maxLength: 40 }), Type.Integer()])),
  flow_action: Opt(Type.String({ maxLength: 40 })),
  navigate_screen: Opt(Type.String({ maxLength: 200 })),
});

const componentFields = {
  type: Type.String({ maxLength: 40 }),
  format: Opt(Type.String({ maxLength: 40 })),
  text: Opt(Type.String({ maxLength: 32768 })),
  example: Opt(
    Type.Object({
      header_text: Opt(Type.Array(Type.String())),
      header_handle: Opt(Type.Array(Type.String())),
      body_text: Opt(Type.Array(Type.Array(Type.String()))),
    }),
  ),
  add_security_recommendation: Opt(Type.Boolean()),
  code_expiration_minutes: Opt(Type.Integer()),
  buttons: Opt(Type.Array(TemplateButtonDef, { maxItems: 20 })),
  limited_time_offer: Opt(
    Type.Object({ text: Type.String({ maxLength: 1000 }), has_expiration: Opt(Type.Boolean()) }),
  ),
};

/** A carousel card's own HEADER, BODY and BUTTONS components. */
export const CardComponent = Type.Object(componentFields);
export type CardComponent = Static<typeof CardComponent>;

export const Component = Type.Object({
  ...componentFields,
  /** CAROUSEL only: its cards (the count is the core's rule, so a generous bound here). */
  cards: Opt(
    Type.Array(Type.Object({ components: Type.Array(CardComponent, { maxItems: 10 }) }), { maxItems: 50 }),
  ),
});
export type Component = Static<typeof Component>;

export const TemplateCreate = Type.Object({
  name: Type.String({ maxLength: 512 }),
  language: Type.String({ maxLength: 20 }),
  category: Type.String({ maxLength: 40 }),
  allow_category_change: Opt(Type.Boolean()),
  parameter_format: Opt(Type.String()),
  message_send_ttl_seconds: Opt(Type.Integer()),
  components: Type.Array(Component, { maxItems: 10 }),
});
export type TemplateCreate = Static<typeof TemplateCreate>;

export const TemplateEditBody = Type.Object({
  category: Opt(Type.String({ maxLength: 40 })),
  components: Opt(Type.Array(Component, { maxItems: 10 })),
  message_send_ttl_seconds: Opt(Type.Integer()),
});
export type TemplateEditBody = Static<typeof TemplateEditBody>;

export const TemplateListQuery = Type.Object({
  name: Opt(Type.String()),
  status: Opt(Type.String()),
  category: Opt(Type.String()),
  language: Opt(Type.String()),
  limit: Opt(Type.String({ pattern: "^[0-9]{1,4}$" })),
  after: Opt(Type.String()),
  before: Opt(Type.String()),
  fields: Opt(Type.String()),
  access_token: Opt(Type.String()),
});
export type TemplateListQuery = Static<typeof TemplateListQuery>;

export const TemplateDeleteQuery = Type.Object({
  name: Opt(Type.String()),
  hsm_id: Opt(Type.String()),
  access_token: Opt(Type.String()),
});
