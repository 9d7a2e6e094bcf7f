// Page lifecycle bridge (see lifecycle.hpp).
mergeInto(LibraryManager.library, {
  $StWake: { soon: null, timed: null },

  st_lifecycle_install: function(intervalMs) {
    document.addEventListener('visibilitychange', function() {
      _st_lifecycle_visibility(document.hidden ? 0 : 1);
    });
    // Browsers throttle timers in hidden tabs (about once a second, less after minutes); the app
    // measures polling against its clock, not against ticks, so a slower tick only delays work.
    setInterval(function() {
      if (document.hidden) _st_lifecycle_hidden_tick();
    }, intervalMs);
    window.addEventListener('pagehide', function() { _st_lifecycle_page_hide(); });
  },

  st_lifecycle_visible: function() { return document.hidden ? 0 : 1; },

  // Immediate wakes are coalesced; a timed wake replaces the previous timed one.
  st_lifecycle_wake__deps: ['$StWake'],
  st_lifecycle_wake: function(delayMs) {
    if (delayMs <= 0) {
      if (StWake.soon !== null) return;
      StWake.soon = setTimeout(function() { StWake.soon = null; _st_lifecycle_wake_now(); }, 0);
      return;
    }
    if (StWake.timed !== null) clearTimeout(StWake.timed);
    StWake.timed = setTimeout(function() { StWake.timed = null; _st_lifecycle_wake_now(); }, delayMs);
  },
});
