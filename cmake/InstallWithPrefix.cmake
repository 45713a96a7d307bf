# Runs at install time, from install(CODE) in Install.cmake: installs
# AUDITEQL_TEMPLATE into AUDITEQL_DESTINATION (an absolute directory, /etc/...)
# with the paths it names for the packaged layout, /usr/sbin/auditeql and
# /usr/share/auditeql/rules, replaced by where this install puts the program
# and the shipped rules: under CMAKE_INSTALL_PREFIX as given now
# (`cmake --install --prefix`, CPack's packaging prefix), not as configured.
# The file is written under DESTDIR, and DESTDIR never appears in it.
#
# Inputs: AUDITEQL_TEMPLATE, AUDITEQL_DESTINATION, AUDITEQL_SBINDIR and
# AUDITEQL_DATADIR (CMAKE_INSTALL_SBINDIR and _DATADIR: relative to the prefix
# or absolute, as install(TARGETS/DIRECTORY) use them), AUDITEQL_PERMISSIONS.
# Runs in the scope of cmake_install.cmake (include, not a function) so that
# the file joins CMAKE_INSTALL_MANIFEST_FILES.

foreach(_auditeql_var AUDITEQL_TEMPLATE AUDITEQL_DESTINATION AUDITEQL_SBINDIR AUDITEQL_DATADIR AUDITEQL_PERMISSIONS)
  if(NOT DEFINED ${_auditeql_var})
    message(FATAL_ERROR "InstallWithPrefix.cmake: ${_auditeql_var} is not set")
  endif()
endforeach()
# Where install(TARGETS/DIRECTORY) put the program and the rules: the prefix
# "/" reaches here empty (cmake_install.cmake drops its trailing slash), and a
# relative prefix is taken from the current binary directory, as file(INSTALL)
# takes it.
foreach(_auditeql_kind SBINDIR DATADIR)
  set(_auditeql_dir "${AUDITEQL_${_auditeql_kind}}")
  if(NOT IS_ABSOLUTE "${_auditeql_dir}")
    set(_auditeql_dir "${CMAKE_INSTALL_PREFIX}/${_auditeql_dir}")
  endif()
  cmake_path(ABSOLUTE_PATH _auditeql_dir BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
  set(_auditeql_full_${_auditeql_kind} "${_auditeql_dir}")
endforeach()

file(READ "${AUDITEQL_TEMPLATE}" _auditeql_text)
string(REPLACE "/usr/sbin/auditeql" "${_auditeql_full_SBINDIR}/auditeql" _auditeql_text "${_auditeql_text}")
string(REPLACE "/usr/share/auditeql/rules" "${_auditeql_full_DATADIR}/auditeql/rules" _auditeql_text "${_auditeql_text}")

cmake_path(GET AUDITEQL_TEMPLATE FILENAME _auditeql_name)
set(_auditeql_file "${AUDITEQL_DESTINATION}/${_auditeql_name}")
# What file(INSTALL) does for an absolute destination: CPack refuses them
# unless the package is staged with DESTDIR (CPACK_SET_DESTDIR).
list(APPEND CMAKE_ABSOLUTE_DESTINATION_FILES "${_auditeql_file}")
if(CMAKE_WARN_ON_ABSOLUTE_INSTALL_DESTINATION)
  message(WARNING "ABSOLUTE path INSTALL DESTINATION : ${CMAKE_ABSOLUTE_DESTINATION_FILES}")
endif()
if(CMAKE_ERROR_ON_ABSOLUTE_INSTALL_DESTINATION)
  message(FATAL_ERROR "ABSOLUTE path INSTALL DESTINATION forbidden (by caller): ${CMAKE_ABSOLUTE_DESTINATION_FILES}")
endif()

set(_auditeql_staged "$ENV{DESTDIR}${_auditeql_file}")
set(_auditeql_old "")
if(EXISTS "${_auditeql_staged}")
  file(READ "${_auditeql_staged}" _auditeql_old)
endif()
if(EXISTS "${_auditeql_staged}" AND _auditeql_old STREQUAL _auditeql_text)
  message(STATUS "Up-to-date: ${_auditeql_staged}")
else()
  message(STATUS "Installing: ${_auditeql_staged}")
  file(WRITE "${_auditeql_staged}" "${_auditeql_text}")
endif()
file(CHMOD "${_auditeql_staged}" PERMISSIONS ${AUDITEQL_PERMISSIONS})
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${_auditeql_file}")
