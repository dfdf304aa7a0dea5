/**
 * Which carrier delivers a message is a property of its sender: the simulated network unless the
 * sender is set to Meta's Cloud API. The choice keeps each carrier's batch in the order given and
 * puts the outcomes back in the order of the messages.
 */
import type { AppContext } from "../app/context.ts";
import type { Carrier, SendOutcome } from "../carriers/carrier.ts";
import type { SenderCarrier } from "../core/account.ts";
import type { StoredMessage } from "../core/message.ts";

export type Carriers = Readonly<Record<SenderCarrier["kind"], Carrier>>;

export class CarrierChoice implements Carrier {
  readonly name = "by-sender";

  constructor(
    private readonly ctx: AppContext,
    private readonly carriers: Carriers,
  ) {}

  async send(messages: readonly StoredMessage[], now: number): Promise<SendOutcome[]> {
    const groups = new Map<Carrier, number[]>();
    for (const [i, m] of messages.entries()) {
      const sender = this.ctx.lookups.peekSender(m.from) ?? (await this.ctx.lookups.sender(m.from));
      const carrier = this.carriers[sender?.carrier?.kind ?? "sandbox"];
      const group = groups.get(carrier);
      if (group) group.push(i);
      else groups.set(carrier, [i]);
    }
    if (groups.size === 1) {
      const [carrier] = groups.keys();
      return (carrier as Carrier).send(messages, now);
    }
    const outcomes: SendOutcome[] = new Array(messages.length);
    await Promise.all(
      [...groups].map(async ([carrier, indexes]) => {
        const got = await carrier.send(
          indexes.map((i) => messages[i] as StoredMessage),
          now,
        );
        got.forEach((o, k) => {
          outcomes[indexes[k] as number] = o;
        });
      }),
    );
    return outcomes;
  }
}
