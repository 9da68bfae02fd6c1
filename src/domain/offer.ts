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
}

/**
 * A network's id (`twitter`, `facebook`, …): the key of its channel under `publishers[].channels`. The set
 * is open: src/channels/registry.ts lists the networks, and the domain never names them.
 */
export type NetworkName = string;
