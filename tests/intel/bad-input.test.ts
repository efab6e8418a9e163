// Intelligence imports that cannot be read say so, with where and why; nothing is added.
import { describe, expect, it } from 'vitest';
import { importIntel } from '../../src/main/engine/intel/formats';

describe('importing a bad intelligence file', () => {
  it('names a CSV whose header has no indicator column', () => {
    const r = importIntel('x.csv', 'garbage,,,\nfoo,bar,,\n');
    expect(r.indicators).toEqual([]);
    expect(r.errors).toEqual([
      'x.csv:1: the CSV header names no indicator column; expected type and value, or one of ' +
        'ip, domain, url, md5, sha1, sha256, indicator',
    ]);
  });

  it('refuses binary data as a whole', () => {
    const r = importIntel('x.bin', 'garbage,,,\n\0\u0001\u0002');
    expect(r.indicators).toEqual([]);
    expect(r.errors).toEqual(['x.bin: binary data, not an intelligence feed']);
  });

  it('still imports a good CSV and names its bad rows', () => {
    const r = importIntel('c.csv', 'ip,domain\n203.0.113.7,evil.example\nnot-an-ip,\n');
    expect(r.indicators.map((i) => `${i.type}:${i.value}`)).toEqual([
      'ipv4:203.0.113.7',
      'domain:evil.example',
    ]);
    expect(r.errors).toEqual(['c.csv:3: column ip: "not-an-ip" is not a valid ip']);
  });
});
