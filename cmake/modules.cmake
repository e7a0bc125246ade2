# gw_module(<name> [CONVERSION] DEPS <targets...>)
# One static library per src/<name>; it links only what it may use (DESIGN §8), so a forbidden
# dependency fails the link instead of relying on memory. Sources are every .cpp in the folder.
function(gw_module name)
    cmake_parse_arguments(ARG "CONVERSION" "" "DEPS" ${ARGN})
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
    add_library(gw_${name} STATIC ${sources})
    target_include_directories(gw_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_compile_options(gw_${name} PRIVATE ${GW_WARNINGS})
    if(ARG_CONVERSION)
        target_compile_options(gw_${name} PRIVATE ${GW_CONVERSION_WARNINGS})
    endif()
    target_link_libraries(gw_${name} PUBLIC ${ARG_DEPS})
endfunction()

# gw_unit_test(<name> DEPS <targets...>): one GoogleTest binary from tests/unit/<name>/*.cpp,
# each test case a CTest of its own, label "unit".
function(gw_unit_test name)
    cmake_parse_arguments(ARG "" "" "DEPS;SOURCES" ${ARGN})
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/unit/${name}/*_test.cpp)
    list(APPEND sources ${ARG_SOURCES})
    if(NOT sources)
        return()
    endif()
    add_executable(unit_${name} ${sources})
    target_compile_options(unit_${name} PRIVATE ${GW_WARNINGS})
    target_compile_definitions(unit_${name} PRIVATE GW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    target_include_directories(unit_${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    target_link_libraries(unit_${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
    gtest_discover_tests(unit_${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
    add_dependencies(gw_unit_tests unit_${name})
endfunction()

# gw_integration_test(<name> DEPS <targets...>): one binary per area, run as ONE CTest so the
# throwaway PostgreSQL cluster is created once per binary, label "integration".
function(gw_integration_test name)
    cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/integration/${name}/*.cpp)
    if(NOT sources OR NOT TARGET gw_test_support)
        return()
    endif()
    add_executable(integration_${name} ${sources})
    target_compile_options(integration_${name} PRIVATE ${GW_WARNINGS})
    target_link_libraries(integration_${name} PRIVATE ${ARG_DEPS} gw_test_support
                          GTest::gtest GTest::gtest_main)
    add_test(NAME integration_${name} COMMAND integration_${name})
    set_tests_properties(integration_${name} PROPERTIES LABELS integration TIMEOUT 600)
endfunction()
