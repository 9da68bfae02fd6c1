// SPDX-License-Identifier: EUPL-1.2
/**
 * The demo inbox's sample SIL export: one ClicLavoro Vacancy (Rev.064) for Pescara (Belfiore G482). Its
 * text carries a contact person, a mobile number and a private e-mail, as named offers do: the posts
 * show the office's link instead, never them.
 */
export function sampleVacancy(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Vacancy xmlns="http://servizi.lavoro.gov.it/vacancy">
  <DatoreLavoro><DatiAnagrafici><denominazione>Trattoria del Porto srl</denominazione></DatiAnagrafici></DatoreLavoro>
  <Richiesta>
    <ProfiloRichiesto>
      <numerolavoratori>1</numerolavoratori>
      <descrprofessione>Aiuto cuoco (esempio dalla cartella inbox)</descrprofessione>
      <descrizionericerca>Trattoria sul porto cerca aiuto cuoco per il servizio serale, anche prima esperienza.
Contattare ROSSI MARIO.
Inviare il curriculum a mario.rossi75@gmail.com oppure chiamare il 333 1234567.</descrizionericerca>
    </ProfiloRichiesto>
    <CondizioniOfferte><idcomune>G482</idcomune><idtipologiacontratto>A01</idtipologiacontratto><retribuzioneannualorda>22000</retribuzioneannualorda></CondizioniOfferte>
    <DurataRichiesta><datapubblicazione>2026-11-24T08:00:00</datapubblicazione><datascadenza>2099-12-31</datascadenza></DurataRichiesta>
  </Richiesta>
  <DatiSistema><visibilita>SI</visibilita><tipoofferta>01</tipoofferta><codiceofferta>0130PE0000000000000009001</codiceofferta></DatiSistema>
</Vacancy>
`;
}
