/**
 * How each network counts a post. X: twitter-text's weighted length (URLs weigh 23, emoji 2, NFC),
 * limit 280. Facebook: characters (UTF-16 units, the stricter reading), limit 63,206.
 */
import twitterText from 'twitter-text';
import type { NetworkName } from '../domain/offer.ts';

export const X_LIMIT = 280;
export const FACEBOOK_LIMIT = 63_206;

export interface LengthCheck {
  length: number;
  limit: number;
  valid: boolean;
}

export function limitOf(network: NetworkName): number {
  return network === 'twitter' ? X_LIMIT : FACEBOOK_LIMIT;
}

/** The length a network will count for `text`, its limit, and whether it would accept it. */
export function previewLength(text: string, network: NetworkName): LengthCheck {
  if (network === 'twitter') {
    const parsed = twitterText.parseTweet(text);
    return { length: parsed.weightedLength, limit: X_LIMIT, valid: parsed.valid };
  }
  const length = text.length;
  return { length, limit: FACEBOOK_LIMIT, valid: text.trim().length > 0 && length <= FACEBOOK_LIMIT };
}
