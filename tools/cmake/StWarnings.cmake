# Warning flags for the project's own targets (never for third-party code).
add_library(st_warnings INTERFACE)
target_compile_options(st_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wno-sign-conversion)
if(ST_WERROR)
  target_compile_options(st_warnings INTERFACE -Werror)
endif()
