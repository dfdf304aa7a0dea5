// Worker threads do not inherit the TypeScript loader of the main thread: register it, then load
// the engine.
import { register } from "tsx/esm/api";

register();
await import(new URL("./engine-thread.ts", import.meta.url).href);
