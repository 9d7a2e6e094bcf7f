# Puts one page of the site together (run with cmake -P after the page's link; see
# wasm/CMakeLists.txt). Inputs (-D):
#   NAME     the page's program name (session_tab)
#   OUT      the folder the linker wrote NAME.js and NAME.wasm to
#   SITE     the site folder
#   PAGE     the page's file name in SITE (index.html)
#   SHELL    shell.html
#   FONT_URL_FILE  a file holding the UI font's URL in SITE (site_font.cmake writes it)
#   EMOJI_URL_FILE a file holding the emoji font's URL in SITE (site_font.cmake writes it)
#   GZIP, ZOPFLI, BROTLI  the compressors (empty: not used; no gzip nor zopfli: no .gz)
#   PWA_SOURCE  (index.html only) wasm/site: pwa.js (registers the service worker), sw.js.in
#   PWA_ICONS   (index.html only) web/assets/pwa: icon-192.png, icon-512.png
# Output in SITE: NAME.<hash>.js and NAME.<hash>.wasm (hash: the first 16 hex digits of the
# file's SHA-256, so the relay may let browsers keep them for a year: the name changes with the
# content), PAGE naming them, and NAME.*.br / .gz beside each (the relay sends those as they are).
# Hashed files of older builds of NAME are removed.
# For the product's page (index.html) also what makes it an installable, offline-first app
# (docs/deployment.md): manifest.<hash>.webmanifest, icon-192/512.<hash>.png, pwa.<hash>.js and
# sw.js (the service worker, under a fixed name: browsers look for updates at the same URL),
# naming every file of the app shell; and OUT/NAME.site-files.txt, the product's files in SITE
# one per line (tools/package copies those, not the development pages).
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/site_common.cmake)

foreach(_ext js wasm)
  st_site_hashed_copy(${OUT}/${NAME}.${_ext} ${SITE} ${NAME} ${_ext} _url)
  set(_${_ext}_url ${_url})
endforeach()

set(ST_APP_SCRIPT ${_js_url})
set(ST_APP_WASM ${_wasm_url})
file(READ ${FONT_URL_FILE} ST_FONT_URL)
file(READ ${EMOJI_URL_FILE} ST_EMOJI_URL)
# The emoji font is named, not preloaded: wasm/imgui_host.cpp fetches it after the first
# interactive frame, so it is not part of the start's download (docs/performance.md). Every page
# gets it (shell.html's only slot in <head> is @ST_PWA_HEAD@).
set(ST_PWA_HEAD "<meta name=\"st-emoji-font\" content=\"${ST_EMOJI_URL}\">")
if(PAGE STREQUAL "index.html")
  set(_shell_files ${_js_url} ${_wasm_url} ${ST_FONT_URL} ${ST_EMOJI_URL})
  set(_icons "")
  foreach(_size 192 512)
    st_site_hashed_copy(${PWA_ICONS}/icon-${_size}.png ${SITE} icon-${_size} png _url NO_COMPRESS)
    list(APPEND _shell_files ${_url})
    string(APPEND _icons "${_sep}\n    {\"src\": \"${_url}\", \"sizes\": \"${_size}x${_size}\", "
                         "\"type\": \"image/png\", \"purpose\": \"any maskable\"}")
    set(_sep ",")
  endforeach()
  # Colours: shell.html's background; relative URLs resolve against the manifest's own.
  file(WRITE ${OUT}/manifest.webmanifest "{
  \"id\": \"./\",
  \"name\": \"Session Tab\",
  \"short_name\": \"Session Tab\",
  \"description\": \"The Session messenger in a browser tab\",
  \"start_url\": \"./\",
  \"scope\": \"./\",
  \"display\": \"standalone\",
  \"background_color\": \"#161616\",
  \"theme_color\": \"#161616\",
  \"icons\": [${_icons}
  ]
}
")
  st_site_hashed_copy(${OUT}/manifest.webmanifest ${SITE} manifest webmanifest _manifest_url)
  st_site_hashed_copy(${PWA_SOURCE}/pwa.js ${SITE} pwa js _pwa_url)
  list(APPEND _shell_files ${_manifest_url} ${_pwa_url})
  string(APPEND ST_PWA_HEAD "
<link rel=\"manifest\" href=\"${_manifest_url}\">
<meta name=\"theme-color\" content=\"#161616\">
<script src=\"${_pwa_url}\" defer></script>")
endif()
configure_file(${SHELL} ${SITE}/${PAGE}.tmp @ONLY)
file(RENAME ${SITE}/${PAGE}.tmp ${SITE}/${PAGE})
st_site_compress(${SITE}/${PAGE})

if(PAGE STREQUAL "index.html")
  # The worker's version changes with any file of the shell (the hashed names) and with the page,
  # so a new build is a new sw.js, which the browser installs (fetching the new shell) on its
  # next check.
  file(SHA256 ${SITE}/${PAGE} _page_sum)
  list(SORT _shell_files)
  string(SHA256 _version "${_page_sum};${_shell_files}")
  string(SUBSTRING ${_version} 0 16 ST_SW_VERSION)
  set(ST_SW_PRECACHE "'${PAGE}'")
  foreach(_f IN LISTS _shell_files)
    string(APPEND ST_SW_PRECACHE ", '${_f}'")
  endforeach()
  configure_file(${PWA_SOURCE}/sw.js.in ${SITE}/sw.js.tmp @ONLY)
  # configure_file keeps the time of an unchanged output only for its final name: compare first,
  # so an unchanged worker keeps its time (and ETag).
  file(READ ${SITE}/sw.js.tmp _new)
  set(_old "")
  if(EXISTS ${SITE}/sw.js)
    file(READ ${SITE}/sw.js _old)
  endif()
  if(_new STREQUAL _old)
    file(REMOVE ${SITE}/sw.js.tmp)
  else()
    file(RENAME ${SITE}/sw.js.tmp ${SITE}/sw.js)
  endif()
  st_site_compress(${SITE}/sw.js)
  # What tools/package puts in a release: the product's files and their compressed forms.
  set(_product ${PAGE} sw.js ${_shell_files})
  set(_listed "")
  foreach(_f IN LISTS _product)
    foreach(_variant "" .gz .br)
      if(EXISTS ${SITE}/${_f}${_variant})
        string(APPEND _listed "${_f}${_variant}\n")
      endif()
    endforeach()
  endforeach()
  file(WRITE ${OUT}/${NAME}.site-files.txt "${_listed}")
endif()
