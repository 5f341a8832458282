// Pagerless phone app service worker: makes the app installable and its shell (styles, scripts,
// icons) load fast and survive a flaky connection. It never stores API answers: they carry
// patient data. Page navigations are left to the browser, so a sign-in challenge always reaches
// the user and a page is never served from another user's session.
const CACHE = 'pagerless-app-v1';
const SHELL = [
  '/assets/css/pagerless.css',
  '/assets/js/common.js',
  '/assets/js/app.js',
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
