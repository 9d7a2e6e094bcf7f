// Page lifecycle bridge (see lifecycle.hpp).
mergeInto(LibraryManager.library, {
  $StWake: { soon: null, timed: null },
  $StFrame: { raf: null, timed: null },

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

    // What a frame must show that is not input: the canvas' size (window resized, mobile address
    // bar) and devicePixelRatio (zoom, another screen), and the window's focus.
    function changed() { _st_lifecycle_changed(); }
    window.addEventListener('resize', changed);
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(changed).observe(Module['canvas']);
    window.addEventListener('focus', changed);
    window.addEventListener('blur', changed);
    // A media query on the current ratio tells when it changes (no event exists for it).
    function watchRatio() {
      var query = matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
      var onChange = function() {
        query.removeEventListener('change', onChange);
        changed();
        watchRatio();
      };
      query.addEventListener('change', onChange);
    }
    watchRatio();
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

  // delayMs 0: the next animation frame (one request at a time); > 0: an animation frame after
  // that long (replaces the previous timed request); < 0: cancel the timed request.
  st_lifecycle_request_frame__deps: ['$StFrame', '$callUserCallback'],
  st_lifecycle_request_frame: function(delayMs) {
    function request() {
      if (StFrame.raf !== null) return;
      StFrame.raf = requestAnimationFrame(function() {
        StFrame.raf = null;
        callUserCallback(function() { _st_lifecycle_frame(); });
      });
    }
    if (delayMs === 0) {
      request();
      return;
    }
    if (StFrame.timed !== null) clearTimeout(StFrame.timed);
    StFrame.timed = null;
    if (delayMs > 0) {
      StFrame.timed = setTimeout(function() { StFrame.timed = null; request(); }, delayMs);
    }
  },
});
