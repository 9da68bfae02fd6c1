// SPDX-License-Identifier: EUPL-1.2
/** The public pages' addresses, built from `dashboard.publicUrl`: the one place that spells them. */
export const PREFIX = '/iscriviti/';

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, '');
const q = (t: string) => `?t=${encodeURIComponent(t)}`;

export const subscribePath = (pub: string) => `${PREFIX}${encodeURIComponent(pub)}`;
export const confirmPath = (pub: string) => `${subscribePath(pub)}/conferma`;
export const unsubscribePath = (pub: string) => `${subscribePath(pub)}/disiscrivi`;

export const subscribeUrl = (publicUrl: string, pub: string) => base(publicUrl) + subscribePath(pub);
export const confirmUrl = (publicUrl: string, pub: string, token: string) => base(publicUrl) + confirmPath(pub) + q(token);
export const unsubscribeUrl = (publicUrl: string, pub: string, token: string) => base(publicUrl) + unsubscribePath(pub) + q(token);
