import { describe, expect, it } from 'vitest';
import { preferencesProblem } from './preferences.js';

describe('a resident’s choice of channels', () => {
  it('needs an address for e-mail, alone or with SMS, and nothing for SMS', () => {
    expect(preferencesProblem({ channel: 'sms', email: null })).toBeUndefined();
    expect(preferencesProblem({ channel: 'email', email: 'a@example.jp' })).toBeUndefined();
    expect(preferencesProblem({ channel: 'both', email: 'a@example.jp' })).toBeUndefined();
    expect(preferencesProblem({ channel: 'email', email: null })).toEqual({ field: 'email', rule: 'required' });
    expect(preferencesProblem({ channel: 'both', email: '' })).toEqual({ field: 'email', rule: 'required' });
  });
});
