/**
 * Where the sign-in has got to, kept in sessionStorage so a reload, the Back button or a switch
 * to the SMS app never loses it. Holds no secret: the challenge id is useless without the code.
 */
export interface Challenge {
  challengeId: string;
  expiresAt: string;
  phone?: string;
  phoneLast4?: string;
  codeExpiresAt?: string;
  resendAvailableAt?: string;
}

const KEY = 'yoyaku.sign-in';

export function loadChallenge(): Challenge | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Challenge | null;
    return value && Date.parse(value.expiresAt) > Date.now() ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveChallenge(challenge: Challenge | undefined): void {
  try {
    if (challenge) sessionStorage.setItem(KEY, JSON.stringify(challenge));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Without storage the steps still work as long as the page is not reloaded.
  }
}

/** Mobile numbers as people write them: 090-1234-5678, +81 90 1234 5678, full-width digits. */
export function phoneDigits(value: string): string {
  return value.normalize('NFKC').replace(/[^\d+]/g, '');
}

export function isPlausibleMobile(value: string): boolean {
  return /^(\+\d{10,14}|0\d{9,10})$/.test(phoneDigits(value));
}
