// Condition forms and value semantics of the Sigma specification.
import { describe, expect, it } from 'vitest';
import { detection, matches, problemsOf } from './helpers';

const two = `  a:\n    A: 1\n  b:\n    B: 1\n  c:\n    C: 1\n`;

describe('conditions', () => {
  it('and requires both selections', () => {
    expect(matches(`${two}  condition: a and b`, { A: 1, B: 1 })).toBe(true);
    expect(matches(`${two}  condition: a and b`, { A: 1 })).toBe(false);
  });

  it('or requires either selection', () => {
    expect(matches(`${two}  condition: a or b`, { B: 1 })).toBe(true);
    expect(matches(`${two}  condition: a or b`, { C: 1 })).toBe(false);
  });

  it('not negates', () => {
    expect(matches(`${two}  condition: a and not b`, { A: 1 })).toBe(true);
    expect(matches(`${two}  condition: a and not b`, { A: 1, B: 1 })).toBe(false);
  });

  it('and binds tighter than or', () => {
    // a or (b and c)
    expect(matches(`${two}  condition: a or b and c`, { A: 1 })).toBe(true);
    expect(matches(`${two}  condition: a or b and c`, { B: 1 })).toBe(false);
  });

  it('not binds tighter than and', () => {
    // (not a) and b
    expect(matches(`${two}  condition: not a and b`, { B: 1 })).toBe(true);
    expect(matches(`${two}  condition: not a and b`, { A: 1, B: 1 })).toBe(false);
  });

  it('parentheses group', () => {
    expect(matches(`${two}  condition: (a or b) and c`, { A: 1 })).toBe(false);
    expect(matches(`${two}  condition: (a or b) and c`, { A: 1, C: 1 })).toBe(true);
    expect(matches(`${two}  condition: not (a or b)`, { C: 1 })).toBe(true);
  });

  it('1 of with a wildcard needs any selection whose name matches', () => {
    const body = `  sel_x:\n    A: 1\n  sel_y:\n    B: 1\n  other:\n    C: 1\n  condition: 1 of sel_*`;
    expect(matches(body, { B: 1 })).toBe(true);
    expect(matches(body, { C: 1 })).toBe(false);
  });

  it('all of with a wildcard needs every selection whose name matches', () => {
    const body = `  sel_x:\n    A: 1\n  sel_y:\n    B: 1\n  condition: all of sel_*`;
    expect(matches(body, { A: 1, B: 1 })).toBe(true);
    expect(matches(body, { A: 1 })).toBe(false);
  });

  it('1 of them and all of them cover every selection', () => {
    expect(matches(`${two}  condition: 1 of them`, { C: 1 })).toBe(true);
    expect(matches(`${two}  condition: all of them`, { A: 1, B: 1 })).toBe(false);
    expect(matches(`${two}  condition: all of them`, { A: 1, B: 1, C: 1 })).toBe(true);
  });

  it('them leaves out selections whose names start with an underscore', () => {
    const body = `  a:\n    A: 1\n  _helper:\n    H: 1\n  condition: all of them`;
    expect(matches(body, { A: 1 })).toBe(true);
  });

  it('a list of conditions means any of them', () => {
    expect(matches(`${two}  condition:\n    - a and b\n    - c`, { C: 1 })).toBe(true);
    expect(matches(`${two}  condition:\n    - a and b\n    - c`, { A: 1 })).toBe(false);
  });

  it('a list of maps in one selection means any of the maps', () => {
    const body = `  sel:\n    - A: 1\n      B: 1\n    - C: 1\n  condition: sel`;
    expect(matches(body, { A: 1, B: 1 })).toBe(true);
    expect(matches(body, { C: 1 })).toBe(true);
    expect(matches(body, { A: 1 })).toBe(false);
  });

  it('the deprecated aggregation is rejected naming the correlation rule to write', () => {
    const yaml = detection(
      `  sel:\n    EventID: 4625\n  condition: sel | count(TargetUserName) by IpAddress > 10`,
    );
    expect(problemsOf(yaml)).toEqual([
      '8:18 the aggregation "count(TargetUserName) by IpAddress > 10" is deprecated Sigma syntax; write a correlation rule of type value_count (field: TargetUserName) with group-by: [IpAddress] and a timespan that references this rule, and keep only the selection in this condition',
    ]);
  });

  it('an unknown selection name is rejected at its column', () => {
    expect(problemsOf(detection(`  sel:\n    A: 1\n  condition: sel and filter`))).toEqual([
      '8:22 condition uses "filter", which is not a selection of this rule (selections: sel)',
    ]);
  });
});

describe('values', () => {
  it('matching is case-insensitive by default', () => {
    expect(matches(`  s:\n    User: 'ADMIN'\n  condition: s`, { User: 'admin' })).toBe(true);
  });

  it('a plain string must equal the whole value', () => {
    expect(matches(`  s:\n    User: 'admin'\n  condition: s`, { User: 'administrator' })).toBe(
      false,
    );
  });

  it('* matches any run of characters and ? exactly one', () => {
    expect(matches(`  s:\n    F: 'a*c?e'\n  condition: s`, { F: 'abbbcde' })).toBe(true);
    expect(matches(`  s:\n    F: 'a*c?e'\n  condition: s`, { F: 'abbbce' })).toBe(false);
  });

  it('escaped wildcards are literal characters; other backslashes are kept', () => {
    expect(matches(`  s:\n    F: 'what\\?'\n  condition: s`, { F: 'what?' })).toBe(true);
    expect(matches(`  s:\n    F: 'what\\?'\n  condition: s`, { F: 'whatx' })).toBe(false);
    expect(matches(`  s:\n    F: 'star\\*'\n  condition: s`, { F: 'star*' })).toBe(true);
    expect(matches(`  s:\n    F: 'star\\*'\n  condition: s`, { F: 'starry' })).toBe(false);
    // `\*` is an escaped star even after a path separator; `\\*` is a backslash then a wildcard.
    expect(matches(`  s:\n    F: 'C:\\Windows\\*'\n  condition: s`, { F: 'c:\\windows*' })).toBe(
      true,
    );
    expect(matches(`  s:\n    F: 'C:\\Windows\\*'\n  condition: s`, { F: 'c:\\windows\\x' })).toBe(
      false,
    );
    expect(matches(`  s:\n    F: 'C:\\Windows\\x'\n  condition: s`, { F: 'c:\\windows\\x' })).toBe(
      true,
    );
    expect(matches(`  s:\n    F: 'a\\\\*'\n  condition: s`, { F: 'a\\anything' })).toBe(true);
  });

  it('null matches a missing or null field only', () => {
    expect(matches(`  s:\n    F: null\n  condition: s`, {})).toBe(true);
    expect(matches(`  s:\n    F: null\n  condition: s`, { F: null })).toBe(true);
    expect(matches(`  s:\n    F: null\n  condition: s`, { F: '' })).toBe(false);
  });

  it('an empty string matches an empty value only', () => {
    expect(matches(`  s:\n    F: ''\n  condition: s`, { F: '' })).toBe(true);
    expect(matches(`  s:\n    F: ''\n  condition: s`, {})).toBe(false);
    expect(matches(`  s:\n    F: ''\n  condition: s`, { F: 'x' })).toBe(false);
  });

  it('numbers match numbers and their string form', () => {
    expect(matches(`  s:\n    EventID: 4688\n  condition: s`, { EventID: 4688 })).toBe(true);
    expect(matches(`  s:\n    EventID: 4688\n  condition: s`, { EventID: '4688' })).toBe(true);
    expect(matches(`  s:\n    EventID: 4688\n  condition: s`, { EventID: 46880 })).toBe(false);
    expect(matches(`  s:\n    EventID: '4688'\n  condition: s`, { EventID: 4688 })).toBe(true);
  });

  it('a field holding a list matches when any element does', () => {
    expect(
      matches(`  s:\n    Tags|contains: 'evil'\n  condition: s`, { Tags: ['good', 'EVIL-x'] }),
    ).toBe(true);
    expect(matches(`  s:\n    Tags|contains: 'evil'\n  condition: s`, { Tags: ['good'] })).toBe(
      false,
    );
  });

  it('keywords search every field value', () => {
    const body = `  keywords:\n    - 'sekurlsa::'\n    - 'lsadump'\n  condition: keywords`;
    expect(matches(body, { A: 'x', Message: 'ran SEKURLSA::logonpasswords' })).toBe(true);
    expect(matches(body, { A: 'x', Message: 'nothing here' })).toBe(false);
  });

  it('keywords with |cased keep the case', () => {
    const body = `  keywords:\n    '|cased':\n      - 'Mimikatz'\n  condition: keywords`;
    expect(matches(body, { A: 'run Mimikatz now' })).toBe(true);
    expect(matches(body, { A: 'run mimikatz now' })).toBe(false);
  });

  it('keywords with |all need every keyword somewhere', () => {
    const body = `  keywords:\n    '|all':\n      - 'alpha'\n      - 'beta'\n  condition: keywords`;
    expect(matches(body, { A: 'alpha and beta' })).toBe(true);
    expect(matches(body, { A: 'alpha' })).toBe(false);
  });
});
