// Makes the page an installable, offline-first app (docs/deployment.md, "The page as an app"):
// registers sw.js, which keeps the app shell (this page, the module, the font, the manifest and
// icons) so the page starts with no network; API requests (/relay/...) are never kept. A file of
// its own because the page's Content-Security-Policy allows no inline script.
(function() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  var registered = false;
  // Kiosk mode (docs/kiosk.md) keeps nothing, not even the app shell: no worker, and a worker or
  // cache left by an earlier visit in normal mode is removed.
  function forget() {
    navigator.serviceWorker.getRegistrations().then(function(registrations) {
      registrations.forEach(function(r) { r.unregister(); });
    });
    if (window.caches) {
      caches.keys().then(function(keys) { keys.forEach(function(k) { caches.delete(k); }); });
    }
  }
  function register() {
    if (registered) return;
    registered = true;
    if (new URLSearchParams(location.search).get('kiosk') === '1') return forget();
    fetch('relay/info', { cache: 'no-store' }).then(function(response) {
      return response.ok ? response.json() : {};
    }).catch(function() { return {}; }).then(function(info) {
      if (info.kiosk === true) return forget();
      navigator.serviceWorker.register('sw.js').catch(function(error) {
        console.warn('Session Tab: no offline copy (' + error + ')');
      });
    });
  }
  // After the first frame: the worker then fills its cache from the HTTP cache the page has just
  // filled, instead of downloading the module a second time while the page starts.
  if (performance.getEntriesByName('st:first-frame').length) return register();
  if (typeof PerformanceObserver === 'function') {
    var observer = new PerformanceObserver(function(list) {
      if (list.getEntriesByName('st:first-frame').length) {
        observer.disconnect();
        register();
      }
    });
    observer.observe({ type: 'mark', buffered: true });
  } else {
    window.addEventListener('load', register);
  }
})();
