// SPDX-License-Identifier: EUPL-1.2
/** What the dashboard shows of the newsletter: confirmed subscribers and the latest digests. */
import type { AudienceSummary, ChannelServices } from '../definition.ts';
import { DigestRunner } from './digest.ts';
import { Subscribers } from './subscribers.ts';

export async function newsletterAudience(s: ChannelServices, publisher: string): Promise<AudienceSummary> {
  const [followers, latest] = await Promise.all([new Subscribers(s).confirmedCount(publisher), new DigestRunner(s).latest(publisher, 5)]);
  return {
    followers,
    latest: latest.map((d) => ({ label: d.slot, startedAt: d.startedAt, ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}), sent: d.sent, doubt: d.doubt, refused: d.suppressed, failed: d.failed })),
  };
}
