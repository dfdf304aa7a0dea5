/** Ids in Meta's shapes: outbound message ids are `wamid.` plus base64url bytes, like the Cloud API's. */
import { uuidv7 } from "../../app/ids.ts";

export function newWamid(now: number): string {
  return `wamid.${Buffer.from(uuidv7(now).replace(/-/g, ""), "hex").toString("base64url")}`;
}
