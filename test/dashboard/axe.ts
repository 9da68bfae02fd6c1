// SPDX-License-Identifier: EUPL-1.2
/**
 * axe-core in a page, with the WCAG 2.1 A and AA rules only. axe is injected as an inline script, which
 * our CSP forbids (rightly): open the page in a context made with `{ bypassCSP: true }`.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
export const WCAG21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }

export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  // A string expression: it runs in the page (these files are typed for Node).
  return page.evaluate<Violation[]>(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG21_AA_TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`);
}

/** Each violation's rule and the elements it found, for a failing assertion's message. */
export const describeViolations = (vs: Violation[]): string =>
  vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`).join('\n');
