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
