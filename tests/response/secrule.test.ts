// Haechi's own SecRule validator: the broken rules `nginx -t` lets through are refused here.
import { describe, expect, it } from 'vitest';
import { renderSecRule, validateSecRule } from '../../src/main/response/enforcers/secrule';

const ok = `"id:9100000,phase:1,deny,status:403,log,t:none,msg:'haechi action a1',tag:'haechi'"`;

describe('SecRule generation and validation', () => {
  it('renders a user-agent rule that passes its own validation', () => {
    expect(
      renderSecRule(
        { field: 'user-agent', match: 'contains', value: 'evilbot/4.2' },
        9100000,
        'a1',
      ),
    ).toBe(`SecRule REQUEST_HEADERS:User-Agent "@contains evilbot/4.2" ${ok}`);
    expect(
      renderSecRule(
        { field: 'parameter', name: 'id', match: 'regex', value: '^(union|select)\\b' },
        9100001,
        'a2',
      ),
    ).toBe(
      `SecRule ARGS:id "@rx ^(union|select)\\b" "id:9100001,phase:2,deny,status:403,log,t:none,msg:'haechi action a2',tag:'haechi'"`,
    );
  });

  it.each([
    [`SecRule REQUEST_URI "@rx (" ${ok}`, 'SecRule rejected: @rx pattern has 1 unclosed "("'],
    [
      `SecRule REQUEST_URI "@rx a)b" ${ok}`,
      'SecRule rejected: @rx pattern has an unbalanced ")" at position 2',
    ],
    [`SecRule REQUEST_URI "@rx [a-z" ${ok}`, 'SecRule rejected: @rx pattern has an unclosed "["'],
    [
      `SecRule REQUEST_URI "@contains x" "id:9100000,phase:1,deny,msg:'unterminated"`,
      'SecRule rejected: unterminated single-quoted action value',
    ],
    [
      `SecRule REQUEST_URI "@contains x" "id:9100000,phase:1,deny`,
      'SecRule rejected: unterminated quoted string starting at column 35',
    ],
    [
      `SecRule REQUEST_URI "@contains %{REMOTE_ADDR}" ${ok}`,
      'SecRule rejected: operator argument contains "%{" (macro expansion is not allowed)',
    ],
    [
      `SecRule REQUEST_URI "@inspectFile /bin/sh" ${ok}`,
      'SecRule rejected: operator "@inspectFile" is not one Haechi writes (@streq, @contains, @beginsWith, @endsWith, @rx, @ipMatch)',
    ],
    [
      `SecRule REQUEST_URI "@contains x" "id:9100000,phase:1,deny,exec:/bin/sh"`,
      'SecRule rejected: action "exec" is not one Haechi writes',
    ],
    [
      `SecRule REQUEST_URI "@contains x" "phase:1,deny"`,
      'SecRule rejected: action "id" is missing',
    ],
    [
      `SecRule REQUEST_BODY "@contains x" ${ok}`,
      'SecRule rejected: variable "REQUEST_BODY" is not one Haechi writes',
    ],
    [
      `SecRule REQUEST_URI "@contains x" ${ok}\nSecRuleEngine Off`,
      'SecRule rejected: rule contains a control character or line break',
    ],
  ])('refuses %s', (rule, message) => {
    expect(() => validateSecRule(rule)).toThrow(message);
  });

  it('refuses an attacker value that would break out of the quotes', () => {
    expect(() =>
      renderSecRule(
        { field: 'user-agent', match: 'contains', value: 'x" "id:1,pass' },
        9100000,
        'a3',
      ),
    ).toThrow(
      'SecRule rejected: rule must have a variable, an operator and actions (found 4 parts)',
    );
    expect(() =>
      renderSecRule({ field: 'user-agent', match: 'equals', value: 'a\\b' }, 9100000, 'a4'),
    ).toThrow('SecRule rejected: @streq argument contains a quote or backslash: "a\\\\b"');
  });
});
