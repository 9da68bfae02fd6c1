// SPDX-License-Identifier: EUPL-1.2
/** The notifications' and the app's words, from the operators' catalogue (src/i18n), loaded when first needed. */
import type { I18n } from '../../i18n/index.ts';
import type { NoticeWords } from './notice.ts';

let italian: Promise<I18n> | undefined;

/** The app speaks Italian, like its followers. (Imported lazily: src/i18n reads the channel registry.) */
export function appWords(): Promise<I18n> {
  italian ??= import('../../i18n/index.ts').then((m) => m.createI18n('it'));
  return italian;
}

export function noticeWords(t: I18n): NoticeWords {
  return {
    deadline: (date) => t.t('push_notice_deadline', { date }),
    many: (n) => t.t('push_notice_many', { n }),
    more: (n) => t.t('push_notice_more', { n }),
  };
}
