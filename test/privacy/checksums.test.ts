import { describe, expect, it } from 'vitest';
import { ibanCheckDigits, ibanValid, luhnCheckDigit, luhnValid } from '../../src/privacy/checksums.js';

describe('luhnValid', () => {
  it('accepts well-known test card numbers', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4222222222222', '3530111333300000']) {
      expect(luhnValid(n), n).toBe(true);
    }
  });
  it('rejects a changed digit and non-digits', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('4111 1111 1111 1111')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
  it('computes the check digit that makes a number valid', () => {
    expect(luhnCheckDigit('411111111111111')).toBe('1');
  });
});

describe('ibanValid', () => {
  it('accepts valid IBANs of several countries', () => {
    for (const iban of ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'BE68539007547034', 'CH9300762011623852957']) {
      expect(ibanValid(iban), iban).toBe(true);
    }
  });
  it('rejects a wrong check, a wrong length and an unknown country', () => {
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('ZZ89370400440532013000')).toBe(false);
  });
  it('computes check digits that validate', () => {
    expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89');
  });
});
