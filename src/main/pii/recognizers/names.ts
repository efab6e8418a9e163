// PERSON and LOCATION through `compromise`, an English tagger whose lexicon ships inside the npm
// package (no download). Known gap: English only, no Korean names or street addresses, and slow
// (~0.03 MB/s measured), so it runs only when PERSON or LOCATION is asked for.
import nlp from 'compromise';
import type { Candidate, Recognizer } from '../types';

const CHUNK = 20_000;

interface OffsetJson {
  offset: { start: number; length: number };
}

function chunks(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + CHUNK);
    const cut = text.lastIndexOf('\n', end);
    if (end < text.length && cut > at) end = cut + 1;
    out.push([at, text.slice(at, end)]);
    at = end;
  }
  return out;
}

function tagged(text: string, kind: 'people' | 'places'): Candidate[] {
  const out: Candidate[] = [];
  const type = kind === 'people' ? 'PERSON' : 'LOCATION';
  for (const [base, part] of chunks(text)) {
    const doc = nlp(part);
    const found = (kind === 'people' ? doc.people() : doc.places()).json({
      offset: true,
    }) as OffsetJson[];
    for (const f of found) {
      let start = base + f.offset.start;
      let end = start + f.offset.length;
      while (end > start && /[\s.,;:!?'"]/.test(text[end - 1])) end--;
      while (start < end && /[\s'"(]/.test(text[start])) start++;
      if (end > start)
        out.push({ type, start, end, score: 0.6, reasons: ['model: compromise tagger'] });
    }
  }
  return out;
}

export const nameRecognizers: Recognizer[] = [
  { name: 'person', types: ['PERSON'], find: (t) => tagged(t, 'people') },
  { name: 'location', types: ['LOCATION'], find: (t) => tagged(t, 'places') },
];
