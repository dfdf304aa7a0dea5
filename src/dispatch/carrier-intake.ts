/**
 * The worker that processes what carriers posted (the carrier inbox), after OpenBSP has answered
 * them: leased like the outbox, so a crash between the answer and the processing loses nothing.
 */
import type { AppContext } from "../app/context.ts";
import type { CarrierPost } from "../store/carrier-inbox-store.ts";

export interface PostProcessor {
  process(
    post: CarrierPost,
  ): Promise<{ readonly kind: "done" } | { readonly kind: "retry"; readonly reason: string }>;
}

const BATCH = 50;
/** A post that could not be processed waits this long, doubling, up to a minute. */
const RETRY_MS = 250;

export class CarrierIntake {
  constructor(
    private readonly ctx: AppContext,
    private readonly processors: Readonly<Record<string, PostProcessor>>,
  ) {}

  async tick(): Promise<boolean> {
    const { storage, clock, config } = this.ctx;
    const now = clock.now();
    const posts = await storage.carrierInbox.claim(now, BATCH, now + config.leaseMs);
    if (posts.length === 0) return false;
    const done: number[] = [];
    for (const post of posts) {
      const processor = this.processors[post.carrier];
      if (!processor) {
        done.push(post.seq);
        continue;
      }
      let result: Awaited<ReturnType<PostProcessor["process"]>>;
      try {
        result = await processor.process(post);
      } catch (err) {
        this.ctx.log.error({ err, seq: post.seq }, "carrier post processing failed; retrying");
        result = { kind: "retry", reason: (err as Error).message };
      }
      if (result.kind === "done") done.push(post.seq);
      else {
        const wait = Math.min(RETRY_MS * 2 ** Math.min(post.attempts, 8), 60_000);
        await storage.carrierInbox.retry(post.seq, now + wait, result.reason);
      }
    }
    await storage.carrierInbox.done(done);
    return true;
  }
}
