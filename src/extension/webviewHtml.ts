/**
 * The HTML shell of the Corpus Lens webviews (concordance, timeline). Pure (no vscode import) so the unit
 * tests can pin it down: a strict Content-Security-Policy with a fresh nonce, scripts and styles only from
 * the extension's media/webview folder, and the page's data as a JSON block that cannot break out of its
 * <script> element. Corpus text never goes into the markup; the webview script renders it with textContent.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one page load: 128 random bits, base64 (the CSP's base64-value grammar). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * default-src 'none': nothing loads or runs but our own styles and scripts carrying this page's nonce. Images
 * may also come from blob: URLs, which only the page's own script can make (the timeline draws its SVG chart
 * through one onto a canvas for a PNG).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} blob:; style-src ${cspSource}; script-src 'nonce-${nonce}';`;
}

/** Escapes text for HTML element content and double-quoted attribute values (the only kind written here). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as \u escapes, so no `</script>`,
 * `<!--` or `<script` can appear in the element's text, and U+2028/U+2029 escaped as well. JSON.parse of
 * the element's textContent gives the value back unchanged.
 */
export function jsonForHtml(value: unknown): string {
  return (JSON.stringify(value) ?? 'null')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export const DATA_ELEMENT_ID = 'corpus-lens-data';

export interface WebviewShell {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** page title (escaped here) */
  title: string;
  /** webview URIs (webview.asWebviewUri(...).toString()) of the style sheets and scripts, in load order */
  styles: string[];
  scripts: string[];
  /** the page's initial data, read by the script from the JSON block */
  data: unknown;
  /** the UI language (vscode.env.language) */
  lang?: string;
}

/** The complete HTML document. The body holds only an empty #app that the script fills in. */
export function buildWebviewHtml(shell: WebviewShell): string {
  const attr = escapeHtml;
  const links = shell.styles.map((u) => `<link rel="stylesheet" href="${attr(u)}">`).join('\n    ');
  const scripts = shell.scripts.map((u) => `<script nonce="${attr(shell.nonce)}" src="${attr(u)}"></script>`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="${attr(shell.lang ?? 'en')}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(shell.cspSource, shell.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(shell.title)}</title>
    ${links}
  </head>
  <body>
    <div id="app"></div>
    <script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForHtml(shell.data)}</script>
    ${scripts}
  </body>
</html>
`;
}
