// SPDX-License-Identifier: EUPL-1.2
/** The public pages' addresses, built from `dashboard.publicUrl`: the one place that spells them. */
import type { ChannelServices } from '../definition.ts';

export const PREFIX = '/iscriviti/';

/** `dashboard.publicUrl`, or the dashboard's own address when none is set (the sandbox, a first try). */
export function publicBase(s: Pick<ChannelServices, 'publicUrl' | 'config'>): string {
  if (s.publicUrl) return s.publicUrl;
  const { host, port } = s.config.dashboard;
  return `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
}

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, '');
const q = (t: string) => `?t=${encodeURIComponent(t)}`;

export const subscribePath = (pub: string) => `${PREFIX}${encodeURIComponent(pub)}`;
export const confirmPath = (pub: string) => `${subscribePath(pub)}/conferma`;
export const unsubscribePath = (pub: string) => `${subscribePath(pub)}/disiscrivi`;

export const subscribeUrl = (publicUrl: string, pub: string) => base(publicUrl) + subscribePath(pub);
export const confirmUrl = (publicUrl: string, pub: string, token: string) => base(publicUrl) + confirmPath(pub) + q(token);
export const unsubscribeUrl = (publicUrl: string, pub: string, token: string) => base(publicUrl) + unsubscribePath(pub) + q(token);
