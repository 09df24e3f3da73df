// The concordance (KWIC) page. Data: the JSON block, then {type:'update', data} messages from the extension, which
// owns the search, the context, the sort and the lines (in the order shown). The page names lines by their index in
// data.lines with data.generation; the extension acts only on lines of the set it last sent.
// Posts: ready, search {query}, context {bound, width}, sort {keys}, open {i}, copy {ids}, export {format},
// mark {ids, as}, timeline.
(function () {
  'use strict';
  const { vscode, readData, el, format, clear, num } = window.CorpusLens;
  const PAGE = 500;

  let data = readData();
  if (!data) return;
  const saved = vscode.getState() || {};
  let filter = saved.showId === data.showId && typeof saved.filter === 'string' ? saved.filter : (typeof data.filter === 'string' ? data.filter : '');
  let appliedShowId = data.showId;
  let limit = PAGE;
  /** selected line indices (of data.generation) and the anchor of a shift-click range */
  let selected = new Set();
  let anchor = -1;
  let shownIdx = [];

  function save() { vscode.setState({ showId: appliedShowId, filter }); }

  // ---- layout (static; texts come from data.strings) ----
  const app = document.getElementById('app');
  const searchInput = el('input', { type: 'search', id: 'query', spellcheck: 'false', autocomplete: 'off' });
  const regexButton = el('button', { type: 'button', className: 'toggle', 'aria-pressed': 'false', text: '.*' });
  const caseButton = el('button', { type: 'button', className: 'toggle', 'aria-pressed': 'false', text: 'Aa' });
  const searchButton = el('button', { type: 'button', className: 'primary' });
  const boundLabel = el('label', { for: 'bound' });
  const boundSelect = el('select', { id: 'bound' });
  const widthLabel = el('label', { for: 'width' });
  const widthInput = el('input', { type: 'number', id: 'width', min: String(data.limits.minWidth), max: String(data.limits.maxWidth), step: '1' });
  const searchRow = el('div', { className: 'toolbar' }, [
    el('div', { className: 'searchbox' }, [searchInput, regexButton, caseButton]), searchButton,
    el('span', { className: 'group' }, [boundLabel, boundSelect]), el('span', { className: 'group' }, [widthLabel, widthInput]),
  ]);
  const sortLabel = el('span', { className: 'label' });
  const sortSelects = [];
  for (let k = 0; k < data.limits.levels; k++) sortSelects.push(el('select', { className: 'sort-level' }));
  searchRow.append(el('span', { className: 'group' }, [sortLabel, ...sortSelects]));

  // compact for the panel: a heading line, then the line actions
  const heading = el('h1');
  const sub = el('span', { className: 'sub' });
  const status = el('span', { className: 'status', role: 'status', 'aria-live': 'polite' });
  const filterInput = el('input', { type: 'search', id: 'filter', spellcheck: 'false', autocomplete: 'off' });
  const filterLabel = el('label', { for: 'filter', className: 'visually-hidden' });
  const count = el('span', { className: 'count' });
  const selCount = el('span', { className: 'count' });
  const copyButton = el('button', { type: 'button' });
  const csvButton = el('button', { type: 'button' });
  const tsvButton = el('button', { type: 'button' });
  const markSelect = el('select', { id: 'mark-as' });
  const markLabel = el('label', { for: 'mark-as' });
  const markButton = el('button', { type: 'button' });
  const markNote = el('span', { className: 'hint' });
  const decideButton = el('button', { type: 'button' });
  const timelineButton = el('button', { type: 'button', className: 'link-button' });
  // two rows above the lines while nothing is selected (the panel is short at VS Code's default window size): the
  // search with its context and sort, then the lines' heading, filter and export; the selection's actions (copy,
  // mark, decide) take a third row only while lines are selected
  const lineRow = el('div', { className: 'toolbar' }, [heading, count, status, filterLabel, filterInput, timelineButton,
    el('span', { className: 'group push' }, [csvButton, tsvButton])]);
  const actionRow = el('div', { className: 'toolbar selection', hidden: '' }, [selCount, copyButton,
    el('span', { className: 'group' }, [markLabel, markSelect, markButton, decideButton]), markNote]);

  const table = el('table', { className: 'kwic' });
  const colgroup = el('colgroup', null, ['check', 'left', 'match', 'right', 'article', 'date'].map((c) => el('col', { className: 'col-' + c })));
  const selectAll = el('input', { type: 'checkbox' });
  const headRow = el('tr', null, [el('th', { scope: 'col', className: 'check' }, [selectAll])]);
  for (const c of ['left', 'match', 'right', 'article', 'date']) headRow.appendChild(el('th', { scope: 'col', className: c, dataset: { name: c } }));
  const tbody = el('tbody');
  table.append(colgroup, el('thead', null, [headRow]), tbody);
  const empty = el('p', { className: 'empty', hidden: '' });
  const more = el('button', { type: 'button', className: 'more', hidden: '' });
  app.append(el('header', null, [searchRow, lineRow, sub, actionRow]), table, empty, more);

  // ---- events ----
  function toggle(b) { b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true'); }
  regexButton.addEventListener('click', () => toggle(regexButton));
  caseButton.addEventListener('click', () => toggle(caseButton));
  function search() {
    if (!searchInput.value) return;
    vscode.postMessage({ type: 'search', query: { pattern: searchInput.value, regex: regexButton.getAttribute('aria-pressed') === 'true', caseSensitive: caseButton.getAttribute('aria-pressed') === 'true' } });
  }
  searchButton.addEventListener('click', search);
  searchInput.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); search(); } });
  function sendContext() { vscode.postMessage({ type: 'context', bound: boundSelect.value, width: Number(widthInput.value) }); }
  boundSelect.addEventListener('change', sendContext);
  widthInput.addEventListener('change', sendContext);
  for (const s of sortSelects) s.addEventListener('change', () => vscode.postMessage({ type: 'sort', keys: sortSelects.map((x) => x.value).filter(Boolean) }));

  filterInput.addEventListener('input', () => { filter = filterInput.value; limit = PAGE; save(); renderRows(); });
  timelineButton.addEventListener('click', () => vscode.postMessage({ type: 'timeline' }));
  more.addEventListener('click', () => { limit += PAGE; renderRows(); });
  const ids = () => [...selected].sort((a, b) => a - b);
  copyButton.addEventListener('click', () => vscode.postMessage({ type: 'copy', ids: ids(), generation: data.generation }));
  csvButton.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  tsvButton.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'tsv' }));
  markButton.addEventListener('click', () => vscode.postMessage({ type: 'mark', ids: ids(), as: markSelect.value, generation: data.generation }));
  decideButton.addEventListener('click', () => vscode.postMessage({ type: 'decide', ids: ids(), as: markSelect.value, generation: data.generation }));
  selectAll.addEventListener('change', () => {
    for (const i of shownIdx) { if (selectAll.checked) selected.add(i); else selected.delete(i); }
    renderSelection();
  });

  tbody.addEventListener('click', (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    const tr = target ? target.closest('tr[data-i]') : null;
    if (!tr) return;
    const i = Number(tr.dataset.i);
    if (target.closest('td.check')) {
      // a checkbox: shift-click selects the range from the last one clicked, in the order shown
      const on = !selected.has(i) || (ev.shiftKey && anchor >= 0);
      if (ev.shiftKey && anchor >= 0) {
        const a = shownIdx.indexOf(anchor), b = shownIdx.indexOf(i);
        if (a >= 0 && b >= 0) for (let k = Math.min(a, b); k <= Math.max(a, b); k++) selected.add(shownIdx[k]);
      } else if (on) selected.add(i); else selected.delete(i);
      anchor = i;
      renderSelection();
      return;
    }
    open(i);
  });
  tbody.addEventListener('keydown', (ev) => {
    const tr = ev.target instanceof Element ? ev.target.closest('tr[data-i]') : null;
    if (!tr) return;
    let next = null;
    if (ev.key === 'Enter') { ev.preventDefault(); open(Number(tr.dataset.i)); return; }
    if (ev.key === ' ') { ev.preventDefault(); const i = Number(tr.dataset.i); if (selected.has(i)) selected.delete(i); else selected.add(i); anchor = i; renderSelection(); return; }
    if (ev.key === 'ArrowDown') next = tr.nextElementSibling;
    else if (ev.key === 'ArrowUp') next = tr.previousElementSibling;
    else if (ev.key === 'Home') next = tbody.firstElementChild;
    else if (ev.key === 'End') next = tbody.lastElementChild;
    if (next) { ev.preventDefault(); next.focus(); }
  });

  function open(i) { if (data.lines[i]) vscode.postMessage({ type: 'open', i, generation: data.generation }); }

  // ---- rendering ----
  function option(value, text) { const o = el('option', { value, text }); return o; }

  function renderStatic() {
    const s = data.strings;
    searchInput.placeholder = s.searchPlaceholder;
    searchInput.setAttribute('aria-label', s.searchPlaceholder);
    if (document.activeElement !== searchInput) searchInput.value = data.query.pattern;
    regexButton.title = s.regex; regexButton.setAttribute('aria-label', s.regex);
    caseButton.title = s.caseSensitive; caseButton.setAttribute('aria-label', s.caseSensitive);
    regexButton.setAttribute('aria-pressed', String(!!data.query.regex));
    caseButton.setAttribute('aria-pressed', String(!!data.query.caseSensitive));
    searchButton.textContent = s.search;
    boundLabel.textContent = s.bound;
    clear(boundSelect);
    boundSelect.append(option('sentence', s.sentence), option('paragraph', s.paragraph));
    boundSelect.value = data.context.bound;
    widthLabel.textContent = s.width;
    widthInput.value = String(data.context.width);
    sortLabel.textContent = s.sortBy;
    sortSelects.forEach((sel, k) => {
      clear(sel);
      sel.setAttribute('aria-label', format(s.sortLevel, k + 1));
      sel.append(option('', s.sortNone));
      for (const key of Object.keys(s.sortKeys)) sel.append(option(key, s.sortKeys[key]));
      sel.value = data.sort[k] || '';
    });
    sortLabel.title = s.sortHint;
    for (const sel of sortSelects) sel.title = s.sortHint;
    heading.textContent = s.heading;
    const src = data.source;
    sub.textContent = src.kind === 'entity' ? [src.typeWords, s.entityMentions, src.also].filter(Boolean).join(' · ') : src.kind === 'none' ? s.intro : '';
    // (the entity's type and aliases on the heading's tooltip; the introduction, with no lines yet, below it)
    heading.title = src.kind === 'entity' ? sub.textContent : '';
    sub.hidden = src.kind !== 'none';
    filterLabel.textContent = s.filter;
    filterInput.placeholder = s.filterPlaceholder;
    filterInput.setAttribute('aria-label', s.filterPlaceholder);
    if (filterInput.value !== filter) filterInput.value = filter;
    timelineButton.textContent = s.timeline;
    timelineButton.hidden = src.kind !== 'entity';
    copyButton.textContent = s.copy;
    csvButton.textContent = s.exportCsv;
    tsvButton.textContent = s.exportTsv;
    markLabel.textContent = s.markAs;
    clear(markSelect);
    for (const t of ['PER', 'LOC', 'ORG', 'none']) markSelect.append(option(t, s.types[t]));
    markButton.textContent = s.mark;
    markNote.textContent = `${s.markNote} ${s.decideNote}`;
    decideButton.textContent = s.decide;
    selectAll.setAttribute('aria-label', s.selectAll);
    const labels = { left: s.left, match: s.match, right: s.right, article: s.article, date: s.date };
    for (const th of headRow.children) if (th.dataset.name) th.textContent = labels[th.dataset.name];
    status.textContent = data.status.state === 'searching' ? s.searching : data.status.state === 'error' ? data.status.message : '';
    status.classList.toggle('error', data.status.state === 'error');
  }

  function visible() {
    const lines = data.lines;
    const q = filter.trim().toLowerCase();
    const idx = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (q) {
        const hay = (l.left + l.match + l.right + '\n' + l.rel + '\n' + (l.dateline || '') + '\n' + (l.date || '')).toLowerCase();
        if (!hay.includes(q)) continue;
      }
      idx.push(i);
    }
    return idx;
  }

  function countText(n) {
    const s = data.strings;
    const total = data.lines.length;
    if (n !== total) return format(s.countFiltered, num(n), num(total));
    if (data.total > total || data.more) return format(s.countCapped, num(total), num(data.total) + (data.more ? '+' : ''));
    if (n === 1) return s.countOne;
    if (data.articles === 1) return format(s.countOneArticle, num(n));
    return format(s.count, num(n), num(data.articles));
  }

  function renderSelection() {
    for (const tr of tbody.children) {
      const on = selected.has(Number(tr.dataset.i));
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
      const box = tr.querySelector('input[type=checkbox]');
      if (box) box.checked = on;
    }
    const n = selected.size;
    selectAll.checked = shownIdx.length > 0 && shownIdx.every((i) => selected.has(i));
    selCount.textContent = format(data.strings.selected, num(n));
    copyButton.disabled = markButton.disabled = decideButton.disabled = n === 0;
    actionRow.hidden = n === 0;
    csvButton.disabled = tsvButton.disabled = data.lines.length === 0;
  }

  function renderRows() {
    const s = data.strings;
    shownIdx = visible();
    count.textContent = data.status.state === 'searching' ? '' : countText(shownIdx.length);
    clear(tbody);
    const frag = document.createDocumentFragment();
    const n = Math.min(shownIdx.length, limit);
    for (let k = 0; k < n; k++) frag.appendChild(row(shownIdx[k]));
    tbody.appendChild(frag);
    table.hidden = shownIdx.length === 0;
    empty.hidden = shownIdx.length !== 0 || data.status.state !== 'idle' || data.source.kind === 'none';
    empty.textContent = data.lines.length === 0 ? s.none : s.noneFiltered;
    more.hidden = n >= shownIdx.length;
    more.textContent = format(s.more, num(Math.min(PAGE, shownIdx.length - n)));
    renderSelection();
  }

  function row(i) {
    const l = data.lines[i];
    const s = data.strings;
    const tr = el('tr', { tabindex: '0', title: s.openHint, dataset: { i: String(i) } });
    tr.append(
      el('td', { className: 'check' }, [el('input', { type: 'checkbox', tabindex: '-1', 'aria-label': s.select })]),
      el('td', { className: 'left' }, [el('div', { className: 'clip-start' }, [el('span', { text: l.left })])]),
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
    const newSet = m.data.generation !== data.generation;
    data = m.data;
    if (data.showId !== appliedShowId) {
      // a new show: its pre-filled filter (or none)
      appliedShowId = data.showId;
      filter = typeof data.filter === 'string' ? data.filter : '';
      limit = PAGE;
    }
    if (newSet) { selected = new Set(); anchor = -1; }
    save();
    renderAll();
  });

  renderAll();
  save();
  vscode.postMessage({ type: 'ready' });
})();
