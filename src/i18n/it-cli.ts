/**
 * Every word the console (the `banditore` command) and the config's errors show, in Italian. Part of the
 * one catalogue (index.ts joins it with it.ts); `en-cli.ts` must have the same keys. Key paths in
 * config errors (`publishers[0].feeds[0].pollInterval`) are never translated: operators grep them.
 */
export const itCli = {
  cli_help: `banditore — pubblica le offerte di lavoro dei centri per l'impiego su Facebook e X, una volta ciascuna.

Uso:
  banditore run --config FILE          lettura dei feed, worker e pannello in un solo processo
  banditore poller --config FILE       legge i feed e mette in coda le offerte nuove
  banditore worker --config FILE       pubblica le offerte in coda (se ne possono avviare quanti si vuole)
  banditore dashboard --config FILE    il pannello degli operatori
  banditore check --config FILE        verifica la configurazione e le credenziali di ogni account
  banditore preview --config FILE [--publisher ID] [--limit N]
                                       legge i feed una volta e mostra i post che verrebbero inviati
  banditore status --config FILE [--publisher ID] [--json]
                                       stato dei canali (pause, code, limiti, ultimo errore) e dei feed
  banditore pause --config FILE ENTE/CANALE
                                       trattiene i post di un canale (es. pescara/facebook)
  banditore resume --config FILE ENTE/CANALE
                                       rilascia i post trattenuti
  banditore offer --config FILE ENTE CODICE [--json]
                                       un'offerta e, per ogni canale, cosa ne è stato e perché
  banditore failures --config FILE [--publisher ID] [--json]
                                       le pubblicazioni fallite, per tipo di errore
  banditore retry --config FILE JOB_ID...
  banditore retry --config FILE --failed CLASSE [--publisher ID]
                                       rimette in coda lavori falliti (per id, o tutti quelli di un tipo)
  banditore cancel --config FILE ENTE CODICE [--yes]
                                       non pubblicare più un'offerta
  banditore parse [--json] [--publisher ID --config FILE] [--base URL] SOURCE...
                                       mostra le offerte normalizzate di file o URL di feed

Ogni comando accetta --lang it|en (lingua dei messaggi; altrimenti dashboard.language, poi l'italiano).`,
  cli_unknownCommand: 'comando sconosciuto "{command}"',
  cli_badLanguage: '--lang: "{value}" non è una lingua disponibile (scrivere it o en)',
  cli_unknownOption: 'opzione sconosciuta {option}',
  cli_optionValue: "l'opzione {option} vuole un valore",
  cli_unexpectedArgument: 'argomento inatteso "{argument}"',
  cli_configRequired: 'serve --config FILE',
  cli_badTarget: 'atteso ENTE/CANALE (es. pescara/facebook), trovato "{target}"',
  cli_channelNotConfigured: '{target} non è configurato',
  cli_unknownPublisher: 'l\'ente "{publisher}" non è nella configurazione (enti: {known})',
  cli_badLimit: '--limit dev\'essere un numero intero positivo',
  cli_redisDown: 'Redis non risponde a {where}',
  cli_paused: '{target} in pausa: i suoi post restano trattenuti (nessuno va perso) fino a banditore resume',
  cli_resumed_zero: '{target} ripreso; nessun post era trattenuto',
  cli_resumed_one: '{target} ripreso; {n} post trattenuto rilasciato',
  cli_resumed_other: '{target} ripreso; {n} post trattenuti rilasciati',

  count_publishers_one: '{n} ente',
  count_publishers_other: '{n} enti',
  count_feeds_one: '{n} feed',
  count_feeds_other: '{n} feed',
  count_items_zero: 'nessuna voce',
  count_items_one: '{n} voce',
  count_items_other: '{n} voci',
  count_posts_one: '{n} post',
  count_posts_other: '{n} post',

  config_envNotSet: "{key}: variabile d'ambiente {name} non impostata",
  config_badVariableName: '{key}: "{ref}" non è un nome di variabile valido (usare [A-Z0-9_]+)',
  config_notYaml: '{source}: non è YAML valido: {message}',
  config_notMapping: '{source}: serve una mappa con redis, dashboard e publishers',
  config_invalid: '{source}: configurazione non valida:',
  config_cannotRead: 'impossibile leggere il file di configurazione {file}: {reason}',
  config_unknownKeys_one: 'chiave sconosciuta {keys}',
  config_unknownKeys_other: 'chiavi sconosciute {keys}',
  config_notDuration: '"{value}" non è una durata (scrivere 500ms, 30s, 15m, 1h o 1d)',
  config_durationMin: 'deve essere almeno {min}ms',
  config_httpUrl: 'deve essere un URL http(s)',
  config_hhmm: 'deve essere HH:MM (24 ore)',
  config_pageId: "deve essere l'id numerico della Pagina",
  config_pattern: 'deve rispettare {pattern}',
  config_timezone: 'non è un fuso orario IANA noto (es. Europe/Rome)',
  config_channelsNeeded: 'serve almeno un canale ({channels})',
  config_usedTwice: '"{id}" è usato due volte',
  config_listedTwice: 'compare due volte per questo ente',
  config_templateBoth: 'impostare template o templateFile, non entrambi',
  config_hostPort: 'deve essere host:porta',

  status_title: 'Stato di Banditore al {at} ({zone})',
  status_channels: 'CANALI',
  status_noChannels: 'Nessun canale.',
  status_paused: 'IN PAUSA ({why}, dal {since})',
  status_jobs: 'lavori: in attesa {waiting}, rimandati {delayed}, in corso {active}, falliti {failed}, trattenuti {held}; pubblicati {posted}',
  status_limit: 'limite {used}/{max} in {per}; {next}',
  status_lastError: 'ultimo errore ({errorClass}) il {at}: {message}',
  status_feeds: 'FEED',
  status_feed_zero: 'ultima lettura {lastPoll} ({result}), ultimo successo {lastSuccess}, prossima {next}, nessun errore consecutivo',
  status_feed_one: 'ultima lettura {lastPoll} ({result}), ultimo successo {lastSuccess}, prossima {next}, {n} errore consecutivo',
  status_feed_other: 'ultima lettura {lastPoll} ({result}), ultimo successo {lastSuccess}, prossima {next}, {n} errori consecutivi',
  status_feedError: 'ultimo errore: {message}',

  check_config: 'configurazione: ok ({publishers}, {feeds})',
  check_redisOk: 'redis: ok',
  check_redisFailed: 'redis: ERRORE ({message})',
  check_accountOk: '{label}: ok — {account} (id {id})',
  check_page: 'Pagina "{name}"',
  check_accountFailed: '{label}: ERRORE — {message}',
  check_problems_zero: 'tutto a posto',
  check_problems_one: '{n} problema trovato',
  check_problems_other: '{n} problemi trovati',

  preview_counts: '{items}, {postable} da pubblicare; ne mostro {shown}',
  preview_notPosted: 'non pubblicate ({n}):',
  preview_failed: 'ERRORE: {message}',
  preview_shortened: 'accorciato: {fields}',
  preview_linkCard: '[anteprima del link] {link}',
  preview_leftOut: 'campo {field} tolto del tutto ({from} caratteri) per stare nei {limit} caratteri di {network}',
  preview_cut: 'campo {field} accorciato da {from} a {to} caratteri (a parole intere, con "…") per stare nei {limit} caratteri di {network}',
  preview_tagsLeftOut: 'hashtag tolti per stare nel limite: {tags}',
  preview_tooLong: 'ancora troppo lungo per {network} ({length}/{limit}) anche accorciato: la pubblicazione fallirebbe; accorciare il modello o requiredText',
  preview_missing: 'il feed non indica {fields} per questa offerta',
  field_text: 'descrizione',
  field_title: 'titolo',
  field_employer: 'datore di lavoro',
  field_location: 'luogo',
  field_contract: 'contratto',
  field_hours: 'orario',
  field_deadline: 'scadenza',
  field_hashtags: 'hashtag',

  parse_usage: 'uso: banditore parse [--json] [--publisher ID --config FILE] [--base URL] SOURCE...',
  parse_needsValue: '{option} vuole un valore',
  parse_noSource: 'nessun SOURCE indicato',
  parse_publisherAndConfig: '--publisher e --config vanno insieme',
  parse_badBase: '--base deve essere un URL http(s)',
  parse_unknownPublisher: 'l\'ente "{publisher}" non è in {file} (enti: {known})',
  parse_summary: '{items}: {summary}',
  parse_colDecision: 'DECISIONE',
  parse_colPublished: 'PUBBLICATA',
  parse_colValidThrough: 'SCADENZA',
  parse_colTitle: 'TITOLO',
  parse_colLink: 'LINK / MOTIVO',
  parse_noTitle: '(senza titolo)',
  parse_error: 'errore: {reason}',
  parse_reasonExpired: 'scaduta il {at}',
  'parse_reason_duplicate-in-feed': 'stessa identità di una voce precedente di questo feed',
  'parse_reason_no-title': 'la voce non ha titolo',
  'parse_reason_no-link': 'la voce non ha link',
  decision_post: 'da pubblicare',
  'decision_duplicate-in-feed': 'doppione nel feed',
  'decision_no-link': 'senza link',
  'decision_unsafe-link': 'link non sicuro',
  'decision_no-title': 'senza titolo',
  decision_expired: 'scaduta',

  offer_usage: 'uso: banditore offer --config FILE ENTE CODICE [--json]',
  offer_notFound: 'nessuna offerta di {publisher} con codice, chiave o id "{code}" (banditore parse mostra cosa dice il feed)',
  offer_heading: 'Offerta {code} — {publisher}',
  offer_matched: 'trovata per {how}: {code}',
  offer_matchedBy_code: "codice dell'offerta",
  offer_matchedBy_key: "chiave dell'offerta",
  offer_matchedBy_sourceId: 'id nella fonte',
  offer_others_one: 'attenzione: anche {n} altra offerta ha questo codice ({keys}); usare la chiave per vederla',
  offer_others_other: 'attenzione: anche altre {n} offerte hanno questo codice ({keys}); usare la chiave per vederle',
  offer_fieldTitle: 'titolo',
  offer_fieldCode: 'codice',
  offer_fieldPlace: 'luogo',
  offer_fieldContract: 'contratto',
  offer_fieldDeadline: 'scadenza',
  offer_fieldLink: 'link',
  offer_fieldState: 'stato',
  offer_fieldSource: 'fonte (feed)',
  offer_fieldSourceId: 'id nella fonte',
  offer_fieldKey: 'chiave',
  offer_fieldFirstSeen: 'vista la prima volta',
  offer_attempts_zero: 'nessun tentativo di invio',
  offer_attempts_one: '{n} tentativo di invio',
  offer_attempts_other: '{n} tentativi di invio',
  offer_remoteId: 'id sulla rete {id}',
  offer_postedAt: 'pubblicato il {at}',
  offer_permalink: 'link al post: {link}',
  offer_lastError: 'ultimo errore: {errorClass}, "{message}", il {at}',
  offer_why: 'perché: {why}',
  offer_job: 'lavoro: {id} ({state})',
  job_waiting: 'in attesa',
  job_prioritized: 'in attesa',
  job_delayed: 'rimandato',
  job_active: 'in corso',
  job_completed: 'completato',
  job_failed: 'fallito',
  job_unknown: 'sconosciuto',
  'why_skipped-first-poll': "l'offerta era già nel feed alla sua prima lettura: con onFirstPoll: skip quelle già presenti non si pubblicano",
  'why_in-digest': "l'offerta è stata annunciata in un riepilogo insieme alle altre della stessa lettura (publishers[].digest)",
  why_expired: "l'offerta è scaduta prima che il post potesse partire",
  why_skipped: 'saltato: {reason}',
  'why_cancelled-by-operator': "un operatore ha deciso di non pubblicare più l'offerta ({since})",
  why_withdrawn: "l'offerta è stata tolta dal feed prima della pubblicazione ({since})",
  'why_closed-expired': "l'offerta è scaduta prima della pubblicazione ({since})",
  'why_closed-in-doubt': "l'offerta è stata chiusa mentre l'invio era in dubbio e la rete non mostrava il post: non è stato inviato",
  why_cancelled: 'annullato: {reason}',
  why_held: 'trattenuto: il canale è in pausa ({pause}); per rilasciarlo: banditore resume --config FILE {target}',
  why_pauseEnding: 'pausa appena tolta, partirà a breve',
  why_limit: "in attesa del limite di pubblicazione dell'account: il prossimo posto libero è il {until}",
  'why_network-wait': 'in attesa come chiesto dalla rete, fino al {until}',
  'why_quiet-hours': "ore di silenzio dell'ente: partirà dopo, verso il {until}",
  why_retrying: 'un tentativo non è riuscito; il prossimo è previsto il {until}',
  why_waiting: 'in coda, in attesa del suo turno',
  why_sending: 'in invio proprio ora',
  'why_in-doubt': "esito in dubbio: un invio del {since} potrebbe essere arrivato alla rete; prima di inviarlo di nuovo Banditore cerca il post fra quelli dell'account, così non lo pubblica due volte",
  why_failed: 'non riuscito; per riprovare: banditore retry --config FILE {job}',
  'why_not-queued': "mai messo in coda per questo canale (il canale è stato aggiunto quando l'offerta era già nota?)",
  why_closed: 'pubblicato e poi chiuso ({since})',

  failures_total_zero: 'Nessuna pubblicazione fallita.',
  failures_total_one: '{n} pubblicazione fallita',
  failures_total_other: '{n} pubblicazioni fallite',
  failures_job: 'lavoro {id}',
  failures_hint: 'Per riprovare: banditore retry --config FILE JOB_ID... oppure --failed CLASSE [--publisher ID]',

  retry_usage: 'uso: banditore retry --config FILE JOB_ID...  oppure  banditore retry --config FILE --failed CLASSE [--publisher ID]',
  retry_badClass: '--failed: "{value}" non è un tipo di errore (tipi: {classes})',
  retry_noJob: 'nessun lavoro da riprovare con id {id} (già pubblicato, annullato o inesistente)',
  retry_done_zero: 'nessun lavoro rimesso in coda',
  retry_done_one: '{n} lavoro rimesso in coda',
  retry_done_other: '{n} lavori rimessi in coda',

  cancel_usage: 'uso: banditore cancel --config FILE ENTE CODICE [--yes]',
  cancel_ambiguous: 'più offerte hanno il codice "{code}" (chiavi: {keys}): indicare la chiave di quella da non pubblicare più',
  cancel_confirm: 'Non pubblicare più {offer}? I post già pubblicati restano. [s/N]',
  cancel_needsYes: 'nessun terminale per chiedere conferma: aggiungere --yes per non pubblicare più questa offerta',
  cancel_keptAsIs: 'Nulla è cambiato.',
  cancel_done: '{offer} non sarà più pubblicata.',
  cancel_already: "{offer} era già {state}: nulla da annullare.",
  cancel_cancelled: 'Post annullati prima dell\'invio: {networks}.',
  cancel_nothingPending: 'Nessun post era in attesa di invio.',
  cancel_staying: 'Resta pubblicato su {network}: {link}',
  cancel_howToClose: 'Banditore non toglie questi post: per toglierli, aprire il link ed eliminarli dalla rete.',
  cancel_inDoubt: "Su {network} l'invio è in dubbio: se la rete mostra il post, resterà pubblicato (controllare con banditore offer --config FILE {publisher} {code}).",
};

export type CliCatalog = Record<keyof typeof itCli, string>;
