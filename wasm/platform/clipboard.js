// Clipboard bridge (see clipboard.hpp).
mergeInto(LibraryManager.library, {
  st_clipboard_install: function() {
    document.addEventListener('paste', function(event) {
      var data = event.clipboardData;
      var text = data ? data.getData('text/plain') : '';
      event.preventDefault();  // ImGui inserts it (Ctrl/Cmd+V), not the hidden textarea
      var size = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(size);
      stringToUTF8(text, ptr, size);
      _st_clipboard_pasted(ptr);
      _free(ptr);
    });
  },

  st_clipboard_write: function(ptr) {
    var text = UTF8ToString(ptr);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(function(error) {
        console.warn('Session Tab: the browser refused the clipboard write:', error);
      });
    }
  },
});
