import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { staffPolicy } from './staff-policy.js';

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): 10–30 ms on this
 * machine's shared cores (docs/benchmarks.md), run on libuv's thread pool, not the event loop.
 */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** A hash of nothing anyone types, so that an unknown account costs as long as a known one. */
let decoy: Promise<string> | undefined;

/**
 * Whether the password is the one hashed. Without a hash (no such account, never enrolled) a decoy
 * is verified all the same, so the answer takes as long and says nothing about the account.
 */
export async function verifyPassword(hashed: string | null | undefined, password: string): Promise<boolean> {
  if (!hashed) {
    decoy ??= hashPassword('decoy: no account has this password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(hashed, password).catch(() => false);
}

let estimator: ZxcvbnFactory | undefined;

/** zxcvbn-ts with its common-password list (~30,000), English words and names, and keyboard patterns. */
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/**
 * Why a new password is refused (the field rule), or undefined when it is good: at least 12
 * characters, and not guessable, i.e. zxcvbn scores it 3 of 4 or more, counting the person's own
 * e-mail address and name and the product's name as words an attacker would try first.
 */
export function passwordProblem(password: string, personal: string[]): { rule: string; limit?: number } | undefined {
  if ([...password].length < staffPolicy.passwordMinLength) return { rule: 'minLength', limit: staffPolicy.passwordMinLength };
  // Whole (an address, its local part, a name) and in pieces: zxcvbn matches a word only as a token.
  const pieces = personal.flatMap((text) => [text, text.split('@')[0]!, ...text.split(/[@.\s_-]+/)]);
  const inputs = [...new Set([...pieces, 'yoyaku', 'staff', 'admin'])].filter((t) => t.length >= 3);
  if (strength().check(password, inputs).score < 3) return { rule: 'passwordTooCommon' };
  return undefined;
}
