// A block-ip target comes from the event (attacker-controlled text): anything but an IP address
// is refused at planning, before an enforcer (nft, nginx, ModSecurity, REST) ever sees it.
import { describe, expect, it } from 'vitest';
import { planActions } from '../../src/main/response/plan';
import { blockPlaybook, makeAlert, makeEvent } from './helpers';

const pick = () => ({ name: 'fw' });

function plan(ip: string) {
  return planActions(blockPlaybook(), makeAlert(), makeEvent({ 'source.ip': ip }), pick);
}

describe('block-ip target validation', () => {
  it.each([
    ['1.2.3.4; flush ruleset', 'target "1.2.3.4; flush ruleset" is not an IP address'],
    ['1.2.3.4\n allow all;', 'target "1.2.3.4\n allow all;" is not an IP address'],
    ['1.2.3.4 } ; flush ruleset', 'target "1.2.3.4 } ; flush ruleset" is not an IP address'],
    ['$(reboot)', 'target "$(reboot)" is not an IP address'],
  ])('refuses %j', (ip, problem) => {
    const out = plan(ip);
    expect(out.map((p) => p.problem)).toEqual([problem]);
  });

  it('passes an address through, trimmed', () => {
    const out = plan(' 203.0.113.9\n');
    expect(out.map((p) => [p.rec.action.target, p.problem])).toEqual([['203.0.113.9', undefined]]);
  });
});
