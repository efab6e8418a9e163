// Raw events live in append-only segment files (NDJSON), indexed from the database by
// segment number, byte offset and length: bulky evidence stays out of the snapshot.
import fs from 'node:fs';
import path from 'node:path';

export interface SegmentRef {
  seg: number;
  off: number;
  len: number;
}

const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

export class SegmentStore {
  private fd: number;
  private seg: number;
  private size: number;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    const numbers = fs
      .readdirSync(dir)
      .map((f) => /^seg-(\d+)\.ndjson$/.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    this.seg = numbers.length ? Math.max(...numbers) : 1;
    this.fd = fs.openSync(this.file(this.seg), 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  /** Append records (one JSON document each) and fsync once; returns where each one lives. */
  append(records: unknown[]): SegmentRef[] {
    const refs: SegmentRef[] = [];
    const chunks: Buffer[] = [];
    for (const record of records) {
      if (this.size >= MAX_SEGMENT_BYTES) this.flushAndRoll(chunks);
      const buf = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
      refs.push({ seg: this.seg, off: this.size, len: buf.length - 1 });
      chunks.push(buf);
      this.size += buf.length;
    }
    this.flush(chunks);
    return refs;
  }

  read<T = unknown>(ref: SegmentRef): T {
    const fd = fs.openSync(this.file(ref.seg), 'r');
    try {
      const buf = Buffer.alloc(ref.len);
      fs.readSync(fd, buf, 0, ref.len, ref.off);
      return JSON.parse(buf.toString('utf8')) as T;
    } finally {
      fs.closeSync(fd);
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private file(seg: number): string {
    return path.join(this.dir, `seg-${String(seg).padStart(6, '0')}.ndjson`);
  }

  private flush(chunks: Buffer[]): void {
    if (chunks.length === 0) return;
    fs.writeSync(this.fd, Buffer.concat(chunks));
    fs.fsyncSync(this.fd);
    chunks.length = 0;
  }

  private flushAndRoll(chunks: Buffer[]): void {
    this.flush(chunks);
    fs.closeSync(this.fd);
    this.seg += 1;
    this.fd = fs.openSync(this.file(this.seg), 'a');
    this.size = 0;
  }
}
