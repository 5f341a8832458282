// Alerts on this phone: Web Push registration (ADR 0011). The browser asks for permission only when
// the doctor taps "Turn on alerts on this phone"; the subscription (endpoint and keys, no patient
// data) is registered with Pagerless, which then pushes each page to the lock screen.
import { api, problemWords } from './common.js';

const stateEl = document.getElementById('alerts-state');
const onButton = document.getElementById('alerts-on');
const offButton = document.getElementById('alerts-off');

let vapidKey = null;
let subscriptionId = null;

function show(state, text) {
  stateEl.dataset.state = state;
  stateEl.textContent = `Alerts on this phone: ${text}`;
  onButton.hidden = !(state === 'off');
  offButton.hidden = state !== 'on';
  onButton.disabled = false;
  offButton.disabled = false;
}

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The VAPID key (base64url) as the bytes pushManager.subscribe wants. */
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const text = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function registerWithPagerless(subscription) {
  const r = await api('/api/v1/me/push-subscriptions', { method: 'POST', body: subscription.toJSON() });
  if (r.ok) {
    subscriptionId = r.data.id;
    show('on', 'on');
  } else {
    show('off', `off (${problemWords(r, 'This phone could not be registered.')})`);
  }
  return r.ok;
}

async function turnOn() {
  onButton.disabled = true;
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    show('blocked', 'blocked. Allow notifications for this site in the browser settings, then reload.');
    return;
  }
  try {
    const registration = await navigator.serviceWorker.ready;
    const existing = await registration.pushManager.getSubscription();
    const subscription = existing
      || await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(vapidKey) });
    await registerWithPagerless(subscription);
  } catch (e) {
    show('off', `off (this browser could not subscribe: ${e.name || 'error'})`);
  }
}

async function turnOff() {
  offButton.disabled = true;
  if (subscriptionId) await api(`/api/v1/me/push-subscriptions/${subscriptionId}`, { method: 'DELETE' });
  try {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) await subscription.unsubscribe();
  } catch (e) { /* the server has retired it: nothing more is pushed */ }
  subscriptionId = null;
  show('off', 'off');
}

/** Shows the state and, if this browser is already subscribed and allowed, registers it again (keys may change). */
export async function startAlerts() {
  onButton.onclick = turnOn;
  offButton.onclick = turnOff;
  if (!supported()) {
    show('unsupported', 'not supported by this browser. Pages still come by text.');
    return;
  }
  const key = await api('/api/v1/push/vapid-public-key');
  if (!key.ok) {
    show('unavailable', 'not available on this server. Pages still come by text.');
    return;
  }
  vapidKey = key.data.publicKey;
  if (Notification.permission === 'denied') {
    show('blocked', 'blocked. Allow notifications for this site in the browser settings, then reload.');
    return;
  }
  try {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription && Notification.permission === 'granted') {
      await registerWithPagerless(subscription);
      return;
    }
  } catch (e) { /* fall through: offer the button */ }
  show('off', 'off');
}
