// One test per value modifier of the Sigma specification: events that must and must not match.
import { describe, expect, it } from 'vitest';
import { matches, problemsOf, detection } from './helpers';

const sel = (item: string) => `  sel:\n    ${item}\n  condition: sel`;

describe('value modifiers', () => {
  it('contains matches inside the value, case-insensitively', () => {
    expect(
      matches(sel(`CommandLine|contains: 'Invoke-Mimikatz'`), {
        CommandLine: 'powershell invoke-mimikatz -x',
      }),
    ).toBe(true);
    expect(
      matches(sel(`CommandLine|contains: 'Invoke-Mimikatz'`), {
        CommandLine: 'powershell invoke-mimi',
      }),
    ).toBe(false);
  });

  it('startswith anchors at the start', () => {
    expect(
      matches(sel(`Image|startswith: 'C:\\Windows\\'`), {
        Image: 'c:\\windows\\system32\\cmd.exe',
      }),
    ).toBe(true);
    expect(
      matches(sel(`Image|startswith: 'C:\\Windows\\'`), { Image: 'D:\\C:\\Windows\\x.exe' }),
    ).toBe(false);
  });

  it('endswith anchors at the end', () => {
    expect(
      matches(sel(`Image|endswith: '\\cmd.exe'`), { Image: 'C:\\Windows\\System32\\CMD.EXE' }),
    ).toBe(true);
    expect(
      matches(sel(`Image|endswith: '\\cmd.exe'`), { Image: 'C:\\Windows\\System32\\cmd.exe.bak' }),
    ).toBe(false);
  });

  it('all requires every value of the list', () => {
    const body = sel(`CommandLine|contains|all:\n      - ' -enc '\n      - 'hidden'`);
    expect(matches(body, { CommandLine: 'powershell -w hidden -enc AAA' })).toBe(true);
    expect(matches(body, { CommandLine: 'powershell -enc AAA' })).toBe(false);
  });

  it('a value list without all is an OR', () => {
    const body = sel(`Image|endswith:\n      - '\\a.exe'\n      - '\\b.exe'`);
    expect(matches(body, { Image: 'C:\\b.exe' })).toBe(true);
    expect(matches(body, { Image: 'C:\\c.exe' })).toBe(false);
  });

  it('base64 matches the base64 form of the value', () => {
    // base64('http://') = aHR0cDovLw==
    expect(matches(sel(`Payload|base64: 'http://'`), { Payload: 'aHR0cDovLw==' })).toBe(true);
    expect(
      matches(sel(`Payload|base64|contains: 'http://'`), { Payload: 'xx aHR0cDovLw== yy' }),
    ).toBe(true);
    expect(matches(sel(`Payload|base64: 'http://'`), { Payload: 'http://' })).toBe(false);
  });

  it('base64offset matches the value at each of the three byte offsets', () => {
    const body = sel(`CommandLine|base64offset|contains: 'http://'`);
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}http://evil`).toString('base64');
      expect(matches(body, { CommandLine: `powershell -e ${encoded}` })).toBe(true);
    }
    expect(matches(body, { CommandLine: Buffer.from('https://x').toString('base64') })).toBe(false);
  });

  it('utf16le / wide encode as UTF-16 little endian before base64', () => {
    const enc = Buffer.from('Invoke', 'utf16le').toString('base64');
    expect(matches(sel(`CommandLine|utf16le|base64: 'Invoke'`), { CommandLine: enc })).toBe(true);
    expect(matches(sel(`CommandLine|wide|base64: 'Invoke'`), { CommandLine: enc })).toBe(true);
    expect(
      matches(sel(`CommandLine|wide|base64: 'Invoke'`), {
        CommandLine: Buffer.from('Invoke').toString('base64'),
      }),
    ).toBe(false);
  });

  it('wide|base64offset|contains finds UTF-16 text inside a longer base64 blob', () => {
    const body = sel(`CommandLine|wide|base64offset|contains: 'IEX'`);
    const blob = Buffer.from('$x = 1; IEX (New-Object)', 'utf16le').toString('base64');
    expect(matches(body, { CommandLine: `powershell -enc ${blob}` })).toBe(true);
    expect(
      matches(body, {
        CommandLine: Buffer.from('$x = 1; Write-Host', 'utf16le').toString('base64'),
      }),
    ).toBe(false);
  });

  it('utf16be encodes big endian', () => {
    const enc = Buffer.from([0, 0x41, 0, 0x42]).toString('base64');
    expect(matches(sel(`Data|utf16be|base64: 'AB'`), { Data: enc })).toBe(true);
    expect(matches(sel(`Data|utf16le|base64: 'AB'`), { Data: enc })).toBe(false);
  });

  it('utf16 prefixes the byte order mark', () => {
    const enc = Buffer.from([0xff, 0xfe, 0x41, 0, 0x42, 0]).toString('base64');
    expect(matches(sel(`Data|utf16|base64: 'AB'`), { Data: enc })).toBe(true);
    expect(matches(sel(`Data|utf16le|base64: 'AB'`), { Data: enc })).toBe(false);
  });

  it('windash also matches /, en dash, em dash and horizontal bar for a leading dash', () => {
    const body = sel(`CommandLine|windash|contains: ' -exec bypass'`);
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(matches(body, { CommandLine: `powershell ${d}exec bypass` })).toBe(true);
    }
    expect(matches(body, { CommandLine: 'powershell +exec bypass' })).toBe(false);
  });

  it('re matches a regular expression, case-sensitively by default', () => {
    expect(matches(sel(`CommandLine|re: '\\s-[eE]nc\\s'`), { CommandLine: 'ps -Enc AAA' })).toBe(
      true,
    );
    expect(matches(sel(`CommandLine|re: 'ABC'`), { CommandLine: 'abc' })).toBe(false);
  });

  it('re|i ignores case', () => {
    expect(matches(sel(`CommandLine|re|i: 'ABC'`), { CommandLine: 'xabcx' })).toBe(true);
    expect(matches(sel(`CommandLine|re|i: 'ABD'`), { CommandLine: 'xabcx' })).toBe(false);
  });

  it('re|m makes ^ and $ match at line breaks', () => {
    expect(matches(sel(`Text|re|m: '^second$'`), { Text: 'first\nsecond\nthird' })).toBe(true);
    expect(matches(sel(`Text|re: '^second$'`), { Text: 'first\nsecond\nthird' })).toBe(false);
  });

  it('re|s lets the dot match a line break', () => {
    expect(matches(sel(`Text|re|s: 'first.second'`), { Text: 'first\nsecond' })).toBe(true);
    expect(matches(sel(`Text|re: 'first.second'`), { Text: 'first\nsecond' })).toBe(false);
  });

  it('re runs in linear time on a pattern that backtracks catastrophically elsewhere', () => {
    const t0 = Date.now();
    expect(matches(sel(`Text|re: '^(a+)+$'`), { Text: 'a'.repeat(5000) + '!' })).toBe(false);
    // Not a speed test: a backtracking engine would not return at all on this input.
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('re with a backreference is rejected with the reason', () => {
    expect(problemsOf(detection(`  sel:\n    Text|re: '(a)\\1'\n  condition: sel`))).toEqual([
      '7:5 regular expression "(a)\\\\1" is not supported by the linear-time engine (error parsing regexp: invalid escape sequence: `\\1`); rewrite it without backreferences or lookaround',
    ]);
  });

  it('cidr matches IPv4 and IPv6 networks', () => {
    const body = sel(`DestinationIp|cidr:\n      - '10.0.0.0/8'\n      - 'fe80::/10'`);
    expect(matches(body, { DestinationIp: '10.1.2.3' })).toBe(true);
    expect(matches(body, { DestinationIp: 'FE80::1' })).toBe(true);
    expect(matches(body, { DestinationIp: '11.0.0.1' })).toBe(false);
    expect(matches(body, { DestinationIp: '2001:db8::1' })).toBe(false);
    expect(matches(body, { DestinationIp: 'not-an-ip' })).toBe(false);
  });

  it('exists tests presence of the field', () => {
    expect(matches(sel(`Signed|exists: true`), { Signed: 'false' })).toBe(true);
    expect(matches(sel(`Signed|exists: true`), { Other: 1 })).toBe(false);
    expect(matches(sel(`Signed|exists: false`), { Other: 1 })).toBe(true);
    expect(matches(sel(`Signed|exists: false`), { Signed: '' })).toBe(false);
  });

  it('expand replaces placeholders with configured values, and matches nothing when none are set', () => {
    expect(
      matches(sel(`Host|expand: '%unset_placeholder%'`), { Host: '%unset_placeholder%' }),
    ).toBe(false);
    expect(
      matches(`  sel:\n    Host|expand: '%known_cdcs%'\n  condition: not sel`, { Host: 'dc1' }),
    ).toBe(true);
  });

  it('fieldref compares with another field of the same event', () => {
    expect(
      matches(sel(`Image|fieldref: ParentImage`), { Image: 'C:\\A.exe', ParentImage: 'c:\\a.exe' }),
    ).toBe(true);
    expect(
      matches(sel(`Image|fieldref: ParentImage`), { Image: 'C:\\A.exe', ParentImage: 'C:\\B.exe' }),
    ).toBe(false);
    expect(matches(sel(`Image|fieldref: ParentImage`), { Image: 'C:\\A.exe' })).toBe(false);
  });

  it('gt, gte, lt and lte compare numbers, also in strings', () => {
    expect(matches(sel(`Size|gt: 10`), { Size: 11 })).toBe(true);
    expect(matches(sel(`Size|gt: 10`), { Size: 10 })).toBe(false);
    expect(matches(sel(`Size|gte: 10`), { Size: '10' })).toBe(true);
    expect(matches(sel(`Size|lt: 10`), { Size: 9.5 })).toBe(true);
    expect(matches(sel(`Size|lt: 10`), { Size: 'ten' })).toBe(false);
    expect(matches(sel(`Size|lte: 10`), { Size: 10 })).toBe(true);
    expect(matches(sel(`Size|lte: 10`), { Size: 11 })).toBe(false);
  });

  it('cased makes the comparison case-sensitive', () => {
    expect(matches(sel(`Name|cased|contains: 'Mimi'`), { Name: 'xMimix' })).toBe(true);
    expect(matches(sel(`Name|cased|contains: 'Mimi'`), { Name: 'xmimix' })).toBe(false);
  });

  it('an unknown modifier is rejected naming the known ones', () => {
    const [p] = problemsOf(detection(`  sel:\n    Image|endswidth: 'x'\n  condition: sel`));
    expect(p).toMatch(
      /^7:5 unknown modifier "endswidth" in "Image\|endswidth"; known modifiers: base64, /,
    );
  });
});
