// The junior doctor's phone app: my inbox, live. Every action is at most two taps:
// Accept · Decline → reason · Start · Complete · Hand back → reason.
import {
  api, LiveFeed, debounce, clock, age, formatNhs, h, priorityBadge, notice, summary, me, detailButton, telHref, problemWords, namesPatientFlag,
} from './common.js';
import { startAlerts } from './push.js';
import { mountPhoneConfirmation } from './phone.js';
import { threadButton, conversationEvent, mountConversationList } from './conversations.js';

const inboxEl = document.getElementById('inbox');
const emptyEl = document.getElementById('empty');
const shiftEl = document.getElementById('shift');
const declineDialog = document.getElementById('decline');
const handBackDialog = document.getElementById('handback');

/** The tasks on screen, by id, as last loaded. */
let shown = new Map();
let loadedOnce = false;

async function loadInbox() {
  const r = await api('/api/v1/me/tasks');
  if (!r.ok) {
    if (r.status === 0) return; // offline: the connection badge says so; keep what is on screen
    notice(problemWords(r, 'Could not load your tasks.'), { bad: true });
    return;
  }
  // What needs me to act comes first (an offer to accept, a broadcast to acknowledge); the server's order otherwise.
  const tasks = [...r.data].sort((a, b) => Number(needsAction(b)) - Number(needsAction(a)));
  const fresh = tasks.filter((t) => !shown.has(t.id) && needsAction(t));
  if (loadedOnce && fresh.length > 0) alarm(fresh.some((t) => t.priority === 'stat') ? 'stat' : 'new');
  render(tasks);
  loadedOnce = true;
  showUnread(tasks);
  markDelivered(0);
}

/** Whether the task waits for me: offered to me and not yet accepted, or a broadcast I have not acknowledged. */
function needsAction(t) {
  if (!(t.offeredTo || []).some((p) => p.id === me) || (t.owner && t.owner.id === me)) return false;
  return !(t.kind === 'broadcast' && t.rollCall && t.rollCall.acknowledged.some((a) => a.id === me));
}

/** The count of tasks waiting for me, in the tab's title: "(2) My tasks · Pagerless". */
function showUnread(tasks) {
  const waiting = tasks.filter(needsAction).length;
  document.title = waiting ? `(${waiting}) My tasks · Pagerless` : 'My tasks · Pagerless';
}

// ---- Sound and vibration: a new page, a re-alert and every stat page; browsers allow sound only after a tap ----
const soundButton = document.getElementById('sound-on');
let audio = null;
const alarms = { count: 0, last: null };
function audioContext() {
  if (!audio && (window.AudioContext || window.webkitAudioContext)) audio = new (window.AudioContext || window.webkitAudioContext)();
  return audio;
}
function soundState() {
  const ctx = audioContext();
  const on = !!ctx && ctx.state === 'running';
  document.body.dataset.sound = on ? 'on' : 'off';
  if (soundButton) soundButton.hidden = on || !ctx;
  return on;
}
if (soundButton) {
  soundButton.addEventListener('click', async () => {
    const ctx = audioContext();
    if (ctx) await ctx.resume().catch(() => {});
    if (soundState()) notice('Sound is on for new pages.');
  });
}
function alarm(why) {
  alarms.count += 1;
  alarms.last = why;
  if (navigator.vibrate) navigator.vibrate(why === 'stat' ? [400, 150, 400, 150, 400] : [200, 100, 200]);
  if (!soundState()) return;
  const ctx = audioContext();
  const beeps = why === 'stat' ? 3 : 2;
  for (let i = 0; i < beeps; i++) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = why === 'stat' ? 1046 : 880;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(ctx.destination);
    const start = ctx.currentTime + i * 0.35;
    osc.start(start);
    osc.stop(start + 0.2);
  }
}

/**
 * The in-app receipt: once the inbox shows a task, its in-app notification becomes "delivered" (the board
 * then reads "app delivered 02:14, not seen"). A notification the dispatcher has not put in the inbox yet
 * is tried again shortly.
 */
const receipted = new Set();
async function markDelivered(attempt) {
  const r = await api('/api/v1/me/notifications');
  if (!r.ok) return;
  let notYet = false;
  for (const n of r.data) {
    if (n.channel !== 'in-app' || !shown.has(n.taskId) || receipted.has(n.id)) continue;
    if (n.status === 'sent') {
      receipted.add(n.id);
      api(`/api/v1/me/notifications/${n.id}/delivered`, { method: 'POST' });
    } else if (n.status === 'pending' || n.status === 'sending') {
      notYet = true;
    }
  }
  if (notYet && attempt < 5) setTimeout(() => markDelivered(attempt + 1), 2000);
}
const reload = debounce(loadInbox, 150);

function render(tasks) {
  const next = new Map(tasks.map((t) => [t.id, t]));
  // Keep a card whose task has not changed (so focus stays put); rebuild the others.
  const cards = tasks.map((t) => {
    const old = inboxEl.querySelector(`li[data-task-id="${t.id}"]`);
    const before = shown.get(t.id);
    if (old && before && before.updatedAt === t.updatedAt && before.status === t.status && !old.dataset.busy) {
      return old;
    }
    return card(t);
  });
  cards.forEach((c, i) => {
    if (inboxEl.children[i] !== c) inboxEl.insertBefore(c, inboxEl.children[i] || null);
  });
  while (inboxEl.children.length > cards.length) inboxEl.lastElementChild.remove();
  shown = next;
  emptyEl.hidden = tasks.length > 0;
  inboxEl.setAttribute('aria-busy', 'false');
  updateAges();
}

function card(t) {
  const titleId = `t-${t.id}`;
  const mine = t.owner && t.owner.id === me;
  const offeredToMe = !mine && (t.offeredTo || []).some((p) => p.id === me);
  const where = t.location ? `Ward ${t.location.ward}${t.location.bed ? ' · bed ' + t.location.bed : ''}` : null;
  const body = [];
  const broadcast = t.kind === 'broadcast';
  const ackedByMe = broadcast && t.rollCall && t.rollCall.acknowledged.find((a) => a.id === me);
  if (broadcast) {
    if (t.detail) body.push(h('p', { class: 'line where' }, t.detail));
  } else if (t.kind === 'bleep') {
    if (t.messageNamesPatient) body.push(h('p', { class: 'line' }, namesPatientFlag(t)));
    body.push(h('a', { class: 'button call', href: telHref(t.callback) }, `Call ${t.callback}`));
  } else {
    if (t.patient) {
      body.push(h('p', { class: 'line patient' }, t.patient.name, ' · NHS ', formatNhs(t.patient.nhsNumber)));
    }
    if (t.news2 !== undefined && t.news2 !== null) body.push(h('p', { class: 'line' }, `NEWS2 ${t.news2}`));
    if (t.detail) body.push(h('div', { class: 'sbar' }, t.detail));
  }
  if (t.handoverNote) body.push(h('p', { class: 'line handover-note' }, `Handover note: ${t.handoverNote.text}`));
  // Why it reached me: the last person's decline or hand-back (or a reassignment) travels with the task.
  if (t.lastReason && t.lastReason.by && t.lastReason.by.id !== me && t.lastReason.what !== 'handed over') {
    body.push(h('p', { class: 'line last-reason' }, `${t.lastReason.text} (${clock(t.lastReason.at)})`));
  }
  let state;
  const actions = [];
  if (broadcast && ackedByMe) {
    state = `Acknowledged by you at ${clock(ackedByMe.at)}`;
  } else if (broadcast && offeredToMe) {
    state = 'Team broadcast: acknowledge you are coming';
    actions.push(button('Acknowledge', 'ok', () => act(t, 'acknowledge'), titleId));
  } else if (offeredToMe) {
    state = 'Offered to you';
    actions.push(button('Accept', 'ok', () => act(t, 'accept'), titleId));
    actions.push(button('Decline', 'secondary', () => openDecline(t), titleId));
  } else if (mine && t.status === 'accepted') {
    state = `Accepted by you at ${clock(t.acceptedAt)}`;
    // A callback bleep is done in one phone call: Complete, not Start then Complete.
    if (t.kind !== 'bleep') actions.push(button('Start', '', () => act(t, 'start'), titleId));
    actions.push(button('Complete', 'ok', () => act(t, 'complete', {}), titleId));
    actions.push(button('Hand back', 'secondary', () => openHandBack(t), titleId, 'hand-back'));
  } else if (mine && t.status === 'in-progress') {
    state = 'In progress';
    actions.push(button('Complete', 'ok', () => act(t, 'complete', {}), titleId));
    actions.push(button('Hand back', 'secondary', () => openHandBack(t), titleId, 'hand-back'));
  } else {
    state = t.status;
  }
  if (!broadcast) actions.push(threadButton(t, summary(t)));
  return h('li', { class: `card prio-card-${t.priority}`, dataset: { taskId: t.id, status: t.status } },
    h('article', { 'aria-labelledby': titleId },
      h('div', { class: 'meta' },
        priorityBadge(t.priority),
        h('span', { class: 'kind' }, broadcast ? 'Broadcast' : t.kind === 'bleep' ? 'Bleep' : 'Task'),
        where ? h('span', { class: 'where' }, where) : null,
        h('span', { class: 'age', dataset: { since: t.raisedAt } }, age(t.raisedAt))),
      h('h2', { id: titleId }, broadcast ? (t.message || 'Team broadcast')
        : t.kind === 'bleep' ? (t.message || 'Please call back') : (t.type || 'Task')),
      body,
      h('p', { class: 'line small' }, `From ${t.requester ? t.requester.name : 'unknown'} · to ${t.to ? t.to.name : ''} · raised ${clock(t.raisedAt)}`),
      h('p', { class: 'state' }, state),
      actions.length ? h('div', { class: 'actions' }, actions) : null,
      h('div', { class: 'more' }, detailButton(t, { label: 'Details and timeline' }))));
}

function button(text, kind, onclick, describedBy, action = text.toLowerCase()) {
  return h('button', { type: 'button', class: kind, onclick, 'aria-describedby': describedBy, dataset: { action } }, text);
}

const DOING = { acknowledge: 'Acknowledging…', accept: 'Accepting…', decline: 'Declining…', start: 'Starting…', complete: 'Completing…', 'hand-back': 'Handing back…' };

async function act(t, action, body) {
  const li = inboxEl.querySelector(`li[data-task-id="${t.id}"]`);
  if (li) {
    li.dataset.busy = 'true';
    li.querySelectorAll('.actions button').forEach((b) => { b.disabled = true; });
    const pressed = li.querySelector(`button[data-action="${action}"]`);
    if (pressed) pressed.textContent = DOING[action];
  }
  const r = await api(`/api/v1/tasks/${t.id}/${action}`, { method: 'POST', body });
  if (li) delete li.dataset.busy;
  if (!r.ok && li && li.isConnected) {
    // Nothing was done: put the card back as it was, its buttons live, so a second tap works.
    li.replaceWith(card(t));
  }
  if (r.status === 0) {
    notice(`Not sent: no connection. ${summary(t)} is unchanged; try again when the connection is back.`, { bad: true });
    return;
  }
  if (r.ok && action === 'acknowledge') notice(`Acknowledged: ${summary(t)}`);
  else if (r.ok && action === 'decline') notice(`Declined: ${summary(t)}`);
  else if (r.ok && action === 'complete') notice(`Done: ${summary(t)}`);
  else if (r.ok && action === 'hand-back') notice(`Handed back: ${summary(t)}`);
  else if (!r.ok) notice(`Not done. ${problemWords(r, 'Try again.')}`, { bad: true });
  if (li && !r.ok) shown.delete(t.id); // force the card to be rebuilt with live buttons
  await loadInbox();
}

function openDecline(t) {
  askReason(t, 'decline', declineDialog);
}

function openHandBack(t) {
  askReason(t, 'hand-back', handBackDialog);
}

/** The reason dialog of decline and hand back (ids prefixed "decline-" / "handback-"): a common reason or a typed one. */
function askReason(t, action, dialog) {
  const prefix = dialog.id;
  const form = document.getElementById(`${prefix}-form`);
  const other = document.getElementById(`${prefix}-other`);
  const error = document.getElementById(`${prefix}-error`);
  document.getElementById(`${prefix}-what`).textContent = summary(t);
  other.value = '';
  error.textContent = '';
  const send = (reason) => {
    dialog.close();
    act(t, action, { reason });
  };
  form.querySelectorAll('[data-reason]').forEach((b) => { b.onclick = () => send(b.dataset.reason); });
  document.getElementById(`${prefix}-back`).onclick = () => dialog.close();
  form.onsubmit = (e) => {
    e.preventDefault();
    if (!other.value.trim()) {
      error.textContent = 'Choose a reason or type one';
      other.focus();
      return;
    }
    send(other.value.trim());
  };
  dialog.showModal();
}

async function onEvent(envelope) {
  if (conversationEvent(envelope)) return;
  const task = envelope.task;
  const id = task ? task.id : envelope.event && envelope.event.taskId;
  const was = shown.get(id);
  if (was && envelope.type === 'TaskAccepted' && envelope.event.owner !== me) {
    // Someone else took it: it leaves my inbox now, with a word about who has it.
    shown.delete(id);
    const li = inboxEl.querySelector(`li[data-task-id="${id}"]`);
    if (li) li.remove();
    emptyEl.hidden = inboxEl.children.length > 0;
    const r = await api(`/api/v1/tasks/${id}`);
    const who = r.ok && r.data.owner ? r.data.owner.name : 'someone else';
    notice(`${summary(was)}: taken by ${who}`);
  } else if (was && envelope.type === 'TaskCancelled' && envelope.event.actor !== me) {
    const r = await api(`/api/v1/tasks/${id}`);
    notice(r.ok && r.data.lastReason ? `${summary(was)}: ${r.data.lastReason.text}` : `${summary(was)}: cancelled`);
  } else if (was && envelope.type === 'TaskReassigned' && !(envelope.event.offeredTo || []).includes(me)) {
    // Taken away from me: say by whom and to whom, so nothing vanishes without a word.
    shown.delete(id);
    const li = inboxEl.querySelector(`li[data-task-id="${id}"]`);
    if (li) li.remove();
    emptyEl.hidden = inboxEl.children.length > 0;
    const r = await api(`/api/v1/tasks/${id}`);
    notice(`${summary(was)}: taken off you. ${r.ok && r.data.lastReason ? r.data.lastReason.text : 'Reassigned by the nurse in charge.'}`,
      { ms: 20000 });
  } else if (was && envelope.type === 'BroadcastRealerted' && (envelope.event.offeredTo || []).includes(me)) {
    alarm('realert');
    notice(`Re-alert: ${summary(was)}: acknowledge now`, { bad: true, ms: 20000 });
  } else if (was && envelope.type === 'TaskOffered' && envelope.event.round > 0
      && (envelope.event.offeredTo || []).includes(me)) {
    alarm(was.priority === 'stat' ? 'stat' : 'realert');
  } else if (was && envelope.type === 'TaskHandedOver' && envelope.event.fromStaff === me) {
    notice(`${summary(was)}: handed over at the end of your shift`);
  }
  reload();
}

async function refreshShift() {
  const r = await api('/api/v1/me');
  if (!r.ok) return;
  const shifts = r.data.onShift || [];
  if (shifts.length === 0) {
    shiftEl.textContent = 'Not on shift now';
    return;
  }
  shiftEl.replaceChildren('On shift as: ', ...shifts.flatMap((s, i) => [
    i > 0 ? ', ' : '', h('strong', {}, s.roleName), ` (until ${clock(s.until)})`]));
}

function updateAges() {
  inboxEl.querySelectorAll('.age').forEach((el) => { el.textContent = age(el.dataset.since); });
}

const live = new LiveFeed({ onEvent, onOpen: loadInbox, statusEl: document.getElementById('conn') }).start();
window.pagerless = { live, alarms }; // for support staff and tests: window.pagerless.live.socket, .alarms
soundState();
loadInbox();
setInterval(updateAges, 15000);
setInterval(refreshShift, 5 * 60 * 1000);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/app' }).catch(() => { /* the app works without it */ });
}
startAlerts();
mountPhoneConfirmation(document.querySelector('section.alerts'));
mountConversationList(document.querySelector('header.bar'));
