// A message split into its MIME chunks by mailsplit, kept in order so that joining the chunks
// gives back the exact bytes. Helpers decode and re-encode one part's body.
import { Splitter } from '@zone-eu/mailsplit';
import type { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { DocumentError } from './model';

// mailsplit's node type, narrowed to what we use.
export interface MailNode {
  type: 'node';
  root: boolean;
  partNr: Array<string | number> | false;
  contentType: string | false;
  charset: string | false;
  encoding: string | false;
  disposition: string | false;
  filename: string | false;
  multipart: string | false;
  headers: MailHeaders | false;
  parentNode: MailNode | false;
  rfc822: boolean;
  /** A message/rfc822 part whose message mailsplit parsed inline as child nodes. */
  messageNode?: boolean;
  getHeaders(): Buffer;
  getDecoder(): Transform;
  getEncoder(encoding?: string | false): Transform;
}

export interface MailHeaders {
  /** The live list of header lines (binary strings); edit a line and set `changed`. */
  getList(): Array<{ key: string; line: string }>;
  changed: boolean;
  get(key: string): string[];
  getFirst(key: string): string;
  hasHeader(key: string): boolean;
  add(key: string, value: string, index?: number): void;
  build(lineEnd?: string | false): Buffer;
}

export type Chunk = { type: 'node'; node: MailNode } | { type: 'data' | 'body'; value: Buffer };

/** One MIME node with the indices of its body chunks in the message's chunk list. */
export interface Entity {
  node: MailNode;
  index: number;
  bodies: number[];
}

const MAX_HEAD = 2 * 1024 * 1024;

export async function splitMessage(file: string, bytes: Buffer): Promise<Chunk[]> {
  const head = bytes
    .subarray(0, 2000)
    .toString('latin1')
    .replace(/^(From [^\n]*\n)/, '');
  if (!/^[!-9;-~]+[ \t]*:/.test(head)) {
    throw new DocumentError(file, 'not an e-mail message: the first line is not a header field');
  }
  return new Promise((resolve, reject) => {
    const splitter = new Splitter({ maxHeadSize: MAX_HEAD } as never) as unknown as Readable & {
      end(b: Buffer): void;
    };
    const chunks: Chunk[] = [];
    splitter.on('data', (c: { type: string; value?: Buffer }) => {
      if (c.type === 'node') chunks.push({ type: 'node', node: c as unknown as MailNode });
      else chunks.push({ type: c.type as 'data' | 'body', value: c.value as Buffer });
    });
    splitter.on('error', (err: Error) =>
      reject(new DocumentError(file, `MIME structure unreadable: ${err.message}`)),
    );
    splitter.on('end', () => resolve(chunks));
    splitter.end(bytes);
  });
}

export function entities(chunks: Chunk[]): Entity[] {
  const out: Entity[] = [];
  // A body chunk belongs to the node it directly follows; one after a boundary line (a
  // multipart epilogue) belongs to nobody and is kept as it is.
  chunks.forEach((c, index) => {
    const previous = chunks[index - 1];
    if (c.type === 'node') out.push({ node: c.node, index, bodies: [] });
    else if (c.type === 'body' && out.length > 0 && previous && previous.type !== 'data') {
      out[out.length - 1].bodies.push(index);
    }
  });
  return out;
}

/** Join chunks back into a message; rebuilt header blocks use the message's own line ends. */
export function joinChunks(chunks: Chunk[], replace: Map<number, Buffer>, eol: string): Buffer {
  const head = (node: MailNode) =>
    node.headers && node.headers.changed ? node.headers.build(eol) : node.getHeaders();
  return Buffer.concat(
    chunks.map((c, i) => replace.get(i) ?? (c.type === 'node' ? head(c.node) : c.value)),
  );
}

export function lineEnding(bytes: Buffer): string {
  const head = bytes.subarray(0, 4096);
  return head.includes('\r\n') || !head.includes('\n') ? '\r\n' : '\n';
}

export function rawBody(chunks: Chunk[], entity: Entity): Buffer {
  return Buffer.concat(entity.bodies.map((i) => (chunks[i] as { value: Buffer }).value));
}

export function pipeThrough(stream: Transform, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    stream.on('data', (b: Buffer) => out.push(b));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(out)));
    stream.end(input);
  });
}

/** Encode a body the way the original was (same transfer encoding, same line ends). */
export async function encodeBody(
  node: MailNode,
  content: Buffer,
  original: Buffer,
): Promise<Buffer> {
  let out = await pipeThrough(node.getEncoder(), content);
  const crlf = original.includes('\r\n');
  if (node.encoding === 'base64' || node.encoding === 'quoted-printable') {
    out = Buffer.from(out.toString('latin1').replace(/\r?\n/g, crlf ? '\r\n' : '\n'), 'latin1');
  }
  const eol = crlf ? '\r\n' : '\n';
  if (original.toString('latin1').endsWith(eol) && !out.toString('latin1').endsWith(eol)) {
    out = Buffer.concat([out, Buffer.from(eol)]);
  }
  return out;
}

/** True for the header node of a message: the top one, or one attached inline as message/rfc822. */
export function isMessageRoot(node: MailNode): boolean {
  return node.root || (node.parentNode !== false && node.parentNode.rfc822);
}

function numberOf(node: MailNode): string {
  const nr = Array.isArray(node.partNr) ? node.partNr.filter((n) => n !== 'TEXT') : [];
  return nr.join('.');
}

/** Part names: `header` and `body` for a message's header and single-part body, else the IMAP
 * part number (`1`, `2.1`); a message attached as part 2 has `2/header` and `2/body`; a message
 * attached encoded (base64) is read on its own and its parts are prefixed with `2/`. */
export function partName(prefix: string, node: MailNode): string {
  if (isMessageRoot(node)) return node.root ? `${prefix}body` : `${prefix}${numberOf(node)}/body`;
  return `${prefix}${numberOf(node)}`;
}

export function headerPartName(prefix: string, node: MailNode): string {
  return node.root ? `${prefix}header` : `${prefix}${numberOf(node)}/header`;
}
