# AUDITEQL_FUZZ: the whole project is built for libFuzzer (tests/fuzz).
#
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DAUDITEQL_FUZZ=ON -DAUDITEQL_BUILD_TESTS=OFF
#   cmake --build build-fuzz --target auditeql_fuzz
#   ctest --test-dir build-fuzz -L fuzz
#
# Every library gets AddressSanitizer, UndefinedBehaviorSanitizer (aborting on
# the first report) and libFuzzer's coverage instrumentation
# (-fsanitize=fuzzer-no-link); the fuzz targets themselves link with
# -fsanitize=fuzzer (tests/fuzz/CMakeLists.txt). Included from the top-level
# CMakeLists.txt before the stages, so that the flags apply to all of them.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang" OR NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "AUDITEQL_FUZZ needs clang: configure a fresh build directory with CC=clang CXX=clang++ "
                      "(found ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION})")
endif()
if(AUDITEQL_SANITIZE)
  message(FATAL_ERROR "AUDITEQL_FUZZ already builds with ASan and UBSan; leave AUDITEQL_SANITIZE off")
endif()

set(AUDITEQL_FUZZ_FLAGS -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined
                        -fno-omit-frame-pointer -g)
add_compile_options(${AUDITEQL_FUZZ_FLAGS})
add_link_options(-fsanitize=address,undefined)
# Asserts stay on whatever the build type (RelWithDebInfo and Release define NDEBUG).
add_compile_options(-UNDEBUG)

# This build holds the libraries and the fuzz targets only: the Boost suites
# run in the normal and the AUDITEQL_SANITIZE builds, and tests/CMakeLists.txt
# would add tests/fuzz a second time (as replay drivers). The fuzz tests are
# still CTest tests; enable_testing() must be called from the top-level directory.
if(AUDITEQL_BUILD_TESTS)
  message(STATUS "auditeql: AUDITEQL_FUZZ builds no Boost suites (AUDITEQL_BUILD_TESTS ignored)")
endif()
set(AUDITEQL_BUILD_TESTS OFF)
enable_testing()
