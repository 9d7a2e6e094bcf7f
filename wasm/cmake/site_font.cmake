# The UI font in the site under a content-hashed name (run with cmake -P; see wasm/CMakeLists.txt).
# Inputs (-D): FONT (the built font), SITE, URL_FILE (where to write the font's URL, read by
# site_page.cmake's callers), GZIP, ZOPFLI, BROTLI.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/site_common.cmake)
file(MAKE_DIRECTORY ${SITE}/fonts)
st_site_hashed_copy(${FONT} ${SITE} fonts/NotoSans-Regular ttf _url)
file(WRITE ${URL_FILE}.tmp "${_url}")
file(RENAME ${URL_FILE}.tmp ${URL_FILE})
