// SPDX-License-Identifier: EUPL-1.2
/**
 * The one shape every feed format is normalized to. Everything downstream (dedup, templates, channels,
 * dashboard) reads offers only through this type, never through a feed's raw fields.
 */
/** What a job offer says beyond its title and text: the same fields raw (src/feeds/raw-item.ts) and normalized. */
export interface JobDetails {
  location?: string;
  province?: string;
  employer?: string;
  contract?: string;
  hours?: string;
  positions?: number;
  /** Offer code as the office writes it (codice offerta, "rif."). */
  code?: string;
  /** Pay as the source states it (ClicLavoro retribuzioneannualorda, JSON-LD baseSalary); `{{salary}}` in templates. */
  salary?: Salary;
  /** The source says the offer is closed (ClicLavoro motivochiusura, HR-Open status not Active): its posts close. */
  closed?: boolean;
  /** Why it is closed, as the source codes it (e.g. the motivochiusura code). */
  closedReason?: string;
  /**
   * The identity (sourceId) of an earlier offer this one re-issues under a new code (ClicLavoro
   * codiceoffertaprecedente): the same offer corrected, never a second post. Its key is offerKey(replaces).
   */
  replaces?: string;
}

/** Gross pay in one currency over one period; a single amount has min === max. */
export interface Salary {
  /** ISO 4217, e.g. "EUR". */
  currency: string;
  min: number;
  max: number;
  unit: 'year' | 'month' | 'week' | 'day' | 'hour';
}

/** What was taken out of an offer's texts because it was a personal contact (counts only: the values are never kept). */
export interface RemovedContacts {
  emails: number;
  phones: number;
  /** Sentences naming a contact person that went with them ("Contattare ROSSI MARIO"). */
  names: number;
}

export interface JobOffer extends JobDetails {
  /** Publisher that owns the offer (config `publishers[].id`). */
  publisherId: string;
  /** Identity the feed gives the item: RSS guid, Atom id, RDF about, JSON Feed id, JSON-LD identifier; else the URL. */
  sourceId: string;
  /** Stable key of the offer within its publisher, safe for Redis keys and BullMQ job ids ([a-z0-9]+, no ':'). */
  key: string;
  /** Absolute http(s) link to the offer. An item without one is never posted. */
  url: string;
  /** Plain text, entities decoded once, whitespace collapsed. */
  title: string;
  /** Plain-text description (content if any, else summary/description). */
  text: string;
  /** ISO 8601 instant (UTC) or undefined. */
  published?: string;
  /** ISO 8601 instant (UTC) after which the offer is expired; a date-only value ends at the end of that day in the publisher's timezone. */
  validThrough?: string;
  /** sha256 (hex) of the normalized fields that matter to followers; a change means a correction. */
  contentHash: string;
  /**
   * Feed URL the offer came from. In a stored offer (OfferStore.get) it is the owning feed's feedRef (a
   * hash of its URL, since a URL may carry a key), or the URL itself for offers stored before that:
   * compare with `ownedBy()` from src/ledger/offers.ts, never with `===`.
   */
  feedUrl: string;
  /** Source's raw fields, for operators (never rendered as HTML). */
  raw?: Record<string, unknown>;
  /** Set when e-mail addresses or phone numbers were taken out of the texts (see src/feeds/contacts.ts). */
  removedContacts?: RemovedContacts;
}

/**
 * A network's id (`twitter`, `facebook`, …): the key of its channel under `publishers[].channels`. The set
 * is open: src/channels/registry.ts lists the networks, and the domain never names them.
 */
export type NetworkName = string;
