/**
 * What `banditore preview` shows an operator for one offer on one network: the exact text, its length
 * against the network's limit, and in plain words what was shortened and why, so a template or a
 * required text that crowds out the offer is spotted before anything is posted.
 */
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import type { PublisherConfig } from '../config/schema.ts';
import type { CompiledTemplate } from './templates.ts';
import { renderPost } from './render.ts';
import { describeRemoved } from '../feeds/contacts.ts';

const LABEL: Record<NetworkName, string> = { twitter: 'X', facebook: 'Facebook' };
const FIELD: Record<string, string> = { text: 'description', title: 'title', employer: 'employer', location: 'place', contract: 'contract', hours: 'hours' };

/** Lines to print: a header, the post as followers will read it, then notes. Never throws on odd input. */
export function previewLines(offer: JobOffer, publisher: PublisherConfig, network: NetworkName, template: CompiledTemplate): string[] {
  const r = renderPost(offer, publisher, network, template);
  const id = offer.code ?? offer.sourceId;
  const lines = [`--- ${network} · ${id} · ${r.length}/${r.limit}${r.shortened.length ? ` · shortened: ${r.shortened.join(', ')}` : ''}`];
  lines.push(...r.post.text.split('\n').map((l) => (l ? `    ${l}` : '')));
  if (network === 'facebook') lines.push(`    [link card] ${r.post.link}`);
  for (const c of r.cuts) {
    lines.push(c.to === 0
      ? `  ✂ ${FIELD[c.field] ?? c.field} left out (${c.from} characters) to fit ${LABEL[network]}'s ${r.limit}`
      : `  ✂ ${FIELD[c.field] ?? c.field} shortened from ${c.from} to ${c.to} characters (whole words, "…") to fit ${LABEL[network]}'s ${r.limit}`);
  }
  if (r.droppedTags.length) lines.push(`  ✂ hashtags left out to fit: ${r.droppedTags.join(' ')}`);
  if (!r.valid) lines.push(`  ⚠ still too long for ${LABEL[network]} (${r.length}/${r.limit}) even shortened: it would fail; shorten the template or requiredText`);
  const removed = describeRemoved(offer.removedContacts);
  if (removed) lines.push(`  ℹ personal data: ${removed} (dati personali tolti dal testo)`);
  const missing = missingFields(offer);
  if (missing.length) lines.push(`  ℹ the feed gives no ${missing.join(', ')} for this offer`);
  return lines;
}

function missingFields(o: JobOffer): string[] {
  const out: string[] = [];
  if (!o.location) out.push('place');
  if (!o.contract) out.push('contract');
  if (!o.validThrough) out.push('deadline');
  return out;
}
