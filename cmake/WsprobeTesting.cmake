# wsprobe_add_test(<name> SOURCES <files...> [LIBS <targets...>] [TIMEOUT <seconds>] [LABELS <labels...>])
#
# One QTest executable registered with CTest. Every test runs offscreen, with a timeout, and
# knows where the source tree is (WSPROBE_SOURCE_DIR) so it can start the peer servers kept in
# tests/peers, and where its own folder is (WSPROBE_TEST_DIR) for the data files beside it.
function(wsprobe_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test wsprobe_flags ${ARG_LIBS})
    target_compile_definitions(${name} PRIVATE
        WSPROBE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        WSPROBE_BINARY_DIR="${PROJECT_BINARY_DIR}"
        WSPROBE_TEST_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;WSPROBE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
