# Runs checklayering.cmake on small trees written here, one per rule, and checks that each broken
# tree fails with the message that names the include (and that a clean one passes): a check that
# cannot fail would prove nothing.
#
#   cmake -DWORK_DIR=<scratch folder> [-DWSPROBE_QTGUI_DIR=<dir>] [-DWSPROBE_QTWIDGETS_DIR=<dir>]
#         -P selftest.cmake
cmake_minimum_required(VERSION 3.25)

if(NOT WORK_DIR)
    message(FATAL_ERROR "usage: cmake -DWORK_DIR=<scratch folder> -P selftest.cmake")
endif()
set(check "${CMAKE_CURRENT_LIST_DIR}/checklayering.cmake")
set(failures "")

# A tree with the files every case shares: a header in each of a few folders.
function(write_tree tree)
    file(REMOVE_RECURSE "${tree}")
    file(WRITE "${tree}/core/protocol/closecodes.h" "#pragma once\n#include <QString>\n")
    file(WRITE "${tree}/core/log/frameevent.h" "#pragma once\n#include \"closecodes.h\"\n#include <QByteArray>\n")
    file(WRITE "${tree}/core/log/frameevent.cpp" "#include \"frameevent.h\"\n")
    file(WRITE "${tree}/core/engine/session.h" "#pragma once\n#include \"frameevent.h\"\n#include <QObject>\n")
    file(WRITE "${tree}/core/engine/clock.h" "#pragma once\n")
    file(WRITE "${tree}/ui/log/framelogview.h" "#pragma once\n#include \"frameevent.h\"\n#include <QWidget>\n")
    file(WRITE "${tree}/ui/session/sessionview.h" "#pragma once\n#include \"framelogview.h\"\n#include \"session.h\"\n")
    file(WRITE "${tree}/app/gui/main.cpp" "#include \"sessionview.h\"\n#include <QApplication>\n")
endfunction()

# Runs the check on `tree`; `expected` is a list of messages it must print, empty for a pass.
function(expect name tree expected)
    execute_process(
        COMMAND ${CMAKE_COMMAND} -DWSPROBE_SOURCE_DIR=${tree}
                -DWSPROBE_QTGUI_DIR=${WSPROBE_QTGUI_DIR} -DWSPROBE_QTWIDGETS_DIR=${WSPROBE_QTWIDGETS_DIR}
                -P ${check}
        RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${output}")
    if(NOT expected)
        if(NOT result EQUAL 0)
            list(APPEND failures "${name}: should pass, failed:\n${output}")
        endif()
    elseif(result EQUAL 0)
        list(APPEND failures "${name}: should fail, passed:\n${output}")
    else()
        foreach(message IN LISTS expected)
            string(FIND "${flat}" "${message}" at)
            if(at LESS 0)
                list(APPEND failures "${name}: should say \"${message}\", said:\n${output}")
            endif()
        endforeach()
    endif()
    set(failures "${failures}" PARENT_SCOPE)
endfunction()

set(tree "${WORK_DIR}/clean")
write_tree("${tree}")
expect("a tree that keeps the rules" "${tree}" "")

set(tree "${WORK_DIR}/log-includes-engine")
write_tree("${tree}")
file(APPEND "${tree}/core/log/frameevent.cpp" "#include \"clock.h\"\n  #  include \"session.h\"\n")
expect("core/log includes from core/engine" "${tree}"
       "core/log/frameevent.cpp includes clock.h from core/engine, which core/log may not depend on;core/log/frameevent.cpp includes session.h from core/engine, which core/log may not depend on")

set(tree "${WORK_DIR}/core-includes-ui")
write_tree("${tree}")
file(WRITE "${tree}/core/engine/session.cpp" "#include \"session.h\"\n#include \"framelogview.h\"\n")
expect("core includes a ui header" "${tree}"
       "core/engine/session.cpp includes framelogview.h from ui/log, which core/engine may not depend on")

set(tree "${WORK_DIR}/core-includes-widgets")
write_tree("${tree}")
file(WRITE "${tree}/core/protocol/closecodes.cpp"
     "#include \"closecodes.h\"\n#include <QWidget>\n#include <QtWidgets/QLabel>\n#include <QtGui>\n#include <qpainter.h>\n#include <QAction>\n#include <QtCore/QString>\n#include <QJsonObject>\n")
expect("core includes Qt Gui and Widgets headers" "${tree}"
       "core/protocol/closecodes.cpp includes <QWidget>, a Qt Gui or Widgets header;core/protocol/closecodes.cpp includes <QtWidgets/QLabel>;core/protocol/closecodes.cpp includes <QtGui>,;core/protocol/closecodes.cpp includes <qpainter.h>;core/protocol/closecodes.cpp includes <QAction>;5 include(s) against the layering")

# Headers the built-in list does not name are found in Qt's own include folders, when given.
if(WSPROBE_QTGUI_DIR AND WSPROBE_QTWIDGETS_DIR)
    set(tree "${WORK_DIR}/core-includes-rare-widgets")
    write_tree("${tree}")
    file(WRITE "${tree}/core/log/frameevent.cpp" "#include \"frameevent.h\"\n#include <QUndoView>\n#include <QPageSize>\n")
    expect("core includes headers found in Qt's folders" "${tree}"
           "core/log/frameevent.cpp includes <QUndoView>;core/log/frameevent.cpp includes <QPageSize>;2 include(s)")
endif()

set(tree "${WORK_DIR}/part-includes-sideways")
write_tree("${tree}")
file(WRITE "${tree}/ui/log/framelogview.cpp" "#include \"framelogview.h\"\n#include \"sessionview.h\"\n")
expect("ui/log includes from ui/session" "${tree}"
       "ui/log/framelogview.cpp includes sessionview.h from ui/session, which ui/log may not depend on")

set(tree "${WORK_DIR}/run-includes-ui")
write_tree("${tree}")
file(WRITE "${tree}/app/run/main.cpp" "#include \"session.h\"\n#include \"sessionview.h\"\n")
expect("wsprobe-run includes a widget" "${tree}"
       "app/run/main.cpp includes sessionview.h from ui/session, which app/run may not depend on;1 include(s)")

set(tree "${WORK_DIR}/folder-without-rule")
write_tree("${tree}")
file(WRITE "${tree}/core/tunnel/tunnel.cpp" "#include \"frameevent.h\"\n")
expect("a folder the table does not have" "${tree}" "core/tunnel/tunnel.cpp: core/tunnel has no rule")

set(tree "${WORK_DIR}/same-name-twice")
write_tree("${tree}")
file(WRITE "${tree}/ui/log/clock.h" "#pragma once\n")
expect("two headers of one name" "${tree}" "clock.h is both in core/engine and in ui/log")

if(failures)
    list(JOIN failures "\n" text)
    message(FATAL_ERROR "${text}")
endif()
message(STATUS "The layering check passes a clean tree and fails each broken one with its reason.")
