// Collects calls and runs them as one batch: one `nft` request for many lookups or additions.
// At most one batch runs at a time; calls made meanwhile wait and go together in the next one,
// so a busier moment makes bigger batches rather than a longer queue.

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class Batch<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private running = false;
  private scheduled = false;

  /** `run` answers every item in order (an Error fails that item), or throws to fail them all. */
  constructor(private readonly run: (items: I[]) => Promise<(O | Error)[]>) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled || !this.waiting.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.running = true;
    try {
      const out = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const o = out[i];
        if (o instanceof Error) w.reject(o);
        else w.resolve(o);
      });
    } catch (err) {
      batch.forEach((w) => w.reject(err));
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}
