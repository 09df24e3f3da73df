// The timeline page: one or more series of bars per month, quarter or year, built as SVG with DOM APIs.
// The extension computes the figures (src/core/timeline.ts) and sends them as the JSON block, then as
// {type:'update', data}; the page draws them and posts the user's choices back: {type:'view', granularity |
// measure | range | from,to}, {type:'open', key, bucket}, {type:'add'}, {type:'remove', key},
// {type:'export', format}; it answers {type:'renderPng', id} with {type:'png', id, dataUrl}.
(function () {
  'use strict';
  const { vscode, readData, el, svg, format, clear, num } = window.CorpusLens;

  let data = readData();
  if (!data) return;

  const app = document.getElementById('app');
  const heading = el('h1');
  const radioGroup = (name, values) => {
    const legend = el('legend');
    const box = el('fieldset', { className: 'toggle' }, [legend]);
    const items = {};
    for (const v of values) {
      const input = el('input', { type: 'radio', name, id: name + '-' + v, value: v });
      input.addEventListener('change', () => { if (input.checked) vscode.postMessage({ type: 'view', [name]: v }); });
      const label = el('label', { for: name + '-' + v });
      items[v] = { input, label };
      box.append(input, label);
    }
    return { box, legend, items };
  };
  const per = radioGroup('granularity', ['month', 'quarter', 'year']);
  const show = radioGroup('measure', ['mentions', 'articles', 'perThousand']);
  const fromLabel = el('label', { for: 'from' });
  const fromSel = el('select', { id: 'from' });
  const toLabel = el('label', { for: 'to' });
  const toSel = el('select', { id: 'to' });
  const reset = el('button', { type: 'button', className: 'secondary' });
  const rangeBox = el('span', { className: 'range' }, [fromLabel, fromSel, toLabel, toSel, reset]);
  const addButton = el('button', { type: 'button' });
  const csvButton = el('button', { type: 'button', className: 'secondary' });
  const pngButton = el('button', { type: 'button', className: 'secondary' });
  // the heading and the legend share the toolbar's rows: the panel is short at VS Code's default window size
  const legend = el('ul', { className: 'legend' });
  const toolbar = el('div', { className: 'toolbar' }, [heading, legend, per.box, show.box, rangeBox, el('span', { className: 'actions' }, [addButton, csvButton, pngButton])]);
  const outsideText = el('span');
  const showAll = el('button', { type: 'button', className: 'link' });
  const outside = el('p', { className: 'outside' }, [outsideText, showAll]);
  const chartBox = el('div', { className: 'chart' });
  const empty = el('p', { className: 'empty', hidden: '' });
  const notes = el('div', { className: 'notes' });
  app.append(el('header', null, [toolbar, outside]), chartBox, empty, notes);
  // the chart takes the height the panel gives it: drawn again when the panel is resized
  let resizeTimer;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => renderChart(), 100); });

  addButton.addEventListener('click', () => vscode.postMessage({ type: 'add' }));
  csvButton.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  pngButton.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'png' }));
  reset.addEventListener('click', () => vscode.postMessage({ type: 'view', range: 'bulk' }));
  showAll.addEventListener('click', () => vscode.postMessage({ type: 'view', range: 'all' }));
  const chooseRange = () => {
    let a = fromSel.value;
    let b = toSel.value;
    if (a > b) [a, b] = [b, a];
    vscode.postMessage({ type: 'view', from: firstMonth(a), to: lastMonth(b) });
  };
  fromSel.addEventListener('change', chooseRange);
  toSel.addEventListener('change', chooseRange);

  /** First and last month (YYYY-MM) of a bucket: 'YYYY-MM', 'YYYY-Qn' or 'YYYY'. */
  function firstMonth(b) {
    const q = /^(\d{4})-Q([1-4])$/.exec(b);
    if (q) return q[1] + '-' + String((q[2] - 1) * 3 + 1).padStart(2, '0');
    return /^\d{4}$/.test(b) ? b + '-01' : b;
  }
  function lastMonth(b) {
    const q = /^(\d{4})-Q([1-4])$/.exec(b);
    if (q) return q[1] + '-' + String(q[2] * 3).padStart(2, '0');
    return /^\d{4}$/.test(b) ? b + '-12' : b;
  }

  const valueOf = (b) => (data.measure === 'articles' ? b.articles : data.measure === 'perThousand' ? b.perThousand : b.mentions);
  const measureLabel = () => data.strings[data.measure] || data.strings.mentions;

  function renderStatic() {
    const s = data.strings;
    const v = data.view;
    heading.textContent = s.heading;
    per.legend.textContent = s.granularity;
    for (const g of ['month', 'quarter', 'year']) per.items[g].label.textContent = s[g];
    per.items[v.granularity].input.checked = true;
    show.legend.textContent = s.show;
    for (const m of ['mentions', 'articles', 'perThousand']) show.items[m].label.textContent = s[m];
    show.items[data.measure].input.checked = true;
    fromLabel.textContent = s.from;
    toLabel.textContent = s.to;
    for (const [sel, end] of [[fromSel, v.range && v.range.from], [toSel, v.range && v.range.to]]) {
      clear(sel);
      for (const b of data.choices) sel.appendChild(el('option', { value: b, text: b }));
      if (end) sel.value = bucketOfMonth(end);
    }
    rangeBox.hidden = !v.range;
    reset.textContent = s.reset;
    reset.title = s.resetTitle;
    reset.hidden = v.choice === 'bulk';
    addButton.textContent = s.add;
    addButton.disabled = data.series.length >= data.maxSeries;
    csvButton.textContent = s.exportCsv;
    pngButton.textContent = s.exportPng;
    csvButton.disabled = pngButton.disabled = !v.buckets.length;

    clear(legend);
    v.series.forEach((ser, i) => {
      const remove = el('button', { type: 'button', className: 'remove', title: format(s.remove, ser.name), 'aria-label': format(s.remove, ser.name), text: '×' });
      remove.addEventListener('click', () => vscode.postMessage({ type: 'remove', key: ser.key }));
      const typeWords = (data.series[i] && data.series[i].typeWords) || '';
      legend.appendChild(el('li', null, [el('span', { className: 'swatch s' + i }), el('span', { text: ser.name }), el('span', { className: 'type', text: typeWords }), remove]));
    });

    outsideText.textContent = v.outside === 1 ? s.outsideOne : format(s.outside, num(v.outside));
    showAll.textContent = s.showAll;
    outside.hidden = v.outside === 0;

    clear(notes);
    for (const ser of v.series) {
      const text = ser.undated > 0 ? format(s.undated, num(ser.undated), num(ser.undatedArticles)) : s.undatedNone;
      notes.appendChild(el('p', { className: 'undated', text: v.series.length > 1 ? ser.name + ' · ' + text : text }));
    }
    if (v.buckets.length) notes.appendChild(el('p', { className: 'hint', text: s.openHint }));
  }

  function bucketOfMonth(month) {
    const g = data.view.granularity;
    if (g === 'year') return month.slice(0, 4);
    if (g === 'quarter') return month.slice(0, 4) + '-Q' + (Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1);
    return month;
  }

  /** Tick step giving about `target` ticks up to max: 1, 2, 5 × 10^k (fractions for per-1,000 below 1). */
  function tickStep(max, target) {
    const raw = max / target;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return data.measure === 'perThousand' ? m * p : Math.max(1, m * p);
    return 10 * p;
  }

  function barTitle(ser, b, bucketInfo) {
    const s = data.strings;
    const what = b.bucket + ' · ' + ser.name;
    let t;
    if (b.mentions === 0) t = format(s.barTitleNone, what);
    else if (b.mentions === 1) t = format(s.barTitleOne, what);
    else if (b.articles === 1) t = format(s.barTitleOneArticle, what, num(b.mentions));
    else t = format(s.barTitle, what, num(b.mentions), num(b.articles));
    return t + '\n' + format(s.rateTitle, num(b.perThousand), num(bucketInfo.articles));
  }

  let layout; // the last chart's geometry, for the brush

  function renderChart() {
    clear(chartBox);
    layout = undefined;
    const v = data.view;
    const n = v.series.length;
    empty.hidden = n > 0 && v.buckets.length > 0;
    empty.textContent = n ? data.strings.none : data.strings.choose;
    if (!n || !v.buckets.length) return;

    const count = v.buckets.length;
    const values = v.series.map((ser) => ser.buckets.map(valueOf));
    const max = Math.max(data.measure === 'perThousand' ? 0.001 : 1, ...values.flat());
    const step = tickStep(max, 4);
    const top = Math.ceil(max / step - 1e-9) * step;

    const longLabels = v.granularity !== 'year';
    const margin = { top: 10, right: 12, bottom: longLabels ? 58 : 24, left: 52 };
    const available = Math.max(240, chartBox.clientWidth || 600);
    const minBand = Math.max(14, n * 6 + 4);
    const band = Math.max(minBand, Math.min(n === 1 ? 64 : 20 * n + 8, (available - margin.left - margin.right) / count));
    const plotW = band * count;
    const room = window.innerHeight - chartBox.getBoundingClientRect().top - notes.offsetHeight - 24;
    const plotH = Math.max(60, Math.min(320, room - margin.top - margin.bottom));
    const width = margin.left + plotW + margin.right;
    const height = margin.top + plotH + margin.bottom;
    const y = (val) => margin.top + plotH - (val / top) * plotH;

    const root = svg('svg', {
      xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
      'aria-label': format(data.strings.chartLabel, measureLabel()),
    });
    const grid = svg('g', { class: 'grid' });
    for (let i = 0; i * step <= top + 1e-9; i++) {
      const val = i * step;
      const yy = y(val);
      grid.appendChild(svg('line', { x1: margin.left, x2: margin.left + plotW, y1: yy, y2: yy, class: val === 0 ? 'axis' : 'gridline' }));
      grid.appendChild(svg('text', { x: margin.left - 6, y: yy, class: 'tick y', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, num(Math.round(val * 1000) / 1000)));
    }
    root.appendChild(grid);

    const pad = Math.min(4, band * 0.15);
    const sub = (band - 2 * pad) / n;
    const labelEvery = Math.max(1, Math.ceil((longLabels ? 18 : 40) / band));
    const bars = svg('g', { class: 'bars' });
    v.buckets.forEach((info, i) => {
      const x0 = margin.left + i * band;
      v.series.forEach((ser, si) => {
        const b = ser.buckets[i];
        const val = values[si][i];
        const title = barTitle(ser, b, info);
        const x = x0 + pad + si * sub;
        const g = svg('g', { class: 'bar' + (val ? '' : ' zero'), tabindex: '0', role: 'button', 'aria-label': title });
        g.dataset.key = ser.key;
        g.dataset.bucket = b.bucket;
        g.appendChild(svg('title', null, title));
        g.appendChild(svg('rect', { class: 'hit', x, y: margin.top, width: sub, height: plotH }));
        if (val > 0) g.appendChild(svg('rect', { class: 'value s' + si, x: x + (n > 1 ? 0.5 : 0), y: y(val), width: Math.max(1, sub - (n > 1 ? 1 : 0)), height: Math.max(1, y(0) - y(val)) }));
        bars.appendChild(g);
      });
      if (i % labelEvery === 0) {
        const lx = x0 + band / 2;
        const ly = margin.top + plotH + 10;
        bars.appendChild(longLabels
          ? svg('text', { class: 'tick x', x: lx, y: ly, transform: `rotate(-45 ${lx} ${ly})`, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, info.bucket)
          : svg('text', { class: 'tick x', x: lx, y: ly + 4, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, info.bucket));
      }
    });
    root.appendChild(bars);
    const brush = svg('rect', { class: 'brush', x: 0, y: margin.top, width: 0, height: plotH, visibility: 'hidden' });
    root.appendChild(brush);
    chartBox.appendChild(root);
    layout = { root, brush, left: margin.left, band, count };
  }

  // a click on a bar opens the concordance of that series in that bucket; a drag across buckets zooms to them
  function barOf(target) {
    const g = target instanceof Element ? target.closest('g.bar') : null;
    return g ? { key: g.dataset.key, bucket: g.dataset.bucket } : undefined;
  }
  function bucketIndexAt(clientX) {
    const r = layout.root.getBoundingClientRect();
    return Math.max(0, Math.min(layout.count - 1, Math.floor((clientX - r.left - layout.left) / layout.band)));
  }
  let drag; // { start, end, moved }
  let suppressClick = false;
  chartBox.addEventListener('pointerdown', (ev) => {
    if (!layout || ev.button !== 0) return;
    drag = { start: bucketIndexAt(ev.clientX), end: undefined, pointer: ev.pointerId };
  });
  chartBox.addEventListener('pointermove', (ev) => {
    if (!drag || !layout) return;
    const i = bucketIndexAt(ev.clientX);
    if (i === drag.start && drag.end === undefined) return;
    if (drag.end === undefined) chartBox.setPointerCapture(drag.pointer);
    drag.end = i;
    const a = Math.min(drag.start, i);
    const b = Math.max(drag.start, i);
    layout.brush.setAttribute('x', String(layout.left + a * layout.band));
    layout.brush.setAttribute('width', String((b - a + 1) * layout.band));
    layout.brush.setAttribute('visibility', 'visible');
  });
  chartBox.addEventListener('pointerup', () => {
    if (!drag || !layout) { drag = undefined; return; }
    const d = drag;
    drag = undefined;
    if (d.end === undefined || d.end === d.start) return;
    // the click that follows this pointerup (same task) is the drag's end, not a click on a bar
    suppressClick = true;
    setTimeout(() => { suppressClick = false; }, 0);
    const buckets = data.view.buckets;
    const a = buckets[Math.min(d.start, d.end)].bucket;
    const b = buckets[Math.max(d.start, d.end)].bucket;
    vscode.postMessage({ type: 'view', from: firstMonth(a), to: lastMonth(b) });
  });
  chartBox.addEventListener('click', (ev) => {
    if (suppressClick) { suppressClick = false; return; }
    const bar = barOf(ev.target);
    if (bar) vscode.postMessage({ type: 'open', key: bar.key, bucket: bar.bucket });
  });
  chartBox.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    const bar = barOf(ev.target);
    if (bar) { ev.preventDefault(); vscode.postMessage({ type: 'open', key: bar.key, bucket: bar.bucket }); }
  });

  // PNG: the chart's SVG with its computed colours and fonts written into it, a heading and a legend above,
  // drawn on a canvas at twice the size
  const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-opacity', 'stroke-width', 'font-family', 'font-size', 'font-weight'];
  function exportSvg() {
    const src = chartBox.querySelector('svg');
    if (!src) return undefined;
    const clone = src.cloneNode(true);
    const a = src.querySelectorAll('*');
    const b = clone.querySelectorAll('*');
    for (let i = 0; i < a.length; i++) {
      const cs = getComputedStyle(a[i]);
      for (const p of STYLE_PROPS) b[i].setAttribute(p, cs.getPropertyValue(p));
    }
    for (const x of clone.querySelectorAll('rect.hit, rect.brush, title')) x.remove();
    const fg = getComputedStyle(document.body).color;
    const font = getComputedStyle(document.body).fontFamily;
    const w = Number(src.getAttribute('width'));
    const h = Number(src.getAttribute('height'));
    const head = 44; // heading and one legend row
    const out = svg('svg', { xmlns: 'http://www.w3.org/2000/svg', width: w, height: h + head, viewBox: `0 0 ${w} ${h + head}` });
    out.appendChild(svg('text', { x: 8, y: 16, fill: fg, 'font-family': font, 'font-size': 13, 'font-weight': 600 }, data.strings.heading + ' · ' + measureLabel()));
    let x = 8;
    data.view.series.forEach((ser, i) => {
      const colour = getComputedStyle(legend.children[i].firstChild).backgroundColor;
      out.appendChild(svg('rect', { x, y: 26, width: 10, height: 10, fill: colour }));
      const label = svg('text', { x: x + 14, y: 35, fill: fg, 'font-family': font, 'font-size': 11 }, ser.name);
      out.appendChild(label);
      x += 14 + 12 * Array.from(ser.name).length + 16;
    });
    const g = svg('g', { transform: `translate(0 ${head})` });
    while (clone.firstChild) g.appendChild(clone.firstChild);
    out.appendChild(g);
    return { markup: new XMLSerializer().serializeToString(out), width: w, height: h + head };
  }

  function background() {
    const css = getComputedStyle(document.documentElement);
    return css.getPropertyValue('--vscode-panel-background').trim() || css.getPropertyValue('--vscode-editor-background').trim() || '#ffffff';
  }

  function renderPng(id) {
    const done = (dataUrl) => vscode.postMessage({ type: 'png', id, dataUrl });
    const s = exportSvg();
    if (!s) return done(undefined);
    const url = URL.createObjectURL(new Blob([s.markup], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      try {
        const scale = 2;
        const canvas = document.createElement('canvas');
        canvas.width = s.width * scale;
        canvas.height = s.height * scale;
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = background();
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        done(canvas.toDataURL('image/png'));
      } catch (e) {
        done(undefined);
      } finally { URL.revokeObjectURL(url); }
    };
    img.onerror = () => { URL.revokeObjectURL(url); done(undefined); };
    img.src = url;
  }

  let lastSize = '';
  new ResizeObserver(() => {
    const size = chartBox.clientWidth + 'x' + window.innerHeight;
    if (size !== lastSize) { lastSize = size; renderChart(); }
  }).observe(document.body);

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!m) return;
    if (m.type === 'update' && m.data) {
      data = m.data;
      renderStatic();
      renderChart();
    } else if (m.type === 'renderPng' && typeof m.id === 'number') {
      renderPng(m.id);
    }
  });

  renderStatic();
  renderChart();
  vscode.postMessage({ type: 'ready' });
})();
