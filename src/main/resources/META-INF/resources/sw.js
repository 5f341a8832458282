// Pagerless phone app service worker: makes the app installable and its shell (styles, scripts,
// icons) load fast and survive a flaky connection. It never stores API answers: they carry
// patient data. Page navigations are left to the browser, so a sign-in challenge always reaches
// the user and a page is never served from another user's session. It also shows Web Push pages
// (ADR 0011) on the lock screen: only priority, kind, ward and reference ever arrive here.
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
    const open = windows.find((w) => new URL(w.url).pathname.startsWith('/app'));
    return open ? open.focus() : self.clients.openWindow('/app');
  })());
});
