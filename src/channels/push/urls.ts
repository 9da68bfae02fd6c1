// SPDX-License-Identifier: EUPL-1.2
/** Where the app of a publisher lives: under the dashboard's public URL when there is one. */
export const APP_PREFIX = '/app/';

export function appPath(publisher: string): string {
  return `${APP_PREFIX}${encodeURIComponent(publisher)}/`;
}

export function appUrlOf(publicUrl: string | undefined, publisher: string): string {
  return publicUrl ? new URL(appPath(publisher), publicUrl.replace(/\/?$/, '/')).href : appPath(publisher);
}
