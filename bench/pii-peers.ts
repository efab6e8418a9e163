// The peers measured beside Haechi: `redact-pii` and `@openredaction/openredaction`, each mapped
// onto Presidio's entity names. Both are development dependencies of the benchmark only.

export interface Peer {
  name: string;
  /** Spans per type found in text. */
  detect(text: string): Map<string, Array<[number, number]>>;
  /** The package's own call, unwrapped, for throughput. */
  run(text: string): void;
}

type Detections = { detections: Array<{ type: string; position: [number, number] }> };

const openMap: Array<[RegExp, string]> = [
  [/^EMAIL$/, 'EMAIL_ADDRESS'],
  [/^PHONE_/, 'PHONE_NUMBER'],
  [/^CREDIT_CARD$/, 'CREDIT_CARD'],
  [/^SSN$/, 'US_SSN'],
  [/IBAN/, 'IBAN_CODE'],
  [/^IPV[46]$/, 'IP_ADDRESS'],
  [/^MAC_ADDRESS$/, 'MAC_ADDRESS'],
  [/^URL/, 'URL'],
  [/^(BITCOIN|ETHEREUM)_ADDRESS$/, 'CRYPTO'],
  [/^SOUTH_KOREAN_RRN$/, 'KR_RRN'],
];

function add(
  map: Map<string, Array<[number, number]>>,
  type: string,
  span: [number, number],
): void {
  const list = map.get(type) ?? [];
  list.push(span);
  map.set(type, list);
}

export async function openRedaction(): Promise<Peer> {
  const { OpenRedaction } = await import('@openredaction/openredaction');
  const engine = new OpenRedaction();
  return {
    name: '@openredaction/openredaction',
    run: (text) => void engine.detect(text),
    detect(text) {
      const out = new Map<string, Array<[number, number]>>();
      for (const d of (engine.detect(text) as unknown as Detections).detections) {
        const type = openMap.find(([re]) => re.test(d.type))?.[1];
        if (type) add(out, type, [d.position[0], d.position[1]]);
      }
      return out;
    },
  };
}

const redactPiiMap: Record<string, string> = {
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  PHONE_NUMBER: 'PHONE_NUMBER',
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  IP_ADDRESS: 'IP_ADDRESS',
  URL: 'URL',
  US_SOCIAL_SECURITY_NUMBER: 'US_SSN',
};
const placeholders = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD_NUMBER',
  'IP_ADDRESS',
  'URL',
  'US_SOCIAL_SECURITY_NUMBER',
  'DIGITS',
  'NAME',
  'STREET_ADDRESS',
  'ZIPCODE',
  'USERNAME',
  'PASSWORD',
  'CREDENTIALS',
];
const placeholderRe = new RegExp(`(${placeholders.join('|')})`, 'g');

/** redact-pii returns only the redacted text: recover spans by aligning it with the input. */
function align(original: string, redacted: string): Array<[string, number, number]> {
  const pieces = redacted.split(placeholderRe);
  const names: string[] = [];
  const pattern = pieces
    .map((p, i) => {
      if (i % 2 === 1) {
        names.push(p);
        return '([\\s\\S]+?)';
      }
      return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const m = new RegExp(`^${pattern}$`, 'd').exec(original);
  if (!m || !m.indices) return [];
  return names.map((name, i) => [name, m.indices![i + 1][0], m.indices![i + 1][1]]);
}

export async function redactPii(): Promise<Peer> {
  const { SyncRedactor } = await import('redact-pii');
  const engine = new SyncRedactor();
  return {
    name: 'redact-pii',
    run: (text) => void engine.redact(text),
    detect(text) {
      const out = new Map<string, Array<[number, number]>>();
      for (const [name, start, end] of align(text, engine.redact(text))) {
        const type = redactPiiMap[name];
        if (type) add(out, type, [start, end]);
      }
      return out;
    },
  };
}
