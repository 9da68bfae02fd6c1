// SPDX-License-Identifier: EUPL-1.2
/**
 * HR-Open `PositionOpening` 3.x (namespace http://www.hr-xml.org/3), as EURES exchanges it: DocumentID,
 * PositionOpeningStatusCode, PositionProfile (one per language: Italian preferred) with PositionTitle,
 * PositionLocation/Address (CityName, PostalCode in the OAGIS namespace), PositionOrganization,
 * PositionOpenQuantity, PositionFormattedDescription/Content (HTML in CDATA), ApplicationCloseDate.
 * Child elements are matched by local name, so OAGIS-qualified or unqualified CityName both work.
 */
import type { RawItem } from '../raw-item.ts';
import { type XmlElement, childrenNamed } from '../xml/tree.ts';
import type { FormatReader } from './reader.ts';
import { type OfferFields, paragraphs } from './fields.ts';
import { decode } from './codes.ts';

export const HROPEN_NS = 'http://www.hr-xml.org/3';
const CODES = 'hropen-codes.json';

export const hrOpen: FormatReader = {
  format: 'hr-open',
  label: 'HR-Open PositionOpening',
  namespace: HROPEN_NS,
  isOffer: (el: XmlElement) =>
    el.name === 'PositionOpening' && (el.ns === HROPEN_NS || el.ns === '')
    && (el.attrs['majorVersionID'] === undefined || el.attrs['majorVersionID'] === '3'),

  read(f: OfferFields, base: string): RawItem {
    const id = f.required('DocumentID');
    const status = f.text('PositionOpeningStatusCode');
    const profiles = childrenNamed(f.el, 'PositionProfile');
    const chosen = profiles.find((el) => /^it\b/i.test(el.attrs['languageCode'] ?? '')) ?? profiles[0];
    if (!chosen) f.error('PositionProfile', 'mancante');
    const p = f.sub(chosen ?? { name: 'PositionProfile', ns: '', attrs: {}, children: [], text: '' },
      chosen && profiles.length > 1 ? `PositionProfile[${profiles.indexOf(chosen) + 1}]` : 'PositionProfile');

    const title = p.required('PositionTitle');
    const html = p.text('PositionFormattedDescription/Content');
    const instructions = p.text('PostingInstruction/ApplicationMethod/Instructions');
    const country = p.text('PositionLocation/Address/CountryCode');
    const subdivision = p.text('PositionLocation/Address/CountrySubDivisionCode');
    const offering = p.text('PositionOfferingTypeCode');
    let contract = offering === undefined ? undefined : decode(CODES, 'positionOfferingType', offering);
    if (offering !== undefined && !contract) {
      p.warn('PositionOfferingTypeCode', `"${offering.slice(0, 30)}" non è nella lista dei tipi di offerta: mostrato così com'è`);
      contract = offering;
    }
    const schedule = p.text('PositionScheduleTypeCode');
    const hours = schedule === undefined ? undefined : decode(CODES, 'positionScheduleType', schedule);
    if (schedule !== undefined && !hours) p.warn('PositionScheduleTypeCode', `"${schedule.slice(0, 30)}" non è nella lista degli orari: orario non indicato`);
    // The how-to-apply text often carries a recruiter's e-mail: it goes through the same contact filter.
    const extra = paragraphs([['Come candidarsi', instructions]]);
    const body = html === undefined ? (extra === undefined ? undefined : escapeText(extra))
      : extra === undefined ? html : `${html}<p>${escapeText(extra)}</p>`;
    const validFrom = f.el.attrs['validFrom'];

    return {
      id,
      base,
      title: title === undefined ? undefined : { value: title, kind: 'text' },
      body: body === undefined ? undefined : { value: body, kind: 'html' },
      published: validFrom && /^\d{4}-\d{2}-\d{2}/.test(validFrom) ? validFrom : undefined,
      validThrough: p.date('ApplicationCloseDate', false),
      categories: [],
      location: p.text('PositionLocation/Address/CityName'),
      province: (country === undefined || country.toUpperCase() === 'IT') && subdivision && /^[A-Z]{2}$/.test(subdivision) ? subdivision : undefined,
      employer: p.text('PositionOrganization/OrganizationIdentifiers/OrganizationName'),
      contract,
      hours,
      positions: p.count('PositionOpenQuantity'),
      code: id,
      closed: status !== undefined && status.toLowerCase() !== 'active' ? true : undefined,
      closedReason: status !== undefined && status.toLowerCase() !== 'active' ? status : undefined,
      raw: {
        documentId: id, status, country, postalCode: p.text('PositionLocation/Address/PostalCode'),
        jobCategory: p.text('JobCategoryCode'), industry: p.text('PositionOrganization/IndustryCode'),
        language: chosen?.attrs['languageCode'],
      },
    };
  },
};

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}
