// Worker threads do not inherit the TypeScript loader of the main thread: register it, then load
// the store's thread.
import { register } from "tsx/esm/api";

register();
await import(new URL("./sqlite-thread.ts", import.meta.url).href);
