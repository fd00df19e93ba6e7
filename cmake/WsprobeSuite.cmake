# wsprobe_add_suite(<name> <path>...
#                   [ENV <file>] [VARS <name=value>...] [JOBS <n>] [TIMEOUT <seconds>]
#                   [ARGS <more wsprobe-run arguments>...] [RUNNER <path to wsprobe-run>])
#
# Adds a folder (or files) of wsprobe scenarios to CTest as one test. wsprobe-run writes a JUnit
# report next to the test (<build>/<name>.junit.xml) and prints QTest's plain text; the test
# fails when a scenario fails.
#
#   find_package(wsprobe REQUIRED)          # or include(path/to/WsprobeSuite.cmake)
#   enable_testing()
#   wsprobe_add_suite(chat_scenarios ${CMAKE_CURRENT_SOURCE_DIR}/scenarios
#                     ENV ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/ci.env.json
#                     VARS baseUrl=ws://127.0.0.1:8080)
function(wsprobe_add_suite name)
    cmake_parse_arguments(ARG "" "ENV;JOBS;TIMEOUT;RUNNER" "VARS;ARGS" ${ARGN})
    set(paths ${ARG_UNPARSED_ARGUMENTS})
    if(NOT paths)
        message(FATAL_ERROR "wsprobe_add_suite(${name}): give a scenario folder or file")
    endif()

    if(ARG_RUNNER)
        set(runner "${ARG_RUNNER}")
    elseif(TARGET wsprobe-run)
        set(runner "$<TARGET_FILE:wsprobe-run>")
    else()
        find_program(WSPROBE_RUN_EXECUTABLE wsprobe-run REQUIRED)
        set(runner "${WSPROBE_RUN_EXECUTABLE}")
    endif()

    set(arguments ${paths})
    if(ARG_ENV)
        list(APPEND arguments --env "${ARG_ENV}")
    endif()
    foreach(assignment IN LISTS ARG_VARS)
        list(APPEND arguments --var "${assignment}")
    endforeach()
    if(ARG_JOBS)
        list(APPEND arguments --jobs ${ARG_JOBS})
    endif()
    list(APPEND arguments ${ARG_ARGS}
        -o "${CMAKE_CURRENT_BINARY_DIR}/${name}.junit.xml,junitxml" -o "-,txt")

    add_test(NAME ${name} COMMAND "${runner}" ${arguments})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 600)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS wsprobe)
endfunction()
