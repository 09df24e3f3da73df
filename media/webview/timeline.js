// The timeline page: mentions (or articles) per month as an SVG bar chart built with DOM APIs.
// Data: the JSON block, then {type:'update', data} messages. A bar posts {type:'month', month}.
(function () {
  'use strict';
  const { vscode, readData, el, svg, format, clear, num } = window.CorpusLens;

  let data = readData();
  if (!data) return;
  const saved = vscode.getState();
  let mode = saved && (saved.mode === 'articles' || saved.mode === 'mentions') ? saved.mode : 'mentions';

  const app = document.getElementById('app');
  const heading = el('h1');
  const sub = el('p', { className: 'sub' });
  const legend = el('legend');
  const radios = {};
  const toggle = el('fieldset', { className: 'toggle' }, [legend]);
  for (const m of ['mentions', 'articles']) {
    const input = el('input', { type: 'radio', name: 'mode', id: 'mode-' + m, value: m });
    input.addEventListener('change', () => { if (input.checked) { mode = m; vscode.setState({ mode }); renderChart(); } });
    const label = el('label', { for: 'mode-' + m });
    radios[m] = { input, label };
    toggle.append(input, label);
  }
  const chartBox = el('div', { className: 'chart' });
  const empty = el('p', { className: 'empty', hidden: '' });
  const undated = el('p', { className: 'undated' });
  const hint = el('p', { className: 'hint' });
  app.append(el('header', null, [heading, sub, toggle]), chartBox, empty, undated, hint);

  function renderStatic() {
    const s = data.strings;
    heading.textContent = s.heading;
    sub.textContent = [data.entity.typeWords, s.summary].filter(Boolean).join(' · ');
    legend.textContent = s.show;
    radios.mentions.label.textContent = s.mentions;
    radios.articles.label.textContent = s.articles;
    radios[mode].input.checked = true;
    undated.textContent = data.undated > 0 ? format(s.undated, num(data.undated), num(data.undatedArticles)) : s.undatedNone;
    hint.textContent = data.months.length ? s.openHint : '';
  }

  /** Integer tick step giving about `target` ticks up to max: 1, 2, 5 × 10^k. */
  function tickStep(max, target) {
    const raw = Math.max(1, max / target);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
    return 10 * p;
  }

  function barTitle(m) {
    const s = data.strings;
    if (m.mentions === 0) return format(s.barTitleNone, m.month);
    if (m.mentions === 1) return format(s.barTitleOne, m.month);
    if (m.articles === 1) return format(s.barTitleOneArticle, m.month, num(m.mentions));
    return format(s.barTitle, m.month, num(m.mentions), num(m.articles));
  }

  function renderChart() {
    clear(chartBox);
    const months = data.months;
    empty.hidden = months.length > 0;
    empty.textContent = data.strings.none;
    if (!months.length) return;

    const values = months.map((m) => (mode === 'articles' ? m.articles : m.mentions));
    const max = Math.max(1, ...values);
    const step = tickStep(max, 5);
    const top = Math.ceil(max / step) * step;

    const margin = { top: 12, right: 12, bottom: 64, left: 44 };
    const available = Math.max(240, chartBox.clientWidth || 600);
    const band = Math.max(14, Math.min(64, (available - margin.left - margin.right) / months.length));
    const plotW = band * months.length;
    const plotH = 220;
    const width = margin.left + plotW + margin.right;
    const height = margin.top + plotH + margin.bottom;
    const y = (v) => margin.top + plotH - (v / top) * plotH;

    const root = svg('svg', {
      width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', class: 'mode-' + mode,
      'aria-label': format(data.strings.chartLabel, mode === 'articles' ? data.strings.articles : data.strings.mentions),
    });

    // grid and y axis
    const grid = svg('g', { class: 'grid' });
    for (let v = 0; v <= top; v += step) {
      const yy = y(v);
      grid.appendChild(svg('line', { x1: margin.left, x2: margin.left + plotW, y1: yy, y2: yy, class: v === 0 ? 'axis' : 'gridline' }));
      grid.appendChild(svg('text', { x: margin.left - 6, y: yy, class: 'tick y', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, num(v)));
    }
    root.appendChild(grid);

    // bars; every month has a full-height hit area so empty months have a tooltip too
    const labelEvery = Math.max(1, Math.ceil(18 / band));
    const bars = svg('g', { class: 'bars' });
    months.forEach((m, i) => {
      const x = margin.left + i * band;
      const v = values[i];
      const title = barTitle(m);
      const g = svg('g', { class: 'bar' + (v ? '' : ' zero'), tabindex: '0', role: 'button', 'aria-label': title });
      g.dataset.month = m.month;
      g.appendChild(svg('title', null, title));
      g.appendChild(svg('rect', { class: 'hit', x, y: margin.top, width: band, height: plotH }));
      if (v > 0) {
        const pad = Math.min(4, band * 0.15);
        g.appendChild(svg('rect', { class: 'value', x: x + pad, y: y(v), width: band - 2 * pad, height: Math.max(1, y(0) - y(v)) }));
      }
      bars.appendChild(g);
      if (i % labelEvery === 0) {
        const lx = x + band / 2;
        const ly = margin.top + plotH + 10;
        bars.appendChild(svg('text', { class: 'tick x', x: lx, y: ly, transform: `rotate(-45 ${lx} ${ly})`, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, m.month));
      }
    });
    root.appendChild(bars);
    chartBox.appendChild(root);
  }

  function monthOf(target) {
    const g = target instanceof Element ? target.closest('g.bar') : null;
    return g ? g.dataset.month : undefined;
  }
  chartBox.addEventListener('click', (ev) => { const m = monthOf(ev.target); if (m) vscode.postMessage({ type: 'month', month: m }); });
  chartBox.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    const m = monthOf(ev.target);
    if (m) { ev.preventDefault(); vscode.postMessage({ type: 'month', month: m }); }
  });

  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = chartBox.clientWidth;
    if (Math.abs(w - lastWidth) > 8) { lastWidth = w; renderChart(); }
  }).observe(chartBox);

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!m || m.type !== 'update' || !m.data) return;
    data = m.data;
    renderStatic();
    renderChart();
  });

  renderStatic();
  renderChart();
  vscode.setState({ mode });
  vscode.postMessage({ type: 'ready' });
})();
