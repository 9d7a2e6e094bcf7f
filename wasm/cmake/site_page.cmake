# Puts one page of the site together (run with cmake -P after the page's link; see
# wasm/CMakeLists.txt). Inputs (-D):
#   NAME     the page's program name (session_tab)
#   OUT      the folder the linker wrote NAME.js and NAME.wasm to
#   SITE     the site folder
#   PAGE     the page's file name in SITE (index.html)
#   SHELL    shell.html
#   FONT_URL_FILE  a file holding the UI font's URL in SITE (site_font.cmake writes it)
#   GZIP, ZOPFLI, BROTLI  the compressors (empty: not used; no gzip nor zopfli: no .gz)
# Output in SITE: NAME.<hash>.js and NAME.<hash>.wasm (hash: the first 16 hex digits of the
# file's SHA-256, so the relay may let browsers keep them for a year: the name changes with the
# content), PAGE naming them, and NAME.*.br / .gz beside each (the relay sends those as they are).
# Hashed files of older builds of NAME are removed.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/site_common.cmake)

foreach(_ext js wasm)
  st_site_hashed_copy(${OUT}/${NAME}.${_ext} ${SITE} ${NAME} ${_ext} _url)
  set(_${_ext}_url ${_url})
endforeach()

set(ST_APP_SCRIPT ${_js_url})
set(ST_APP_WASM ${_wasm_url})
file(READ ${FONT_URL_FILE} ST_FONT_URL)
configure_file(${SHELL} ${SITE}/${PAGE}.tmp @ONLY)
file(RENAME ${SITE}/${PAGE}.tmp ${SITE}/${PAGE})
st_site_compress(${SITE}/${PAGE})
