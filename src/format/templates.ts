// SPDX-License-Identifier: EUPL-1.2
/**
 * Post templates: logic-less Mustache, checked at start so a typo in a field name fails the config
 * (naming the template) instead of silently posting an empty line. Output is plain text, never HTML:
 * escaping is always off.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { ConfigError } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { NetworkName } from '../domain/offer.ts';
import { definitionOf } from '../channels/registry.ts';

/** Every name a template may use. Values are strings; an empty string makes a section vanish. */
export const TEMPLATE_FIELDS = [
  'title', 'url', 'location', 'province', 'employer', 'contract', 'hours', 'positions',
  'deadline', 'code', 'publisher', 'hashtags', 'text', 'salary',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type TemplateView = Partial<Record<TemplateField, string>>;

const ALLOWED = new Set<string>(TEMPLATE_FIELDS);

export interface CompiledTemplate {
  /** Where the template came from (config key or file), for messages. */
  readonly where: string;
  readonly source: string;
  /** Field names the template uses (e.g. to know whether it shows `url`). */
  readonly fields: ReadonlySet<TemplateField>;
  render(view: TemplateView): string;
}

type Token = [string, string, number, number, Token[]?, ...unknown[]];

function collectNames(tokens: Token[], where: string, into: Set<TemplateField>): void {
  for (const token of tokens) {
    const [type, name] = token;
    if (type === '>') throw new ConfigError(`${where}: partials ({{> ${name}}}) are not supported`);
    if (type === 'name' || type === '&' || type === '#' || type === '^') {
      // '.' is the current value inside a section ({{#title}}{{.}}{{/title}}).
      if (name !== '.' && !ALLOWED.has(name)) {
        throw new ConfigError(`${where}: unknown field "${name}" (allowed: ${TEMPLATE_FIELDS.join(', ')})`);
      }
      if (name !== '.') into.add(name as TemplateField);
    }
    const children = token[4];
    if ((type === '#' || type === '^') && Array.isArray(children)) collectNames(children, where, into);
  }
}

const noEscape = (value: unknown): string => String(value);

export function compileTemplate(source: string, where: string): CompiledTemplate {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(source) as unknown as Token[];
  } catch (err) {
    throw new ConfigError(`${where}: template does not parse: ${(err as Error).message}`);
  }
  const fields = new Set<TemplateField>();
  collectNames(tokens, where, fields);
  return {
    where,
    source,
    fields,
    render(view: TemplateView): string {
      // Only the allowed keys, as strings: nothing from the offer's raw data can reach the template.
      const safe: Record<string, string> = {};
      for (const f of TEMPLATE_FIELDS) safe[f] = view[f] ?? '';
      return Mustache.render(source, safe, {}, { escape: noEscape });
    },
  };
}

/** config/templates/ of this package, wherever the process was started from. */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../config/templates/', import.meta.url));

export function defaultTemplatePath(network: NetworkName): string {
  return resolve(DEFAULT_TEMPLATE_DIR, definitionOf(network).defaultTemplate);
}

function readTemplate(path: string, where: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${where}: cannot read template file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** One compiled template per configured network of a publisher. */
export type PublisherTemplates = Partial<Record<NetworkName, CompiledTemplate>>;

/**
 * One compiled template per configured channel of each publisher: the inline `template`, else
 * `templateFile` (relative to `baseDir`, the config file's directory), else the default for the network.
 */
export function loadTemplates(config: Config, baseDir: string): Map<string, PublisherTemplates> {
  const defaults = new Map<NetworkName, CompiledTemplate>();
  const defaultFor = (network: NetworkName): CompiledTemplate => {
    let t = defaults.get(network);
    if (!t) {
      const path = defaultTemplatePath(network);
      t = compileTemplate(readTemplate(path, path), path);
      defaults.set(network, t);
    }
    return t;
  };
  const out = new Map<string, PublisherTemplates>();
  config.publishers.forEach((publisher, i) => {
    const entry: PublisherTemplates = {};
    for (const [network, channel] of Object.entries(publisher.channels)) {
      if (!channel) continue;
      const key = `publishers[${i}].channels.${network}`;
      if (channel.template) {
        entry[network] = compileTemplate(channel.template, `${key}.template`);
      } else if (channel.templateFile) {
        const path = resolve(baseDir, channel.templateFile);
        entry[network] = compileTemplate(readTemplate(path, `${key}.templateFile`), `${key}.templateFile (${channel.templateFile})`);
      } else {
        entry[network] = defaultFor(network);
      }
    }
    out.set(publisher.id, entry);
  });
  return out;
}
