// SPDX-License-Identifier: EUPL-1.2
/** Documents the way an office's SIL writes them, for the inbox, offers API and upload tests. */

export interface VacancySpec {
  code: string;
  title: string;
  /** Belfiore code of the comune (G482 is Pescara). */
  comune?: string;
  text?: string;
  previous?: string;
  closed?: string;
  deadline?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A ClicLavoro Vacancy (namespace http://servizi.lavoro.gov.it/vacancy) with one offer. */
export function clicLavoro(v: VacancySpec): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Vacancy xmlns="http://servizi.lavoro.gov.it/vacancy">
  <DatoreLavoro><DatiAnagrafici><denominazione>Ditta Esempio srl</denominazione></DatiAnagrafici></DatoreLavoro>
  <Richiesta>
    <ProfiloRichiesto>
      <numerolavoratori>1</numerolavoratori>
      <descrprofessione>${esc(v.title)}</descrprofessione>
      <descrizionericerca>${esc(v.text ?? 'Si cerca personale motivato.')}</descrizionericerca>
    </ProfiloRichiesto>
    <CondizioniOfferte><idcomune>${v.comune ?? 'G482'}</idcomune><idtipologiacontratto>A01</idtipologiacontratto></CondizioniOfferte>
    <DurataRichiesta><datapubblicazione>2026-11-24T08:00:00</datapubblicazione><datascadenza>${v.deadline ?? '2099-12-20'}</datascadenza></DurataRichiesta>
  </Richiesta>
  <DatiSistema><visibilita>SI</visibilita><codiceofferta>${v.code}</codiceofferta>${v.previous ? `<codiceoffertaprecedente>${v.previous}</codiceoffertaprecedente>` : ''}${v.closed ? `<motivochiusura>${v.closed}</motivochiusura>` : ''}</DatiSistema>
</Vacancy>
`;
}

/** An HR-Open PositionOpening 3.x as EURES exchanges it. */
export function hrOpen(o: { id: string; title: string; city: string; status?: 'Active' | 'Closed' }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<PositionOpening xmlns="http://www.hr-xml.org/3" majorVersionID="3" minorVersionID="2">
  <DocumentID>${o.id}</DocumentID>
  <PositionOpeningStatusCode>${o.status ?? 'Active'}</PositionOpeningStatusCode>
  <PositionProfile>
    <PositionTitle>${esc(o.title)}</PositionTitle>
    <PositionLocation><Address><CityName>${esc(o.city)}</CityName></Address></PositionLocation>
    <PositionOpenQuantity>2</PositionOpenQuantity>
    <PositionFormattedDescription><Content>&lt;p&gt;Turni diurni.&lt;/p&gt;</Content></PositionFormattedDescription>
  </PositionProfile>
</PositionOpening>
`;
}

/** A 25-character ClicLavoro offer code ending in n. */
export const code25 = (n: number) => `0130PE${String(n).padStart(19, '0')}`;
