# Installation layout (`cmake --install`) and the Debian package (CPack).
#
# Installed under the prefix /usr (what packages use; `cmake --install build
# --prefix /usr`, or -DCMAKE_INSTALL_PREFIX=/usr at configure time):
#   /usr/sbin/auditeql                       0750  the plugin and command line
#   /usr/share/auditeql/rules/*.yaml         0644  the shipped rules
#   /usr/share/man/man8/auditeql.8.gz, man5/auditeql.yaml.5.gz
#   /etc/audit/plugins.d/auditeql.conf       0640  auditd plugin drop-in
#   /etc/audit/rules.d/auditeql.rules        0640  audit rules (augenrules)
#   /etc/auditeql/auditeql.yaml              0640  configuration
#   /etc/auditeql/rules.d, exceptions.d      0750  local rules and exceptions
#   /usr/lib/dracut/modules.d                0755  watched by the audit rules: must exist
#
# The /etc paths are absolute whatever the prefix: auditd only reads
# /etc/audit, and the binary reads /etc/auditeql/auditeql.yaml by default.
# Under another prefix (the default /usr/local, say) the drop-in and the
# configuration name that prefix's binary and rules directory: they are
# written at install time (cmake/InstallWithPrefix.cmake), for the prefix
# given then. The binary finds the shipped rules relative to itself, so
# nothing in it depends on the prefix. DESTDIR stages the whole tree
# (/etc included) and appears in no installed file.
#
# After `cmake --install` by hand: `augenrules --load` and
# `auditctl --signal HUP` (see packaging/debian/postinst for what the package does).

set(AUDITEQL_AUDIT_DIR /etc/audit)
set(AUDITEQL_ETC_DIR /etc/auditeql)
set(_auditeql_mode_exec OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)           # 0750
set(_auditeql_mode_secret OWNER_READ OWNER_WRITE GROUP_READ)                                      # 0640
set(_auditeql_mode_public OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)                           # 0644
set(_auditeql_mode_dir OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                       WORLD_READ WORLD_EXECUTE)                                                  # 0755
set(_auditeql_mode_private_dir OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)     # 0750

# auditeql_install_with_prefix(TEMPLATE DESTINATION PERMISSION...): installs
# TEMPLATE, a file naming the packaged paths /usr/sbin/auditeql and
# /usr/share/auditeql/rules, into the absolute DESTINATION with those paths
# replaced by the ones of the prefix given at install time.
function(auditeql_install_with_prefix template destination)
  install(CODE "
    set(AUDITEQL_TEMPLATE [[${template}]])
    set(AUDITEQL_DESTINATION [[${destination}]])
    set(AUDITEQL_SBINDIR [[${CMAKE_INSTALL_SBINDIR}]])
    set(AUDITEQL_DATADIR [[${CMAKE_INSTALL_DATADIR}]])
    set(AUDITEQL_PERMISSIONS ${ARGN})
    include([[${PROJECT_SOURCE_DIR}/cmake/InstallWithPrefix.cmake]])")
endfunction()

# Man pages, compressed the way Debian wants them when gzip is there.
set(_auditeql_generated ${PROJECT_BINARY_DIR}/install)
find_program(AUDITEQL_GZIP gzip)
set(_auditeql_man_pages)
foreach(page auditeql.8 auditeql.yaml.5)
  set(src ${PROJECT_SOURCE_DIR}/packaging/man/${page})
  if(AUDITEQL_GZIP)
    set(out ${_auditeql_generated}/${page}.gz)
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${_auditeql_generated}
      COMMAND sh -c "'${AUDITEQL_GZIP}' -9 -n -c '${src}' > '${out}'"
      DEPENDS ${src} COMMENT "Compressing man page ${page}" VERBATIM)
    list(APPEND _auditeql_man_pages ${out})
  else()
    list(APPEND _auditeql_man_pages ${src})
  endif()
endforeach()
add_custom_target(auditeql_man_pages ALL DEPENDS ${_auditeql_man_pages})

# --- program, shipped rules, man pages (under the prefix)
install(TARGETS auditeql RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR} PERMISSIONS ${_auditeql_mode_exec})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/conf/rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/auditeql/rules
        FILE_PERMISSIONS ${_auditeql_mode_public} DIRECTORY_PERMISSIONS ${_auditeql_mode_dir}
        FILES_MATCHING PATTERN "*.yaml" PATTERN "*.yml")
foreach(page IN LISTS _auditeql_man_pages)
  string(REGEX MATCH "\\.([0-9])(\\.gz)?$" _ ${page})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${CMAKE_MATCH_1} PERMISSIONS ${_auditeql_mode_public})
endforeach()

# --- auditd integration (absolute: /etc/audit whatever the prefix). The
# directories are declared with auditd's own modes (0750) so that installing
# this first does not create them world-readable.
install(DIRECTORY DESTINATION ${AUDITEQL_AUDIT_DIR} DIRECTORY_PERMISSIONS ${_auditeql_mode_private_dir})
install(DIRECTORY DESTINATION ${AUDITEQL_AUDIT_DIR}/plugins.d DIRECTORY_PERMISSIONS ${_auditeql_mode_private_dir})
install(DIRECTORY DESTINATION ${AUDITEQL_AUDIT_DIR}/rules.d DIRECTORY_PERMISSIONS ${_auditeql_mode_private_dir})
auditeql_install_with_prefix(${PROJECT_SOURCE_DIR}/plugin/auditeql.conf ${AUDITEQL_AUDIT_DIR}/plugins.d
                             ${_auditeql_mode_secret})
install(FILES ${PROJECT_SOURCE_DIR}/rules.d/auditeql.rules DESTINATION ${AUDITEQL_AUDIT_DIR}/rules.d
        PERMISSIONS ${_auditeql_mode_secret})

# --- auditeql's own configuration (absolute: /etc/auditeql)
install(DIRECTORY DESTINATION ${AUDITEQL_ETC_DIR} DIRECTORY_PERMISSIONS ${_auditeql_mode_dir})
auditeql_install_with_prefix(${PROJECT_SOURCE_DIR}/conf/auditeql.yaml ${AUDITEQL_ETC_DIR} ${_auditeql_mode_secret})
install(DIRECTORY DESTINATION ${AUDITEQL_ETC_DIR}/rules.d DIRECTORY_PERMISSIONS ${_auditeql_mode_private_dir})
install(DIRECTORY DESTINATION ${AUDITEQL_ETC_DIR}/exceptions.d DIRECTORY_PERMISSIONS ${_auditeql_mode_private_dir})

# --- the watched directory hosts without dracut lack. If it is missing when
# the audit rules load, augenrules stops at its -w line. (/boot always exists;
# /lib/dracut/modules.d is the same directory on merged-/usr systems, and the
# package's postinst creates it on the others.)
install(DIRECTORY DESTINATION /usr/lib/dracut/modules.d DIRECTORY_PERMISSIONS ${_auditeql_mode_dir})

install(CODE [[
  if(NOT DEFINED ENV{DESTDIR} OR "$ENV{DESTDIR}" STREQUAL "")
    message(STATUS "auditeql: now load the audit rules and start the plugin: augenrules --load && auditctl --signal HUP")
  endif()
]])

# --- Debian package: `cpack -G DEB` (packaging/build-deb.sh does it all).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME auditeql)
set(CPACK_PACKAGE_VENDOR "auditeql")
set(CPACK_PACKAGE_CONTACT "auditeql maintainers <maintainers@users.noreply.h-seed-c4310d66.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "auditd plugin detecting Linux boot persistence with Elastic EQL rules")
set(CPACK_PACKAGE_DESCRIPTION [[auditeql is an auditd plugin: it reads the audit event stream, builds
process start and file creation events the way Elastic's endpoint sensor
reports them, evaluates Elastic Security's EQL detection rules for boot
persistence (boot file copies, initramfs tampering, dracut modules) and
writes alerts to syslog as one-line ECS JSON. The same binary replays
recorded audit logs through the rules.]])
# The /etc destinations are absolute: CPack stages the install under DESTDIR,
# and then installs with the prefix CPACK_INSTALL_PREFIX (CPack.cmake defaults
# it to the build's CMAKE_INSTALL_PREFIX). A package goes under /usr whatever
# the build's prefix: the drop-in and the configuration are written for the
# prefix CPack installs with, and the binary finds its rules relative to itself.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_NAME auditeql)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps when it is installed
# (dpkg-dev); the static list is the fallback (Debian 12 names).
find_program(AUDITEQL_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(AUDITEQL_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "auditd (>= 1:3.0)")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "auditd (>= 1:3.0), libauparse0, libaudit1, libxxhash0, libyaml-cpp0.7, libtomlplusplus3, libboost-program-options1.74.0, libc6, libstdc++6")
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)  # scripts 0755, conffiles 0644
include(CPack)
