// The patient app's service worker (ADR 031), written by hand and scoped to /app/. It keeps
// the app's shell (its page, scripts and styles — never an API answer) in Cache Storage so
// the app starts without a network, and deletes everything it stored when the app asks
// (sign-out, a revoked device). scripts/build-web.mjs fills in the version and the shell.
// Skills modules' content (/content/skills/…, public and immutable per version: no patient
// data) is kept in a cache of its own, cache-first, so a module opens offline; it outlives a
// new version of the app, and the wipe deletes it with the rest.
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const PREFIX = 'waypoint-app-';
const CACHE = PREFIX + VERSION;
const SKILLS = PREFIX + 'skills';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE && k !== SKILLS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the shell, from this origin; the API always goes to the network and is never stored.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/content/skills/')) {
    event.respondWith(skillsContent(request));
    return;
  }
  if (request.mode === 'navigate' && url.pathname.startsWith('/app/')) {
    // The page: the network first (a new version), the stored copy when offline.
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname === '/app/neutral.html' ? '/app/neutral.html' : '/app/').then((r) => r || Response.error())));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});

/** A module's content: the stored copy, else the network (a good JSON answer is stored for next time). */
async function skillsContent(request) {
  const cache = await caches.open(SKILLS);
  const hit = await cache.match(request.url);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok && (res.headers.get('content-type') || '').includes('json')) await cache.put(request.url, res.clone());
  return res;
}

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'wipe') {
    const done = caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))));
    event.waitUntil(done.then(() => event.source && event.source.postMessage({ type: 'wiped' })));
  }
});

// Web Push (ADR 038): the server's messages are neutral by design (content/messages/templates.json);
// the notification is titled only "Waypoint" and opens the app, which asks for the PIN.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const body = typeof data.body === 'string' ? data.body : '';
  event.waitUntil(self.registration.showNotification('Waypoint', { body, icon: '/app/icon.svg', tag: 'waypoint-reminder' }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).pathname.startsWith('/app/'));
      return open ? open.focus() : self.clients.openWindow('/app/');
    }),
  );
});
