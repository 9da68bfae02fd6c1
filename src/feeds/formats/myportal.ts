// SPDX-License-Identifier: EUPL-1.2
/**
 * MyPortal `Vacancy` (Emilia-Romagna's "Lavoro per Te", XSD myportal_ricercapersonale.xsd, namespace
 * http://regione.emilia-romagna.it/vacancy/1): DatoreLavoro, Richiesta, RegistrazioneAzienda?,
 * DatiSistema. Names use cod* instead of id*, booleans are S/N, the deadline is required, and the
 * identity is numeroofferta + annoofferta + provenienza. The XSD declares no targetNamespace, so a
 * Vacancy without a namespace whose DatiSistema holds numeroofferta/annoofferta is read as this format
 * too. Contacts (DatiContatto, DatiContattoAlternativo, RegistrazioneAzienda) are never read.
 */
import type { RawItem } from '../raw-item.ts';
import { type XmlElement, at } from '../xml/tree.ts';
import type { FormatReader } from './reader.ts';
import { type OfferFields, paragraphs, yes } from './fields.ts';
import { decode } from './codes.ts';

export const MYPORTAL_NS = 'http://regione.emilia-romagna.it/vacancy/1';
const CODES = 'myportal-codes.json';

export const myPortal: FormatReader = {
  format: 'myportal',
  label: 'MyPortal Vacancy',
  namespace: MYPORTAL_NS,
  isOffer: (el: XmlElement) =>
    el.name === 'Vacancy' && (el.ns === MYPORTAL_NS
      || (el.ns === '' && (at(el, 'DatiSistema/numeroofferta') !== undefined || at(el, 'DatiSistema/annoofferta') !== undefined))),

  read(f: OfferFields, base: string): RawItem {
    const numero = f.required('DatiSistema/numeroofferta');
    const anno = f.required('DatiSistema/annoofferta');
    if (numero !== undefined && !/^\d{1,9}$/.test(numero)) f.error('DatiSistema/numeroofferta', `non è un numero ("${numero.slice(0, 20)}")`);
    if (anno !== undefined && !/^\d{4}$/.test(anno)) f.error('DatiSistema/annoofferta', `non è un anno ("${anno.slice(0, 20)}")`);
    const provenienza = f.text('DatiSistema/provenienza');
    // The portal's own reference reads "Rif. offerta 12345/2026": the same number/year is the code.
    const code = numero !== undefined && anno !== undefined ? `${numero}/${anno}` : undefined;
    const id = code === undefined ? undefined : provenienza ? `${code}/${provenienza}` : code;

    const title = f.text('Richiesta/ProfiloRichiesto/attivitaprincipale') ?? f.required('Richiesta/ProfiloRichiesto/descrprofessione');
    const experienceAsked = yes(f.text('Richiesta/ProfiloRichiesto/esperienzarichiesta'));
    const body = paragraphs([
      ['', f.text('Richiesta/ProfiloRichiesto/descrizionericerca')],
      [experienceAsked === false ? 'Esperienza' : 'Esperienza richiesta', f.text('Richiesta/ProfiloRichiesto/descrizioneesperienza')],
      ['Conoscenze informatiche', f.text('Richiesta/IstruzioneFormazione/conoscenzeinformatiche')],
    ]);

    const placeAt = f.text('Richiesta/CondizioniOfferte/codcomune') !== undefined ? 'Richiesta/CondizioniOfferte/codcomune' : 'DatoreLavoro/DatiAnagrafici/codcomunelavoro';
    const { location, province } = f.place(placeAt);
    if (f.text(placeAt) === undefined) f.warn('Richiesta/CondizioniOfferte/codcomune', 'mancante: luogo di lavoro non indicato');

    const contracts: string[] = [];
    for (const c of f.texts('Richiesta/CondizioniOfferte/codtipologiacontratto')) {
      const name = decode(CODES, 'tipologiaContratto', c);
      if (!name) f.warn('Richiesta/CondizioniOfferte/codtipologiacontratto', `"${c.slice(0, 10)}" non è nella tabella delle tipologie di contratto: mostrato così com'è`);
      contracts.push(name ?? c);
    }
    const hours: string[] = [];
    for (const c of f.texts('Richiesta/IstruzioneFormazione/codorario')) {
      const name = decode(CODES, 'orario', c);
      if (name) hours.push(name);
      else f.warn('Richiesta/IstruzioneFormazione/codorario', `"${c.slice(0, 10)}" non è nella tabella degli orari: orario non indicato`);
    }

    return {
      id,
      base,
      title: title === undefined ? undefined : { value: title, kind: 'text' },
      body: body === undefined ? undefined : { value: body, kind: 'text' },
      published: f.date('Richiesta/DurataRichiesta/datapubblicazione', false),
      validThrough: f.date('Richiesta/DurataRichiesta/datascadenzapubblicazione', true),
      categories: [],
      location,
      province,
      employer: f.text('DatoreLavoro/DatiAnagrafici/denominazione'),
      contract: contracts.length ? [...new Set(contracts)].join(', ') : undefined,
      hours: hours.length ? [...new Set(hours)].join(', ') : undefined,
      positions: f.count('Richiesta/ProfiloRichiesto/numerolavoratori'),
      code,
      salary: f.yearlyPay('Richiesta/CondizioniOfferte/retribuzioneannualorda'),
      raw: {
        numeroofferta: numero, annoofferta: anno, provenienza, cpi: f.text('DatiSistema/cpi'),
        descrprofessione: f.text('Richiesta/ProfiloRichiesto/descrprofessione'),
        codprofessione: f.text('Richiesta/ProfiloRichiesto/codprofessione'),
      },
    };
  },
};
