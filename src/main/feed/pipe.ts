// The bounded queue between sources and the sink. A source enqueues batches; one pump hands them
// to the sink in order and resolves each batch's promise once the sink has stored it. When the
// queue holds `capacity` events a source must wait (`waitRoom`) or, for UDP, drop and count.
import type { HaechiEvent } from '../../shared/types';

export type EventSink = (events: HaechiEvent[]) => Promise<void>;

interface Batch {
  events: HaechiEvent[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class EventPipe {
  private readonly queue: Batch[] = [];
  private queued = 0;
  private pumping = false;
  private roomWaiters: (() => void)[] = [];
  /** Time from arrival to stored, of the last batch (ms). */
  lagMs = 0;
  stored = 0;

  constructor(
    private readonly sink: EventSink,
    readonly capacity = 10_000,
    private readonly maxBatch = 1_000,
  ) {}

  get size(): number {
    return this.queued;
  }

  get full(): boolean {
    return this.queued >= this.capacity;
  }

  /** Queue events; the promise resolves when the sink has stored them (rejects if it failed). */
  enqueue(events: HaechiEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queued += events.length;
      if (!this.pumping) void this.pump();
    });
  }

  /** Resolves when the queue is below capacity. */
  waitRoom(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves when everything queued so far has been stored (or failed). */
  async drain(): Promise<void> {
    while (this.queued > 0 || this.pumping) await new Promise((r) => setTimeout(r, 5));
  }

  private take(): Batch[] {
    const taken: Batch[] = [];
    let n = 0;
    while (this.queue.length && (n === 0 || n + this.queue[0].events.length <= this.maxBatch)) {
      const b = this.queue.shift()!;
      taken.push(b);
      n += b.events.length;
    }
    return taken;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length) {
        const taken = this.take();
        const events = taken.length === 1 ? taken[0].events : taken.flatMap((b) => b.events);
        try {
          await this.sink(events);
          this.stored += events.length;
          this.lagMs = Date.now() - events[0].receivedAt;
          for (const b of taken) b.resolve();
        } catch (err) {
          for (const b of taken) b.reject(err as Error);
        }
        this.queued -= events.length;
        this.wakeRoom();
      }
    } finally {
      this.pumping = false;
    }
  }

  private wakeRoom(): void {
    if (this.full || this.roomWaiters.length === 0) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }
}
