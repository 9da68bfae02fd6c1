// SPDX-License-Identifier: EUPL-1.2
/** The formatting functions delivery needs, gathered from src/format into the Formatter seam. */
import type { Formatter } from '../delivery/deps.ts';
import { renderPost } from '../format/render.ts';
import type { CompiledTemplate } from '../format/templates.ts';
import { renderDigest, closedText } from '../format/digest.ts';
import { quietUntil, lastQuietEnd } from '../format/quiet-hours.ts';
import { isExpired } from '../format/dates.ts';

export const formatter: Formatter = {
  renderPost: (offer, publisher, network, template) => renderPost(offer, publisher, network, template as CompiledTemplate),
  renderDigest,
  closedText,
  quietUntil,
  lastQuietEnd,
  isExpired: (validThrough, now) => isExpired(validThrough, now),
};
