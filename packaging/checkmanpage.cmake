# Fails when an option a program's --help prints is missing from its man page.
#
#   cmake -DPROGRAM=<path to wsprobe or wsprobe-run> -DMANPAGE=<page.1> -P checkmanpage.cmake
#
# An option is a word of the help text that starts with - or -- and a letter (--env, -o, -v2,
# -datatags). wsprobe-run has parsers for --serve-demo and --serve, whose --help is read too. In the
# page, troff's escaped hyphens (\-) and font changes (\fB, \fR) are taken out before looking.
cmake_minimum_required(VERSION 3.25)

if(NOT PROGRAM OR NOT MANPAGE)
    message(FATAL_ERROR "usage: cmake -DPROGRAM=<program> -DMANPAGE=<page> -P checkmanpage.cmake")
endif()

set(help_text "")
set(invocations "--help")
get_filename_component(program_name "${PROGRAM}" NAME)
if(program_name STREQUAL "wsprobe-run")
    list(APPEND invocations "--serve-demo --help" "--serve --help" "--export --help" "--proxy --help")
endif()
foreach(invocation IN LISTS invocations)
    separate_arguments(arguments UNIX_COMMAND "${invocation}")
    execute_process(COMMAND "${PROGRAM}" ${arguments}
        OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE result TIMEOUT 20)
    if(NOT result EQUAL 0 OR output STREQUAL "")
        message(FATAL_ERROR "${program_name} ${invocation} failed (${result}): ${errors}")
    endif()
    string(APPEND help_text "${output}\n")
endforeach()

# troff must render the page without a warning (lintian fails the package on one, e.g. an
# unknown special character). Where man-db is not installed the look is skipped.
find_program(MAN_PROGRAM man)
if(MAN_PROGRAM)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C.UTF-8 MANROFFSEQ= MANWIDTH=80
                            ${MAN_PROGRAM} --warnings -E UTF-8 -l -Tutf8 -Z "${MANPAGE}"
        OUTPUT_QUIET ERROR_VARIABLE troff_warnings RESULT_VARIABLE troff_result TIMEOUT 20)
    if(NOT troff_result EQUAL 0 OR NOT troff_warnings STREQUAL "")
        message(FATAL_ERROR "${MANPAGE} does not render cleanly (${troff_result}):\n${troff_warnings}")
    endif()
endif()

file(READ "${MANPAGE}" page)
string(REPLACE "\\-" "-" page "${page}")
string(REGEX REPLACE "\\\\f[BIRP]" "" page "${page}")

# The options: a dash after the start of a line, a blank, a comma or a bracket. Brackets become
# blanks first: in a CMake list, a ; between [ and ] does not separate items.
string(REGEX REPLACE "[][]" " " help_text "${help_text}")
string(REGEX MATCHALL "(^|[\n\t ,])--?[A-Za-z][A-Za-z0-9-]*" found "${help_text}")
set(options "")
foreach(match IN LISTS found)
    string(REGEX MATCH "-[A-Za-z0-9-]+$" option "${match}")
    list(APPEND options "${option}")
endforeach()
list(REMOVE_DUPLICATES options)
list(LENGTH options count)
if(count LESS 3)
    message(FATAL_ERROR "found only ${count} options in ${program_name}'s help: ${options}")
endif()

set(missing "")
foreach(option IN LISTS options)
    # The option as a word of its own: not the start of a longer option (--help in --help-all).
    string(REGEX REPLACE "([][+*.?^$()|\\\\])" "\\\\\\1" pattern "${option}")
    if(NOT page MATCHES "(^|[^A-Za-z0-9-])${pattern}([^A-Za-z0-9-]|$)")
        list(APPEND missing "${option}")
    endif()
endforeach()
if(missing)
    list(JOIN missing " " missing)
    message(FATAL_ERROR "${MANPAGE} does not describe: ${missing}")
endif()
message(STATUS "${program_name}: all ${count} options of --help are in ${MANPAGE}: ${options}")
