// Runs before the module starts (linked with --pre-js). No inline script is allowed by the page's
// Content-Security-Policy, so the page's configuration lives here.
Module['canvas'] = document.getElementById('canvas');
// The page preloads the module and the font under their content-hashed names (shell.html:
// <link rel=preload data-st=...>); the same URLs are used here so the preloaded answers are taken.
function stPreloaded(kind, fallback) {
  var link = document.querySelector('link[data-st="' + kind + '"]');
  return link ? link.href : fallback;
}
// Emscripten asks where NAME.wasm is; instantiateStreaming then compiles it while it downloads.
Module['locateFile'] = function(path, prefix) {
  if (/\.wasm$/.test(path)) return stPreloaded('wasm', prefix + path);
  return prefix + path;
};
// Start fetching the UI font now, in parallel with the wasm module (ImGuiHost waits for it).
Module['stFont'] = fetch(stPreloaded('font', 'fonts/NotoSans-Regular.ttf'),
                         { credentials: 'same-origin' })
  .then(function(response) {
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.arrayBuffer();
  });
Module['stFont'].catch(function() {});  // reported when used
// The app's first request is the relay's GET /relay/info (which network it serves: the Client is
// built from the answer, and only then reads the stored state). Ask now, in parallel with the
// module; fetch_transport.js hands this answer to that first request instead of asking again.
Module['stEarlyFetch'] = {};
Module['stEarlyFetch'][location.origin + '/relay/info'] =
    fetch('relay/info', { cache: 'no-store', credentials: 'omit', redirect: 'error' });
Module['stEarlyFetch'][location.origin + '/relay/info'].catch(function() {});  // reported when used
Module['printErr'] = function(text) { console.warn(text); };
Module['onAbort'] = function(what) {
  var box = document.getElementById('loading');
  if (box) {
    box.textContent = 'Session Tab stopped: ' + what + '. Reload the page to start again.';
    box.className = 'failed';
  }
};
// Right-clicks open the app's own menus, not the browser's.
Module['canvas'].addEventListener('contextmenu', function(event) { event.preventDefault(); });
