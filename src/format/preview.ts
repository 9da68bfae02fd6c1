// SPDX-License-Identifier: EUPL-1.2
/**
 * What `banditore preview` shows an operator for one offer on one network: the exact text, its length
 * against the network's limit, and in plain words what was shortened and why, so a template or a
 * required text that crowds out the offer is spotted before anything is posted.
 */
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import type { PublisherConfig } from '../config/schema.ts';
import type { CompiledTemplate } from './templates.ts';
import { renderPost } from './render.ts';
import type { I18n } from '../i18n/index.ts';
import { definitionOf } from '../channels/registry.ts';
import { describeRemoved } from '../feeds/contacts.ts';

/** Lines to print: a header, the post as followers will read it, then notes. Never throws on odd input. */
export function previewLines(offer: JobOffer, publisher: PublisherConfig, network: NetworkName, template: CompiledTemplate, w: I18n): string[] {
  const r = renderPost(offer, publisher, network, template);
  const id = offer.code ?? offer.sourceId;
  const field = (f: string) => w.tOr(`field_${f}`, f);
  const label = w.network(network);
  const lines = [`--- ${network} · ${id} · ${r.length}/${r.limit}${r.shortened.length ? ` · ${w.t('preview_shortened', { fields: r.shortened.map(field).join(', ') })}` : ''}`];
  lines.push(...r.post.text.split('\n').map((l) => (l ? `    ${l}` : '')));
  if (!definitionOf(network).text.linkInText) lines.push(`    ${w.t('preview_linkCard', { link: r.post.link })}`);
  for (const c of r.cuts) {
    lines.push(`  ✂ ${w.t(c.to === 0 ? 'preview_leftOut' : 'preview_cut', { field: field(c.field), from: c.from, to: c.to, network: label, limit: r.limit ?? '' })}`);
  }
  if (r.droppedTags.length) lines.push(`  ✂ ${w.t('preview_tagsLeftOut', { tags: r.droppedTags.join(' ') })}`);
  if (!r.valid) lines.push(`  ⚠ ${w.t('preview_tooLong', { network: label, length: r.length, limit: r.limit ?? '' })}`);
  const removed = describeRemoved(offer.removedContacts);
  if (removed) lines.push(`  ℹ ${w.t('preview_personalData', { what: removed })}`);
  const missing = missingFields(offer);
  if (missing.length) lines.push(`  ℹ ${w.t('preview_missing', { fields: missing.map(field).join(', ') })}`);
  return lines;
}

function missingFields(o: JobOffer): string[] {
  const out: string[] = [];
  if (!o.location) out.push('location');
  if (!o.contract) out.push('contract');
  if (!o.validThrough) out.push('deadline');
  return out;
}
