// window.sessionTab (see test_hook.hpp).
mergeInto(LibraryManager.library, {
  st_test_hook_install__deps: ['$StFetch'],
  st_test_hook_install: function() {
    function take(ptr) {
      var text = UTF8ToString(ptr);
      _free(ptr);
      return JSON.parse(text);
    }
    var hook = window.sessionTab || {};
    hook.state = function(maxMessages) {
      return take(_st_test_state_json(maxMessages === undefined ? 1000 : maxMessages));
    };
    hook.rects = function() {
      var canvas = Module['canvas'].getBoundingClientRect();
      return take(_st_test_rects_json()).map(function(r) {
        return { name: r.name, x: r.x + canvas.left, y: r.y + canvas.top, w: r.w, h: r.h };
      });
    };
    hook.rect = function(name) {
      var all = hook.rects();
      for (var i = 0; i < all.length; i++) if (all[i].name === name) return all[i];
      return null;
    };
    hook.frames = function() { return _st_test_frames(); };
    hook.imguiFrames = function() { return _st_test_imgui_frames(); };
    hook.settled = function() { return _st_test_settled() !== 0; };
    hook.frameMs = function() { return take(_st_test_frame_ms()); };
    hook.memory = function() {
      return {
        wasm: HEAP8.length,
        jsHeap: (performance.memory && performance.memory.usedJSHeapSize) || null,
        jsHeapTotal: (performance.memory && performance.memory.totalJSHeapSize) || null,
      };
    };
    // Requests started at or after `since` (ms since the epoch): {slot, path, start, end, status,
    // kind (0 answered, 1 network, 2 timeout, 3 aborted, 4 too large, 5 bad URL; -1 in flight),
    // sent, received, relayError (the X-Relay-Error header or null)}. Times in ms since the epoch
    // (fractional), comparable across tabs.
    hook.fetchLog = function(since) {
      return StFetch.log.filter(function(r) { return r.start >= (since || 0); })
          .map(function(r) { return Object.assign({}, r); });
    };
    hook.firstFrameMs = hook.firstFrameMs || null;
    window.sessionTab = hook;
  },

  st_test_hook_first_frame: function() {
    window.sessionTab.firstFrameMs = performance.now();
    var loading = document.getElementById('loading');
    if (loading) loading.remove();
    window.dispatchEvent(new Event('sessiontab:ready'));
  },
});
