/** Checksums that tell a real payment card or IBAN from any other run of digits. */

/**
 * Luhn (mod 10) check used by every payment card number.
 *
 * @example luhnValid('4111111111111111') // true
 * @example luhnValid('4111111111111112') // false
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `partial + digit` Luhn-valid (used by the test-set generator). */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return String(d);
  throw new Error(`no Luhn check digit for ${partial}`); // unreachable for digit strings
}

/**
 * IBAN lengths per country (ISO 13616 registry). Knowing the length lets the detector stop
 * at the right character when an IBAN is followed by more text.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15,
  PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19,
  SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** Remainder of the IBAN number (country code and check digits moved to the end, letters as 10..35) modulo 97. */
export function ibanRemainder(iban: string): number {
  const s = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return -1;
  }
  return rem;
}

/**
 * Validates a compact IBAN (no spaces, upper case): known country, right length, mod-97 = 1.
 *
 * @example ibanValid('DE89370400440532013000') // true
 * @example ibanValid('DE89370400440532013001') // false
 */
export function ibanValid(iban: string): boolean {
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  return ibanRemainder(iban) === 1;
}

/** Check digits for `country + '00' + bban` (used by the test-set generator). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rem = ibanRemainder(`${country}00${bban}`);
  return String(98 - rem).padStart(2, '0');
}
