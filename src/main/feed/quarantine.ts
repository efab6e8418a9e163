// Lines that did not parse: counted by the source, kept here (bounded) with reason and position.
import type { QuarantineEntry } from '../../shared/api/feed';

export class Quarantine {
  private readonly ring: QuarantineEntry[] = [];
  private next = 0;
  total = 0;

  constructor(readonly capacity = 10_000) {}

  add(source: string, position: string, reason: string): void {
    // Reasons never carry the raw line (evidence stays out of logs and the quarantine view).
    const entry: QuarantineEntry = { at: Date.now(), source, position, reason };
    this.total += 1;
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  list(limit = 200): QuarantineEntry[] {
    const n = this.ring.length;
    const out: QuarantineEntry[] = [];
    for (let i = 1; i <= Math.min(limit, n); i++) out.push(this.ring[(this.next - i + n) % n]);
    return out;
  }
}

export function describePosition(p: {
  file?: string;
  record?: number;
  offset?: number;
  seq?: number;
}): string {
  const parts: string[] = [];
  if (p.file) parts.push(p.file);
  if (p.record !== undefined) parts.push(`line ${p.record}`);
  if (p.offset !== undefined) parts.push(`offset ${p.offset}`);
  if (p.seq !== undefined) parts.push(`seq ${p.seq}`);
  return parts.join(', ') || 'unknown position';
}
