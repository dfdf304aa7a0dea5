/**
 * Group commit: every insert request that arrives while the event loop is busy joins the next
 * transaction, so one fsync covers many HTTP requests instead of one each. A batch that fails is
 * rolled back and retried one request at a time, so one bad request fails alone and nothing crashes.
 */
export class GroupCommit<In, Out> {
  readonly #pending: { input: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  #scheduled = false;
  /** Runs `inputs` in one transaction and returns one result per input, in order. */
  readonly #commit: (inputs: In[]) => Out[];

  constructor(commit: (inputs: In[]) => Out[]) {
    this.#commit = commit;
  }

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending.splice(0);
    if (batch.length === 0) return;
    try {
      const outs = this.#commit(batch.map((b) => b.input));
      for (const [i, b] of batch.entries()) b.resolve(outs[i] as Out);
    } catch {
      for (const b of batch) {
        try {
          const [out] = this.#commit([b.input]);
          b.resolve(out as Out);
        } catch (err) {
          b.reject(err);
        }
      }
    }
  }
}
