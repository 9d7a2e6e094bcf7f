# Third-party UI code compiled from the Debian sources that tools/bootstrap fetched, verified
# (tools/sources.sha256) and unpacked into ${ST_CACHE}/src. The same files build natively (the UI
# smoke tests, which need no backend at all) and for wasm (plus the GLFW + WebGL2 backends).
#
#   st_imgui          Dear ImGui 1.86 core: imgui, imgui_draw, imgui_tables, imgui_widgets
#   st_imgui_backend  (Emscripten only) imgui_impl_glfw + imgui_impl_opengl3 for WebGL2
#   st_qrcodegen      qrcodegen 1.8.0 (C++), for the QR code of the own Session ID
#
# Definitions every translation unit that includes imgui.h must share (they change struct layouts,
# so they are PUBLIC):
#   IMGUI_USE_WCHAR32                  ImWchar is 32-bit: code points above U+FFFF (emoji) survive
#   IMGUI_DISABLE_OBSOLETE_FUNCTIONS   keep to the 1.86 API, no deprecated names
#   ImDrawIdx=unsigned int             32-bit indices: 1.86 emits every glyph of wrapped text, even
#                                      below the clip rectangle, so one long message can pass the
#                                      65,536 vertices a 16-bit draw list holds (WebGL2 takes
#                                      32-bit indices natively)
# Backend-only: IMGUI_IMPL_OPENGL_ES3 (1.86 would otherwise pick ES2 under Emscripten).
include_guard(GLOBAL)

set(ST_IMGUI_DIR "${ST_CACHE}/src/imgui_1.86+ds-1/tree" CACHE PATH "Dear ImGui 1.86 sources")
set(ST_QRCODEGEN_DIR "${ST_CACHE}/src/qr-code-generator_1.8.0/tree" CACHE PATH "qrcodegen sources")
foreach(_file "${ST_IMGUI_DIR}/imgui.cpp" "${ST_QRCODEGEN_DIR}/cpp/qrcodegen.cpp")
  if(NOT EXISTS "${_file}")
    message(FATAL_ERROR "${_file} not found: run tools/bootstrap")
  endif()
endforeach()

# --- Dear ImGui ----------------------------------------------------------------------------------
add_library(st_imgui STATIC
  ${ST_IMGUI_DIR}/imgui.cpp ${ST_IMGUI_DIR}/imgui_draw.cpp
  ${ST_IMGUI_DIR}/imgui_tables.cpp ${ST_IMGUI_DIR}/imgui_widgets.cpp)
# SYSTEM: our -Wconversion/-Wshadow must not fire inside imgui.h when project code includes it.
target_include_directories(st_imgui SYSTEM PUBLIC ${ST_IMGUI_DIR})
target_compile_definitions(st_imgui PUBLIC IMGUI_USE_WCHAR32 IMGUI_DISABLE_OBSOLETE_FUNCTIONS
  "ImDrawIdx=unsigned int")
set_target_properties(st_imgui PROPERTIES POSITION_INDEPENDENT_CODE ON)
# 1.86 mixes public and private flag enums in bitwise operations, which C++20 deprecates.
target_compile_options(st_imgui PRIVATE -Wno-deprecated-enum-enum-conversion)
if(EMSCRIPTEN)
  # -Os: the UI is not hot code, and the download is the browser app's first cost.
  target_compile_options(st_imgui PRIVATE -fwasm-exceptions -Os)
endif()
add_library(st::imgui ALIAS st_imgui)

if(EMSCRIPTEN)
  # GLFW and GLES3 headers come with Emscripten's sysroot; the link flags that bring in the JS
  # GLFW and WebGL2 live in wasm/CMakeLists.txt with every other link flag.
  add_library(st_imgui_backend STATIC
    ${ST_IMGUI_DIR}/backends/imgui_impl_glfw.cpp ${ST_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(st_imgui_backend SYSTEM PUBLIC ${ST_IMGUI_DIR}/backends)
  target_compile_definitions(st_imgui_backend PUBLIC IMGUI_IMPL_OPENGL_ES3)
  target_compile_options(st_imgui_backend PRIVATE -fwasm-exceptions -Os)
  target_link_libraries(st_imgui_backend PUBLIC st_imgui)
  add_library(st::imgui_backend ALIAS st_imgui_backend)
endif()

# --- qrcodegen -----------------------------------------------------------------------------------
# Compiled from a copy in the build tree with one change: the message of its "data too long"
# exception is built with std::string instead of std::ostringstream. That one stream was the app's
# only use of iostreams, and it linked libc++'s whole locale machinery (money, time, num and
# codecvt facets, long double parsing): ≈ 86 KB of the wasm, 26 KB gzip (docs/performance.md). The
# message is the same text. The source is pinned (tools/sources.sha256), so the change must apply.
file(READ ${ST_QRCODEGEN_DIR}/cpp/qrcodegen.cpp _qr_source)
set(_qr_stream_regex "std::ostringstream sb;[^}]*}[\t\n ]*throw data_too_long\\(sb\\.str\\(\\)\\);")
string(REGEX REPLACE "${_qr_stream_regex}" [=[throw data_too_long(dataUsedBits == -1 ? std::string("Segment too long") :
				"Data length = " + std::to_string(dataUsedBits) + " bits, " +
				"Max capacity = " + std::to_string(dataCapacityBits) + " bits");]=] _qr_source "${_qr_source}")
string(REPLACE "#include <sstream>" "#include <string>" _qr_source "${_qr_source}")
string(FIND "${_qr_source}" "stream" _qr_stream_left)
string(FIND "${_qr_source}" "std::to_string(dataCapacityBits)" _qr_changed)
if(NOT _qr_stream_left EQUAL -1 OR _qr_changed EQUAL -1)
  message(FATAL_ERROR "${ST_QRCODEGEN_DIR}/cpp/qrcodegen.cpp: the data-too-long message is not "
                      "where tools/cmake/StImGui.cmake expects it (not qrcodegen 1.8.0?)")
endif()
file(WRITE ${CMAKE_BINARY_DIR}/third_party/qrcodegen/qrcodegen.cpp.new "${_qr_source}")
# configure_file rewrites it only when it changed, so configuring again does not recompile it.
configure_file(${CMAKE_BINARY_DIR}/third_party/qrcodegen/qrcodegen.cpp.new
               ${CMAKE_BINARY_DIR}/third_party/qrcodegen/qrcodegen.cpp COPYONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ST_QRCODEGEN_DIR}/cpp/qrcodegen.cpp)
add_library(st_qrcodegen STATIC ${CMAKE_BINARY_DIR}/third_party/qrcodegen/qrcodegen.cpp)
target_include_directories(st_qrcodegen SYSTEM PUBLIC ${ST_QRCODEGEN_DIR}/cpp)
if(EMSCRIPTEN)
  # qrcodegen reports impossible inputs (data too long) by throwing.
  target_compile_options(st_qrcodegen PRIVATE -fwasm-exceptions -Os)
endif()
add_library(st::qrcodegen ALIAS st_qrcodegen)
