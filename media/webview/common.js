// Shared helpers of the Corpus Lens webviews. No data ever goes through innerHTML: elements are built with
// createElement/createElementNS and text is set with textContent.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();

  /** The page's initial data from the JSON block the extension wrote (with < > & escaped). */
  function readData() {
    const node = document.getElementById('corpus-lens-data');
    if (!node) return undefined;
    try { return JSON.parse(node.textContent || 'null'); } catch (e) { return undefined; }
  }

  /** An HTML element; `props` sets properties/attributes (className, textContent, attributes via attr:). */
  function el(tag, props, children) {
    const node = document.createElement(tag);
    setProps(node, props);
    if (children) for (const c of children) if (c) node.appendChild(c);
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    if (attrs) for (const k of Object.keys(attrs)) if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function setProps(node, props) {
    if (!props) return;
    for (const k of Object.keys(props)) {
      const v = props[k];
      if (v === undefined || v === null) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'className') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) throw new Error('no inline handlers: use addEventListener');
      else node.setAttribute(k, String(v));
    }
  }

  /** Fills {0}, {1}… in a translated template. */
  function format(template, ...args) {
    return String(template).replace(/\{(\d+)\}/g, (m, i) => (args[+i] !== undefined ? String(args[+i]) : m));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  /** Number formatting in the UI language. */
  const lang = document.documentElement.lang || undefined;
  let nf;
  try { nf = new Intl.NumberFormat(lang); } catch (e) { nf = new Intl.NumberFormat(); }
  const num = (n) => nf.format(n);

  window.CorpusLens = { vscode, readData, el, svg, format, clear, num, lang };
})();
