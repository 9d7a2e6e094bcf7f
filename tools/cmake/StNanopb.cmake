# nanopb: the protobuf codec of the core (protocol.md §4). The wire code is generated from
# core/proto/*.proto by Debian's nanopb generator at build time; the small runtime (pb_common.c,
# pb_encode.c, pb_decode.c) comes from Debian's nanopb source package, which tools/bootstrap
# fetches and checks against tools/sources.sha256. The same runtime sources are compiled for the
# native and the wasm build (the binary package's libprotobuf-nanopb.a is host-only), and the
# generator and runtime are the same release (0.4.7), as nanopb requires.
#
#   st_nanopb_library(<target> PROTOS <file.proto>...)
#     A static library with the runtime and the generated <name>.pb.c files. Linking it gives the
#     include folders for <pb.h> and "<name>.pb.h" (as SYSTEM folders: the generated C is not held
#     to the project's warning flags). Link it PRIVATE: nanopb never appears in a public header.
#
# Options in effect: none beyond nanopb's defaults. Strings, bytes and repeated fields without a
# max_size/max_count become callbacks, which is what the core wants (no fixed buffers; decoding
# allocates only what the input holds). Error messages stay on (PB_NO_ERRMSG unset): they end up
# in Error::message and say which rule the input broke.

set(ST_NANOPB_VERSION "0.4.7-2")
set(ST_NANOPB_RUNTIME_DIR "${ST_CACHE}/src/nanopb_${ST_NANOPB_VERSION}/tree"
    CACHE PATH "nanopb runtime sources (pb_*.c), from tools/bootstrap")
if(NOT EXISTS "${ST_NANOPB_RUNTIME_DIR}/pb_decode.c")
  message(FATAL_ERROR "nanopb ${ST_NANOPB_VERSION} sources not found in ${ST_NANOPB_RUNTIME_DIR}: "
                      "run tools/bootstrap")
endif()
# Debian's generator: a Python script run by /usr/bin/python3 (its shebang), which has the
# google.protobuf module it needs; it calls protoc itself.
find_program(ST_NANOPB_GENERATOR nanopb_generator.py PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)

function(st_nanopb_library target)
  cmake_parse_arguments(ARG "" "" "PROTOS" ${ARGN})
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/nanopb")
  file(MAKE_DIRECTORY "${_out}")
  set(_sources)
  set(_headers)
  set(_proto_dirs)
  foreach(_proto IN LISTS ARG_PROTOS)
    get_filename_component(_abs "${_proto}" ABSOLUTE)
    get_filename_component(_name "${_abs}" NAME_WE)
    get_filename_component(_dir "${_abs}" DIRECTORY)
    list(APPEND _proto_dirs "${_dir}")
    set(_options)
    if(EXISTS "${_dir}/${_name}.options")
      set(_options "${_dir}/${_name}.options")
    endif()
    add_custom_command(
      OUTPUT "${_out}/${_name}.pb.c" "${_out}/${_name}.pb.h"
      COMMAND "${ST_NANOPB_GENERATOR}" --quiet -I "${_dir}" -D "${_out}" "${_abs}"
      DEPENDS "${_abs}" ${_options}
      COMMENT "nanopb: generating ${_name}.pb.c from ${_name}.proto"
      VERBATIM)
    list(APPEND _sources "${_out}/${_name}.pb.c")
    list(APPEND _headers "${_out}/${_name}.pb.h")
  endforeach()

  add_library(${target} STATIC
    "${ST_NANOPB_RUNTIME_DIR}/pb_common.c"
    "${ST_NANOPB_RUNTIME_DIR}/pb_encode.c"
    "${ST_NANOPB_RUNTIME_DIR}/pb_decode.c"
    ${_sources} ${_headers})
  set_target_properties(${target} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
  target_include_directories(${target} SYSTEM PUBLIC "${ST_NANOPB_RUNTIME_DIR}" "${_out}")
  if(ST_FUZZ)
    # Coverage-guide the fuzzers through the codec too (the fuzz preset instruments st_core).
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  endif()
endfunction()
