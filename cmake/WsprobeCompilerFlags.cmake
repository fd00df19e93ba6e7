# Warnings and Qt strictness shared by every target of the project.
add_library(wsprobe_flags INTERFACE)
target_compile_options(wsprobe_flags INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-missing-field-initializers>)
# String conversions must be explicit: an accidental Latin-1/UTF-8 mix-up is a bug we want the
# compiler to find, not the user.
target_compile_definitions(wsprobe_flags INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_FOREACH
    QT_NO_KEYWORDS)
