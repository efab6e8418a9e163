// Charsets of e-mail parts: iconv-lite for most (EUC-KR/ks_c_5601-1987 as CP949, UTF-7 …),
// encoding-japanese for ISO-2022-JP. A charset nobody knows (x-unknown) is read as Latin-1, which
// maps every byte to one character and back, so the part's bytes survive untouched.
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';

const aliases: Record<string, string> = {
  'ks_c_5601-1987': 'cp949',
  ks_c_5601: 'cp949',
  'euc-kr': 'cp949',
  korean: 'cp949',
  'utf-7': 'utf7',
  'unicode-1-1-utf-7': 'utf7',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
};

/** The charset name we decode with: `jis` for ISO-2022-JP, `latin1` when unknown. */
export function normalizeCharset(charset: string | false | undefined): string {
  const name = (charset || 'utf-8').toLowerCase().trim();
  if (/^(iso-2022-jp|csiso2022jp)/.test(name)) return 'jis';
  const wanted = aliases[name] ?? name;
  return iconv.encodingExists(wanted) ? wanted : 'latin1';
}

export function decodeCharset(bytes: Buffer, charset: string): string {
  if (charset === 'jis')
    return Encoding.codeToString(Encoding.convert(bytes, { to: 'UNICODE', from: 'JIS' }));
  if (charset === 'utf-8') {
    const text = bytes.toString('utf8');
    // Parts labelled us-ascii or utf-8 that carry other 8-bit bytes are read byte for byte.
    return text.includes('\ufffd') && !Buffer.from(text, 'utf8').equals(bytes)
      ? bytes.toString('latin1')
      : text;
  }
  return iconv.decode(bytes, charset, { stripBOM: false });
}

export function encodeCharset(text: string, charset: string, original?: Buffer): Buffer {
  if (charset === 'jis')
    return Buffer.from(
      Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }),
    );
  if (charset === 'utf-8') {
    const wasLatin = original && !Buffer.from(original.toString('utf8'), 'utf8').equals(original);
    return Buffer.from(text, wasLatin ? 'latin1' : 'utf8');
  }
  return iconv.encode(text, charset, { addBOM: false });
}
