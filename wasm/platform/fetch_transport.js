// fetch() for FetchTransport (see fetch_transport.hpp). Moves bytes and integers only; the only
// try/catch guarding the JS boundary for the network is here.
mergeInto(LibraryManager.library, {
  // `log`: the last 256 requests' timings for the test hook (sessionTab.fetchLog()), so a browser
  // test can see where delivery time goes. Paths and sizes only: never a body or a header.
  $StFetch: { live: {}, log: [], logMax: 256 },

  st_fetch_start__deps: ['$StFetch'],
  st_fetch_start: function(slot, urlPtr, methodPtr, headersPtr, bodyPtr, bodySize, timeoutMs,
                           maxBytes) {
    var OK = 0, NETWORK = 1, TIMEOUT = 2, ABORTED = 3, TOO_LARGE = 4, BAD_URL = 5;
    var url = UTF8ToString(urlPtr);
    var init = {
      method: UTF8ToString(methodPtr),
      headers: {},
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
    };
    UTF8ToString(headersPtr).split('\n').forEach(function(line) {
      var colon = line.indexOf(':');
      if (colon > 0) init.headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
    });
    if (bodySize > 0) init.body = HEAPU8.slice(bodyPtr, bodyPtr + bodySize);  // a copy
    var entry = { controller: new AbortController(), timedOut: false, cancelled: false };
    init.signal = entry.controller.signal;
    var path = url.replace(/^[a-z]+:\/\/[^\/]*/i, '');
    entry.record = {
      slot: slot, path: path.slice(0, 24), start: performance.timeOrigin + performance.now(),
      end: 0, status: 0, kind: -1, sent: bodySize, received: 0, relayError: null,
    };
    StFetch.log.push(entry.record);
    if (StFetch.log.length > StFetch.logMax) StFetch.log.shift();
    entry.timer = setTimeout(function() {
      entry.timedOut = true;
      entry.controller.abort();
    }, Math.max(1, timeoutMs));
    StFetch.live[slot] = entry;

    function finish(status, bytes, kind) {
      clearTimeout(entry.timer);
      entry.record.end = performance.timeOrigin + performance.now();
      entry.record.status = status;
      entry.record.kind = kind;
      entry.record.received = bytes ? bytes.length : 0;
      delete StFetch.live[slot];
      var ptr = 0, size = 0;
      if (bytes && bytes.length > 0) {
        size = bytes.length;
        ptr = _malloc(size);
        HEAPU8.set(bytes, ptr);  // after _malloc: memory may have grown
      }
      _st_fetch_complete(slot, status, ptr, size, kind);
    }
    function failed(error) {
      if (entry.timedOut) return finish(0, null, TIMEOUT);
      if (entry.cancelled) return finish(0, null, ABORTED);
      finish(0, null, error && error.stBadUrl ? BAD_URL : NETWORK);
    }

    var request;
    try {
      request = new Request(url, init);
    } catch (error) {
      error.stBadUrl = true;
      return setTimeout(function() { failed(error); }, 0);  // never complete inline
    }
    // A GET the page already started (pre.js: stEarlyFetch, the relay's /relay/info) is taken
    // once instead of fetching again; the timeout and cancel still apply to it.
    var early = Module['stEarlyFetch'];
    var started = early && init.method === 'GET' && bodySize === 0 ? early[url] : undefined;
    if (started) {
      delete early[url];
      started = Promise.race([started, new Promise(function(_, reject) {
        init.signal.addEventListener('abort', function() { reject(new Error('aborted')); });
      })]);
    } else {
      started = fetch(request);
    }
    started.then(function(response) {
      // The relay marks the answers it generates itself (tools/relay/README.md). net::HttpResponse
      // has no headers, so the core cannot see it yet; the timing log shows it.
      entry.record.relayError = response.headers.get('X-Relay-Error');
      var declared = Number(response.headers.get('Content-Length') || 0);
      if (declared > maxBytes) {
        entry.controller.abort();
        return finish(0, null, TOO_LARGE);
      }
      return response.arrayBuffer().then(function(buffer) {
        if (buffer.byteLength > maxBytes) return finish(0, null, TOO_LARGE);
        finish(response.status, new Uint8Array(buffer), OK);
      });
    }).catch(failed);
  },

  st_fetch_abort__deps: ['$StFetch'],
  st_fetch_abort: function(slot) {
    var entry = StFetch.live[slot];
    if (!entry) return;
    entry.cancelled = true;
    entry.controller.abort();
  },
});
