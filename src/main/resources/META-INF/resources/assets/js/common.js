// Shared by the three apps: the REST API, the live feed, times, NHS numbers and small DOM helpers.
// Plain ES modules: no build step. Text from the server is only ever set as text, never as HTML.

export const me = document.body.dataset.user;
export const zone = document.body.dataset.zone || 'Europe/London';

let serverOffsetMs = 0; // server clock minus ours, from the Date header: ages stay right on a phone with a wrong clock

/** Calls the API as the signed-in user. Resolves to {ok, status, data}; never throws. */
export async function api(path, { method = 'GET', body, key } = {}) {
  // Absolute URL from location.origin, which never carries credentials: a page opened as
  // http://user:pass@host/... would otherwise make every relative fetch fail.
  // X-Requested-With: an expired sign-in answers 499 (not a redirect to the identity provider a fetch cannot follow).
  const init = {
    method, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' },
    cache: 'no-store',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (key) init.headers['Idempotency-Key'] = key;
  let response;
  try {
    response = await fetch(new URL(path, location.origin), init);
  } catch (e) {
    // The live badge must not say "Live" while requests fail: tell it, and it reconnects.
    window.dispatchEvent(new Event('pagerless-offline'));
    return { ok: false, status: 0, data: { detail: 'No connection: nothing was sent. Try again.' } };
  }
  if (response.status === 499 || response.status === 401) signInAgain();
  const date = Date.parse(response.headers.get('Date') || '');
  if (!Number.isNaN(date)) serverOffsetMs = date - Date.now();
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = { detail: text.slice(0, 200) }; }
  }
  return { ok: response.ok, status: response.status, data };
}

/** The sign-in has expired (or was ended elsewhere): sign in again, then come back to this page. */
function signInAgain() {
  if (signInAgain.going) return;
  signInAgain.going = true;
  location.assign(`/signin?then=${encodeURIComponent(location.pathname + location.search)}`);
}

/** Signed in with the hospital's identity provider: a "Sign out" action in the page's bar (Basic sign-in has none). */
async function offerSignOut() {
  const bar = document.querySelector('header.bar');
  if (!bar || !me) return;
  const r = await api('/api/v1/me');
  if (r.ok && r.data && r.data.signOut && !bar.querySelector('.sign-out')) {
    bar.append(h('a', { class: 'sign-out', href: r.data.signOut }, 'Sign out'));
  }
}
offerSignOut();

/** A fresh idempotency key: retrying the same request with it has the server act once. */
export function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return 'k-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}

/**
 * The live feed: task-event envelopes {type, event, task, audience} pushed over a WebSocket. The
 * browser sends the signed-in user's credentials with the upgrade request (same origin). On loss it
 * shows so and reconnects by itself (1 s, 2 s, 4 s ... at most 10 s apart); onOpen runs on every
 * (re)connection, so the page can reload what it may have missed.
 */
export class LiveFeed {
  constructor({ onEvent, onOpen, statusEl }) {
    this.onEvent = onEvent;
    this.onOpen = onOpen;
    this.statusEl = statusEl;
    this.attempt = 0;
    this.socket = null;
    this.timer = null;
  }

  start() {
    window.addEventListener('online', () => this.reconnectNow());
    const lost = () => {
      this.show('lost', 'Connection lost: reconnecting…');
      if (this.socket && this.socket.readyState <= 1) this.socket.close(); // onclose retries
    };
    window.addEventListener('offline', lost);
    window.addEventListener('pagerless-offline', lost);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && (!this.socket || this.socket.readyState > 1)) this.reconnectNow();
    });
    this.connect();
    return this;
  }

  reconnectNow() {
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  connect() {
    const url = new URL('/api/v1/live', location.origin);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.socket && this.socket.readyState <= 1) return;
    this.show('connecting', this.attempt === 0 ? 'Connecting…' : 'Connection lost: reconnecting…');
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.show('live', 'Live');
      if (this.onOpen) this.onOpen();
    };
    socket.onmessage = (message) => {
      let envelope;
      try { envelope = JSON.parse(message.data); } catch (e) { return; }
      this.onEvent(envelope);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      // Refused at the upgrade (an expired sign-in looks the same as a lost network here): ask the API, which
      // sends the person to sign in again if that is why.
      if (this.attempt > 0) api('/api/v1/me');
      const delay = Math.min(10000, 1000 * 2 ** this.attempt);
      this.attempt += 1;
      this.show('lost', `Connection lost: reconnecting in ${Math.round(delay / 1000)} s`);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  show(state, text) {
    if (!this.statusEl) return;
    this.statusEl.dataset.state = state;
    this.statusEl.textContent = text;
  }
}

/** Runs fn at most once per wait ms, trailing: many events in a burst give one reload. */
export function debounce(fn, wait = 250) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, wait);
  };
}

const hhmm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone });

/** "14:05" in the hospital's time zone. */
export function clock(iso) {
  return iso ? hhmm.format(new Date(iso)) : '';
}

/** How long ago, short: "40 s", "12 min", "2 h 5 min". */
export function age(iso) {
  const seconds = Math.max(0, Math.floor((Date.now() + serverOffsetMs - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Why an NHS number is not valid, in words for a nurse, or null. Ten digits, the last a modulus 11 check digit. */
export function nhsProblem(value) {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return 'An NHS number has 10 digits.';
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10 || check !== Number(digits[9])) return NOT_AN_NHS_NUMBER;
  return null;
}

/**
 * The tel: link for a callback number. An extension (2 to 6 digits) cannot be dialled from a mobile: it goes through
 * the trust's dial pattern when one is set (pagerless.apps.extension-dial-pattern, e.g. "+44 20 7946 {ext}");
 * anything longer is dialled as it is.
 */
export function telHref(callback) {
  const digits = (callback || '').replace(/[^0-9+#]/g, '');
  const pattern = document.body.dataset.dial || '';
  if (pattern && /^\d{2,6}$/.test(digits)) return `tel:${pattern.replace('{ext}', digits).replace(/[^0-9+#]/g, '')}`;
  return `tel:${digits}`;
}

/** "943 476 5919" */
export function formatNhs(nhs) {
  const d = (nhs || '').replace(/\D/g, '');
  return d.length === 10 ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : nhs;
}

export const PRIORITY_LABEL = { stat: 'Stat', asap: 'ASAP', urgent: 'Urgent', routine: 'Routine' };

/** Builds an element: h('p', {class: 'x'}, 'text', child). Strings become text nodes, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function priorityBadge(priority) {
  return h('span', { class: `prio prio-${priority}` }, PRIORITY_LABEL[priority] || priority);
}

function capitalise(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

// ---- Errors in words for people ----
// The API says which field and why in problem+json, in words for the developers of other systems ("fails the NHS
// number modulus 11 check"); a nurse or an operator reads these instead. Anything not listed is shown as the API
// said it, as a sentence.
const NOT_AN_NHS_NUMBER = 'This is not a valid NHS number: a digit is probably mistyped. Check it against the wristband or notes.';
const PRIORITY_WORDS = 'Choose how urgent it is: Stat, ASAP, Urgent or Routine.';
const REASON_WORDS = [
  [/modulus 11/i, () => NOT_AN_NHS_NUMBER],
  [/^must be 10 digits/, () => 'An NHS number has 10 digits.'],
  [/^contains an NHS number/, () => 'Take the NHS number out: bleep messages go by text and show on screens. '
    + 'Say only where to call; send patient details as a task request.'],
  [/one of routine|^choose stat/i, () => PRIORITY_WORDS],
  [/^unknown ward '(.*)'$/, (m) => `There is no ward called "${m[1]}": pick one from the list.`],
  [/^unknown (role|person|team|bleep number) '(.*)'$/, (m) => `No ${m[1]} "${m[2]}" is known here: pick one from the list.`],
  [/^no role covers ward '(.*)'$/, (m) => `Nobody is set to cover ward ${m[1]}: bleep a role or a person instead.`],
  [/^is too long: at most (\d+) characters$/, (m) => `This is too long: keep it to ${m[1]} characters or fewer.`],
  [/^must be between 0 and 20$/, () => 'NEWS2 is a score from 0 to 20.'],
  [/^must be a phone number or extension/, () => 'Enter a phone number or an extension: digits only (+ and # may be used).'],
  [/^give only one of/, () => 'Choose just one: a role, a person, a bleep number or a ward.'],
  [/^(has the wrong type|cannot be read|is not valid JSON)/, () => 'This could not be read: check what was typed.'],
  [/^is required$/, () => 'Please fill this in.'],
  [/^is required: (.*)$/, (m) => capitalise(m[1]) + '.'],
];

/** A field's problem (the API's reason) in words for a nurse or an operator. */
export function reasonWords(reason) {
  if (!reason) return reason;
  for (const [pattern, words] of REASON_WORDS) {
    const m = reason.match(pattern);
    if (m) return words(m);
  }
  return sentence(reason);
}

const DETAIL_WORDS = [
  [/message broker is unreachable|database is unavailable/, () => 'Pagerless could not take this just now, so nothing was sent. Try again in a few seconds.'],
  [/^too many (.*) raised: the limit is (\d+) per (\d+) min/, (m) => `You have sent too many ${m[1]} in a short time (at most ${m[2]} in ${m[3]} minutes). Wait a minute, then try again; for an emergency, phone.`],
  [/^something went wrong/, () => 'Something went wrong and this may not have been done. Check before trying again.'],
  [/^no such resource$|^no task with id/, () => 'That task could not be found: it may have been removed.'],
  [/^your role does not allow this$/, () => 'Your role cannot do this here.'],
  [/^the task is already (.*)$/, (m) => `This task is already ${m[1].replace('-', ' ')}.`],
];

/**
 * What went wrong with an API call, as a sentence for people: a field problem in words (with the field's name), a
 * conflict or refusal in words, or {@code fallback}.
 */
export function problemWords(r, fallback = 'That did not work: try again.') {
  const p = r && r.data;
  if (!p) return fallback;
  if (p.violations && p.violations.length) {
    return p.violations.map((v) => reasonWords(v.reason)).join(' ');
  }
  if (!p.detail) return fallback;
  for (const [pattern, words] of DETAIL_WORDS) {
    const m = p.detail.match(pattern);
    if (m) return words(m);
  }
  return sentence(p.detail);
}

function sentence(text) {
  const t = capitalise(text.trim());
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Clears the field errors of a form and its error summary. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('.invalid').forEach((f) => f.classList.remove('invalid'));
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  const summary = form.querySelector('.error-summary');
  if (summary) summary.replaceChildren();
}

/** Marks one field invalid with a reason (or clears it when reason is null). */
export function fieldError(form, field, reason) {
  const p = form.querySelector(`#err-${field.replace(/\./g, '-')}`);
  if (!p) return false;
  const holder = form.querySelector(`[data-field="${field}"]`) || p.closest('.field');
  p.textContent = reason ? reasonWords(reason) : '';
  if (holder) {
    holder.classList.toggle('invalid', !!reason);
    holder.querySelectorAll('input, select, textarea').forEach((i) => {
      if (reason) i.setAttribute('aria-invalid', 'true'); else i.removeAttribute('aria-invalid');
    });
  }
  return true;
}

/**
 * Shows a problem+json answer on a form: each violation next to its field (field "patient" goes to
 * its first sub-field), all of them in the summary at the top, which takes focus.
 */
export function showProblem(form, problem) {
  clearErrors(form);
  const summary = form.querySelector('.error-summary');
  const items = [];
  const violations = (problem && problem.violations) || [];
  for (const v of violations) {
    let field = v.field;
    if (!form.querySelector(`#err-${field.replace(/\./g, '-')}`)) {
      const nested = form.querySelector(`[id^="err-${field.replace(/\./g, '-')}-"]`);
      if (nested) field = nested.id.slice(4).replace(/-/g, '.');
    }
    const shown = fieldError(form, field, v.reason);
    const holder = form.querySelector(`[data-field="${field}"]`);
    const label = holder && (holder.querySelector('label, legend') || {}).textContent;
    const name = (label || v.field).replace(/\(optional\)/, '').trim();
    const target = holder && holder.querySelector('input, select, textarea');
    items.push(h('li', {}, target && shown
      ? h('a', { href: `#${target.id}`, onclick: (e) => { e.preventDefault(); target.focus(); } }, `${name}: ${reasonWords(v.reason)}`)
      : `${name}: ${reasonWords(v.reason)}`));
  }
  if (!summary) return;
  if (items.length === 0) {
    items.push(h('li', {}, problemWords({ data: problem }, 'Something went wrong; nothing was sent.')));
  }
  summary.replaceChildren(h('h3', {}, 'There is a problem'), h('ul', {}, items));
  summary.focus();
}

/**
 * The shared "cancel this task?" dialog (board and switchboard). Resolves to true when cancelled,
 * false when kept. Two clicks: Cancel on the row, then Cancel task here.
 */
export function confirmCancel(task, describe) {
  const dialog = document.getElementById('cancel');
  const form = document.getElementById('cancel-form');
  const reason = document.getElementById('cancel-reason');
  const error = document.getElementById('cancel-error');
  document.getElementById('cancel-what').textContent = describe;
  reason.value = '';
  error.textContent = '';
  return new Promise((resolve) => {
    const keep = document.getElementById('cancel-keep');
    const done = (value) => {
      form.onsubmit = null;
      keep.onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(value);
    };
    keep.onclick = () => done(false);
    dialog.onclose = () => done(false);
    form.onsubmit = async (e) => {
      e.preventDefault();
      const confirmButton = document.getElementById('cancel-confirm');
      confirmButton.disabled = true;
      const r = await api(`/api/v1/tasks/${task.id}/cancel`, { method: 'POST', body: { reason: reason.value || null } });
      confirmButton.disabled = false;
      if (r.ok) done(true);
      else error.textContent = problemWords(r, 'Not cancelled: try again.');
    };
    dialog.showModal();
  });
}

/** A short-lived notice at the top of the page, read out by screen readers. */
export function notice(text, { bad = false, ms = 8000 } = {}) {
  const box = document.getElementById('notices');
  if (!box) return;
  const p = h('p', { class: bad ? 'notice bad' : 'notice' }, text);
  box.append(p);
  setTimeout(() => p.remove(), ms);
}

/** The flag on a bleep whose message names a patient known from ADT (the API's messageNamesPatient), or null. */
export function namesPatientFlag(t) {
  return t.messageNamesPatient ? h('span', { class: 'names-patient', title: 'Bleep messages show on screens: no patient names' },
    '⚠ Message names a patient') : null;
}

/** What a task is, in a few words: "Bleep: call 4417" or "Cannula, 7B bed 12". */
export function summary(t) {
  if (t.kind === 'broadcast') return `Broadcast: ${t.message || 'team'}${t.detail ? ' · ' + t.detail : ''}`;
  if (t.kind === 'bleep') return `Bleep: call ${t.callback}${t.message ? ' ' + '(' + t.message + ')' : ''}`;
  const where = t.location ? ` · ${t.location.ward}${t.location.bed ? ' bed ' + t.location.bed : ''}` : '';
  return `${t.type || t.kind}${where}`;
}

// ---- Delivery state in words ----
const CHANNEL_WORDS = { 'in-app': 'app', sms: 'SMS', push: 'push', voice: 'call' };
const STATUS_WORDS = {
  pending: 'due', sending: 'sending', queued: 'queued', sent: 'sent', delivered: 'delivered', read: 'seen',
  failed: 'failed', withdrawn: 'withdrawn',
};

/** One channel's state in words that are true: "SMS withdrawn (no longer needed: they accepted it)", "no push on this phone". */
function channelWords(c) {
  const channel = CHANNEL_WORDS[c.channel] || c.channel;
  if (c.channel === 'push' && c.status === 'withdrawn' && /subscription/.test(c.reason || '')) return 'no push on this phone';
  if (c.status === 'withdrawn') return `${channel} withdrawn ${clock(c.at)}${c.reason ? ` (${c.reason})` : ''}`;
  const words = `${channel} ${STATUS_WORDS[c.status] || c.status} ${clock(c.at)}`;
  return words + (c.status === 'failed' || (c.status === 'pending' && c.reason) ? ` (${c.reason})` : '');
}

/** "Dr Ella Hughes: app delivered 02:14 · SMS sent 02:16, not seen". */
export function deliveryLine(person) {
  return `${person.name}: ${person.channels.map(channelWords).join(' · ')}, ${person.seen ? 'seen' : 'not seen'}`;
}

// ---- Task details: the whole timeline, one tap or click from every card and row ----
const STATUS_LABEL = {
  requested: 'Waiting to be offered', offered: 'Offered', accepted: 'Accepted', 'in-progress': 'In progress',
  completed: 'Completed', cancelled: 'Cancelled', failed: 'Failed: nobody accepted',
};

/** A "Details" button for a card or row: opens the task's details and timeline. */
export function detailButton(t, { label = 'Details' } = {}) {
  return h('button', {
    type: 'button', class: 'secondary details', 'aria-label': `${label}: ${summary(t)}`, dataset: { action: 'details' },
    onclick: (e) => openDetail(t.id, e.currentTarget),
  }, label);
}

/** Opens the shared details dialog for a task: facts, who has been alerted and how, and every event in words. */
export async function openDetail(id, opener) {
  const dialog = document.getElementById('detail');
  // The board and the console also show who claimed and dealt with the task's alerts (the phone has no such queue).
  const supervising = document.body.classList.contains('board') || document.body.classList.contains('console');
  const [task, deliveries, claims] = await Promise.all([api(`/api/v1/tasks/${id}`),
    api(`/api/v1/tasks/${id}/deliveries`), supervising ? api(`/api/v1/board/alerts/${id}/history`) : null]);
  if (!task.ok) {
    notice(problemWords(task, 'Could not open the task: try again.'), { bad: true });
    return;
  }
  const t = task.data;
  document.getElementById('detail-what').replaceChildren(priorityBadge(t.priority), ' ', h('strong', {}, summary(t)));
  const facts = [
    ['Status', STATUS_LABEL[t.status] || t.status],
    ['For', t.to ? t.to.name : ''],
    ['Raised', `${clock(t.raisedAt)} by ${t.requester ? t.requester.name : 'unknown'} (${age(t.raisedAt)} ago)`],
    t.owner ? ['Owner', t.owner.name] : null,
    t.offeredTo && t.offeredTo.length ? ['Offered to', t.offeredTo.map((p) => p.name).join(', ')] : null,
    t.escalation ? ['Escalation', `step ${t.escalation.step} of ${t.escalation.steps}: ${t.escalation.stepName || ''}`] : null,
    t.location ? ['Where', `Ward ${t.location.ward}${t.location.bed ? ' · bed ' + t.location.bed : ''}`] : null,
    t.kind === 'bleep' ? ['Callback', t.callback] : null,
    t.message ? ['Message', t.messageNamesPatient ? [t.message, ' ', namesPatientFlag(t)] : t.message] : null,
    t.patient ? ['Patient', `${t.patient.name} · NHS ${formatNhs(t.patient.nhsNumber)}`] : null,
    t.detail ? ['Detail', t.detail] : null,
    t.handoverNote ? ['Handover note', t.handoverNote.text] : null,
  ].filter(Boolean);
  document.getElementById('detail-facts').replaceChildren(...facts.map(([k, v]) => h('li', {}, h('strong', {}, `${k}: `), v)));
  const people = deliveries.ok ? deliveries.data : [];
  document.getElementById('detail-deliveries').replaceChildren(...(people.length
    ? people.map((p) => h('li', {}, deliveryLine(p))) : [h('li', {}, 'Nobody has been alerted yet.')]));
  const lines = [...(t.timeline || []), ...(claims && claims.ok ? claims.data : [])]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  document.getElementById('detail-timeline').replaceChildren(...lines.map((e) => h('li', {},
    h('time', { datetime: e.at }, clock(e.at)), ' ', e.text)));
  const close = document.getElementById('detail-close');
  close.onclick = () => dialog.close();
  dialog.onclose = () => { if (opener && opener.isConnected) opener.focus(); };
  if (!dialog.open) dialog.showModal();
  close.focus();
}
