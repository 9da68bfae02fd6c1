// SPDX-License-Identifier: EUPL-1.2
/**
 * How each network counts a post, as its channel definition says (src/channels/<network>/index.ts):
 * X counts twitter-text's weighted length (URLs weigh 23, emoji 2, NFC) up to 280; Facebook counts
 * characters (UTF-16 units, the stricter reading) up to 63,206.
 */
import type { NetworkName } from '../domain/offer.ts';
import { definitionOf } from '../channels/registry.ts';

export interface LengthCheck {
  length: number;
  limit: number;
  valid: boolean;
}

export function limitOf(network: NetworkName): number {
  return definitionOf(network).text.limit;
}

/** The length a network will count for `text`, its limit, and whether it would accept it. */
export function previewLength(text: string, network: NetworkName): LengthCheck {
  const rules = definitionOf(network).text;
  return { ...rules.measure(text), limit: rules.limit };
}
