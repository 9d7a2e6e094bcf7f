# Helpers of site_page.cmake and site_font.cmake: content-hashed copies and their precompressed
# variants.

# Copies `file` to `site`/`stem`.<hash>.`ext` (hash: 16 hex digits of SHA-256) with .gz and .br
# beside it (not with a trailing NO_COMPRESS: images are compressed already), removes
# `stem`.<other hash>.`ext`(.gz|.br), and sets `out_url` to the name.
function(st_site_hashed_copy file site stem ext out_url)
  file(SHA256 ${file} _sum)
  string(SUBSTRING ${_sum} 0 16 _hash)
  set(_name ${stem}.${_hash}.${ext})
  get_filename_component(_dir ${site}/${_name} DIRECTORY)
  get_filename_component(_base ${stem} NAME)
  file(GLOB _old ${_dir}/${_base}.*.${ext} ${_dir}/${_base}.*.${ext}.gz ${_dir}/${_base}.*.${ext}.br)
  foreach(_f IN LISTS _old)
    get_filename_component(_fname ${_f} NAME)
    # Only this stem's hashed names (session_tab.<hex>.js, not session_tab_fixture.<hex>.js).
    if(_fname MATCHES "^${_base}\\.[0-9a-f]+\\.${ext}(\\.gz|\\.br)?$" AND
       NOT _fname MATCHES "^${_base}\\.${_hash}\\.")
      file(REMOVE ${_f})
    endif()
  endforeach()
  if(NOT EXISTS ${site}/${_name})
    file(COPY_FILE ${file} ${site}/${_name}.tmp)
    file(RENAME ${site}/${_name}.tmp ${site}/${_name})
  endif()
  if(NOT "NO_COMPRESS" IN_LIST ARGN)
    st_site_compress(${site}/${_name})
  endif()
  set(${out_url} ${_name} PARENT_SCOPE)
endfunction()

# Writes `file`.gz and `file`.br (brotli -q 11) when missing or older than `file`. The gzip
# form comes from zopfli when it is there (the same format, ~5 % smaller: 25 KB off the app's
# wasm, for ~2 s of one core per link), else gzip -9. Deterministic: neither stores a name or time.
function(st_site_compress file)
  if(ZOPFLI)
    set(_gzip_command ${ZOPFLI} --i5 -c ${file})
  else()
    set(_gzip_command ${GZIP} -9 -n -c ${file})
  endif()
  if((ZOPFLI OR GZIP) AND (NOT EXISTS ${file}.gz OR ${file} IS_NEWER_THAN ${file}.gz))
    execute_process(COMMAND ${_gzip_command} OUTPUT_FILE ${file}.gz.tmp RESULT_VARIABLE _rc)
    if(_rc)
      message(FATAL_ERROR "gzip ${file} failed")
    endif()
    file(RENAME ${file}.gz.tmp ${file}.gz)
  endif()
  if(BROTLI AND (NOT EXISTS ${file}.br OR ${file} IS_NEWER_THAN ${file}.br))
    # To stdout: a file brotli writes itself gets the input's time (to the second: it would look
    # older than its file, and the relay would ignore it) or, with -n, mode 0600.
    execute_process(COMMAND ${BROTLI} -q 11 -c ${file} OUTPUT_FILE ${file}.br.tmp
                    RESULT_VARIABLE _rc)
    if(_rc)
      message(FATAL_ERROR "brotli ${file} failed")
    endif()
    file(RENAME ${file}.br.tmp ${file}.br)
  endif()
endfunction()
