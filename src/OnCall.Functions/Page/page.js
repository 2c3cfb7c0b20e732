// The on-call page: reads the app's own API with the key kept in this tab's session storage.
// Plain DOM, no framework and no CDN, so it works offline and needs no build. Data is only ever set as text.
'use strict';

(() => {
  const KEY = 'oncall.key';
  const REFRESH_MS = 60_000;
  const DAY_MS = 86_400_000;
  const MINUTE_MS = 60_000;
  const WINDOW_DAYS = 14;
  const CLOSED_INCIDENT = new Set(['resolved', 'canceled', 'cancelled']);

  const $ = id => document.getElementById(id);
  const enc = encodeURIComponent;

  // Times are the viewer's, and say so: the zone's abbreviation follows every time.
  const when = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

  let loading = false;
  let timer = 0;
  // Write buttons only for a key that may write; unknown (an app without /api/access) keeps them, and the API decides.
  let canWrite = true;

  /** Builds an element; attributes by name (class, aria-*, data-*, …), children as nodes or text. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function table(columns, rows) {
    return el('table', {},
      el('thead', {}, el('tr', {}, columns.map(c => el('th', { scope: 'col' }, c)))),
      el('tbody', {}, rows.map(cells => el('tr', {}, cells.map((cell, i) => el('td', { 'data-label': columns[i] || undefined }, cell))))));
  }

  const badge = (text, kind) => el('span', { class: `badge ${kind ?? text}` }, text);
  const note = text => el('p', { class: 'muted' }, text);
  const formatWhen = iso => iso ? when.format(new Date(iso)) : '–';
  const person = member => member ? member.name : 'nobody';

  /** "46 min", "3 h 5 min", "2 d 4 h": as people say them. */
  function span(ms) {
    const minutes = Math.max(0, Math.round(ms / 60_000));
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
    return hours % 24 === 0 ? `${Math.floor(hours / 24)} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
  }

  /** An ISO-8601 duration from the API ("PT46M", "P1DT2H") in milliseconds; null when it is not one. */
  function isoDuration(text) {
    const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text ?? '');
    if (!match) return null;
    const [, days, hours, minutes, seconds] = match.map(Number);
    return ((((days || 0) * 24 + (hours || 0)) * 60 + (minutes || 0)) * 60 + (seconds || 0)) * 1000;
  }

  const lateness = text => isoDuration(text) === null ? text : span(isoDuration(text));

  // --- the key ---------------------------------------------------------------------------------------------------

  const key = () => sessionStorage.getItem(KEY);

  /** A wall display opens /?key=… once: the key moves into session storage and leaves the address bar and history. */
  function takeKeyFromAddress() {
    const url = new URL(location.href);
    const fromAddress = url.searchParams.get('key');
    if (fromAddress === null) return;
    url.searchParams.delete('key');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    if (fromAddress.trim() !== '') sessionStorage.setItem(KEY, fromAddress.trim());
  }

  function askForKey(message) {
    sessionStorage.removeItem(KEY);
    clearTimeout(timer);
    for (const id of ['oncall', 'handoffs', 'incidents', 'shifts', 'coverage', 'calendars']) $(id).replaceChildren();
    $('coverage-error').hidden = true;
    $('board').hidden = true;
    $('refresh').hidden = true;
    $('forget').hidden = true;
    $('updated').textContent = '';
    $('status').hidden = true;
    $('key-form').hidden = false;
    $('key-error').hidden = !message;
    $('key-error').textContent = message ?? '';
    $('key').value = '';
    $('key').focus();
  }

  // --- the API ---------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }

    /** The route does not exist in this version of the app (the app's own 404/405), not a missing resource. */
    get featureAbsent() {
      return (this.status === 404 && this.problem?.title === 'Not found') || this.status === 405;
    }

    get refused() {
      return this.status === 401 || this.status === 403;
    }
  }

  async function api(path, { method = 'GET', body } = {}) {
    const headers = { 'x-functions-key': key(), accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    if (response.status === 204) return null;
    const payload = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, payload);
    return payload;
  }

  /** Never rejects: one section's failure leaves the others to render. */
  const settle = promise => promise.then(value => ({ ok: true, value }), error => ({ ok: false, error }));

  const failure = (what, error) => el('p', { class: 'error' }, `Could not load ${what}: ${error.message}`);

  // --- loading ---------------------------------------------------------------------------------------------------

  async function load() {
    if (loading || !key()) return;
    loading = true;
    clearTimeout(timer);
    $('refresh').disabled = true;
    try {
      let rotations;
      try {
        rotations = await api('/api/rotations');
      } catch (error) {
        if (error instanceof ApiError && error.refused) {
          askForKey('That key was not accepted. Enter the admin key or the read-only key.');
          return;
        }
        showStatus(`Could not reach the app: ${error.message}`);
        return;
      }

      const access = await settle(api('/api/access'));
      canWrite = !access.ok || access.value?.access === 'admin';

      $('key-form').hidden = true;
      $('board').hidden = false;
      $('refresh').hidden = false;
      $('forget').hidden = false;
      $('status').hidden = true;

      const onCall = await Promise.all(rotations.map(r => settle(api(`/api/rotations/${enc(r.id)}/oncall`))));
      // The server's clock decides "now", so the page agrees with the app about who is on call.
      const now = new Date(onCall.find(o => o.ok)?.value.at ?? Date.now());
      const to = new Date(now.getTime() + WINDOW_DAYS * DAY_MS);
      const range = `from=${enc(now.toISOString())}&to=${enc(to.toISOString())}`;
      const [shifts, handoffs, incidents, syncs, coverage, swaps] = await Promise.all([
        Promise.all(rotations.map(r => settle(api(`/api/rotations/${enc(r.id)}/shifts?${range}`)))),
        settle(api('/api/handoffs')),
        settle(api('/api/incidents?status=active')),
        Promise.all(rotations.map(r => settle(api(`/api/rotations/${enc(r.id)}/sync`)))),
        Promise.all(rotations.map(r => settle(api(`/api/rotations/${enc(r.id)}/coverage?${range}`)))),
        settle(Promise.all(['open', 'pending-approval'].map(status => api(`/api/swaps?status=${status}`))).then(lists => lists.flat())),
      ]);

      renderOnCall(rotations, onCall);
      renderHandoffs(rotations, handoffs);
      renderIncidents(incidents, now);
      renderShifts(rotations, shifts, now, to);
      renderCoverage(rotations, coverage, swaps, shifts, now, to);
      renderCalendars(rotations, syncs);
      $('updated').textContent = `Updated ${when.format(new Date())}`;
    } finally {
      loading = false;
      $('refresh').disabled = false;
      if (key()) timer = setTimeout(load, REFRESH_MS);
    }
  }

  function showStatus(text) {
    $('status').textContent = text;
    $('status').hidden = false;
  }

  const rotationName = (rotations, id) => rotations.find(r => r.id === id)?.name ?? id;

  // --- sections --------------------------------------------------------------------------------------------------

  function renderOnCall(rotations, results) {
    const target = $('oncall');
    if (rotations.length === 0) {
      target.replaceChildren(note('No rotations yet. Create one with PUT /api/rotations/{id} (see the README).'));
      return;
    }

    target.replaceChildren(...rotations.flatMap((rotation, i) => {
      const result = results[i];
      const heading = el('h3', {}, rotation.name);
      if (!result.ok) return [heading, failure('who is on call', result.error)];
      const layers = result.value.onCall;
      if (layers.length === 0) return [heading, note('Nobody is on call right now.')];
      return [heading, table(['Layer', 'On call', 'Until', ''], layers.map(s => [
        s.layer,
        el('strong', {}, person(s.member)),
        formatWhen(s.end),
        s.holdover ? badge('holdover: handoff missed', 'holdover') : (s.override ? badge('override', 'minor') : ''),
      ]))];
    }));
  }

  function renderHandoffs(rotations, result) {
    const target = $('handoffs');
    if (!result.ok) {
      target.replaceChildren(result.error.featureAbsent ? note('Handoffs are not available in this version of the app.') : failure('handoffs', result.error));
      return;
    }

    const handoffs = result.value;
    if (handoffs.length === 0) {
      target.replaceChildren(note('No handoffs from yesterday to the next few days.'));
      return;
    }

    const message = el('p', { class: 'error', role: 'alert', hidden: true });
    target.replaceChildren(message, table(['Rotation', 'Handoff', 'Due', 'Status', ''], handoffs.map(h => [
      `${rotationName(rotations, h.rotation)} / ${h.layer}`,
      `${person(h.outgoing)} → ${person(h.incoming)}`,
      formatWhen(h.due),
      h.status === 'acknowledged'
        ? [badge('acknowledged'), el('span', { class: 'muted' }, ` by ${h.acknowledgedBy}${h.late ? `, ${lateness(h.lateBy)} late` : ''}`)]
        : badge(h.status),
      h.status === 'acknowledged' || !canWrite ? '' : el('button', {
        type: 'button',
        'aria-label': `Acknowledge the handoff from ${person(h.outgoing)} to ${person(h.incoming)} for ${person(h.incoming)}`,
        onclick: event => acknowledge(h, event.currentTarget, message),
      }, 'Acknowledge'),
    ])));
  }

  async function acknowledge(handoff, button, message) {
    button.disabled = true;
    message.hidden = true;
    try {
      await api(`/api/handoffs/${enc(handoff.id)}/acknowledge`, { method: 'POST', body: { by: handoff.incoming.email } });
      await load();
    } catch (error) {
      button.disabled = false;
      message.textContent = error instanceof ApiError && error.status === 403
        ? 'The read-only key cannot acknowledge. Use the link in the handoff message, or the admin key.'
        : `Not acknowledged: ${error.message}`;
      message.hidden = false;
    }
  }

  function renderIncidents(result, now) {
    const target = $('incidents');
    if (!result.ok) {
      target.replaceChildren(result.error.featureAbsent ? note('Incidents are not available in this version of the app.') : failure('incidents', result.error));
      return;
    }

    const all = Array.isArray(result.value) ? result.value : (result.value?.incidents ?? []);
    const open = all.filter(i => !CLOSED_INCIDENT.has(String(i.status).toLowerCase()));
    if (open.length === 0) {
      target.replaceChildren(note('No open incidents.'));
      return;
    }

    target.replaceChildren(table(['Severity', 'Incident', 'Status', 'Commander', 'Age', 'Links'], open.map(i => [
      badge(String(i.severity ?? 'unknown').toLowerCase()),
      [el('strong', {}, i.title ?? i.id), i.service ? el('div', { class: 'muted' }, i.service) : null],
      i.status,
      person(i.commander),
      i.openedAt ? span(now - new Date(i.openedAt)) : '–',
      links(i),
    ])));
  }

  /** An http(s) URL as it should be put in href, or null: a javascript: or data: link must never become one. */
  function httpUrl(text) {
    if (typeof text !== 'string') return null;
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  /** A link out of the page: set through the DOM, only for http(s), never able to reach back into this tab. */
  function outLink(text, label) {
    const href = httpUrl(text);
    return href ? el('a', { href, rel: 'noopener noreferrer', target: '_blank' }, label) : null;
  }

  function links(incident) {
    const items = [
      outLink(incident.link, 'Alert'),
      outLink(incident.statuspage?.url, 'Statuspage'),
      outLink(incident.postMortem?.url, 'Post-mortem'),
    ].filter(Boolean);
    if (items.length === 0) return el('span', { class: 'muted' }, 'none yet');
    return items.flatMap((item, i) => i === 0 ? [item] : [' · ', item]);
  }

  function renderShifts(rotations, results, from, to) {
    const target = $('shifts');
    if (rotations.length === 0) {
      target.replaceChildren(note('No rotations yet.'));
      return;
    }

    const windowMs = to - from;
    const scale = () => el('div', { class: 'timeline-scale', 'aria-hidden': 'true' },
      [0, 7, WINDOW_DAYS].map(d => el('span', {}, day.format(new Date(from.getTime() + d * DAY_MS)))));

    target.replaceChildren(...rotations.flatMap((rotation, i) => {
      const result = results[i];
      const heading = el('h3', {}, rotation.name);
      if (!result.ok) return [heading, failure('shifts', result.error)];
      const layers = rotation.layers.map(l => l.name);
      for (const shift of result.value) if (!layers.includes(shift.layer)) layers.push(shift.layer);
      return [heading, ...layers.flatMap(layer => {
        const shifts = result.value.filter(s => s.layer === layer).sort((a, b) => new Date(a.start) - new Date(b.start));
        const bars = [];
        let cursor = from.getTime();
        const bar = (start, end, label, title) => {
          const item = el('li', { title, 'aria-label': title }, label);
          item.style.width = `${((end - start) / windowMs) * 100}%`;
          return item;
        };
        for (const shift of shifts) {
          const start = Math.max(new Date(shift.start).getTime(), from.getTime());
          const end = Math.min(new Date(shift.end).getTime(), to.getTime());
          if (end <= start) continue;
          if (start > cursor) bars.push(bar(cursor, start, '–', `Nobody, ${when.format(cursor)} to ${when.format(start)}`));
          bars.push(bar(start, end, person(shift.member),
            `${person(shift.member)}, ${formatWhen(shift.start)} to ${formatWhen(shift.end)}${shift.override ? ' (override)' : ''}`));
          cursor = end;
        }
        if (bars.length === 0) return [el('p', { class: 'muted' }, `${layer}: no shifts in the next ${WINDOW_DAYS} days.`)];
        return [
          el('p', { id: `layer-${rotation.id}-${layer}`, class: 'muted' }, layer),
          el('ol', { class: 'timeline', 'aria-labelledby': `layer-${rotation.id}-${layer}` }, bars),
          scale(),
        ];
      })];
    }));
  }

  // --- coverage and swaps ---------------------------------------------------------------------------------------

  /** A member's name from the rotation's layers, by email (the coverage API names people by email only). */
  function memberName(rotation, email) {
    for (const layer of rotation?.layers ?? []) {
      const member = (layer.members ?? []).find(m => m.email === email);
      if (member) return member.name;
    }
    return email;
  }

  const formatSpan = (start, end) => `${formatWhen(start)} – ${formatWhen(end)}`;

  /**
   * The span a swap request for [start, end) can ask for: whole minutes (the API takes no seconds), start rounded down
   * and end up, so it stays inside the whole-minute shift it came from; and from the next minute when it has begun.
   */
  function swapSpan(start, end, now) {
    const earliest = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const from = Math.max(Math.floor(new Date(start).getTime() / MINUTE_MS) * MINUTE_MS, earliest);
    const to = Math.ceil(new Date(end).getTime() / MINUTE_MS) * MINUTE_MS;
    return to > from ? { start: new Date(from).toISOString(), end: new Date(to).toISOString() } : null;
  }

  function coverageMessage(text) {
    $('coverage-error').textContent = text ?? '';
    $('coverage-error').hidden = !text;
  }

  /** Posts a swap action from a button; refreshes the board on success, shows the API's detail otherwise. */
  async function swapAction(button, what, path, body) {
    button.disabled = true;
    coverageMessage(null);
    try {
      await api(path, { method: 'POST', body });
      await load();
    } catch (error) {
      button.disabled = false;
      coverageMessage(error instanceof ApiError && error.status === 403
        ? `The read-only key cannot ${what}. Use the admin key.`
        : `Could not ${what}: ${error.message}`);
      // Someone else moved it on (taken, settled, overlapping): show the board as it is now, the message stays.
      if (error instanceof ApiError && error.status === 409) await load();
    }
  }

  function requestSwap(rotationId, layer, requester, span, button) {
    return swapAction(button, 'request the swap', `/api/rotations/${enc(rotationId)}/swaps`, { layer, requester, start: span.start, end: span.end });
  }

  function renderCoverage(rotations, coverage, swapsResult, shiftResults, now, to) {
    const target = $('coverage');
    if (rotations.length === 0) {
      target.replaceChildren(note('No rotations yet.'));
      return;
    }

    target.replaceChildren(
      el('h3', { id: 'coverage-problems-title' }, 'Coverage problems'),
      el('div', { id: 'coverage-problems', 'aria-labelledby': 'coverage-problems-title', role: 'group' }, coverageProblems(rotations, coverage, now)),
      el('h3', { id: 'swap-requests-title' }, 'Open swap requests'),
      el('div', { id: 'swap-requests', 'aria-labelledby': 'swap-requests-title', role: 'group' }, swapRequests(rotations, swapsResult, to)),
      canWrite ? offerForm(rotations, shiftResults, now) : '');
  }

  function coverageProblems(rotations, results, now) {
    if (results.some(r => !r.ok && r.error.featureAbsent)) return note('Coverage is not available in this version of the app.');
    const failed = results.map((r, i) => r.ok ? null : failure(`coverage of ${rotations[i].name}`, r.error)).filter(Boolean);
    const problems = results.flatMap((r, i) => r.ok ? r.value.problems.map(p => ({ rotation: rotations[i], ...p })) : [])
      .sort((a, b) => new Date(a.start) - new Date(b.start));
    if (problems.length === 0) return [...failed, note(`No coverage problems in the next ${WINDOW_DAYS} days.`)];

    return [...failed, table(['Rotation', 'Problem', 'Who', 'When', ''], problems.map(p => {
      const who = p.member ? memberName(p.rotation, p.member) : 'nobody on call';
      const span = p.kind === 'conflict' && p.member ? swapSpan(p.start, p.end, now) : null;
      return [
        `${p.rotation.name} / ${p.layer}`,
        badge(p.kind),
        p.kind === 'conflict' ? [who, el('div', { class: 'muted' }, 'has time off')] : who,
        formatSpan(p.start, p.end),
        !canWrite || !span ? '' : el('button', {
          type: 'button',
          'aria-label': `Request a swap for ${who}'s ${p.layer} shift, ${formatSpan(span.start, span.end)}`,
          onclick: event => requestSwap(p.rotation.id, p.layer, p.member, span, event.currentTarget),
        }, 'Request swap'),
      ];
    }))];
  }

  function swapRequests(rotations, result, to) {
    if (!result.ok) return result.error.featureAbsent ? note('Shift swaps are not available in this version of the app.') : failure('swap requests', result.error);
    const swaps = result.value.filter(s => new Date(s.start) < to).sort((a, b) => new Date(a.start) - new Date(b.start));
    if (swaps.length === 0) return note(`No open swap requests in the next ${WINDOW_DAYS} days.`);

    return table(['Rotation', 'Requested by', 'When', 'Offered to', 'Status', ''], swaps.map(s => [
      `${rotationName(rotations, s.rotation)} / ${s.layer}`,
      person(s.requester),
      formatSpan(s.start, s.end),
      (s.offeredTo ?? []).map(person).join(', ') || '–',
      s.status === 'pending-approval'
        ? [badge('awaiting approval', 'pending-approval'), s.takenBy ? el('span', { class: 'muted' }, ` taken by ${person(s.takenBy)}`) : '']
        : badge(s.status),
      canWrite && s.status === 'open' && (s.offeredTo ?? []).length > 0 ? acceptControl(s) : '',
    ]));
  }

  function acceptControl(swap) {
    const what = `${person(swap.requester)}'s ${swap.layer} shift, ${formatSpan(swap.start, swap.end)}`;
    const select = el('select', { 'aria-label': `Accept ${what} as` },
      swap.offeredTo.map(m => el('option', { value: m.email }, m.name)));
    const button = el('button', {
      type: 'button',
      'aria-label': `Accept ${what}`,
      onclick: event => swapAction(event.currentTarget, 'accept the swap', `/api/swaps/${enc(swap.id)}/accept`, { by: select.value }),
    }, 'Accept');
    return el('div', { class: 'row' }, select, button);
  }

  /** Admin only: offer any upcoming shift of the timeline (not an override's: a swap cannot cover one). */
  function offerForm(rotations, shiftResults, now) {
    const choices = rotations.flatMap((rotation, i) => shiftResults[i].ok
      ? shiftResults[i].value
        .filter(s => s.member && !s.override)
        .map(s => ({ rotation, shift: s, span: swapSpan(s.start, s.end, now) }))
        .filter(c => c.span)
      : [])
      .sort((a, b) => new Date(a.span.start) - new Date(b.span.start));
    if (choices.length === 0) return '';

    const select = el('select', { id: 'swap-shift' }, choices.map((c, i) => el('option', { value: String(i) },
      `${c.rotation.name} / ${c.shift.layer}: ${person(c.shift.member)}, ${formatSpan(c.span.start, c.span.end)}`)));
    const button = el('button', {
      type: 'button',
      onclick: event => {
        const choice = choices[Number(select.value)];
        requestSwap(choice.rotation.id, choice.shift.layer, choice.shift.member.email, choice.span, event.currentTarget);
      },
    }, 'Request swap');
    return el('div', { class: 'offer' },
      el('label', { for: 'swap-shift' }, 'Request a swap for a shift'),
      el('div', { class: 'row' }, select, button));
  }

  function renderCalendars(rotations, results) {
    const target = $('calendars');
    if (rotations.length === 0) {
      target.replaceChildren(note('No rotations yet.'));
      return;
    }

    const syncAbsent = results.some(r => !r.ok && r.error.featureAbsent);
    target.replaceChildren(
      syncAbsent ? note('Google Calendar sync is not available in this version of the app.') : '',
      table(['Rotation', 'Google Calendar', 'Last sync', 'Subscription (ICS)'], rotations.map((rotation, i) => [
        rotation.name,
        rotation.calendarId ?? el('span', { class: 'muted' }, 'none'),
        syncCell(rotation, results[i]),
        subscription(rotation),
      ])));
  }

  function syncCell(rotation, result) {
    if (!result.ok) return result.error.featureAbsent ? el('span', { class: 'muted' }, 'not available') : el('span', { class: 'error' }, result.error.message);
    const sync = result.value;
    if (!rotation.calendarId) return el('span', { class: 'muted' }, 'no calendar to sync');
    if (!sync.lastSyncAt) return el('span', { class: sync.lastError ? 'error' : 'muted' }, sync.lastError ?? 'not synced yet');
    const counts = sync.counts ?? {};
    return [
      formatWhen(sync.lastSyncAt),
      el('div', { class: 'muted' }, `${counts.inserted ?? 0} added, ${counts.patched ?? 0} changed, ${counts.deleted ?? 0} removed, ${counts.unchanged ?? 0} unchanged`),
      sync.lastError ? el('div', { class: 'error' }, `Last error: ${sync.lastError}`) : '',
    ];
  }

  /** Only a hash of the feed token is stored, so a link can only be shown by issuing a new one (admin key). */
  function subscription(rotation) {
    if (!canWrite) return el('span', { class: 'muted' }, 'ask an admin for a link');
    const result = el('div', { 'aria-live': 'polite' });
    const button = el('button', {
      type: 'button',
      class: 'secondary',
      'aria-label': `Issue a new ICS subscription link for ${rotation.name}; the old link stops working`,
      onclick: async () => {
        button.disabled = true;
        try {
          const issued = await api(`/api/rotations/${enc(rotation.id)}/feed-token`, { method: 'POST' });
          result.replaceChildren(
            el('p', { class: 'muted' }, 'New link (the previous one no longer works). Subscribe to it from any calendar app:'),
            el('a', { class: 'feed-url', href: httpUrl(issued.feedUrl) }, issued.feedUrl));
        } catch (error) {
          result.replaceChildren(el('p', { class: 'error' }, error instanceof ApiError && error.status === 403
            ? 'Issuing a subscription link needs the admin key.'
            : `No link: ${error.message}`));
        } finally {
          button.disabled = false;
        }
      },
    }, 'New subscription link');
    return [button, result];
  }

  // --- start -----------------------------------------------------------------------------------------------------

  $('key-form').addEventListener('submit', event => {
    event.preventDefault();
    const value = $('key').value.trim();
    if (!value) return;
    sessionStorage.setItem(KEY, value);
    $('key-form').hidden = true;
    load();
  });
  $('forget').addEventListener('click', () => askForKey());
  $('refresh').addEventListener('click', () => load());

  takeKeyFromAddress();
  if (key()) load();
  else askForKey();
})();
