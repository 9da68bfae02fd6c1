// SPDX-License-Identifier: EUPL-1.2
/**
 * Offer documents for the acceptance tests, written from the standards (shared/sources.md), not from the
 * project's own fixtures: a ClicLavoro `Vacancy` (Rev.064) and an HR-Open `PositionOpening` 3.x.
 */

export const PERSONAL_EMAIL = 'mario.rossi72@gmail.com';
export const PERSONAL_PHONE = '333 1234567';

/** A 25-character ClicLavoro code (the XSD wants exactly 25). */
export const clCode = (n: number) => `0130682026120100${String(n).padStart(9, '0')}`;

export function clicLavoro(o: { code: string; title: string; comune: string; previous?: string; closed?: string; text?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<cliclavoro:Vacancy xmlns:cliclavoro="http://servizi.lavoro.gov.it/vacancy">
  <cliclavoro:DatoreLavoro>
    <cliclavoro:DatiAnagrafici>
      <cliclavoro:denominazione>Ristorante Il Faro srl</cliclavoro:denominazione>
      <cliclavoro:settore>56.10.11</cliclavoro:settore>
    </cliclavoro:DatiAnagrafici>
    <cliclavoro:DatiContatto>
      <cliclavoro:indirizzo>Via Roma 1</cliclavoro:indirizzo>
      <cliclavoro:idcomune>${o.comune}</cliclavoro:idcomune>
      <cliclavoro:telefono>085 9876543</cliclavoro:telefono>
      <cliclavoro:email>titolare.faro@libero.it</cliclavoro:email>
    </cliclavoro:DatiContatto>
  </cliclavoro:DatoreLavoro>
  <cliclavoro:Richiesta>
    <cliclavoro:ProfiloRichiesto>
      <cliclavoro:numerolavoratori>2</cliclavoro:numerolavoratori>
      <cliclavoro:idprofessione>5.2.2.1.0</cliclavoro:idprofessione>
      <cliclavoro:descrprofessione>${o.title}</cliclavoro:descrprofessione>
      <cliclavoro:descrizionericerca>${o.text ?? `Cerchiamo personale con esperienza nella ristorazione. Inviare il curriculum a ${PERSONAL_EMAIL} oppure chiamare il ${PERSONAL_PHONE}. Automunito Si.`}</cliclavoro:descrizionericerca>
    </cliclavoro:ProfiloRichiesto>
    <cliclavoro:CondizioniOfferte>
      <cliclavoro:idcomune>${o.comune}</cliclavoro:idcomune>
      <cliclavoro:idtipologiacontratto>A02</cliclavoro:idtipologiacontratto>
      <cliclavoro:retribuzioneannualorda>24000</cliclavoro:retribuzioneannualorda>
    </cliclavoro:CondizioniOfferte>
    <cliclavoro:DurataRichiesta>
      <cliclavoro:datapubblicazione>2026-11-30T09:00:00</cliclavoro:datapubblicazione>
      <cliclavoro:datascadenza>2026-12-31</cliclavoro:datascadenza>
    </cliclavoro:DurataRichiesta>
  </cliclavoro:Richiesta>
  <cliclavoro:DatiSistema>
    <cliclavoro:denominazioneintermediario>CPI Pescara</cliclavoro:denominazioneintermediario>
    <cliclavoro:visibilita>SI</cliclavoro:visibilita>
    <cliclavoro:tipoofferta>01</cliclavoro:tipoofferta>${o.closed ? `
    <cliclavoro:motivochiusura>${o.closed}</cliclavoro:motivochiusura>` : ''}
    <cliclavoro:codiceofferta>${o.code}</cliclavoro:codiceofferta>${o.previous ? `
    <cliclavoro:codiceoffertaprecedente>${o.previous}</cliclavoro:codiceoffertaprecedente>` : ''}
  </cliclavoro:DatiSistema>
</cliclavoro:Vacancy>
`;
}

export function hrOpen(o: { id: string; title: string; city: string; status?: 'Active' | 'Closed' }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<PositionOpening xmlns="http://www.hr-xml.org/3" xmlns:oa="http://www.openapplications.org/oagis/9" majorVersionID="3" minorVersionID="2">
  <DocumentID schemeID="EURES" schemeAgencyID="IT">${o.id}</DocumentID>
  <PositionOpeningStatusCode>${o.status ?? 'Active'}</PositionOpeningStatusCode>
  <PositionProfile languageCode="it">
    <PostingInstruction><ApplicationMethod><Instructions>Scrivere a ${PERSONAL_EMAIL} o telefonare al +39 347 7654321.</Instructions></ApplicationMethod></PostingInstruction>
    <PositionTitle>${o.title}</PositionTitle>
    <PositionLocation><Address><oa:CityName>${o.city}</oa:CityName><CountrySubDivisionCode>PE</CountrySubDivisionCode><CountryCode>IT</CountryCode></Address></PositionLocation>
    <PositionOrganization><OrganizationIdentifiers><OrganizationName>Officine Adriatiche spa</OrganizationName></OrganizationIdentifiers></PositionOrganization>
    <PositionOpenQuantity>1</PositionOpenQuantity>
    <PositionFormattedDescription><Content><![CDATA[<p>Saldatore a filo con esperienza.</p><p>Per informazioni: ${PERSONAL_PHONE}</p>]]></Content></PositionFormattedDescription>
    <ApplicationCloseDate>2026-12-31</ApplicationCloseDate>
  </PositionProfile>
</PositionOpening>
`;
}

/** Every personal contact the documents above carry, in the forms a post could repeat them. */
export const CONTACT_PATTERNS: RegExp[] = [/mario\.rossi72/i, /gmail/i, /333\s?1234567/, /347\s?7654321/, /titolare\.faro/, /9876543/, /@libero/];
