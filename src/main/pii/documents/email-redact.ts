// Writing a redacted e-mail and decrypting it back. Only changed chunks are replaced; see email.ts.
import type { KeyRing } from '../keys';
import { decryptText, redactText } from '../operators';
import { decodeCharset, encodeCharset, normalizeCharset } from './charset';
import { decryptDocx, redactDocx } from './docx';
import {
  bodyKind,
  decodedBody,
  headerView,
  MAX_DEPTH,
  redactHeaders,
  textPart,
  setHeaderValue,
} from './email';
import { accepted, DocumentError, scanPart, type RedactOptions } from './model';
import {
  encodeBody,
  entities,
  headerPartName,
  isMessageRoot,
  joinChunks,
  lineEnding,
  partName,
  splitMessage,
  type Chunk,
  type Entity,
} from './mime';

const RESTORE = 'X-Haechi-Restore';

interface Pass {
  file: string;
  prefix: string;
  depth: number;
  warnings: string[];
}

/** Put a new body in place of an entity's body chunks. */
function replaceBody(replace: Map<number, Buffer>, e: Entity, body: Buffer): void {
  e.bodies.forEach((index, i) => replace.set(index, i === 0 ? body : Buffer.alloc(0)));
}

/** Redact one entity's body; returns how many values were replaced. */
async function redactBody(
  chunks: Chunk[],
  e: Entity,
  pass: Pass,
  options: RedactOptions,
  replace: Map<number, Buffer>,
): Promise<number> {
  const kind = bodyKind(e.node);
  if (kind === 'skip' || e.bodies.length === 0) return 0;
  const name = partName(pass.prefix, e.node);
  const { raw, content } = await decodedBody(chunks, e);
  let inner: { bytes: Buffer; count: number };
  if (kind === 'text' || kind === 'html') {
    const { charset, part } = textPart(name, kind, e.node, content, options.scan);
    const findings = accepted(name, part.findings, options.rejected);
    const out = redactText(part.text, findings, options.redactor);
    inner = { bytes: encodeCharset(out.text, charset, content), count: findings.length };
  } else if (kind === 'pdf') {
    pass.warnings.push(`${name}: PDF attachment left unchanged (PDF redaction is not supported)`);
    return 0;
  } else if (kind === 'message') {
    inner = await redactMessage(
      content,
      { ...pass, prefix: `${name}/`, depth: pass.depth + 1 },
      options,
    );
  } else {
    const out = await redactDocx(pass.file, content, options);
    inner = { bytes: out.bytes, count: out.redacted };
  }
  if (inner.count > 0) replaceBody(replace, e, await encodeBody(e.node, inner.bytes, raw));
  return inner.count;
}

function addRestore(
  e: Entity,
  original: { head: Buffer; body: Buffer; count: number },
  options: RedactOptions,
): void {
  const token = options.redactor.restoreToken(
    JSON.stringify({
      h: original.head.toString('base64'),
      b: original.body.toString('base64'),
      n: original.count,
    }),
  );
  if (!token || !e.node.headers) return;
  e.node.headers.add(RESTORE, token.match(/.{1,76}/g)!.join(' '));
}

async function redactMessage(
  bytes: Buffer,
  pass: Pass,
  options: RedactOptions,
): Promise<{ bytes: Buffer; count: number; warnings: string[] }> {
  if (pass.depth > MAX_DEPTH)
    throw new DocumentError(pass.file, `attached messages nested deeper than ${MAX_DEPTH} levels`);
  const chunks = await splitMessage(pass.file, bytes);
  const replace = new Map<number, Buffer>();
  let count = 0;
  for (const e of entities(chunks)) {
    const head = e.node.getHeaders();
    const body = Buffer.concat(e.bodies.map((i) => (chunks[i] as { value: Buffer }).value));
    const irreversibleBefore = options.redactor.irreversible;
    let applied = 0;
    if (isMessageRoot(e.node) && e.node.headers) {
      const view = headerView(e.node.headers);
      const name = headerPartName(pass.prefix, e.node);
      const findings = accepted(
        name,
        scanPart(name, view.text, options.scan).findings,
        options.rejected,
      );
      applied += redactHeaders(e.node.headers, view.lines, findings, options.redactor);
    }
    applied += await redactBody(chunks, e, pass, options, replace);
    count += applied;
    // Keep an encrypted copy of the part only when nothing in it was masked, hashed or removed.
    if (applied > 0 && options.redactor.irreversible === irreversibleBefore)
      addRestore(e, { head, body, count: applied }, options);
  }
  return { bytes: joinChunks(chunks, replace, lineEnding(bytes)), count, warnings: pass.warnings };
}

export async function redactEmail(
  file: string,
  bytes: Buffer,
  options: RedactOptions,
  prefix = '',
): Promise<{ bytes: Buffer; redacted: number; warnings: string[] }> {
  const pass: Pass = { file, prefix, depth: 0, warnings: [] };
  const out = await redactMessage(bytes, pass, options);
  return { bytes: out.bytes, redacted: out.count, warnings: out.warnings };
}

function restoreFrom(
  e: Entity,
  keys: KeyRing,
): { head: Buffer; body: Buffer; count: number } | undefined {
  const headers = e.node.headers;
  if (!headers || !headers.hasHeader(RESTORE)) return undefined;
  const line = headers.get(RESTORE)[0];
  const token = line.slice(line.indexOf(':') + 1).replace(/\s+/g, '');
  const parsed = JSON.parse(keys.decrypt('RESTORE', token)) as { h: string; b: string; n: number };
  return {
    head: Buffer.from(parsed.h, 'base64'),
    body: Buffer.from(parsed.b, 'base64'),
    count: parsed.n,
  };
}

/** Inline tokens in header fields, when no restore copy was kept. */
function decryptHeaders(e: Entity, keys: KeyRing): number {
  if (!e.node.headers) return 0;
  let restored = 0;
  for (const line of headerView(e.node.headers).lines) {
    if (!line.value.includes('[ENC:')) continue;
    const out = decryptText(line.value, keys);
    setHeaderValue(e.node.headers, line, out.text);
    restored += out.restored;
  }
  return restored;
}

async function decryptBody(
  chunks: Chunk[],
  e: Entity,
  keys: KeyRing,
  file: string,
  depth: number,
  replace: Map<number, Buffer>,
): Promise<number> {
  const kind = bodyKind(e.node);
  if (kind === 'skip' || kind === 'pdf' || e.bodies.length === 0) return 0;
  const { raw, content } = await decodedBody(chunks, e);
  let result: { bytes: Buffer; restored: number };
  if (kind === 'message') result = await decryptMessage(file, content, keys, depth + 1);
  else if (kind === 'docx') result = await decryptDocx(file, content, keys);
  else {
    const charset = normalizeCharset(e.node.charset);
    const out = decryptText(decodeCharset(content, charset), keys);
    result = { bytes: encodeCharset(out.text, charset, content), restored: out.restored };
  }
  if (result.restored > 0) replaceBody(replace, e, await encodeBody(e.node, result.bytes, raw));
  return result.restored;
}

async function decryptMessage(
  file: string,
  bytes: Buffer,
  keys: KeyRing,
  depth = 0,
): Promise<{ bytes: Buffer; restored: number }> {
  if (depth > MAX_DEPTH) return { bytes, restored: 0 };
  const chunks = await splitMessage(file, bytes);
  const replace = new Map<number, Buffer>();
  let restored = 0;
  for (const e of entities(chunks)) {
    const original = restoreFrom(e, keys);
    if (original) {
      restored += original.count;
      replace.set(e.index, original.head);
      replaceBody(replace, e, original.body);
      continue;
    }
    restored +=
      decryptHeaders(e, keys) + (await decryptBody(chunks, e, keys, file, depth, replace));
  }
  return { bytes: joinChunks(chunks, replace, lineEnding(bytes)), restored };
}

export { decryptMessage as decryptEmail };
