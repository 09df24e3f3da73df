import { strict as assert } from 'node:assert';
import {
  buildWebviewHtml, contentSecurityPolicy, DATA_ELEMENT_ID, escapeHtml, jsonForHtml, makeNonce, WebviewShell,
} from '../../src/extension/webviewHtml';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const NONCE = 'dGVzdG5vbmNlMTIzNDU2Nw==';

function shell(data: unknown, over: Partial<WebviewShell> = {}): WebviewShell {
  return {
    cspSource: CSP_SOURCE,
    nonce: NONCE,
    title: 'Concordance: 王建平',
    styles: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/common.css'],
    scripts: [
      'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/common.js',
      'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/concordance.js',
    ],
    data,
    lang: 'zh-cn',
    ...over,
  };
}

/** The text of the JSON data block, as an HTML parser sees it: everything up to the first `</script`. */
function dataBlock(html: string): string {
  const open = `<script type="application/json" id="${DATA_ELEMENT_ID}">`;
  const i = html.indexOf(open);
  assert.ok(i >= 0, 'no JSON data block');
  const from = i + open.length;
  const end = html.toLowerCase().indexOf('</script', from);
  return html.slice(from, end);
}

const HOSTILE = {
  left: '</script><script>alert(1)</script>',
  match: '<img src=x onerror=alert(2)>',
  right: '</textarea><!-- <script> & \u2028\u2029 "quoted" \'single\'',
};

describe('webview HTML shell', () => {
  it('writes the strict CSP exactly', () => {
    assert.equal(contentSecurityPolicy(CSP_SOURCE, NONCE),
      `default-src 'none'; img-src ${CSP_SOURCE} blob:; style-src ${CSP_SOURCE}; script-src 'nonce-${NONCE}';`);
    const html = buildWebviewHtml(shell({}));
    assert.ok(html.includes(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${CSP_SOURCE} blob:; style-src ${CSP_SOURCE}; script-src 'nonce-${NONCE}';">`,
    ), html);
    assert.equal(html.match(/Content-Security-Policy/g)!.length, 1);
  });

  it('puts the nonce on every script tag and loads only the given URIs (no inline code, no remote hosts)', () => {
    const html = buildWebviewHtml(shell({ a: 1 }));
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [
      `<script type="application/json" id="${DATA_ELEMENT_ID}">`,
      `<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/common.js">`,
      `<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/concordance.js">`,
    ]);
    assert.ok(html.includes('<link rel="stylesheet" href="https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/common.css">'));
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'an inline event handler');
    assert.doesNotMatch(html, /<style/i);
    assert.doesNotMatch(html, /style=/i);
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    for (const u of urls) assert.ok(u.startsWith(CSP_SOURCE + '/'), u);
  });

  it('escapes the data block so </script> and markup in corpus text cannot break out', () => {
    const html = buildWebviewHtml(shell({ lines: [HOSTILE] }));
    const block = dataBlock(html);
    assert.equal(block,
      '{"lines":[{"left":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",' +
      '"match":"\\u003cimg src=x onerror=alert(2)\\u003e",' +
      '"right":"\\u003c/textarea\\u003e\\u003c!-- \\u003cscript\\u003e \\u0026 \\u2028\\u2029 \\"quoted\\" \'single\'"}]}');
    assert.ok(!block.includes('<'), 'a < in the data block');
    // the block ends where the data ends: the parser's first </script> is the block's own
    assert.ok(html.includes(`${block}</script>`));
    assert.equal(html.match(/<script/gi)!.length, 3);
    assert.equal(html.match(/<\/script>/gi)!.length, 3);
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('</textarea>'));
    // and it reads back as the same value
    assert.deepEqual(JSON.parse(block), { lines: [HOSTILE] });
  });

  it('jsonForHtml escapes < > & and the JavaScript line terminators, and round-trips', () => {
    assert.equal(jsonForHtml('</script>'), '"\\u003c/script\\u003e"');
    assert.equal(jsonForHtml('a&b'), '"a\\u0026b"');
    assert.equal(jsonForHtml('\u2028\u2029'), '"\\u2028\\u2029"');
    assert.equal(jsonForHtml(undefined), 'null');
    const v = { s: '王建平 <b>&amp;</b> \u2028', n: [1, 2.5, null], t: true };
    assert.deepEqual(JSON.parse(jsonForHtml(v)), v);
  });

  it('escapes the title and the language', () => {
    const html = buildWebviewHtml(shell({}, { title: 'Concordance: </title><script>alert(1)</script>', lang: '"><script>' }));
    assert.ok(html.includes('<title>Concordance: &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>'));
    assert.ok(html.includes('<html lang="&quot;&gt;&lt;script&gt;">'));
    assert.equal(html.match(/<script/gi)!.length, 3);
  });

  it('has an empty #app for the script to fill, and nothing else in the body', () => {
    const html = buildWebviewHtml(shell({}));
    const body = html.slice(html.indexOf('<body>') + 6, html.indexOf('</body>'));
    assert.deepEqual(body.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.replace(/>.*$/, '>')), [
      '<div id="app">',
      `<script type="application/json" id="${DATA_ELEMENT_ID}">`,
      `<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/common.js">`,
      `<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/webview/concordance.js">`,
    ]);
  });

  it('makes a fresh 128-bit base64 nonce each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const n = makeNonce();
      assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
      seen.add(n);
    }
    assert.equal(seen.size, 100);
  });

  it('escapeHtml escapes & < > "', () => {
    assert.equal(escapeHtml(`<a href="x">&</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});
