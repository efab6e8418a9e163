// Collects the calls made in one turn of the event loop and runs them as one batch: one `nft`
// process for many lookups or many additions, instead of one process each.

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class Batch<I, O> {
  private waiting: Waiting<I, O>[] = [];

  /** `run` answers every item in order (an Error fails that item), or throws to fail them all. */
  constructor(private readonly run: (items: I[]) => Promise<(O | Error)[]>) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (!this.waiting.length) setImmediate(() => void this.flush());
      this.waiting.push({ item, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const out = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const o = out[i];
        if (o instanceof Error) w.reject(o);
        else w.resolve(o);
      });
    } catch (err) {
      batch.forEach((w) => w.reject(err));
    }
  }
}
