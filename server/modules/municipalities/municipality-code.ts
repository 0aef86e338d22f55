/**
 * The 6-digit local government code (全国地方公共団体コード): five digits and a check digit.
 * Check digit: weights 6,5,4,3,2 on digits 1–5, sum mod 11, last digit of (11 − remainder).
 */
export function municipalityCheckDigit(firstFive: string): number {
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, weight, i) => acc + weight * Number(firstFive[i]), 0);
  return (11 - (sum % 11)) % 10;
}

export function isValidMunicipalityCode(code: string): boolean {
  return /^\d{6}$/.test(code) && municipalityCheckDigit(code.slice(0, 5)) === Number(code[5]);
}
