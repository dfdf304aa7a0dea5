/** The FlowStore contract: flows by id and WABA, names unique per WABA, updates, deletes, preview tokens. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DEFAULT_FLOW_JSON, type Flow } from "../../src/core/flow.ts";
import type { Storage } from "../../src/store/storage.ts";
import { type StorageFactory, T0, testPlan } from "./fixtures.ts";

const flow = (over: Partial<Flow> = {}): Flow => ({
  id: "900001",
  wabaId: "waba-1",
  name: "sign up",
  categories: ["SIGN_UP", "OTHER"],
  status: "DRAFT",
  json: DEFAULT_FLOW_JSON,
  validationErrors: [],
  screens: ["WELCOME_SCREEN"],
  initialScreens: ["WELCOME_SCREEN"],
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

export function defineFlowContract(name: string, factory: StorageFactory): void {
  describe(`FlowStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("stores a flow and gives it back whole, by id and in its WABA's list, oldest first", async () => {
      const full = flow({
        endpointUri: "https://example.com/flow",
        preview: { token: "tok-1", expiresAt: T0 + 5 },
        validationErrors: [
          {
            error: "INVALID_PROPERTY",
            errorType: "JSON_SCHEMA_ERROR",
            message: "m",
            path: "$root/screens/0",
            lineStart: 3,
            lineEnd: 3,
            columnStart: 5,
            columnEnd: 9,
          },
        ],
      });
      assert.equal(await storage.flows.insertFlow(full), true);
      assert.equal(
        await storage.flows.insertFlow(flow({ id: "900002", name: "b", createdAt: T0 + 1 })),
        true,
      );
      assert.equal(await storage.flows.insertFlow(flow({ id: "900003", wabaId: "waba-2", name: "c" })), true);
      assert.deepEqual(await storage.flows.getFlow("900001"), full);
      assert.deepEqual(
        (await storage.flows.listFlows("waba-1")).map((f) => f.id),
        ["900001", "900002"],
      );
      assert.equal(await storage.flows.getFlow("nope"), undefined);
    });

    it("refuses a second flow of the same name in a WABA, not in another", async () => {
      assert.equal(await storage.flows.insertFlow(flow()), true);
      assert.equal(await storage.flows.insertFlow(flow({ id: "900002" })), false);
      assert.equal(await storage.flows.insertFlow(flow({ id: "900003", wabaId: "waba-2" })), true);
      assert.equal((await storage.flows.listFlows("waba-1")).length, 1);
    });

    it("replaces a flow, unless the new name is another flow's; deletes once", async () => {
      await storage.flows.insertFlow(flow());
      await storage.flows.insertFlow(flow({ id: "900002", name: "other" }));
      const published = flow({ status: "PUBLISHED", name: "renamed", updatedAt: T0 + 9 });
      assert.equal(await storage.flows.updateFlow(published), true);
      assert.deepEqual(await storage.flows.getFlow("900001"), published);
      assert.equal(await storage.flows.updateFlow(flow({ name: "other" })), false);
      assert.equal((await storage.flows.getFlow("900001"))?.name, "renamed");
      assert.equal(await storage.flows.deleteFlow("900001"), true);
      assert.equal(await storage.flows.deleteFlow("900001"), false);
      assert.equal(await storage.flows.getFlow("900001"), undefined);
    });

    it("finds a flow by its preview token, and no longer once the token changed", async () => {
      await storage.flows.insertFlow(flow({ preview: { token: "tok-a", expiresAt: T0 + 1 } }));
      assert.equal((await storage.flows.findFlowByPreviewToken("tok-a"))?.id, "900001");
      await storage.flows.updateFlow(flow({ preview: { token: "tok-b", expiresAt: T0 + 2 } }));
      assert.equal(await storage.flows.findFlowByPreviewToken("tok-a"), undefined);
      assert.deepEqual((await storage.flows.findFlowByPreviewToken("tok-b"))?.preview, {
        token: "tok-b",
        expiresAt: T0 + 2,
      });
    });
  });
}
