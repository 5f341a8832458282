// Conversations in the apps: the thread on a task (phone app and board) and, on the phone, the list of my
// conversations with unread counts. Self-contained: the pages call threadButton(task), conversationEvent(envelope)
// from their live feed, and (the phone) mountConversationList(place). Text is only ever set as text.
import { api, h, clock, notice, newKey, me } from './common.js';

let dialog = null;
let openId = null;
let listDialog = null;
let listButton = null;

/** A "Thread" button that opens the task's conversation. */
export function threadButton(task, label) {
  return h('button', {
    type: 'button', class: 'secondary thread', dataset: { action: 'thread', thread: task.id },
    'aria-label': `Thread: ${label}`, onclick: () => openConversation(task.id),
  }, 'Thread');
}

/**
 * Handles a live message if it is about conversations (returns true), so the page need not reload its tasks for it:
 * a new message shows in the open conversation at once; a mention says where (never what).
 */
export function conversationEvent(envelope) {
  if (envelope.type === 'MessagePosted') {
    if (openId && envelope.conversationId === openId) {
      loadMessages(openId, true);
    }
    refreshList();
    return true;
  }
  if (envelope.type === 'ConversationMention') {
    notice(`You were mentioned in ${envelope.title}`);
    return true;
  }
  return false;
}

/** A "Conversations" button with my unread count, opening the list of my conversations. */
export function mountConversationList(place) {
  listButton = h('button', { type: 'button', class: 'secondary conversations-button', id: 'conversations-open',
    onclick: openList }, 'Conversations');
  place.append(listButton);
  refreshList();
}

async function refreshList() {
  if (!listButton) return;
  const r = await api('/api/v1/conversations');
  if (!r.ok) return;
  const unread = r.data.reduce((n, c) => n + (c.unread || 0), 0);
  listButton.textContent = unread > 0 ? `Conversations (${unread} unread)` : 'Conversations';
  if (listDialog && listDialog.open) renderList(r.data);
}

async function openList() {
  if (!listDialog) {
    listDialog = h('dialog', { id: 'conversation-list', class: 'conversation', 'aria-labelledby': 'conversation-list-title' },
      h('h2', { id: 'conversation-list-title' }, 'Conversations'),
      h('ul', { id: 'conversation-list-items', class: 'conversation-list' }),
      h('form', { id: 'conversation-with', class: 'stack' },
        h('div', { class: 'field' },
          h('label', { for: 'conversation-role' }, 'Message a role (whoever holds it now)'),
          h('select', { id: 'conversation-role', name: 'role' }, h('option', { value: '' }, 'Choose a role…'))),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => listDialog.close() }, 'Close'),
          h('button', { type: 'submit', id: 'conversation-with-open' }, 'Open'))));
    listDialog.querySelector('form').addEventListener('submit', openWithRole);
    document.body.append(listDialog);
    const roles = await api('/api/v1/roles');
    if (roles.ok) {
      document.getElementById('conversation-role').append(...roles.data
        .map((r) => h('option', { value: r.id }, r.holders.length ? r.name : `${r.name} (nobody now)`)));
    }
  }
  const r = await api('/api/v1/conversations');
  renderList(r.ok ? r.data : []);
  if (!listDialog.open) listDialog.showModal();
}

async function openWithRole(e) {
  e.preventDefault();
  const role = document.getElementById('conversation-role').value;
  if (!role) return;
  const r = await api('/api/v1/conversations/with', { method: 'POST', body: { role } });
  if (!r.ok) {
    notice((r.data && r.data.detail) || 'Could not open the conversation.', { bad: true });
    return;
  }
  listDialog.close();
  openConversation(r.data.id);
}

function renderList(conversations) {
  const items = conversations.map((c) => h('li', { dataset: { conversationId: c.id } },
    h('button', { type: 'button', class: 'secondary', onclick: () => { listDialog.close(); openConversation(c.id); } },
      c.title, c.unread ? h('span', { class: 'unread' }, ` · ${c.unread} unread`) : null,
      c.member ? null : h('span', { class: 'small' }, ' · no longer a member'))));
  document.getElementById('conversation-list-items').replaceChildren(
    ...(items.length ? items : [h('li', { class: 'empty' }, 'No conversations yet.')]));
}

function ensureDialog() {
  if (dialog) return dialog;
  dialog = h('dialog', { id: 'conversation', class: 'conversation', 'aria-labelledby': 'conversation-title' },
    h('h2', { id: 'conversation-title' }, 'Conversation'),
    h('p', { id: 'conversation-members', class: 'hint' }),
    h('ol', { id: 'conversation-messages', class: 'messages', tabindex: '0', 'aria-label': 'Messages, oldest first', 'aria-live': 'polite' }),
    h('form', { id: 'conversation-form', class: 'stack' },
      h('div', { class: 'field' },
        h('label', { for: 'conversation-text' }, 'Message'),
        h('textarea', { id: 'conversation-text', name: 'body', maxlength: '4000', rows: '2', 'aria-describedby': 'conversation-error' }),
        h('p', { id: 'conversation-error', class: 'field-error' })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', id: 'conversation-close', onclick: () => dialog.close() }, 'Close'),
        h('button', { type: 'submit', id: 'conversation-send' }, 'Send'))));
  dialog.addEventListener('close', () => { openId = null; });
  dialog.querySelector('form').addEventListener('submit', send);
  document.body.append(dialog);
  return dialog;
}

/** Opens a conversation (a task's thread has the task's id): who is in it, its messages, and a box to write in. */
export async function openConversation(id) {
  ensureDialog();
  const r = await api(`/api/v1/conversations/${id}`);
  if (!r.ok) {
    notice((r.data && r.data.detail) || 'Could not open the conversation.', { bad: true });
    return;
  }
  openId = id;
  document.getElementById('conversation-title').textContent = r.data.title;
  document.getElementById('conversation-members').textContent = `Now in it: ${(r.data.members || []).map((p) => p.name).join(', ') || 'nobody'}`
    + (r.data.raisedFrom ? ' · raised from a conversation message' : '');
  document.getElementById('conversation-form').hidden = !r.data.member;
  document.getElementById('conversation-error').textContent = '';
  await loadMessages(id, false);
  if (!dialog.open) dialog.showModal();
  if (r.data.member) document.getElementById('conversation-text').focus();
}

async function loadMessages(id, live) {
  const r = await api(`/api/v1/conversations/${id}/messages`);
  if (!r.ok || openId !== id) return;
  const list = document.getElementById('conversation-messages');
  list.replaceChildren(...(r.data.length ? r.data.map(message) : [h('li', { class: 'empty' }, 'No messages yet.')]));
  list.scrollTop = list.scrollHeight;
  api(`/api/v1/conversations/${id}/read`, { method: 'POST' }).then(() => refreshList());
  if (live && navigator.vibrate) navigator.vibrate(100);
}

function message(m) {
  if (m.kind === 'system') {
    return h('li', { class: 'message system', dataset: { messageId: m.id } },
      h('span', { class: 'small' }, `${clock(m.postedAt)} · `), m.body);
  }
  const mine = m.author && m.author.id === me;
  return h('li', { class: `message${mine ? ' mine' : ''}`, dataset: { messageId: m.id } },
    h('p', { class: 'small author' }, `${m.author ? m.author.name : ''} · ${clock(m.postedAt)}`),
    h('p', { class: 'body' }, m.body),
    mine && m.receipts ? h('p', { class: 'small receipts' }, m.receipts) : null,
    m.raised ? h('p', { class: 'small' }, `Raised as a task (${m.raised.map((l) => l.taskId.slice(0, 6).toUpperCase()).join(', ')})`) : null);
}

let sendKey = newKey();
async function send(e) {
  e.preventDefault();
  const text = document.getElementById('conversation-text');
  const error = document.getElementById('conversation-error');
  error.textContent = '';
  if (!text.value.trim()) {
    error.textContent = 'Write a message first';
    text.focus();
    return;
  }
  const id = openId;
  const button = document.getElementById('conversation-send');
  button.disabled = true;
  const r = await api(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { body: text.value }, key: sendKey });
  button.disabled = false;
  if (r.ok) {
    text.value = '';
    sendKey = newKey();
    loadMessages(id, false);
    return;
  }
  // A 4xx was refused (nothing posted): a new key next time. No answer: it may have gone; retry with the same key.
  if (r.status >= 400 && r.status < 500) sendKey = newKey();
  const v = r.data && r.data.violations && r.data.violations[0];
  error.textContent = v ? `${v.field}: ${v.reason}` : (r.data && r.data.detail) || 'Not sent: try again.';
}
