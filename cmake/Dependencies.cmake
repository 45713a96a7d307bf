# Debian 12: libaudit-dev, libauparse-dev, libxxhash-dev, libyaml-cpp-dev, libtomlplusplus-dev,
# libboost-program-options-dev, libboost-test-dev
find_package(PkgConfig REQUIRED)
pkg_check_modules(AUPARSE REQUIRED IMPORTED_TARGET auparse)
pkg_check_modules(LIBAUDIT REQUIRED IMPORTED_TARGET audit)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)  # process.entity_id (normalize)
find_package(yaml-cpp REQUIRED)
find_package(tomlplusplus 3 REQUIRED)  # Elastic's detection-rules TOML files
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
