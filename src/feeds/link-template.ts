// SPDX-License-Identifier: EUPL-1.2
/**
 * Formats that carry no link (ClicLavoro, MyPortal, HR-Open) get each offer's link from a template the
 * caller supplies (`inbox.link`, `parse --link`): "https://www.example.it/offerta/{{code}}", with the
 * offer's code URL-encoded. A template that never names the code would give every offer the same link.
 */
const CODE = /\{\{\s*code\s*\}\}/g;

export function renderLinkTemplate(template: string, code: string): string {
  return template.replace(CODE, () => encodeURIComponent(code));
}

/** Why a template cannot be used (in Italian), or undefined when it can. */
export function linkTemplateProblem(template: string): string | undefined {
  if (!/\{\{\s*code\s*\}\}/.test(template)) return 'il modello di link deve contenere {{code}}';
  const sample = renderLinkTemplate(template, 'CODICE');
  try {
    const u = new URL(sample);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'il modello di link deve dare un indirizzo http(s)';
  } catch {
    return 'il modello di link non dà un indirizzo valido';
  }
  return undefined;
}
