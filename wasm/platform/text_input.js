// Text-input bridge and wheel normalisation (see text_input.hpp). JS only moves text and numbers
// into the module; ImGui decides what they mean.
mergeInto(LibraryManager.library, {
  $StInput: { area: null, composing: false },

  st_input_install__deps: ['$StInput'],
  st_input_install: function() {
    var area = document.createElement('textarea');
    area.id = 'st-text-input';
    area.setAttribute('aria-label', 'Text input');
    area.setAttribute('autocomplete', 'off');
    area.setAttribute('autocorrect', 'off');
    area.setAttribute('autocapitalize', 'off');
    area.setAttribute('spellcheck', 'false');
    area.setAttribute('tabindex', '-1');
    // Invisible but focusable and positioned, so the IME candidate window appears at the caret.
    area.style.cssText = 'position:fixed;left:0;top:0;width:2px;height:1em;opacity:0;' +
        'border:0;padding:0;margin:0;resize:none;overflow:hidden;font-size:16px;' +
        'pointer-events:none;background:transparent;color:transparent;z-index:-1;';
    document.body.appendChild(area);
    StInput.area = area;

    function send(text) {
      if (!text) return;
      var size = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(size);
      stringToUTF8(text, ptr, size);
      _st_input_text(ptr);
      _free(ptr);
    }
    area.addEventListener('compositionstart', function() { StInput.composing = true; });
    area.addEventListener('compositionend', function(event) {
      StInput.composing = false;
      send(event.data);
      area.value = '';
    });
    area.addEventListener('input', function(event) {
      if (StInput.composing || event.isComposing) return;
      var type = event.inputType || '';
      var text = area.value;
      area.value = '';
      // Line breaks, deletions and undo arrive as GLFW keys (Enter, Backspace, Ctrl+Z):
      // applying them here too would do them twice.
      if (type === 'insertLineBreak' || type === 'insertParagraph' ||
          type.indexOf('delete') === 0 || type.indexOf('history') === 0) {
        return;
      }
      send(text);
    });
    area.addEventListener('keydown', function(event) {
      // GLFW has already seen this key (its listener is on window, capture phase). Keep the
      // textarea itself from acting on keys ImGui handles, except Ctrl/Cmd+V: the browser must
      // fire its paste event (platform/clipboard.js).
      var shortcut = event.ctrlKey || event.metaKey;
      if (event.key === 'Enter' || event.key === 'Tab' ||
          (shortcut && event.key !== 'v' && event.key !== 'V')) {
        event.preventDefault();
      }
    });

    var canvas = Module['canvas'];
    canvas.addEventListener('wheel', function(event) {
      // Browser deltas (positive = down) in pixels, lines or pages → ImGui notches (positive =
      // up); about 100 pixels per notch, as a mouse wheel gives.
      var scale = event.deltaMode === 1 ? 1 / 3 : (event.deltaMode === 2 ? 10 : 1 / 100);
      _st_input_wheel(-event.deltaX * scale, -event.deltaY * scale);
      event.preventDefault();
    }, { passive: false });
    // GLFW hears mouseup only on the canvas: a drag released outside it would leave ImGui holding
    // the button (and the page drawing frames for the drag). DOM buttons 1/2 are GLFW's 2/1.
    window.addEventListener('mouseup', function(event) {
      if (event.target === canvas) return;
      _st_input_mouse_release(event.button === 1 ? 2 : (event.button === 2 ? 1 : event.button));
    }, true);
  },

  st_input_sync__deps: ['$StInput'],
  // wantsText: a text field has the keyboard, or had it a few frames ago (between Enter, which
  // ends the composer's edit, and the composer taking the keyboard back, keys typed must still
  // land here; imgui_host holds their text for the field).
  // Kiosk mode's end of a session (docs/kiosk.md): nothing typed stays in the page.
  st_input_clear__deps: ['$StInput'],
  st_input_clear: function() {
    var area = StInput.area;
    if (!area) return;
    area.value = '';
    area.blur();
  },

  st_input_sync: function(wantsText, x, y) {
    var area = StInput.area;
    if (!area) return;
    if (x >= 0 && y >= 0) {
      area.style.left = x + 'px';
      area.style.top = y + 'px';
    }
    var focused = document.activeElement === area;
    if (wantsText && !focused) {
      area.focus({ preventScroll: true });
    } else if (!wantsText && focused) {
      area.blur();
    }
  },
});
