// The switchboard console: bleep a role, a person or a bleep number in two actions (type, pick,
// Bleep), see who holds a role now, and work the queue of alerts that need a human.
import {
  api, LiveFeed, debounce, clock, age, h, priorityBadge, notice, summary, clearErrors, fieldError, showProblem,
  confirmCancel, newKey, me, detailButton, problemWords, namesPatientFlag,
} from './common.js';

const form = document.getElementById('bleep');
const who = document.getElementById('who');
const list = document.getElementById('who-list');
const holds = document.getElementById('who-holds');
const callback = document.getElementById('callback');
const message = document.getElementById('message');
const priority = document.getElementById('priority');
const done = document.getElementById('bleep-done');
const sentEl = document.getElementById('sent');
const alertsEl = document.getElementById('alerts');

let directory = { roles: [], people: [], wards: [] };
let entries = [];
let options = [];
let active = -1;
let chosen = null;
let bleepKey = newKey();
/** Bleeps and broadcasts sent in the last 12 h by any operator, newest first, as the server keeps them. */
let sent = [];

// ---- Directory: what the type-ahead searches ----
async function loadDirectory() {
  const r = await api('/api/v1/board/directory');
  if (!r.ok) return;
  directory = r.data;
  entries = [
    ...directory.roles.map((role) => ({
      kind: 'role', key: `role:${role.id}`, label: role.name, role, to: { role: role.id },
      sub: `Role · bleep ${role.bleep || '—'} · ${holderNames(role)}`,
      search: `${role.name} ${role.bleep || ''} ${role.holders.map((p) => p.name).join(' ')}`.toLowerCase(),
    })),
    ...directory.people.map((person) => ({
      kind: 'person', key: `person:${person.id}`, label: person.name, person, to: { person: person.id },
      sub: `Person · ${[person.grade, person.rolesNow.join(', ') || 'not on shift now'].filter(Boolean).join(' · ')}`,
      search: `${person.name} ${person.id} ${person.rolesNow.join(' ')}`.toLowerCase(),
    })),
  ];
  renderHolds();
  renderRollCalls();
}

function holderNames(role) {
  return role.holders.length ? role.holders.map((p) => p.name).join(', ') : 'nobody on shift';
}

function match(query) {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const found = [];
  if (/^\d+$/.test(q)) {
    // A bleep number: the roles whose bleep starts with it come first.
    directory.roles.filter((r) => r.bleep && r.bleep.startsWith(q)).forEach((role) => found.push({
      kind: 'bleep', key: `bleep:${role.bleep}`, label: `${role.bleep} · ${role.name}`, role, to: { bleep: role.bleep },
      sub: `Bleep number · ${holderNames(role)}`, rank: role.bleep === q ? -1 : 0,
    }));
  }
  const tokens = q.split(/\s+/);
  for (const e of entries) {
    if (!tokens.every((t) => e.search.includes(t))) continue;
    const label = e.label.toLowerCase();
    let rank = 3;
    if (label.startsWith(q)) rank = 1;
    else if (label.split(/\s+/).some((w) => w.startsWith(tokens[0]))) rank = 2;
    found.push({ ...e, rank: rank + (e.kind === 'person' ? 0.5 : 0) });
  }
  return found.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label)).slice(0, 8);
}

// ---- The combobox (ARIA 1.2: input with a listbox popup) ----
function openList(found) {
  options = found;
  active = found.length ? 0 : -1;
  list.replaceChildren(...found.map((o, i) => h('li', {
    id: `who-opt-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false',
    onmousedown: (e) => e.preventDefault(), // keep focus in the input
    onclick: () => choose(o),
  }, h('span', {}, o.label), h('span', { class: 'small' }, o.sub))));
  const open = found.length > 0;
  list.hidden = !open;
  who.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (active >= 0) who.setAttribute('aria-activedescendant', `who-opt-${active}`);
  else who.removeAttribute('aria-activedescendant');
}

function closeList() {
  list.hidden = true;
  who.setAttribute('aria-expanded', 'false');
  who.removeAttribute('aria-activedescendant');
}

function move(by) {
  if (!options.length) return;
  active = (active + by + options.length) % options.length;
  list.querySelectorAll('[role="option"]').forEach((li, i) => li.setAttribute('aria-selected', i === active ? 'true' : 'false'));
  who.setAttribute('aria-activedescendant', `who-opt-${active}`);
  document.getElementById(`who-opt-${active}`).scrollIntoView({ block: 'nearest' });
}

function choose(option) {
  chosen = option;
  who.value = option.label;
  closeList();
  fieldError(form, 'to', null);
  showHolder(option);
  if (!callback.value) callback.focus();
}

function showHolder(option) {
  if (!option) {
    holds.textContent = '';
    return;
  }
  if (option.role) {
    const r = option.role;
    holds.replaceChildren(r.holders.length
      ? `${r.name}: held now by ${r.holders.map((p) => `${p.name} (until ${clock(p.until)})`).join(', ')} · bleep ${r.bleep || '—'}`
      : h('span', { class: 'nobody' }, `Nobody holds ${r.name} now: a bleep will wait and appear under Needs a human.`));
  } else {
    const p = option.person;
    holds.textContent = `${p.name}${p.grade ? ', ' + p.grade : ''}: ${p.rolesNow.length ? 'on shift as ' + p.rolesNow.join(', ') : 'not on shift now'}`;
  }
}

who.addEventListener('input', () => {
  if (chosen && who.value !== chosen.label) {
    chosen = null;
    showHolder(null);
  }
  openList(match(who.value));
});
who.addEventListener('keydown', (e) => {
  const open = !list.hidden;
  if (e.key === 'ArrowDown') {
    e.preventDefault();
    if (!open) openList(match(who.value)); else move(1);
  } else if (e.key === 'ArrowUp') {
    e.preventDefault();
    if (open) move(-1);
  } else if (e.key === 'Enter' && open && active >= 0) {
    e.preventDefault(); // Enter picks; the next Enter (or the button) bleeps
    choose(options[active]);
  } else if (e.key === 'Escape' && open) {
    e.preventDefault();
    closeList();
  }
});
who.addEventListener('blur', () => setTimeout(closeList, 100));

// ---- Bleep ----
form.addEventListener('input', (e) => { if (e.target !== who) done.textContent = ''; });
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(form);
  let target = chosen;
  if (!target) {
    const q = who.value.trim();
    const found = match(q);
    if (/^\d+$/.test(q)) target = { label: `bleep ${q}`, to: { bleep: q } };
    else if (found.length === 1) target = found[0];
  }
  if (!target) {
    fieldError(form, 'to', who.value.trim() ? 'pick who to bleep from the list' : 'is required: type a role, a name or a bleep number');
    who.focus();
    return;
  }
  const button = document.getElementById('bleep-send');
  button.disabled = true;
  const body = { to: target.to, callback: callback.value.trim(), message: message.value.trim() || null, priority: priority.value };
  const r = await api('/api/v1/bleeps', { method: 'POST', body, key: bleepKey });
  button.disabled = false;
  if (!r.ok) {
    if (r.status >= 400 && r.status < 500) bleepKey = newKey();
    showProblem(form, r.data);
    return;
  }
  bleepKey = newKey();
  done.textContent = `Bleeped ${target.label}: call ${body.callback}.`;
  if (r.data && (r.data.warnings || []).some((w) => w.field === 'message')) {
    // Taken, but the sender must know: said plainly, beside the confirmation, and it stays until the next bleep.
    done.textContent += ' But the message names a patient on the ward list: bleep messages show on consoles and '
      + 'boards, so please leave names out and send patient details as a task request.';
    done.classList.add('warn');
  } else {
    done.classList.remove('warn');
  }
  loadSent();
  who.value = '';
  message.value = '';
  callback.value = '';
  priority.value = 'urgent'; // the next bleep starts from the default again, never a leftover stat
  chosen = null;
  showHolder(null);
  who.focus();
});

/** Where a bleep or broadcast stands, in words. */
function statusWords(t) {
  const owner = t.owner ? t.owner.name : '';
  switch (t.status) {
    case 'requested': return 'waiting: nobody to offer it to';
    case 'offered': return `offered to ${t.offeredTo.map((p) => p.name).join(', ') || 'nobody'}`;
    case 'accepted': return `accepted by ${owner}${t.acceptedAt ? ' at ' + clock(t.acceptedAt) : ''}`;
    case 'in-progress': return `started by ${owner}`;
    case 'completed': return `completed by ${owner}`;
    case 'cancelled': return 'cancelled';
    case 'failed': return 'failed: nobody accepted';
    default: return t.status;
  }
}

function stepWords(t) {
  const e = t.escalation;
  return e ? ` · step ${e.step} of ${e.steps}${e.stepName ? ' (' + e.stepName + ')' : ''}` : '';
}

async function loadSent() {
  const r = await api('/api/v1/board/sent');
  if (!r.ok) return;
  const state = JSON.stringify(r.data);
  if (state === shownSent) return;
  shownSent = state;
  sent = r.data;
  renderSent();
  renderRollCalls();
}
const reloadSent = debounce(loadSent, 200);
let shownSent = '';

function renderSent() {
  document.getElementById('sent-empty').hidden = sent.length > 0;
  sentEl.replaceChildren(...sent.slice(0, 50).map((t) => h('li', { dataset: { taskId: t.id, status: t.status } },
    priorityBadge(t.priority), ' ', h('strong', {}, t.kind === 'broadcast' ? `Broadcast to ${t.to.name}` : t.to.name),
    t.kind === 'bleep' ? ` · call ${t.callback}` : ` · ${t.detail || ''} ${t.message || ''}`,
    t.messageNamesPatient ? [' ', namesPatientFlag(t)] : null,
    ` · sent ${clock(t.raisedAt)} by ${t.requester ? t.requester.name : 'unknown'} (`,
    h('span', { class: 'age', dataset: { since: t.raisedAt } }, age(t.raisedAt)), ' ago)', stepWords(t), ': ',
    h('span', { class: 'status' }, t.kind === 'broadcast' && t.rollCall
      ? `${t.rollCall.acknowledged.length} of ${t.rollCall.acknowledged.length + t.rollCall.missing.length} acknowledged`
      : statusWords(t)), ' ', detailButton(t))));
}

// ---- Needs a human ----
let shownAlerts = '';
async function loadAlerts() {
  const [r, ops] = await Promise.all([api('/api/v1/board/alerts'), api('/api/v1/ops/alerts')]);
  if (!r.ok) return;
  // Problems with Pagerless itself (parked messages, a stalled consumer) come first: pages may be missing.
  const system = ops.ok ? ops.data : [];
  // Redraw only on change: a redraw drops keyboard focus and whatever the operator was about to click.
  const state = JSON.stringify(r.data) + JSON.stringify(system);
  if (state === shownAlerts) return;
  shownAlerts = state;
  const total = r.data.length + system.length;
  document.getElementById('alerts-empty').hidden = total > 0;
  document.getElementById('alerts-count').textContent = total ? `(${total})` : '';
  alertsEl.replaceChildren(...system.map(opsItem), ...r.data.map(alertItem));
}

function opsItem(a) {
  return h('li', { dataset: { ops: a.kind, consumer: a.consumer } },
    h('div', { class: 'meta' }, h('strong', {}, a.kind === 'stalled' ? 'Pagerless is behind' : 'Messages set aside')),
    h('p', { class: 'alert-text' }, a.explanation));
}
const reloadAlerts = debounce(loadAlerts, 200);

async function alertAction(t, what) {
  const r = await api(`/api/v1/board/alerts/${t.id}/${what}`, { method: 'POST', body: {} });
  if (r.ok) notice(what === 'claim' ? `You are dealing with: ${summary(t)}` : `Dealt with: ${summary(t)}`);
  else notice(problemWords(r), { bad: true });
  loadAlerts();
}

function alertItem(b) {
  const t = b.task;
  const claimedByMe = b.alert.claimedBy && b.alert.claimedBy.id === me;
  return h('li', { dataset: { taskId: t.id } },
    h('div', { class: 'meta' }, priorityBadge(t.priority), ' ', h('strong', {}, summary(t))),
    h('p', { class: 'alert-text' }, b.alert.explanation),
    h('p', { class: 'small' }, 'Waiting ', h('span', { class: 'age', dataset: { since: b.alert.at } }, age(b.alert.at)),
      ` · from ${t.requester ? t.requester.name : 'unknown'}${t.kind === 'bleep' ? ' · call ' + t.callback : ''}`
      + stepWords(t)),
    h('p', { class: 'claim' }, b.alert.claimedBy
      ? `Claimed by ${claimedByMe ? 'you' : b.alert.claimedBy.name} at ${clock(b.alert.claimedAt)}`
      : 'Not claimed: nobody is dealing with it yet'),
    h('div', { class: 'actions' },
      detailButton(t),
      claimedByMe ? null : h('button', {
        type: 'button', class: 'claim-it', 'aria-label': `Claim: I am dealing with ${summary(t)}`,
        onclick: () => alertAction(t, 'claim'),
      }, 'I am dealing with it'),
      h('button', {
        type: 'button', class: 'resolve-it secondary', 'aria-label': `Dealt with: ${summary(t)}`,
        onclick: () => alertAction(t, 'resolve'),
      }, 'Dealt with'),
      h('button', {
        type: 'button', 'aria-label': `Bleep someone for: ${summary(t)}`,
        onclick: () => {
          callback.value = t.callback || '';
          message.value = t.kind === 'bleep' ? (t.message || '') : `${t.type || 'Task'} ${t.location ? t.location.ward : ''}`.trim();
          priority.value = t.priority;
          who.value = '';
          chosen = null;
          showHolder(null);
          done.textContent = '';
          who.focus();
          notice('Choose who to bleep instead; then cancel the original if it is no longer needed.');
        },
      }, 'Bleep someone'),
      h('button', {
        type: 'button', class: 'secondary cancel-it', 'aria-label': `Cancel ${summary(t)}`,
        onclick: async () => {
          if (await confirmCancel(t, summary(t))) {
            notice(`Cancelled: ${summary(t)}`);
            loadAlerts();
          }
        },
      }, 'Cancel')));
}

// ---- Who holds a role now ----
const holdsFilter = document.getElementById('holds-filter');
function renderHolds() {
  const q = holdsFilter.value.trim().toLowerCase();
  const roles = directory.roles.filter((r) => !q || `${r.name} ${r.bleep} ${holderNames(r)}`.toLowerCase().includes(q));
  document.getElementById('holds').replaceChildren(...roles.map((r) => h('li', {},
    h('strong', {}, r.name), h('span', { class: 'small' }, ` · bleep ${r.bleep || '—'}`), h('br'),
    r.holders.length ? r.holders.map((p, i) => [i ? ', ' : '', `${p.name} (until ${clock(p.until)})`])
      : h('span', { class: 'nobody' }, 'Nobody holds this role now'))));
}
holdsFilter.addEventListener('input', renderHolds);

// ---- 2222 / major-incident broadcast, with its live roll-call ----
const broadcastForm = document.getElementById('broadcast');
const teamSelect = document.getElementById('team');
const rollcallsEl = document.getElementById('rollcalls');
/** What the roll-calls last showed, by task id: redraw only on change (a redraw would drop keyboard focus). */
let shownRollCalls = '';
let teams = [];
/** Delivery state of the live broadcasts, by task id: failed texts and calls to those not yet acknowledged. */
let rollCallDeliveries = {};

async function loadRollCallDeliveries() {
  const live = sent.filter((t) => t.kind === 'broadcast' && (t.status === 'offered' || t.status === 'requested'));
  if (!live.length) return;
  const q = new URLSearchParams();
  live.forEach((t) => q.append('task', t.id));
  const r = await api(`/api/v1/board/deliveries?${q}`);
  if (!r.ok) return;
  if (JSON.stringify(r.data) === JSON.stringify(rollCallDeliveries)) return;
  rollCallDeliveries = r.data;
  shownRollCalls = '';
  renderRollCalls();
}

/** The team's roles nobody holds now: nobody was alerted for them. */
function uncoveredRoles(t) {
  const team = teams.find((x) => t.to && x.id === t.to.id);
  if (!team) return [];
  return team.roleIds.map((id) => directory.roles.find((r) => r.id === id)).filter((r) => r && !r.holders.length)
    .map((r) => r.name);
}

/** "text failed (no mobile number on record)" for one person not yet acknowledged, or null. */
function failures(taskId, staffId) {
  const person = (rollCallDeliveries[taskId] || []).find((p) => p.staffId === staffId);
  if (!person) return null;
  const failed = person.channels.filter((c) => c.status === 'failed')
    .map((c) => `${c.channel === 'sms' ? 'text' : c.channel === 'voice' ? 'call' : c.channel} failed${c.reason ? ' (' + c.reason + ')' : ''}`);
  return failed.length ? failed.join(', ') : null;
}
let broadcastKey = newKey();

async function loadTeams() {
  const r = await api('/api/v1/teams');
  if (!r.ok) return;
  teams = r.data;
  teamSelect.replaceChildren(...r.data.map((t) => h('option', { value: t.id }, t.name)));
}

broadcastForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(broadcastForm);
  const button = document.getElementById('broadcast-send');
  button.disabled = true;
  const body = {
    team: teamSelect.value,
    message: document.getElementById('broadcast-message').value.trim() || null,
    location: document.getElementById('broadcast-location').value.trim() || null,
  };
  const r = await api('/api/v1/broadcasts', { method: 'POST', body, key: broadcastKey });
  button.disabled = false;
  if (!r.ok) {
    if (r.status >= 400 && r.status < 500) broadcastKey = newKey();
    showProblem(broadcastForm, r.data);
    return;
  }
  broadcastKey = newKey();
  const name = teamSelect.options[teamSelect.selectedIndex].text;
  document.getElementById('broadcast-done').textContent = `Broadcast to ${name}: waiting for the roll-call.`;
  document.getElementById('broadcast-message').value = '';
  document.getElementById('broadcast-location').value = '';
  loadSent();
});

/** Every live roll-call: broadcasts still open, from any console. */
function renderRollCalls() {
  const live = sent.filter((t) => t.kind === 'broadcast' && t.rollCall && (t.status === 'offered' || t.status === 'requested'));
  const state = JSON.stringify(live) + JSON.stringify(directory.roles.map((r) => r.holders.length));
  if (state === shownRollCalls) return;
  shownRollCalls = state;
  rollcallsEl.replaceChildren(...live.map((t) => {
    const roll = t.rollCall;
    const open = t.status === 'offered' || t.status === 'requested';
    return h('div', { class: 'rollcall', dataset: { taskId: t.id } },
      h('h3', {}, `${t.to ? t.to.name : 'Team'}: ${t.message || ''}${t.detail ? ' · ' + t.detail : ''}`),
      h('p', { class: 'small' }, `Raised ${clock(t.raisedAt)} by ${t.requester ? t.requester.name : 'unknown'} · `
        + `${roll.acknowledged.length} of ${roll.acknowledged.length + roll.missing.length} acknowledged`),
      h('ul', { class: 'holders acknowledged' }, roll.acknowledged.map((a) => h('li', { dataset: { staffId: a.id } },
        h('span', { class: 'ack' }, '✓ '), h('strong', {}, a.name), ` acknowledged ${clock(a.at)}`))),
      uncoveredRoles(t).length ? h('p', { class: 'alert-text uncovered' },
        `Nobody on shift as ${uncoveredRoles(t).join(', ')}: nobody was alerted for ${uncoveredRoles(t).length > 1 ? 'these roles' : 'this role'}.`) : null,
      h('ul', { class: 'holders missing' }, roll.missing.map((p) => h('li', { dataset: { staffId: p.id } },
        h('span', { class: 'nobody' }, '✗ '), h('strong', {}, p.name), ' not yet · ',
        // Counting from when the broadcast went out: a re-alert does not reset how long they have been missing.
        h('span', { class: 'age', dataset: { since: t.raisedAt } }, age(t.raisedAt)),
        roll.lastAlertedAt && roll.lastAlertedAt !== t.raisedAt ? ` · re-alerted ${clock(roll.lastAlertedAt)}` : '',
        failures(t.id, p.id) ? h('span', { class: 'alert-text failed' }, ` · ${failures(t.id, p.id)}`) : null))),
      open && roll.missing.length ? h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'realert', 'aria-label': `Re-alert the ${roll.missing.length} missing`,
        onclick: async () => {
          const r = await api(`/api/v1/tasks/${t.id}/realert`, { method: 'POST' });
          if (r.ok) notice(`Re-alerted ${roll.missing.length} not yet acknowledged`);
          else notice(`Not re-alerted. ${problemWords(r, 'Try again.')}`, { bad: true });
          loadSent();
        },
      }, `Re-alert the missing (${roll.missing.length})`)) : null);
  }));
}

// ---- Live ----
function onEvent(envelope) {
  const t = envelope.task;
  if (t && (t.kind === 'BLEEP' || t.kind === 'BROADCAST' || sent.some((s) => s.id === t.id))) reloadSent();
  reloadAlerts();
}

function updateAges() {
  document.querySelectorAll('.age').forEach((el) => { el.textContent = age(el.dataset.since); });
}

const live = new LiveFeed({ onEvent, onOpen: () => { loadAlerts(); loadSent(); }, statusEl: document.getElementById('conn') }).start();
window.pagerless = { live };
loadDirectory();
loadTeams();
loadAlerts();
loadSent();
// A safety net: claims made on another server, problems with Pagerless itself (no task event), and anything a lost
// connection missed.
setInterval(() => { loadSent(); loadAlerts(); }, 10000);
setInterval(loadRollCallDeliveries, 5000);
setInterval(updateAges, 1000);
setInterval(loadDirectory, 60000);
