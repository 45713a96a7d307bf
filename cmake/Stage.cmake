# auditeql_stage(NAME DEPENDS a b ...) builds src/NAME/*.cpp into the static
# library auditeql_NAME. Sources are globbed so adding a file needs no CMake edit.
# A stage without sources (yet) is an interface library, so dependents still link.
function(auditeql_stage name)
  cmake_parse_arguments(ARG "" "" "DEPENDS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT sources)
    add_library(auditeql_${name} INTERFACE)
    target_include_directories(auditeql_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(auditeql_${name} INTERFACE ${ARG_DEPENDS})
    return()
  endif()
  add_library(auditeql_${name} STATIC ${sources})
  target_include_directories(auditeql_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(auditeql_${name} PUBLIC ${ARG_DEPENDS})
  set_target_properties(auditeql_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
