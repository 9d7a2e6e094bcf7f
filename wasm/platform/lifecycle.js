// Page lifecycle bridge (see lifecycle.hpp).
mergeInto(LibraryManager.library, {
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
});
