import { describe, expect, it } from 'vitest';
import { createTicketCodec } from './tickets.js';

const codec = createTicketCodec(Buffer.from('a-test-key-that-is-long-enough-123'), { ticketTtlMs: 3_600_000 });
const other = createTicketCodec(Buffer.from('another-key-that-is-long-enough-456'), { ticketTtlMs: 3_600_000 });
const ticket = {
  queueId: '131016',
  position: 42,
  personKey: codec.personKey('131016', 7),
  browser: codec.browserHash('b'),
  issuedAt: 1000,
};

describe('tickets', () => {
  it('round-trips and identifies the person without the voucher', () => {
    expect(codec.decodeTicket(codec.encodeTicket(ticket), 2000)).toEqual(ticket);
    expect(codec.personKey('131016', 7)).toBe(ticket.personKey);
    expect(codec.personKey('131016', 8)).not.toBe(ticket.personKey);
    expect(codec.encodeTicket(ticket)).not.toContain('131016-7');
  });

  it('refuses forged, foreign-key, expired and malformed tickets', () => {
    const token = codec.encodeTicket(ticket);
    const [payload, signature] = token.split('.');
    const moved = Buffer.from(JSON.stringify([1, '131016', 1, ticket.personKey, ticket.browser, 1000])).toString('base64url');
    expect(codec.decodeTicket(`${moved}.${signature}`, 2000)).toBeUndefined();
    expect(codec.decodeTicket(other.encodeTicket(ticket), 2000)).toBeUndefined();
    expect(codec.decodeTicket(token, 1000 + 3_600_000)).toBeUndefined();
    expect(codec.decodeTicket(`${payload}`, 2000)).toBeUndefined();
    expect(codec.decodeTicket('x.y.z', 2000)).toBeUndefined();
  });

  it('keeps tickets and admission tokens apart', () => {
    const admission = { queueId: '131016', personKey: ticket.personKey, browser: ticket.browser, expiresAt: 5000 };
    const token = codec.encodeAdmission(admission);
    expect(codec.decodeAdmission(token, 4999)).toEqual(admission);
    expect(codec.decodeAdmission(token, 5000)).toBeUndefined();
    expect(codec.decodeTicket(token, 1000)).toBeUndefined();
    expect(codec.decodeAdmission(codec.encodeTicket(ticket), 1000)).toBeUndefined();
  });
});
