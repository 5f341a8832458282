// The nurse-in-charge board: open tasks for a ward, live; who holds the roles now; cancel; and the
// ward request form (SBAR, NHS number checked as typed, target role suggested from the ward's cover).
import {
  api, LiveFeed, debounce, clock, age, h, priorityBadge, notice, summary, nhsProblem, clearErrors, fieldError,
  showProblem, confirmCancel, newKey, deliveryLine, detailButton, problemWords, namesPatientFlag,
} from './common.js';
import { threadButton, conversationEvent } from './conversations.js';

const wardFilter = document.getElementById('f-ward');
const priorityFilter = document.getElementById('f-priority');
const showFilter = document.getElementById('f-show');
const tbody = document.querySelector('#tasks tbody');
const summaryEl = document.getElementById('summary');
const holdersEl = document.getElementById('holders');
const form = document.getElementById('request');
const nhs = document.getElementById('r-nhs');
const nhsCheck = document.getElementById('r-nhs-check');
const requestWard = document.getElementById('r-ward');
const requestTo = document.getElementById('r-to');
const done = document.getElementById('request-done');

let directory = { roles: [], people: [], wards: [] };
let requestKey = newKey();

// ---- Filters: kept in the address, so a board can be bookmarked per ward ----
const params = new URLSearchParams(location.search);
// The ward in the address, else the last one chosen here, else the ward the signed-in nurse is in charge of now.
const homeWards = (document.getElementById('main').dataset.homeWards || '').split(' ').filter(Boolean);
const storedWard = localStorage.getItem('pagerless.board.ward');
wardFilter.value = params.has('ward') ? params.get('ward') : storedWard !== null ? storedWard : (homeWards[0] || '');
priorityFilter.value = params.get('priority') || '';
showFilter.value = params.get('show') === 'done' ? 'done' : '';
if (wardFilter.value) requestWard.value = wardFilter.value;

function onFilter() {
  const q = new URLSearchParams();
  q.set('ward', wardFilter.value); // "ward=" is all wards, kept as chosen

  if (priorityFilter.value) q.set('priority', priorityFilter.value);
  if (showFilter.value) q.set('show', showFilter.value);
  history.replaceState(null, '', `${location.pathname}${q.toString() ? '?' + q : ''}`);
  localStorage.setItem('pagerless.board.ward', wardFilter.value);
  if (wardFilter.value) {
    requestWard.value = wardFilter.value;
    fillTargets();
  }
  renderHolders();
  load();
}
wardFilter.addEventListener('change', onFilter);
priorityFilter.addEventListener('change', onFilter);
showFilter.addEventListener('change', onFilter);

// ---- Open tasks ----
async function load() {
  const q = new URLSearchParams();
  if (wardFilter.value) q.set('ward', wardFilter.value);
  if (priorityFilter.value) q.set('priority', priorityFilter.value);
  if (showFilter.value) q.set('show', showFilter.value);
  const r = await api(`/api/v1/board/tasks?${q}`);
  if (!r.ok) {
    if (r.status !== 0) summaryEl.textContent = problemWords(r, 'Could not load the board.');
    return;
  }
  render(r.data);
}
const reload = debounce(load, 200);

function render(items) {
  const focusedId = document.activeElement && document.activeElement.closest('tr')
    ? document.activeElement.closest('tr').dataset.taskId : null;
  tbody.replaceChildren(...items.map(row));
  const done = showFilter.value === 'done';
  if (items.length === 0) {
    tbody.append(h('tr', {}, h('td', { colspan: 9, class: 'small' }, done ? 'Nothing done in the last 12 hours.' : 'No open tasks.')));
  }
  const unaccepted = items.filter((b) => b.unaccepted).length;
  const alerts = items.filter((b) => b.alert).length;
  document.getElementById('open-title').textContent = done ? 'Done in the last 12 hours' : 'Open tasks';
  summaryEl.textContent = done ? `${items.length} done, latest first`
    : `${items.length} open · ${unaccepted} not yet accepted${alerts ? ` · ${alerts} waiting for a person to act` : ''}`;
  if (focusedId) {
    const button = tbody.querySelector(`tr[data-task-id="${focusedId}"] button`);
    if (button) button.focus();
  }
  loadDeliveries();
}

// ---- Delivery state per task: polled (delivery receipts are not task events, so they do not come live) ----
async function loadDeliveries() {
  const rows = [...tbody.querySelectorAll('tr[data-task-id]')];
  // A few dozen ids per request: the whole query stays well inside the server's request-line limit.
  for (let i = 0; i < rows.length; i += 40) {
    const chunk = rows.slice(i, i + 40);
    const q = new URLSearchParams();
    chunk.forEach((tr) => q.append('task', tr.dataset.taskId));
    const r = await api(`/api/v1/board/deliveries?${q}`);
    if (!r.ok) return;
    chunk.forEach((tr) => {
      const cell = tr.querySelector('.deliveries');
      const current = (tr.dataset.paged || '').split(' ');
      const people = (r.data[tr.dataset.taskId] || []).filter((p) => current.includes(p.staffId));
      const text = people.map(deliveryLine);
      if (cell && cell.dataset.text !== text.join('\n')) {
        cell.dataset.text = text.join('\n');
        cell.replaceChildren(...text.map((t) => h('div', { class: 'delivery' }, t)));
      }
    });
  }
}

function statusText(b) {
  const t = b.task;
  if (b.alert) return h('span', { class: 'alert-text' }, `Waiting: ${b.alert.explanation}`);
  switch (t.status) {
    case 'offered': return `Offered to ${(t.offeredTo || []).map((p) => p.name).join(', ')}`;
    case 'accepted': return `Accepted by ${t.owner.name} at ${clock(t.acceptedAt)}`;
    case 'in-progress': return `In progress: ${t.owner.name}`;
    case 'requested': return 'Requested: being routed';
    case 'completed': return `Completed by ${t.owner ? t.owner.name : 'unknown'} at ${clock(t.updatedAt)}`;
    case 'cancelled': return `Cancelled at ${clock(t.updatedAt)}`;
    case 'failed': return `Failed at ${clock(t.updatedAt)}: nobody accepted`;
    default: return t.status;
  }
}

function row(b) {
  const t = b.task;
  const closed = ['completed', 'cancelled', 'failed'].includes(t.status);
  let what;
  if (t.kind === 'bleep') {
    what = [h('span', {}, `Bleep: call ${t.callback}`), t.message ? h('span', { class: 'small' }, ` ${t.message}`) : null,
      t.message ? [' ', namesPatientFlag(t)] : null];
  } else if (t.kind === 'broadcast') {
    const roll = t.rollCall;
    what = [h('span', {}, `Broadcast to ${t.to ? t.to.name : 'team'}: ${t.message || ''}`),
      t.detail ? h('div', { class: 'small' }, `Where: ${t.detail}`) : null,
      roll ? h('div', { class: 'small rollcall-line' }, `${roll.acknowledged.length} of ${roll.acknowledged.length + roll.missing.length} acknowledged`
        + (roll.missing.length ? `; not yet: ${roll.missing.map((p) => p.name).join(', ')}` : '')) : null];
  } else {
    what = [h('span', {}, t.type || 'Task'), t.news2 !== undefined && t.news2 !== null ? h('span', { class: 'small' }, ` · NEWS2 ${t.news2}`) : null];
  }
  const where = t.location ? `${t.location.ward}${t.location.bed ? ' · bed ' + t.location.bed : ''}` : '—';
  const latest = b.declines.map((d) => h('div', { class: 'decline' }, `Declined by ${d.by.name}: ${d.reason} (${clock(d.at)})`));
  if (t.lastReason && t.lastReason.what !== 'declined') {
    latest.push(h('div', { class: 'last-reason' }, `${t.lastReason.text} (${clock(t.lastReason.at)})`));
  }
  const esc = t.escalation;
  const breached = esc && (esc.overdue || (esc.dueAt && Date.parse(esc.dueAt) <= Date.now()));
  const classes = [b.unaccepted ? 'unaccepted' : '', b.alert ? 'alerted' : '', breached ? 'breach' : ''].join(' ').trim();
  // Whose delivery state the row shows: those it is offered to now, or its owner (not those who declined).
  const paged = [...(t.offeredTo || []).map((p) => p.id), t.owner ? t.owner.id : null].filter(Boolean).join(' ');
  return h('tr', { class: classes || null, dataset: { taskId: t.id, status: t.status, paged } },
    h('td', {}, priorityBadge(t.priority), t.fyi ? h('span', { class: 'small' }, ' FYI') : null),
    h('td', {}, what),
    h('td', {}, where),
    h('td', {}, t.to ? t.to.name : ''),
    h('td', { class: 'status' }, statusText(b), h('div', { class: 'deliveries small' })),
    h('td', { class: 'level' }, t.level > 0 ? String(t.level) : '—',
      esc && esc.overdue ? h('div', { class: 'overdue' }, esc.overdue === 'not-started' ? 'Overdue: not started' : 'Overdue: not completed') : null,
      esc && esc.dueAt ? h('div', { class: 'countdown small', dataset: { due: esc.dueAt, waiting: esc.waitingFor || '', next: nextLabel(b) } },
        countdown(esc.dueAt, esc.waitingFor, nextLabel(b))) : null),
    h('td', { class: 'age', dataset: { since: t.raisedAt } }, age(t.raisedAt)),
    h('td', { class: 'latest' }, latest),
    closed ? h('td', {}, detailButton(t)) : h('td', {}, detailButton(t), ' ', t.kind !== 'broadcast' ? reassignSelect(t) : null, ' ', esc && b.unaccepted && !t.owner && t.level < esc.steps ? h('button', {
      type: 'button', class: 'escalate', 'aria-label': `Escalate now: ${summary(t)}`,
      onclick: async () => {
        const r = await api(`/api/v1/tasks/${t.id}/escalate`, { method: 'POST' });
        if (r.ok) notice(`Escalated to step ${r.data.level}: ${summary(t)}`);
        else notice(`Not escalated. ${problemWords(r, 'Try again.')}`, { bad: true });
        load();
      },
    }, 'Escalate now') : null, ' ', t.kind !== 'broadcast' ? threadButton(t, summary(t)) : null, ' ', h('button', {
      type: 'button', class: 'secondary', 'aria-label': `Cancel ${summary(t)}`,
      onclick: async () => {
        if (await confirmCancel(t, summary(t))) {
          notice(`Cancelled: ${summary(t)}`);
          load();
        }
      },
    }, 'Cancel')));
}

/** Reassign in two clicks: open the list, pick a role (held now) or a person. */
function reassignSelect(t) {
  const roles = directory.roles.filter((r) => r.holders.length && !(t.to && t.to.type === 'role' && t.to.id === r.id));
  const select = h('select', { class: 'reassign', 'aria-label': `Reassign ${summary(t)} to` },
    h('option', { value: '' }, 'Reassign to…'),
    h('optgroup', { label: 'Roles held now' }, roles.map((r) => h('option', { value: `role:${r.id}` }, r.name))),
    h('optgroup', { label: 'People on shift' }, directory.people.filter((p) => p.rolesNow.length)
      .map((p) => h('option', { value: `person:${p.id}` }, `${p.name} (${p.rolesNow.join(', ')})`))));
  select.addEventListener('change', async () => {
    if (!select.value) return;
    const [kind, id] = select.value.split(':');
    select.disabled = true;
    const r = await api(`/api/v1/tasks/${t.id}/reassign`, { method: 'POST', body: { [kind]: id } });
    if (r.ok) notice(`Reassigned to ${r.data.to ? r.data.to.name : id}: ${summary(t)}`);
    else notice(`Not reassigned. ${problemWords(r, 'Try again.')}`, { bad: true });
    load();
  });
  return select;
}

/** "Next: Medical Registrar On-Call (Dr Fiona Bell)": where the chain goes if nobody accepts, or "" when not waiting. */
function nextLabel(b) {
  const n = b.next;
  if (!n) return '';
  if (!n.step) return `Next: ${n.name}`;
  return `Next: ${n.name} (${n.people.length ? n.people.map((p) => p.name).join(', ') : 'nobody on shift'})`;
}

/**
 * "Next: Medical Registrar On-Call (Dr Fiona Bell) in 9:58" (waiting for an accept) or "due in 12:00" (waiting for
 * the owner); past due, how long ago.
 */
function countdown(dueAt, waitingFor, next) {
  const left = Math.round((Date.parse(dueAt) - Date.now()) / 1000);
  const mmss = (secs) => `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
  if (waitingFor === 'ack-timeout' && next) return left > 0 ? `${next} in ${mmss(left)}` : `${next}: due ${mmss(-left)} ago`;
  const what = waitingFor === 'ack-timeout' ? 'escalates' : 'due';
  return left > 0 ? `${what} in ${mmss(left)}` : `${what} ${mmss(-left)} ago`;
}

function tickCountdowns() {
  tbody.querySelectorAll('.countdown').forEach((el) => {
    el.textContent = countdown(el.dataset.due, el.dataset.waiting, el.dataset.next);
    if (Date.parse(el.dataset.due) <= Date.now()) el.closest('tr').classList.add('breach');
  });
}

// ---- Who holds the roles now ----
async function loadDirectory() {
  const r = await api('/api/v1/board/directory');
  if (!r.ok) return;
  directory = r.data;
  renderHolders();
  fillTargets();
}

function renderHolders() {
  const wards = wardFilter.value ? directory.wards.filter((w) => w.id === wardFilter.value) : directory.wards;
  const ids = [...new Set(wards.flatMap((w) => w.relevantRoleIds))];
  const roles = ids.map((id) => directory.roles.find((r) => r.id === id)).filter(Boolean);
  holdersEl.replaceChildren(...roles.map((role) => h('li', {},
    h('strong', {}, role.name), role.bleep ? h('span', { class: 'small' }, ` · bleep ${role.bleep}`) : null, h('br'),
    role.holders.length
      ? role.holders.map((p, i) => [i ? ', ' : '', `${p.name} (until ${clock(p.until)})`])
      : h('span', { class: 'nobody' }, 'Nobody holds this role now'))));
}

function fillTargets() {
  const ward = directory.wards.find((w) => w.id === requestWard.value);
  if (!ward) return;
  const label = (role) => `${role.name}: ${role.holders.length ? role.holders.map((p) => p.name).join(', ') : 'nobody on shift'}`;
  const covering = ward.coveringRoleIds.map((id) => directory.roles.find((r) => r.id === id)).filter(Boolean);
  const others = directory.roles.filter((r) => !ward.coveringRoleIds.includes(r.id));
  requestTo.replaceChildren(
    h('optgroup', { label: `Covering ${ward.name}` }, covering.map((r) => h('option', {
      value: r.id, selected: r.id === ward.suggestedRoleId,
    }, r.id === ward.suggestedRoleId ? `${label(r)} (suggested)` : label(r)))),
    h('optgroup', { label: 'Other roles' }, others.map((r) => h('option', { value: r.id }, label(r)))));
  document.getElementById('r-to-hint').textContent = ward.suggestedRoleId
    ? 'Suggested: the role covering the ward now.' : 'No role covers this ward: choose one.';
}
requestWard.addEventListener('change', fillTargets);

// ---- NHS number, checked as it is typed (the server checks again) ----
function checkNhs({ final = false } = {}) {
  const value = nhs.value.trim();
  const digits = value.replace(/[\s-]/g, '');
  nhsCheck.textContent = '';
  if (!value) {
    fieldError(form, 'patient.nhsNumber', null);
    return true;
  }
  if (/[^\d\s-]/.test(value) || digits.length > 10 || (final && digits.length < 10)) {
    fieldError(form, 'patient.nhsNumber', 'must be 10 digits');
    return false;
  }
  if (digits.length < 10) {
    fieldError(form, 'patient.nhsNumber', null);
    nhsCheck.textContent = '';
    document.getElementById('r-nhs-hint').textContent = `10 digits, checked as you type (${digits.length} of 10)`;
    return true;
  }
  document.getElementById('r-nhs-hint').textContent = '10 digits, checked as you type';
  const problem = nhsProblem(value);
  fieldError(form, 'patient.nhsNumber', problem);
  if (!problem) nhsCheck.textContent = 'Valid NHS number';
  return !problem;
}
nhs.addEventListener('input', () => checkNhs());
nhs.addEventListener('blur', () => checkNhs({ final: true }));

function sbar() {
  const parts = [['S', 'r-s'], ['B', 'r-b'], ['A', 'r-a'], ['R', 'r-r']]
    .map(([letter, id]) => [letter, document.getElementById(id).value.trim()])
    .filter(([, text]) => text);
  return parts.map(([letter, text]) => `${letter}: ${text}`).join('\n');
}

form.addEventListener('input', () => { done.textContent = ''; });
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(form);
  if (!checkNhs({ final: true })) {
    nhs.focus();
    return;
  }
  const news2 = document.getElementById('r-news2').value.trim();
  const body = {
    to: requestTo.value ? { role: requestTo.value } : null,
    patient: { nhsNumber: nhs.value.trim(), name: document.getElementById('r-name').value.trim() },
    location: { ward: requestWard.value, bed: document.getElementById('r-bed').value.trim() || null },
    type: document.getElementById('r-type').value.trim(),
    detail: sbar(),
    priority: document.getElementById('r-priority').value || null,
    news2: news2 === '' ? null : Number(news2),
  };
  const send = document.getElementById('request-send');
  send.disabled = true;
  const r = await api('/api/v1/tasks', { method: 'POST', body, key: requestKey });
  send.disabled = false;
  if (r.ok) {
    const to = requestTo.selectedOptions[0] ? requestTo.selectedOptions[0].textContent.split(':')[0] : 'the covering role';
    done.textContent = `Request sent to ${to}. It is on the board.`;
    ['r-nhs', 'r-name', 'r-bed', 'r-type', 'r-news2', 'r-s', 'r-b', 'r-a', 'r-r'].forEach((id) => {
      document.getElementById(id).value = '';
    });
    document.getElementById('r-priority').value = '';
    nhsCheck.textContent = '';
    requestKey = newKey();
    load();
    return;
  }
  // 4xx: nothing was raised, so the next try is a new request. Network or 5xx: it may have been; retry with the same key.
  if (r.status >= 400 && r.status < 500) requestKey = newKey();
  showProblem(form, r.data);
});

// ---- Live ----
function updateAges() {
  tbody.querySelectorAll('.age').forEach((el) => { el.textContent = age(el.dataset.since); });
}
const live = new LiveFeed({ onEvent: (e) => { if (!conversationEvent(e)) reload(); }, onOpen: load, statusEl: document.getElementById('conn') }).start();
window.pagerless = { live };
loadDirectory();
load();
setInterval(updateAges, 15000);
setInterval(tickCountdowns, 1000);
setInterval(loadDirectory, 60000);
setInterval(load, 30000); // a safety net: ages, and anything a lost event would have missed
setInterval(loadDeliveries, 5000);
