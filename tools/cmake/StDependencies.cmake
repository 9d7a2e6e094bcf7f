# Third-party dependencies. Natively they come from Debian's packages; under Emscripten libsodium is
# the wasm build that tools/bootstrap leaves in the cache, and nlohmann/json is reached through a
# folder holding only a link to it (never put /usr/include on emcc's include path: glibc's headers
# would leak into the wasm build).

if(DEFINED ENV{ST_CACHE})
  set(ST_CACHE "$ENV{ST_CACHE}" CACHE PATH "tools/bootstrap's cache folder")
else()
  set(ST_CACHE "/var/cache/session-tab" CACHE PATH "tools/bootstrap's cache folder")
endif()

# --- libsodium -----------------------------------------------------------------------------------
if(EMSCRIPTEN)
  set(_sodium_prefix "${ST_CACHE}/wasm/libsodium")
  if(NOT EXISTS "${_sodium_prefix}/lib/libsodium.a")
    message(FATAL_ERROR "libsodium for wasm not found in ${_sodium_prefix}: run tools/bootstrap")
  endif()
  add_library(sodium STATIC IMPORTED GLOBAL)
  set_target_properties(sodium PROPERTIES
    IMPORTED_LOCATION "${_sodium_prefix}/lib/libsodium.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_sodium_prefix}/include")
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium=1.0.18)
  add_library(sodium ALIAS PkgConfig::SODIUM)
endif()

# --- nlohmann/json -------------------------------------------------------------------------------
if(EMSCRIPTEN)
  set(_json_dir "${CMAKE_BINARY_DIR}/third_party/include")
  file(MAKE_DIRECTORY "${_json_dir}")
  if(NOT EXISTS "${_json_dir}/nlohmann")
    file(CREATE_LINK /usr/include/nlohmann "${_json_dir}/nlohmann" SYMBOLIC)
  endif()
  add_library(nlohmann_json INTERFACE)
  target_include_directories(nlohmann_json SYSTEM INTERFACE "${_json_dir}")
  add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)
else()
  find_package(nlohmann_json 3.11 REQUIRED)
endif()

# --- GoogleTest ----------------------------------------------------------------------------------
if(ST_BUILD_TESTS)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  if(EMSCRIPTEN)
    set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
  endif()
  add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/third_party/googletest EXCLUDE_FROM_ALL)
  if(EMSCRIPTEN)
    # GoogleTest builds itself with -fexceptions; in wasm everything linked together must use the
    # core's exception model (native wasm exceptions, core/CMakeLists.txt).
    target_compile_options(gtest PRIVATE -fwasm-exceptions)
    target_compile_options(gtest_main PRIVATE -fwasm-exceptions)
  endif()
endif()

# --- zstd ----------------------------------------------------------------------------------------
# zstd 1.5.4 for config messages (core/src/config/compress.cpp), compiled from Debian's libzstd
# source package that tools/bootstrap fetches and checks against tools/sources.sha256. The same C
# files build natively and for wasm, so both ends run the code libsession-util links. Only the
# frame format (lib/common, lib/compress, lib/decompress; the file list of upstream's
# lib/libzstd.mk without legacy/, dictBuilder/ and deprecated/) is built:
#   ZSTD_DISABLE_ASM        no huf_decompress_amd64.S (x86-64 only; not in the source list either):
#                           the C Huffman decoder on every platform, configs are small
#   ZSTD_LEGACY_SUPPORT=0   no pre-1.0 frame formats (the default of 1.5.4's zstd_decompress.c,
#                           stated so nobody turns it on by accident: legacy decoders are old code)
#   ZSTD_TRACE=0            no weak tracing hooks (lib/common/zstd_trace.h)
#   ZSTD_MULTITHREAD        left undefined: single-threaded, as the core has no threads
# and, for size (lib/README.md "Small builds": the same frames, smaller and slower code; config
# messages are tens of KB, so the cost is microseconds — measured in tools/bench config/):
#   ZSTD_NO_INLINE                         no forced inlining
#   ZSTD_STRIP_ERROR_STRINGS               error codes stay, their English names go
#   HUF_FORCE_DECOMPRESS_X1                one Huffman decoder (single-symbol) instead of two
#   ZSTD_FORCE_DECOMPRESS_SEQUENCES_SHORT  one sequence decoder instead of two
# In wasm these take zstd from about 70 KB to 46 KB of the gzipped module.
# Linked PRIVATE into st_core: zstd.h never appears in a public header.
set(ST_ZSTD_VERSION "1.5.4+dfsg2-5")
set(ST_ZSTD_DIR "${ST_CACHE}/src/libzstd_${ST_ZSTD_VERSION}/tree/lib"
    CACHE PATH "zstd library sources (lib/), from tools/bootstrap")
if(NOT EXISTS "${ST_ZSTD_DIR}/decompress/zstd_decompress.c")
  message(FATAL_ERROR "zstd ${ST_ZSTD_VERSION} sources not found in ${ST_ZSTD_DIR}: run tools/bootstrap")
endif()
file(GLOB _zstd_sources
  "${ST_ZSTD_DIR}/common/*.c" "${ST_ZSTD_DIR}/compress/*.c" "${ST_ZSTD_DIR}/decompress/*.c")
add_library(st_zstd STATIC ${_zstd_sources})
set_target_properties(st_zstd PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
target_include_directories(st_zstd SYSTEM PUBLIC "${ST_ZSTD_DIR}")
target_compile_definitions(st_zstd PRIVATE ZSTD_DISABLE_ASM ZSTD_LEGACY_SUPPORT=0 ZSTD_TRACE=0
                           ZSTD_NO_INLINE ZSTD_STRIP_ERROR_STRINGS HUF_FORCE_DECOMPRESS_X1
                           ZSTD_FORCE_DECOMPRESS_SEQUENCES_SHORT)
if(EMSCRIPTEN)
  # For size, like the core (core/CMakeLists.txt): config messages are a few KB, speed is moot.
  # No -msimd128 (the core has none either); zstd's SIMD paths are SSE2/NEON only and stay off.
  target_compile_options(st_zstd PRIVATE -Oz)
endif()
if(ST_FUZZ)
  # Coverage-guide the fuzzers through the codec too (the fuzz preset instruments st_core).
  target_compile_options(st_zstd PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
endif()
add_library(st::zstd ALIAS st_zstd)
