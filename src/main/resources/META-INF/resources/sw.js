// Pagerless phone app service worker: makes the app installable and its shell (styles, scripts,
// icons) load fast and survive a flaky connection. It never stores API answers: they carry
// patient data. Page navigations are left to the browser, so a sign-in challenge always reaches
// the user and a page is never served from another user's session; conversation photos
// (/api/v1/conversations/…/photos/…) are API answers too, never cached here, and answered no-store. It also
// shows Web Push pages (ADR 0011) on the lock screen: only priority, kind, ward, reference and a bleep's callback
// ever arrive here; and "New message in Ward 7B team" (ADR 0038): where, never what was said.
const CACHE = 'pagerless-app-v4';
const SHELL = [
  '/assets/css/pagerless.css',
  '/assets/js/common.js',
  '/assets/js/app.js',
  '/assets/js/push.js',
  '/assets/js/phone.js',
  '/assets/js/conversations.js',
  '/assets/icons/icon.svg',
  '/assets/icons/icon-192.png',
  '/app.webmanifest',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !SHELL.includes(url.pathname)) {
    return; // the network, untouched: API calls, the live feed, pages
  }
  // Network first, so a new version shows at once; the cached copy when the network is down.
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request)));
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A page by Web Push. The payload carries no patient data (the server never puts any in it), so the
// lock screen shows only e.g. "URGENT task, Ward 7B, ref 3F2A9C — open Pagerless".
self.addEventListener('push', (event) => {
  let msg = {};
  try {
    msg = event.data ? event.data.json() : {};
  } catch (e) {
    msg = {};
  }
  if (msg.kind === 'message' || msg.kind === 'mention') {
    event.waitUntil(conversationNotice(msg));
    return;
  }
  const urgent = !msg.fyi && ['stat', 'asap', 'urgent'].includes(msg.priority);
  const title = msg.fyi ? 'Pagerless: for information' : 'Pagerless: new page';
  event.waitUntil(self.registration.showNotification(title, {
    body: typeof msg.text === 'string' ? msg.text : 'New page — open Pagerless',
    tag: typeof msg.notificationId === 'string' ? msg.notificationId : 'pagerless', // a repeat replaces, never stacks
    renotify: urgent,
    requireInteraction: urgent, // stays until dealt with
    silent: !!msg.fyi,
    icon: '/assets/icons/icon-192.png',
    badge: '/assets/icons/icon-192.png',
    data: { deliveryId: UUID.test(msg.deliveryId || '') ? msg.deliveryId : null },
  }));
});

// A new message: shown only while no Pagerless window is in front (the open app has it live already). One notice per
// conversation, replaced by the next (tag); a mention always shows.
async function conversationNotice(msg) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const inFront = windows.some((w) => w.visibilityState === 'visible' && new URL(w.url).pathname.startsWith('/app'));
  if (inFront && msg.kind !== 'mention') return;
  const conversationId = UUID.test(msg.conversationId || '') ? msg.conversationId : null;
  await self.registration.showNotification('Pagerless', {
    body: typeof msg.text === 'string' ? msg.text : 'New message — open Pagerless',
    tag: conversationId ? `conversation-${conversationId}` : 'pagerless-conversation',
    renotify: msg.kind === 'mention',
    icon: '/assets/icons/icon-192.png',
    badge: '/assets/icons/icon-192.png',
    data: { deliveryId: UUID.test(msg.deliveryId || '') ? msg.deliveryId : null, conversationId },
  });
}

// Tapping it: the read receipt (later fallback steps such as the SMS are then withdrawn) and the app.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const deliveryId = event.notification.data && event.notification.data.deliveryId;
  event.waitUntil((async () => {
    if (deliveryId) {
      // Best effort: if the browser has no sign-in to send, the receipt is lost and the SMS still goes.
      await fetch(`/api/v1/me/notifications/${deliveryId}/read`, { method: 'POST', credentials: 'same-origin' })
        .catch(() => null);
    }
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const conversationId = event.notification.data && event.notification.data.conversationId;
    const target = conversationId ? `/app#conversation=${conversationId}` : '/app';
    const open = windows.find((w) => new URL(w.url).pathname.startsWith('/app'));
    if (open && conversationId && open.navigate) return open.navigate(target).then((w) => (w || open).focus());
    return open ? open.focus() : self.clients.openWindow(target);
  })());
});
