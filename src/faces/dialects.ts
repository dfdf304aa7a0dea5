/** Every dialect OpenBSP speaks; the server mounts them in this order. */
import { infobipDialect } from "./infobip/infobip-face.ts";
import type { Dialect } from "./kit/dialect.ts";
import { metaDialect } from "./meta/meta-face.ts";
import { sinchDialect } from "./sinch/sinch-face.ts";

export const DIALECTS: readonly Dialect[] = [infobipDialect, metaDialect, sinchDialect];
