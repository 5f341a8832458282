// Conversations in the apps: the thread on a task (phone app and board) and, on the phone, the list of my
// conversations with unread counts. Self-contained: the pages call threadButton(task), conversationEvent(envelope)
// from their live feed, and (the phone) mountConversationList(place). Text is only ever set as text.
import { api, h, clock, notice, newKey, me } from './common.js';

let dialog = null;
let openId = null;
let editingId = null; // my message being edited, if any
let pendingPhoto = null; // a photo picked, re-drawn and ready to send (a Blob with no metadata)
let muted = false;
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
  if (['MessagePosted', 'MessageEdited', 'MessageDeleted'].includes(envelope.type)) {
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
  // A tapped "New message in …" notice opens the app at its conversation.
  const wanted = /^#conversation=([0-9a-f-]{36})$/i.exec(location.hash);
  if (wanted) openConversation(wanted[1]);
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
      c.muted ? h('span', { class: 'small' }, ' · muted') : null,
      c.member ? null : h('span', { class: 'small' }, ' · no longer a member'))));
  document.getElementById('conversation-list-items').replaceChildren(
    ...(items.length ? items : [h('li', { class: 'empty' }, 'No conversations yet.')]));
}

function ensureDialog() {
  if (dialog) return dialog;
  dialog = h('dialog', { id: 'conversation', class: 'conversation', 'aria-labelledby': 'conversation-title' },
    h('h2', { id: 'conversation-title' }, 'Conversation'),
    h('p', { id: 'conversation-members', class: 'hint' }),
    h('button', { type: 'button', class: 'secondary', id: 'conversation-mute', 'aria-pressed': 'false', onclick: toggleMute },
      'Mute'),
    h('ol', { id: 'conversation-messages', class: 'messages', tabindex: '0', 'aria-label': 'Messages, oldest first', 'aria-live': 'polite' }),
    h('form', { id: 'conversation-form', class: 'stack' },
      h('div', { class: 'field' },
        h('label', { for: 'conversation-text' }, 'Message'),
        h('textarea', { id: 'conversation-text', name: 'body', maxlength: '4000', rows: '2', 'aria-describedby': 'conversation-error' }),
        h('p', { id: 'conversation-editing', class: 'small', hidden: true }, 'Editing your message · ',
          h('button', { type: 'button', class: 'secondary', id: 'conversation-edit-cancel', onclick: () => stopEditing() }, 'Cancel edit')),
        h('label', { for: 'conversation-photo', class: 'small' }, 'Add a photo (shown only in Pagerless, location removed)'),
        h('input', { type: 'file', id: 'conversation-photo', accept: 'image/jpeg,image/png', capture: 'environment', onchange: pickPhoto }),
        h('p', { id: 'conversation-photo-ready', class: 'small', 'aria-live': 'polite' }),
        h('p', { id: 'conversation-error', class: 'field-error' })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', id: 'conversation-close', onclick: () => dialog.close() }, 'Close'),
        h('button', { type: 'submit', id: 'conversation-send' }, 'Send'))));
  dialog.addEventListener('close', () => { openId = null; stopEditing(); clearPhoto(); });
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
  showMuted(!!r.data.muted);
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
  if (m.deleted) {
    return h('li', { class: 'message deleted', dataset: { messageId: m.id } },
      h('p', { class: 'small author' }, `${m.author ? m.author.name : ''} · ${clock(m.postedAt)}`),
      h('p', { class: 'small deleted-note' }, `Message ${m.deleted}`));
  }
  return h('li', { class: `message${mine ? ' mine' : ''}`, dataset: { messageId: m.id } },
    h('p', { class: 'small author' }, `${m.author ? m.author.name : ''} · ${clock(m.postedAt)}`),
    m.body ? h('p', { class: 'body' }, m.body) : null,
    // Same origin, signed in, answered with Cache-Control: no-store: never kept by the service worker or the cache.
    m.photo ? h('img', { class: 'photo', src: m.photo, alt: `Photo from ${m.author ? m.author.name : 'a colleague'}`, loading: 'lazy' }) : null,
    m.edited ? h('p', { class: 'small edited' }, m.edited) : null,
    mine && m.receipts ? h('p', { class: 'small receipts' }, m.receipts) : null,
    mine ? h('p', { class: 'small actions-inline' },
      m.body ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'edit' }, onclick: () => startEditing(m) }, 'Edit') : null,
      h('button', { type: 'button', class: 'secondary', dataset: { action: 'delete' }, onclick: () => remove(m) }, 'Delete')) : null,
    m.raised ? h('p', { class: 'small' }, `Raised as a task (${m.raised.map((l) => l.taskId.slice(0, 6).toUpperCase()).join(', ')})`) : null);
}

function showMuted(on) {
  muted = on;
  const button = document.getElementById('conversation-mute');
  button.setAttribute('aria-pressed', String(on));
  button.textContent = on ? 'Muted: no alerts except mentions (unmute)' : 'Mute alerts for this conversation';
}

async function toggleMute() {
  const r = await api(`/api/v1/conversations/${openId}/mute`, { method: muted ? 'DELETE' : 'PUT' });
  if (r.ok) showMuted(!!r.data.muted);
}

function startEditing(m) {
  editingId = m.id;
  const text = document.getElementById('conversation-text');
  text.value = m.body;
  document.getElementById('conversation-editing').hidden = false;
  document.getElementById('conversation-send').textContent = 'Save edit';
  text.focus();
}

function stopEditing() {
  editingId = null;
  if (!dialog) return;
  document.getElementById('conversation-editing').hidden = true;
  document.getElementById('conversation-send').textContent = 'Send';
}

async function remove(m) {
  if (!window.confirm('Delete this message? It will read "deleted by you"; the record keeps it.')) return;
  const r = await api(`/api/v1/conversations/${openId}/messages/${m.id}`, { method: 'DELETE', key: newKey() });
  if (!r.ok) notice((r.data && r.data.detail) || 'Not deleted: try again.', { bad: true });
}

function clearPhoto() {
  pendingPhoto = null;
  if (!dialog) return;
  document.getElementById('conversation-photo').value = '';
  document.getElementById('conversation-photo-ready').textContent = '';
}

/**
 * A photo picked from the camera or the gallery is drawn upright onto a canvas and taken back as a plain JPEG: the
 * phone's EXIF (location, camera) never leaves it, and a large photo is scaled down. The server re-encodes it again.
 */
async function pickPhoto(e) {
  const file = e.target.files && e.target.files[0];
  if (!file) { clearPhoto(); return; }
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    pendingPhoto = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    document.getElementById('conversation-photo-ready').textContent = 'Photo ready to send';
  } catch (err) {
    clearPhoto();
    document.getElementById('conversation-error').textContent = 'photo: could not be read as an image';
  }
}

/** Uploads the picked photo; its id, or null with the reason shown. */
async function uploadPhoto(id) {
  let response;
  try {
    response = await fetch(new URL(`/api/v1/conversations/${id}/photos`, location.origin), {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'image/jpeg', Accept: 'application/json' }, body: pendingPhoto });
  } catch (e) {
    return { ok: false, data: { detail: 'No connection: nothing was sent. Try again.' } };
  }
  const data = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data };
}

let sendKey = newKey();
async function send(e) {
  e.preventDefault();
  const text = document.getElementById('conversation-text');
  const error = document.getElementById('conversation-error');
  error.textContent = '';
  if (!text.value.trim() && !(pendingPhoto && !editingId)) {
    error.textContent = 'Write a message first';
    text.focus();
    return;
  }
  const id = openId;
  const button = document.getElementById('conversation-send');
  button.disabled = true;
  let r;
  if (editingId) {
    r = await api(`/api/v1/conversations/${id}/messages/${editingId}`, { method: 'PUT', body: { body: text.value }, key: sendKey });
  } else {
    const body = { body: text.value };
    if (pendingPhoto) {
      const up = await uploadPhoto(id);
      if (!up.ok) {
        button.disabled = false;
        const v = up.data && up.data.violations && up.data.violations[0];
        error.textContent = v ? `${v.field}: ${v.reason}` : (up.data && up.data.detail) || 'Photo not sent: try again.';
        return;
      }
      body.photo = up.data.id;
    }
    r = await api(`/api/v1/conversations/${id}/messages`, { method: 'POST', body, key: sendKey });
  }
  button.disabled = false;
  if (r.ok) {
    text.value = '';
    sendKey = newKey();
    stopEditing();
    clearPhoto();
    loadMessages(id, false);
    return;
  }
  // A 4xx was refused (nothing posted): a new key next time. No answer: it may have gone; retry with the same key.
  if (r.status >= 400 && r.status < 500) sendKey = newKey();
  const v = r.data && r.data.violations && r.data.violations[0];
  error.textContent = v ? `${v.field}: ${v.reason}` : (r.data && r.data.detail) || 'Not sent: try again.';
}
