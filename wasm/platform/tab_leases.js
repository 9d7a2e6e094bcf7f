// Web Locks and a BroadcastChannel for TabLeases (see tab_leases.hpp). One lock per account,
// named "session-tab-account:<Session ID>": the tab holding it polls and writes for the account.
// Moves strings and small integers only.
mergeInto(LibraryManager.library, {
  // held[account]: resolves the promise that keeps the lock; waiting[account]: aborts a queued
  // request.
  $StLeases: { channel: null, held: {}, waiting: {} },

  st_leases_supported: function() {
    return (typeof navigator !== 'undefined' && navigator.locks && typeof BroadcastChannel !== 'undefined') ? 1 : 0;
  },

  st_leases_install__deps: ['$StLeases'],
  st_leases_install: function() {
    StLeases.channel = new BroadcastChannel('session-tab-accounts');
    StLeases.channel.onmessage = function(event) {
      var m = event.data;
      if (!m || typeof m.account !== 'string' || m.account.length > 80) return;
      if (m.kind === 'yield') StLeasesEvent(3, m.account);
      else if (m.kind === 'changed') StLeasesEvent(4, m.account);
    };
  },

  // kind: 0 not free (waiting in line), 1 held at once, 2 granted after waiting, 3 asked to
  // yield, 4 changed elsewhere.
  $StLeasesEvent: function(kind, account) {
    var size = lengthBytesUTF8(account) + 1;
    var ptr = _malloc(size);
    stringToUTF8(account, ptr, size);
    _st_leases_event(kind, ptr);
    _free(ptr);
  },

  st_leases_acquire__deps: ['$StLeases', '$StLeasesEvent'],
  st_leases_acquire: function(accountPtr) {
    var account = UTF8ToString(accountPtr);
    var name = 'session-tab-account:' + account;
    function hold() {
      return new Promise(function(resolve) { StLeases.held[account] = resolve; });
    }
    navigator.locks.request(name, { ifAvailable: true }, function(lock) {
      if (lock) {
        StLeasesEvent(1, account);
        return hold();
      }
      StLeasesEvent(0, account);
      var controller = new AbortController();
      StLeases.waiting[account] = controller;
      navigator.locks.request(name, { signal: controller.signal }, function() {
        delete StLeases.waiting[account];
        StLeasesEvent(2, account);
        return hold();
      }).catch(function() { /* left the line (AbortError) */ });
      return undefined;
    });
  },

  st_leases_release__deps: ['$StLeases'],
  st_leases_release: function(accountPtr) {
    var account = UTF8ToString(accountPtr);
    var resolve = StLeases.held[account];
    if (resolve) {
      delete StLeases.held[account];
      resolve();
    }
    var controller = StLeases.waiting[account];
    if (controller) {
      delete StLeases.waiting[account];
      controller.abort();
    }
  },

  st_leases_post__deps: ['$StLeases'],
  st_leases_post: function(yieldNotChanged, accountPtr) {
    if (!StLeases.channel) return;
    StLeases.channel.postMessage({ kind: yieldNotChanged ? 'yield' : 'changed', account: UTF8ToString(accountPtr) });
  },
});
