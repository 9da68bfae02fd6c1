// SPDX-License-Identifier: EUPL-1.2
/**
 * ClicLavoro `Vacancy` (XSD "Rev.064 – CL – Allegato 4 – Ricerca personale", January 2014, namespace
 * http://servizi.lavoro.gov.it/vacancy): what a SIL exports. Sequence DatoreLavoro, Richiesta,
 * AltreInformazioni, DatiSistema. The employer's tax code and contacts (DatiContatto) are never read.
 */
import type { RawItem } from '../raw-item.ts';
import { type XmlElement, at } from '../xml/tree.ts';
import type { FormatReader } from './reader.ts';
import { type OfferFields, paragraphs, yes } from './fields.ts';
import { decode } from './codes.ts';

export const CLICLAVORO_NS = 'http://servizi.lavoro.gov.it/vacancy';
const CODES = 'cliclavoro-codes.json';

export const clicLavoro: FormatReader = {
  format: 'cliclavoro',
  label: 'ClicLavoro Vacancy',
  namespace: CLICLAVORO_NS,
  isOffer: (el: XmlElement) =>
    el.name === 'Vacancy' && (el.ns === CLICLAVORO_NS || (el.ns === '' && at(el, 'DatiSistema/codiceofferta') !== undefined)),

  read(f: OfferFields, base: string): RawItem {
    const code = f.required('DatiSistema/codiceofferta');
    if (code !== undefined && code.length !== 25) f.warn('DatiSistema/codiceofferta', `ha ${code.length} caratteri invece di 25`);
    const title = f.required('Richiesta/ProfiloRichiesto/descrprofessione');
    const description = f.required('Richiesta/ProfiloRichiesto/descrizionericerca');
    const experienceAsked = yes(f.text('Richiesta/ProfiloRichiesto/esperienzarichiesta'));
    const body = paragraphs([
      ['', description],
      [experienceAsked === false ? 'Esperienza' : 'Esperienza richiesta', f.text('Richiesta/ProfiloRichiesto/descrizioneesperienza')],
      ['Requisiti', f.text('Richiesta/IstruzioneFormazione/ulteriorirequisiti')],
      ['Conoscenze informatiche', f.text('Richiesta/IstruzioneFormazione/conoscenzeinformatiche')],
      ['Durata', f.text('Richiesta/CondizioniOfferte/durata')],
      ['Altre condizioni', f.text('Richiesta/CondizioniOfferte/ulterioricondizioni')],
    ]);

    const { location, province } = f.place('Richiesta/CondizioniOfferte/idcomune');
    if (f.text('Richiesta/CondizioniOfferte/idcomune') === undefined) f.warn('Richiesta/CondizioniOfferte/idcomune', 'mancante: luogo di lavoro non indicato');
    const contractCode = f.text('Richiesta/CondizioniOfferte/idtipologiacontratto');
    let contract: string | undefined;
    if (contractCode !== undefined) {
      contract = decode(CODES, 'tipologiaContratto', contractCode);
      if (!contract) {
        f.warn('Richiesta/CondizioniOfferte/idtipologiacontratto', `"${contractCode.slice(0, 10)}" non è nella tabella delle tipologie di contratto: mostrato così com'è`);
        contract = contractCode;
      }
    }
    const hoursCode = f.text('Richiesta/CondizioniOfferte/idmodalitalavoro');
    const hours = hoursCode === undefined ? undefined : decode(CODES, 'modalitaLavoro', hoursCode);
    if (hoursCode !== undefined && !hours) f.warn('Richiesta/CondizioniOfferte/idmodalitalavoro', `"${hoursCode.slice(0, 10)}" non è nella tabella delle modalità di lavoro: orario non indicato`);

    const published = f.date('Richiesta/DurataRichiesta/datapubblicazione', false);
    if (f.text('Richiesta/DurataRichiesta/datapubblicazione') === undefined) f.warn('Richiesta/DurataRichiesta/datapubblicazione', 'mancante');
    const deadline = f.date('Richiesta/DurataRichiesta/datascadenza', false);
    const closedReason = f.text('DatiSistema/motivochiusura');
    const replaces = f.text('DatiSistema/codiceoffertaprecedente');
    // visibilita NO: the employer's name is not to be shown (an anonymous offer published by the office).
    const employerVisible = yes(f.text('DatiSistema/visibilita')) !== false;

    return {
      id: code,
      base,
      title: title === undefined ? undefined : { value: title, kind: 'text' },
      body: body === undefined ? undefined : { value: body, kind: 'text' },
      published,
      validThrough: deadline,
      categories: [],
      location,
      province,
      employer: employerVisible ? f.text('DatoreLavoro/DatiAnagrafici/denominazione') : undefined,
      contract,
      hours,
      positions: f.count('Richiesta/ProfiloRichiesto/numerolavoratori'),
      code,
      salary: f.yearlyPay('Richiesta/CondizioniOfferte/retribuzioneannualorda'),
      closed: closedReason !== undefined ? true : undefined,
      closedReason,
      replaces: replaces !== undefined && replaces !== code ? replaces : undefined,
      raw: {
        codiceofferta: code,
        idcomune: f.text('Richiesta/CondizioniOfferte/idcomune'),
        idtipologiacontratto: contractCode,
        idprofessione: f.text('Richiesta/ProfiloRichiesto/idprofessione'),
        tipoofferta: f.text('DatiSistema/tipoofferta'),
        intermediario: f.text('DatiSistema/denominazioneintermediario'),
        codiceoffertaintermediario: f.text('DatiSistema/codiceoffertaintermediario'),
      },
    };
  },
};
