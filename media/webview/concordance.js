// The concordance (KWIC) page. Data: the JSON block, then {type:'update', data} messages from the extension.
// Rows post {type:'open', file, start, end}; the extension opens only lines it sent.
(function () {
  'use strict';
  const { vscode, readData, el, format, clear, num, lang } = window.CorpusLens;
  const PAGE = 500;

  let data = readData();
  if (!data) return;
  let state = initialState(data, vscode.getState());
  let limit = PAGE;
  let collator;
  try { collator = new Intl.Collator('zh-u-co-pinyin'); } catch (e) { collator = new Intl.Collator(lang); }
  let reversedLeft = new Map();

  /** Sort survives reloads and new shows of the same entity; a new show sets the filter (pre-filled or empty). */
  function initialState(d, saved) {
    const same = !!saved && saved.key === d.entity.key;
    const s = same
      ? { key: saved.key, sort: saved.sort || 'date', dir: saved.dir === -1 ? -1 : 1, filter: saved.filter || '', showId: saved.showId }
      : { key: d.entity.key, sort: 'date', dir: 1, filter: '', showId: undefined };
    if (s.showId !== d.showId) {
      s.filter = typeof d.filter === 'string' ? d.filter : '';
      s.showId = d.showId;
    }
    return s;
  }
  function save() { vscode.setState(state); }

  // ---- layout (static; texts come from data.strings) ----
  const app = document.getElementById('app');
  const heading = el('h1');
  const sub = el('p', { className: 'sub' });
  const filterInput = el('input', { type: 'search', id: 'filter', spellcheck: 'false', autocomplete: 'off' });
  const filterLabel = el('label', { for: 'filter', className: 'visually-hidden' });
  const count = el('span', { className: 'count', role: 'status', 'aria-live': 'polite' });
  const timelineButton = el('button', { type: 'button', className: 'link-button' });
  const toolbar = el('div', { className: 'toolbar' }, [filterLabel, filterInput, count, timelineButton]);
  const table = el('table', { className: 'kwic' });
  const colgroup = el('colgroup', null, ['left', 'match', 'right', 'article', 'date'].map((c) => el('col', { className: 'col-' + c })));
  const headRow = el('tr');
  const thead = el('thead', null, [headRow]);
  const tbody = el('tbody');
  table.append(colgroup, thead, tbody);
  const empty = el('p', { className: 'empty', hidden: '' });
  const more = el('button', { type: 'button', className: 'more', hidden: '' });
  app.append(el('header', null, [heading, sub, toolbar]), table, empty, more);

  // columns: [key, sort key or null, css class]
  const COLUMNS = [['left', 'left', 'left'], ['match', null, 'match'], ['right', 'right', 'right'], ['article', 'article', 'article'], ['date', 'date', 'date']];
  const headerButtons = {};
  for (const [name, sort, cls] of COLUMNS) {
    const th = el('th', { scope: 'col', className: cls });
    if (sort) {
      const b = el('button', { type: 'button', className: 'sort' });
      b.addEventListener('click', () => {
        if (state.sort === sort) state.dir = -state.dir; else { state.sort = sort; state.dir = 1; }
        limit = PAGE; save(); renderRows();
      });
      headerButtons[sort] = { th, b, name };
      th.appendChild(b);
    } else {
      th.dataset.name = name;
    }
    headRow.appendChild(th);
  }

  filterInput.addEventListener('input', () => { state.filter = filterInput.value; limit = PAGE; save(); renderRows(); });
  timelineButton.addEventListener('click', () => vscode.postMessage({ type: 'timeline' }));
  more.addEventListener('click', () => { limit += PAGE; renderRows(); });

  tbody.addEventListener('click', (ev) => {
    const tr = ev.target instanceof Element ? ev.target.closest('tr[data-i]') : null;
    if (tr) open(tr);
  });
  tbody.addEventListener('keydown', (ev) => {
    const tr = ev.target instanceof Element ? ev.target.closest('tr[data-i]') : null;
    if (!tr) return;
    let next = null;
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(tr); return; }
    if (ev.key === 'ArrowDown') next = tr.nextElementSibling;
    else if (ev.key === 'ArrowUp') next = tr.previousElementSibling;
    else if (ev.key === 'Home') next = tbody.firstElementChild;
    else if (ev.key === 'End') next = tbody.lastElementChild;
    if (next) { ev.preventDefault(); next.focus(); }
  });

  function open(tr) {
    const l = data.lines[Number(tr.dataset.i)];
    if (l) vscode.postMessage({ type: 'open', file: l.file, start: l.start, end: l.end });
  }

  // ---- rendering ----
  function renderStatic() {
    const s = data.strings;
    heading.textContent = s.heading;
    sub.textContent = [data.entity.typeWords, s.also].filter(Boolean).join(' · ');
    filterLabel.textContent = s.filter;
    filterInput.placeholder = s.filterPlaceholder;
    filterInput.setAttribute('aria-label', s.filterPlaceholder);
    if (filterInput.value !== state.filter) filterInput.value = state.filter;
    timelineButton.textContent = s.timeline;
    const labels = { left: s.left, match: s.match, right: s.right, article: s.article, date: s.date };
    for (const th of headRow.children) if (th.dataset.name) th.textContent = labels[th.dataset.name];
    for (const k of Object.keys(headerButtons)) headerButtons[k].b.textContent = labels[headerButtons[k].name];
    reversedLeft = new Map();
  }

  function leftKey(i) {
    let r = reversedLeft.get(i);
    if (r === undefined) { r = Array.from(data.lines[i].left).reverse().join(''); reversedLeft.set(i, r); }
    return r;
  }

  function order() {
    const lines = data.lines;
    const q = state.filter.trim().toLowerCase();
    const idx = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (q) {
        const hay = (l.left + l.match + l.right + '\n' + l.rel + '\n' + (l.dateline || '') + '\n' + (l.date || '')).toLowerCase();
        if (!hay.includes(q)) continue;
      }
      idx.push(i);
    }
    let cmp;
    switch (state.sort) {
      case 'left': cmp = (a, b) => collator.compare(leftKey(a), leftKey(b)); break;
      case 'right': cmp = (a, b) => collator.compare(lines[a].right, lines[b].right); break;
      case 'article': cmp = (a, b) => collator.compare(lines[a].rel, lines[b].rel) || lines[a].start - lines[b].start; break;
      default: cmp = () => 0; // the extension's order is by date
    }
    const dir = state.dir;
    idx.sort((a, b) => dir * (cmp(a, b) || a - b));
    return idx;
  }

  function countText(n, articles, total) {
    const s = data.strings;
    if (n !== total) return format(s.countFiltered, num(n), num(total));
    if (n === 1) return s.countOne;
    if (articles === 1) return format(s.countOneArticle, num(n));
    return format(s.count, num(n), num(articles));
  }

  function renderRows() {
    const s = data.strings;
    for (const k of Object.keys(headerButtons)) {
      const { th } = headerButtons[k];
      if (k === state.sort) th.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      th.classList.toggle('sorted', k === state.sort);
      th.classList.toggle('desc', k === state.sort && state.dir === -1);
    }
    const idx = order();
    const files = new Set();
    for (const i of idx) files.add(data.lines[i].file);
    count.textContent = countText(idx.length, files.size, data.lines.length);

    clear(tbody);
    const frag = document.createDocumentFragment();
    const shown = Math.min(idx.length, limit);
    for (let k = 0; k < shown; k++) frag.appendChild(row(idx[k]));
    tbody.appendChild(frag);
    table.hidden = idx.length === 0;
    empty.hidden = idx.length !== 0;
    empty.textContent = data.lines.length === 0 ? s.none : s.noneFiltered;
    more.hidden = shown >= idx.length;
    more.textContent = format(s.more, num(Math.min(PAGE, idx.length - shown)));
  }

  function row(i) {
    const l = data.lines[i];
    const s = data.strings;
    const tr = el('tr', { tabindex: '0', title: s.openHint, dataset: { i: String(i) } });
    const leftInner = el('span', { text: l.left });
    tr.append(
      el('td', { className: 'left' }, [el('div', { className: 'clip-start' }, [leftInner])]),
      el('td', { className: 'match' }, [el('mark', { text: l.match })]),
      el('td', { className: 'right' }, [el('div', { className: 'clip-end', text: l.right })]),
      el('td', { className: 'article', title: l.rel, text: l.name }),
      el('td', { className: 'date' + (l.date ? '' : ' undated'), title: l.date ? undefined : s.undated, text: l.dateline || '—' }),
    );
    return tr;
  }

  function renderAll() { renderStatic(); renderRows(); }

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!m || m.type !== 'update' || !m.data) return;
    const keyChanged = m.data.entity.key !== data.entity.key;
    data = m.data;
    if (keyChanged) { state = initialState(data, undefined); limit = PAGE; save(); }
    renderAll();
  });

  renderAll();
  save();
  vscode.postMessage({ type: 'ready' });
})();
