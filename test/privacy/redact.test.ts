import { describe, expect, it } from 'vitest';
import { createRedactor, redact } from '../../src/privacy/redact.js';

const r = (text: string) => redact(text).text;

describe('redact: emails', () => {
  it('redacts plus-addressing, subdomains, capitals and trailing punctuation', () => {
    expect(r('mail jane.doe+orders@mail.example.co.uk.')).toBe('mail <email>.');
    expect(r('JOHN_SMITH99@Sub.Dept.Example.DE is mine')).toBe('<email> is mine');
    expect(r('(a-b@c-d.io)')).toBe('(<email>)');
  });
  it('reports offsets into the original text', () => {
    const res = redact('hi a@b.com ok');
    expect(res.found).toEqual([{ type: 'email', start: 3, end: 10 }]);
    expect(res.text).toBe('hi <email> ok');
  });
  it('leaves an @mention and a bare domain alone', () => {
    expect(r('thanks @support, see example.com')).toBe('thanks @support, see example.com');
  });
});

describe('redact: phones', () => {
  it.each([
    '+44 20 7946 0958', '(555) 123-4567', '555.123.4567', '555-123-4567', '+49 30 1234567', '0044 20 7946 0958',
    '+44 (0)20 7946 0958', '+1 (415) 555-0132', '07700 900123', '+447700900123', '+33 1 23 45 67 89', '06.12.34.56.78', '1-800-555-0199',
    '+1.415.555.0132', '+44-20-7946-0958', '(020) 7946 0958', '0151 496 0000', '415-5550132', '+34612345678',
  ])('%s', (phone) => {
    expect(r(`call me on ${phone} please`)).toBe('call me on <phone> please');
  });
  it('finds a number glued to its label', () => {
    expect(r('tel:+14155550132')).toBe('tel:<phone>');
    expect(r('mobile:07700900123')).toBe('mobile:<phone>');
  });
  it('needs a phone word for short local numbers', () => {
    expect(r('call 555-0132 tomorrow')).toBe('call <phone> tomorrow');
    expect(r('it was 555-0132 something')).toBe('it was 555-0132 something');
  });
  it('does not read a number named as an order or invoice as a phone', () => {
    expect(r('order 4821345678 has not arrived')).toBe('order 4821345678 has not arrived');
    expect(r('invoice no. 2024-551-8890')).toBe('invoice no. 2024-551-8890');
  });
  it('keeps two numbers written side by side apart', () => {
    expect(r('call +49 170 5841791 4111 1111 1111 1111 was declined')).toBe('call <phone> <card> was declined');
  });
});

describe('redact: cards', () => {
  it('redacts Luhn-valid cards with spaces, dashes or none', () => {
    expect(r('card 4111 1111 1111 1111')).toBe('card <card>');
    expect(r('card 5555-5555-5555-4444!')).toBe('card <card>!');
    expect(r('amex 3782 822463 10005')).toBe('amex <card>');
    expect(r('4111111111111111 expires 08/27')).toBe('<card> expires 08/27');
  });
  it('leaves a 16-digit number that fails Luhn alone (not a card, and not a phone either)', () => {
    expect(r('card 4111 1111 1111 1112')).toBe('card 4111 1111 1111 1112');
    expect(r('ref 4111111111111112')).toBe('ref 4111111111111112');
  });
});

describe('redact: IBANs', () => {
  it('redacts valid IBANs grouped, compact or lower case', () => {
    expect(r('IBAN DE89 3704 0044 0532 0130 00, thanks')).toBe('IBAN <iban>, thanks');
    expect(r('to GB82WEST12345698765432.')).toBe('to <iban>.');
    expect(r('nl91abna0417164300 please')).toBe('<iban> please');
  });
  it('leaves an IBAN with a wrong check digit alone', () => {
    expect(redact('IBAN DE89 3704 0044 0532 0130 01').found.filter((f) => f.type === 'iban')).toEqual([]);
  });
});

describe('redact: addresses', () => {
  it.each([
    ['send it to 221B Baker Street please', 'send it to <address> please'],
    ['1600 Amphitheatre Parkway, Mountain View, CA 94043 is our office', '<address> is our office'],
    ['je vis au 12 rue de la Paix, 75002 Paris', 'je vis au <address>'],
    ['Lieferadresse: Hauptstraße 5, 10115 Berlin', 'Lieferadresse: <address>'],
    ['10 Downing Street, London SW1A 2AA', '<address>'],
    ['350 5th Avenue, New York, NY 10118-0110', '<address>'],
    ['my address is 45 oak lane', 'my address is <address>'],
    ['my postcode is SW1A 1AA', 'my postcode is <address>'],
    ['ship to 1234 NW Bobcat Lane, St. Robert, MO 65584-5678', 'ship to <address>'],
    ['42 Wallaby Way, Sydney NSW 2000', '<address>'],
  ])('%s', (input, expected) => {
    expect(r(input)).toBe(expected);
  });
  it('is conservative without an address context', () => {
    expect(r('it was 3 days on the road')).toBe('it was 3 days on the road');
    expect(r('the code SW1A 1AA appears on the box')).toBe('the code SW1A 1AA appears on the box');
    expect(r('I waited 2 weeks for my 3 items')).toBe('I waited 2 weeks for my 3 items');
  });
});

describe('redact: ip addresses', () => {
  it('redacts IPv4 and IPv6 but not times or versions with three parts', () => {
    expect(r('from 192.168.1.254 and 2001:db8::8a2e:370:7334')).toBe('from <ip> and <ip>');
    expect(r('at 10:30:15, app 2.4.1')).toBe('at 10:30:15, app 2.4.1');
  });
  it('can be switched off', () => {
    expect(redact('from 192.168.1.254', { types: ['email', 'phone'] }).text).toBe('from 192.168.1.254');
  });
});

describe('redact: things that are not personal data', () => {
  it.each([
    'it cost $19.99', 'it was €1.299,00 in total', 'delivered on 12/05/2026', 'on 2026-05-12 at 14:30', 'at 10:30am',
    'I ordered 3 items', 'order 48213 is late', 'order #NW-10342', '10% off', 'between 9:00-18:00', 'a 12 pack instead of a 24 pack',
    'tracking 1Z999AA10123456784', 'size 9 instead of 8', 'it costs 1,000,000 dollars', 'version 2.4.1', 'room 1204, floor 3',
    'the 3D secure code 482913 never arrived', 'my watch stopped after 6 months', 'call me at 5pm',
    'on 12.05.2026 at 14.30', 'between 10-12 items', 'order number 112-4567890-1234567', 'order 1234567890',
    'Invoice INV-2026-00042', 'tracking number 9400111899223197428490', 'I called 3 times on 05/12', 'I was charged 4 times, 29.99 each',
  ])('%s', (text) => {
    expect(redact(text).found).toEqual([]);
  });
});

describe('redact: long digit runs (opt-in)', () => {
  it('is off by default so order numbers survive', () => {
    expect(r('order 48213 and account 12345678')).toBe('order 48213 and account 12345678');
  });
  it('redacts runs of at least minLength digits when configured', () => {
    const opts = { longDigits: { minLength: 8 } } as const;
    expect(redact('order 48213 and account 1234 5678 9012', opts).text).toBe('order 48213 and account <number>');
    expect(redact('member 2024-5518-890', opts).text).toBe('member <number>');
  });
  it('validates options', () => {
    expect(() => createRedactor({ longDigits: { minLength: 2 } })).toThrow();
    expect(() => createRedactor({ types: ['email', 'passport' as never] })).toThrow();
  });
});

describe('redact: several values in one message', () => {
  it('redacts each with its own placeholder, in place', () => {
    const text = 'I am jane@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, order 48213 cost $19.99.';
    const res = redact(text);
    expect(res.text).toBe('I am <email>, call <phone>, card <card>, order 48213 cost $19.99.');
    for (const f of res.found) expect(text.slice(f.start, f.end)).not.toMatch(/^\s|\s$/);
    expect(res.found.map((f) => f.type)).toEqual(['email', 'phone', 'card']);
  });
  it('returns the input untouched when there is nothing to find', () => {
    const text = 'where is my parcel?';
    expect(redact(text)).toEqual({ text, found: [] });
  });
});
