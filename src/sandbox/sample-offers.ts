/**
 * Demo data: realistic job offers of the Pescara area, as a Centro per l'Impiego would publish them.
 * Used by the demo feed server (feed-server.ts), the demo command and tests. Fictional employers;
 * real places of the province (PE). Anonymous offers have no employer, as CPIs often publish them.
 */
import { DateTime } from 'luxon';

export type EmploymentType = 'FULL_TIME' | 'PART_TIME' | 'TEMPORARY' | 'INTERN' | 'OTHER';

export interface SampleOfferSeed {
  title: string;
  location: string;
  employer?: string;
  contract: string;
  employmentType: EmploymentType;
  hours: string;
  positions: number;
  /** Days from publication to the deadline (scadenza). */
  validDays: number;
  description: string;
}

/** A seed once published: code, dates and link fixed. */
export interface SampleOffer extends SampleOfferSeed {
  code: string;
  province: 'PE';
  region: 'Abruzzo';
  /** Epoch ms of publication. */
  datePosted: number;
  /** Epoch ms of the deadline: the end of that day in Rome, as offices mean "scade il 15/12". */
  validThrough: number;
  url: string;
}

export const SAMPLE_OFFER_SEEDS: readonly SampleOfferSeed[] = [
  { title: 'Operaio/a addetto/a al confezionamento', location: 'Montesilvano', employer: 'Conserve Adriatiche srl', contract: 'Tempo determinato 6 mesi', employmentType: 'TEMPORARY', hours: 'Full time su turni, 40 ore settimanali', positions: 3, validDays: 30,
    description: 'Azienda alimentare ricerca operai/e per il reparto confezionamento. Si richiede disponibilità a lavorare su tre turni, anche nel fine settimana. Costituisce titolo preferenziale una precedente esperienza nel settore alimentare.' },
  { title: 'Cameriere/a di sala', location: 'Pescara', employer: 'Ristorante Il Porto', contract: 'Tempo determinato 4 mesi', employmentType: 'TEMPORARY', hours: 'Part time 30 ore, serale', positions: 2, validDays: 21,
    description: 'Ristorante sul lungomare cerca personale di sala con esperienza minima di un anno. Richiesta conoscenza base della lingua inglese. Orario prevalentemente serale e nei fine settimana.' },
  { title: 'Impiegato/a amministrativo/a contabile', location: 'Spoltore', contract: 'Tempo indeterminato', employmentType: 'FULL_TIME', hours: 'Full time, 40 ore dal lunedì al venerdì', positions: 1, validDays: 28,
    description: 'Studio professionale ricerca impiegato/a per la tenuta della contabilità ordinaria e semplificata. Richiesto diploma di ragioneria o laurea in economia. Gradita conoscenza del gestionale TeamSystem.' },
  { title: 'Autista patente C con CQC', location: "Città Sant'Angelo", employer: 'Trasporti Vestini spa', contract: 'Tempo determinato 12 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 2, validDays: 35,
    description: 'Azienda di logistica ricerca autisti per consegne regionali con mezzi pesanti. Requisiti: patente C, CQC merci e carta tachigrafica in corso di validità. Possibilità di trasformazione a tempo indeterminato.' },
  { title: 'Apprendista parrucchiere/a', location: 'Penne', contract: 'Apprendistato', employmentType: 'FULL_TIME', hours: 'Full time, martedì-sabato', positions: 1, validDays: 20,
    description: 'Salone di acconciatura cerca giovane da formare. Età compresa tra 18 e 29 anni come previsto per il contratto di apprendistato. Costituisce titolo preferenziale la qualifica professionale di acconciatore.' },
  { title: 'Magazziniere/a con patentino muletto', location: 'Manoppello', employer: 'Logistica Val Pescara srl', contract: 'Tempo determinato 6 mesi', employmentType: 'TEMPORARY', hours: 'Full time su due turni', positions: 4, validDays: 30,
    description: 'Centro logistico ricerca magazzinieri per carico e scarico merci, preparazione ordini e inventario. Richiesto patentino per carrelli elevatori in corso di validità. Si offre contratto iniziale di sei mesi con possibilità di proroga.' },
  { title: 'Operatore/operatrice socio-sanitario/a (OSS)', location: 'Popoli', contract: 'Tempo determinato 12 mesi', employmentType: 'TEMPORARY', hours: 'Full time su turni, anche notturni', positions: 3, validDays: 40,
    description: "Residenza per anziani ricerca OSS qualificati/e. Richiesto attestato di qualifica OSS rilasciato da ente riconosciuto. Disponibilità a turni diurni e notturni, compresi i festivi." },
  { title: 'Cuoco/a capo partita', location: 'Pescara', employer: 'Hotel Riviera Adriatica', contract: 'Tempo determinato stagionale', employmentType: 'TEMPORARY', hours: 'Full time', positions: 1, validDays: 25,
    description: 'Hotel quattro stelle cerca cuoco/a con esperienza nella cucina tradizionale abruzzese e di pesce. Richiesta capacità di gestire una partita in autonomia. Vitto incluso.' },
  { title: 'Elettricista industriale', location: 'Scafa', employer: 'Impianti Majella srl', contract: 'Tempo indeterminato', employmentType: 'FULL_TIME', hours: 'Full time, 40 ore', positions: 2, validDays: 45,
    description: "Azienda di impiantistica ricerca elettricisti per installazione e manutenzione di quadri e impianti industriali. Richiesta esperienza di almeno due anni e patente B. Si valutano anche candidati con qualifica e breve esperienza." },
  { title: 'Addetto/a alle pulizie', location: 'Montesilvano', contract: 'Tempo determinato 3 mesi', employmentType: 'PART_TIME', hours: 'Part time 20 ore, mattina', positions: 5, validDays: 14,
    description: 'Impresa di servizi ricerca addetti/e alle pulizie di uffici e condomini. Orario dalle 6:00 alle 10:00 dal lunedì al venerdì. Richiesto automunito/a.' },
  { title: 'Commesso/a reparto ortofrutta', location: 'Spoltore', employer: 'Supermercato Valle del Pescara', contract: 'Tempo determinato 6 mesi', employmentType: 'PART_TIME', hours: 'Part time 24 ore su turni', positions: 2, validDays: 21,
    description: 'Supermercato ricerca personale per il reparto ortofrutta: allestimento banco, rifornimento e assistenza alla clientela. Richiesta disponibilità nel fine settimana.' },
  { title: 'Saldatore/saldatrice a filo e TIG', location: 'Manoppello', employer: 'Carpenterie Abruzzesi srl', contract: 'Tempo determinato 12 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 2, validDays: 30,
    description: 'Carpenteria metallica ricerca saldatori esperti a filo continuo e TIG su acciaio e inox. Richiesta lettura del disegno tecnico. Possibilità di inserimento a tempo indeterminato.' },
  { title: 'Tirocinio in segreteria e accoglienza', location: 'Pescara', contract: 'Tirocinio extracurriculare 6 mesi', employmentType: 'INTERN', hours: 'Part time 30 ore', positions: 1, validDays: 20,
    description: "Associazione culturale offre tirocinio in segreteria, accoglienza del pubblico e gestione dei social. Rivolto a giovani diplomati/e o laureati/e disoccupati/e. Indennità mensile secondo la normativa regionale." },
  { title: 'Infermiere/a', location: 'Penne', contract: 'Tempo indeterminato', employmentType: 'FULL_TIME', hours: 'Full time su turni', positions: 2, validDays: 45,
    description: "Struttura sanitaria privata ricerca infermieri/e iscritti/e all'albo OPI. Si offre contratto a tempo indeterminato con CCNL sanità privata. Gradita esperienza in reparti di riabilitazione." },
  { title: 'Barista', location: 'Pescara', employer: 'Caffè Corso Umberto', contract: 'Tempo determinato 6 mesi', employmentType: 'PART_TIME', hours: 'Part time 25 ore, mattina', positions: 1, validDays: 14,
    description: 'Bar in centro ricerca barista con esperienza nella caffetteria e nella preparazione di colazioni. Richiesta puntualità e cortesia. Orario dalle 6:30 alle 11:30.' },
  { title: 'Manutentore/manutentrice meccanico/a', location: 'Bussi sul Tirino', employer: 'Chimica del Tirino spa', contract: 'Tempo indeterminato', employmentType: 'FULL_TIME', hours: 'Full time su turni', positions: 1, validDays: 40,
    description: 'Stabilimento chimico ricerca manutentore meccanico per interventi su pompe, valvole e linee di produzione. Richiesto diploma tecnico e esperienza in ambito industriale. Reperibilità a rotazione.' },
  { title: 'Educatore/educatrice asilo nido', location: 'Cepagatti', contract: 'Tempo determinato 10 mesi', employmentType: 'TEMPORARY', hours: 'Part time 30 ore', positions: 2, validDays: 25,
    description: "Cooperativa sociale ricerca educatori/educatrici per asilo nido comunale. Richiesta laurea in Scienze dell'educazione (L-19) o titolo equipollente. Inizio previsto a gennaio." },
  { title: 'Operaio/a agricolo/a per la potatura', location: 'Loreto Aprutino', contract: 'Tempo determinato 3 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 6, validDays: 15,
    description: "Azienda agricola ricerca operai/e per la potatura di oliveti e vigneti. Si richiede esperienza nell'uso di forbici elettriche e disponibilità al lavoro all'aperto. Automuniti/e." },
  { title: 'Addetto/a alla vendita abbigliamento', location: 'Città Sant\'Angelo', employer: 'Outlet Moda Adriatica', contract: 'Tempo determinato 6 mesi', employmentType: 'PART_TIME', hours: 'Part time 24 ore, weekend inclusi', positions: 3, validDays: 21,
    description: 'Negozio di abbigliamento nel centro commerciale ricerca addetti/e alla vendita. Richiesta predisposizione al contatto con il pubblico e disponibilità nel fine settimana. Gradita esperienza nel retail.' },
  { title: 'Programmatore/programmatrice web junior', location: 'Pescara', employer: 'Adriatica Digitale srl', contract: 'Apprendistato', employmentType: 'FULL_TIME', hours: 'Full time, ibrido', positions: 2, validDays: 35,
    description: 'Software house ricerca giovani sviluppatori/sviluppatrici da inserire nel team web. Richiesta conoscenza di base di JavaScript, HTML e SQL. Si offre percorso di formazione e lavoro in parte da remoto.' },
  { title: 'Muratore/muratrice qualificato/a', location: 'Collecorvino', contract: 'Tempo determinato 8 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 2, validDays: 30,
    description: 'Impresa edile ricerca muratori qualificati per cantieri di ristrutturazione nella provincia. Richiesta esperienza di almeno tre anni e attestato di formazione sulla sicurezza. Trasporto in cantiere a carico della ditta.' },
  { title: 'Assistente alla poltrona', location: 'Montesilvano', employer: 'Studio Dentistico Sorriso', contract: 'Tempo determinato 12 mesi', employmentType: 'TEMPORARY', hours: 'Part time 30 ore, pomeriggio', positions: 1, validDays: 28,
    description: "Studio odontoiatrico ricerca assistente di studio odontoiatrico (ASO) qualificato/a. Richiesto attestato ASO. Mansioni: assistenza alla poltrona, sterilizzazione e accoglienza dei pazienti." },
  { title: 'Operatore/operatrice call center inbound', location: 'Pescara', contract: 'Tempo determinato 6 mesi', employmentType: 'PART_TIME', hours: 'Part time 20 ore, fasce a scelta', positions: 10, validDays: 20,
    description: 'Azienda di servizi ricerca operatori/operatrici per assistenza clienti telefonica. Richiesta buona dialettica e uso del PC. Formazione iniziale retribuita.' },
  { title: 'Pizzaiolo/a', location: 'Scafa', employer: 'Pizzeria La Majella', contract: 'Tempo indeterminato', employmentType: 'PART_TIME', hours: 'Part time serale, 5 sere a settimana', positions: 1, validDays: 21,
    description: 'Pizzeria con forno a legna ricerca pizzaiolo/a con esperienza. Richiesta autonomia nella gestione degli impasti. Riposo settimanale il lunedì.' },
  { title: 'Tecnico/a di laboratorio analisi alimentari', location: 'Spoltore', employer: 'LabQualità Abruzzo srl', contract: 'Tempo determinato 12 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 1, validDays: 35,
    description: 'Laboratorio accreditato ricerca tecnico/a per analisi microbiologiche su alimenti. Richiesta laurea in Biologia, Biotecnologie o Tecnologie alimentari. Gradita esperienza in laboratorio accreditato ISO 17025.' },
  { title: 'Badante convivente', location: 'Caramanico Terme', contract: 'Tempo indeterminato (lavoro domestico)', employmentType: 'FULL_TIME', hours: 'Convivenza, 54 ore settimanali', positions: 1, validDays: 14,
    description: "Famiglia ricerca assistente familiare convivente per signora anziana parzialmente autosufficiente. Richiesta esperienza e referenze. Vitto e alloggio inclusi, CCNL lavoro domestico." },
  { title: 'Receptionist d’albergo', location: 'Pescara', employer: 'Hotel Riviera Adriatica', contract: 'Tempo determinato 6 mesi', employmentType: 'TEMPORARY', hours: 'Full time su turni', positions: 1, validDays: 25,
    description: 'Hotel ricerca receptionist con buona conoscenza della lingua inglese e di una seconda lingua straniera. Gradita esperienza con gestionali alberghieri. Turni a rotazione, anche notturni.' },
  { title: 'Addetto/a alla macelleria', location: 'Penne', employer: 'Carni della Vestina srl', contract: 'Tempo determinato 6 mesi', employmentType: 'FULL_TIME', hours: 'Full time', positions: 1, validDays: 21,
    description: 'Macelleria ricerca addetto/a al banco con esperienza nel taglio e nella preparazione delle carni. Richiesta cortesia con la clientela. Possibilità di stabilizzazione.' },
  { title: 'Operaio/a metalmeccanico/a generico/a', location: 'Manoppello', contract: 'Somministrazione 3 mesi', employmentType: 'TEMPORARY', hours: 'Full time su tre turni', positions: 8, validDays: 18,
    description: 'Azienda metalmeccanica della Val Pescara ricerca operai/e per linea di assemblaggio. Non è richiesta esperienza: è prevista formazione in affiancamento. Disponibilità a turni a ciclo continuo.' },
  { title: 'Giardiniere/a', location: 'Pianella', employer: 'Verde Vestino soc. coop.', contract: 'Tempo determinato 6 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 2, validDays: 25,
    description: 'Cooperativa ricerca giardinieri per manutenzione del verde pubblico e privato. Richiesto uso di decespugliatore, tosaerba e motosega. Patente B obbligatoria.' },
  { title: 'Contabile esperto/a', location: 'Pescara', employer: 'Gruppo Adriatico Costruzioni', contract: 'Tempo indeterminato', employmentType: 'FULL_TIME', hours: 'Full time', positions: 1, validDays: 40,
    description: "Gruppo edile ricerca contabile per la gestione della contabilità generale, dei rapporti con le banche e degli adempimenti fiscali. Richiesta esperienza di almeno cinque anni in ruolo analogo. Si valuta la conoscenza della contabilità di cantiere." },
  { title: 'Aiuto cuoco/a', location: 'Popoli', contract: 'Tempo determinato 4 mesi', employmentType: 'TEMPORARY', hours: 'Part time 30 ore', positions: 1, validDays: 14,
    description: 'Agriturismo ricerca aiuto cuoco/a per preparazione di primi piatti tradizionali e gestione della cucina. Richiesto attestato HACCP. Lavoro prevalentemente nel fine settimana.' },
  { title: 'Impiegato/a ufficio acquisti', location: "Città Sant'Angelo", employer: 'Componenti Adriatica spa', contract: 'Tempo determinato 12 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 1, validDays: 30,
    description: "Azienda manifatturiera ricerca impiegato/a per l'ufficio acquisti: richieste d'offerta, ordini a fornitori e controllo delle consegne. Richiesta buona conoscenza della lingua inglese e di Excel." },
  { title: 'Tecnico/a installatore/installatrice fotovoltaico', location: 'Rosciano', employer: 'Sole d\'Abruzzo Energia srl', contract: 'Tempo determinato 6 mesi', employmentType: 'TEMPORARY', hours: 'Full time', positions: 3, validDays: 28,
    description: "Azienda del settore energie rinnovabili ricerca installatori di impianti fotovoltaici. Richiesta disponibilità a lavori in quota e a trasferte giornaliere in regione. Corso di formazione sulla sicurezza a carico dell'azienda." },
  { title: 'Farmacista collaboratore/collaboratrice', location: 'Tocco da Casauria', contract: 'Tempo indeterminato', employmentType: 'PART_TIME', hours: 'Part time 30 ore', positions: 1, validDays: 30,
    description: "Farmacia rurale ricerca farmacista iscritto/a all'albo. Si offre contratto CCNL farmacie private. Gradita esperienza al banco." },
  { title: 'Addetto/a al montaggio mobili', location: 'Montesilvano', employer: 'Arredamenti Costa srl', contract: 'Apprendistato', employmentType: 'FULL_TIME', hours: 'Full time', positions: 2, validDays: 21,
    description: "Negozio di arredamento ricerca giovani da formare come montatori di mobili presso i clienti. Richiesta patente B e manualità. Età massima 29 anni per il contratto di apprendistato." },
  { title: 'Animatore/animatrice turistico/a', location: 'Pescara', contract: 'Tempo determinato stagionale', employmentType: 'TEMPORARY', hours: 'Full time, 6 giorni su 7', positions: 6, validDays: 45,
    description: 'Villaggio turistico ricerca animatori/animatrici per la prossima stagione estiva. Richiesta conoscenza della lingua inglese e attitudine al lavoro di gruppo. Vitto e alloggio inclusi.' },
  { title: 'Operatore/operatrice ecologico/a', location: 'Spoltore', contract: 'Tempo determinato 6 mesi', employmentType: 'TEMPORARY', hours: 'Full time, mattina', positions: 4, validDays: 20,
    description: 'Società di igiene ambientale ricerca operatori/operatrici per la raccolta differenziata porta a porta. Richiesta patente B; costituisce titolo preferenziale la patente C. Inizio turno alle 5:30.' },
  { title: 'Insegnante di lingua inglese', location: 'Pescara', employer: 'Scuola di Lingue Adriatica', contract: 'Collaborazione a progetto', employmentType: 'PART_TIME', hours: 'Part time, pomeriggio', positions: 2, validDays: 30,
    description: 'Scuola di lingue ricerca insegnanti madrelingua o con certificazione C2 per corsi a bambini e adulti. Gradita esperienza nella preparazione agli esami Cambridge. Orario pomeridiano e serale.' },
  { title: 'Addetto/a al frantoio', location: 'Moscufo', contract: 'Tempo determinato 2 mesi', employmentType: 'TEMPORARY', hours: 'Full time su turni', positions: 3, validDays: 10,
    description: "Frantoio oleario ricerca personale per la campagna olearia: ricevimento olive, conduzione delle macchine e pulizia degli impianti. Disponibilità a turni anche serali. Non è richiesta esperienza." },
];

/** Codes look like the office's own: PE-2026-00123. */
export function sampleCode(index: number): string {
  return `PE-2026-${String(123 + index).padStart(5, '0')}`;
}

/**
 * The `index`-th offer the demo office publishes (after the seeds run out they come round again with
 * new codes, as offices re-issue offers), published at `postedMs`, linked under `baseUrl`.
 */
export function makeSampleOffer(index: number, postedMs: number, baseUrl: string): SampleOffer {
  const seed = SAMPLE_OFFER_SEEDS[index % SAMPLE_OFFER_SEEDS.length]!;
  const code = sampleCode(index);
  const validThrough = DateTime.fromMillis(postedMs, { zone: 'Europe/Rome' }).plus({ days: seed.validDays }).endOf('day').toMillis();
  return {
    ...seed,
    code,
    province: 'PE',
    region: 'Abruzzo',
    datePosted: postedMs,
    validThrough,
    url: `${baseUrl.replace(/\/$/, '')}/offerte/${code}`,
  };
}
