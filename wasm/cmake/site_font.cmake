# The UI fonts in the site under content-hashed names (run with cmake -P; see wasm/CMakeLists.txt).
# Inputs (-D): FONT (the Latin text font, fetched at start), EMOJI (the rest: other scripts and
# the emoji, fetched after the first interactive frame), SITE, URL_FILE and EMOJI_URL_FILE (where
# to write their URLs, read by site_page.cmake), GZIP, ZOPFLI, BROTLI.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/site_common.cmake)
file(MAKE_DIRECTORY ${SITE}/fonts)
st_site_hashed_copy(${FONT} ${SITE} fonts/NotoSans-Regular ttf _url)
st_site_hashed_copy(${EMOJI} ${SITE} fonts/More ttf _emoji_url)
file(WRITE ${EMOJI_URL_FILE}.tmp "${_emoji_url}")
file(RENAME ${EMOJI_URL_FILE}.tmp ${EMOJI_URL_FILE})
file(WRITE ${URL_FILE}.tmp "${_url}")
file(RENAME ${URL_FILE}.tmp ${URL_FILE})
