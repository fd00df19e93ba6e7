# Checks that every #include under core/, ui/ and app/ points the way docs/architecture.md
# allows, and that nothing under core/ includes a Qt Gui or Widgets header. A CMake script, so it
# needs nothing but cmake:
#
#   cmake -DWSPROBE_SOURCE_DIR=<tree> [-DWSPROBE_QTGUI_DIR=<dir>] [-DWSPROBE_QTWIDGETS_DIR=<dir>]
#         [-DWSPROBE_LAYERING_EDGES=ON] -P checklayering.cmake
#
# With WSPROBE_LAYERING_EDGES it also lists which folder includes from which, as they are.
#
# Headers are included by name ("session.h"), so a quoted include is resolved to the one folder
# that holds a header of that name; names that are not ours (Qt, the standard library, generated
# files) are left to the compiler. The Qt directories, when given, name every Gui and Widgets
# header; without them a list of the usual ones serves.
cmake_minimum_required(VERSION 3.25)

# --------------------------------------------------------------------------------------- rules
# The allowed arrows: "folder: the folders it may include from". This is the table "Where things
# live" in docs/architecture.md, written for a machine: change both together. A folder may always
# include its own headers; "core/*" means every folder under core/. A folder with no line here
# fails the check until it gets one (and a row in the table).
set(layering_rules
    "core/protocol:"
    "core/log: core/protocol"
    "core/wire: core/protocol"
    "core/engine: core/protocol core/log core/wire"
    "core/scenario: core/protocol"
    "core/stats: core/protocol core/log"
    "core/match: core/protocol core/log core/scenario core/stats"
    "core/runner: core/protocol core/log core/wire core/engine core/scenario core/match core/stats core/mock"
    "core/demo: core/protocol"
    "core/exchange: core/protocol core/log core/engine core/scenario core/match core/runner"
    "core/mock: core/protocol core/log core/wire core/scenario core/match core/demo"
    "core/loadexport: core/protocol core/scenario core/runner"
    "core/load: core/protocol core/log core/scenario core/stats core/runner"
    "core/proxy: core/protocol core/log core/engine core/scenario core/match core/demo core/mock core/exchange"
    "ui/theme:"
    "ui/log: core/* ui/theme ui/composer"
    "ui/composer: core/* ui/theme"
    "ui/session: core/* ui/theme ui/log ui/composer ui/assertions ui/stats"
    "ui/assertions: core/* ui/theme"
    "ui/stats: core/*"
    "ui/proxy: core/* ui/log"
    "ui/scenario: core/* ui/theme ui/log"
    "ui/workspace: core/* ui/theme"
    "ui/server: core/* ui/theme ui/log"
    "ui/load: core/* ui/theme ui/stats"
    "ui: core/* ui/*"
    "app/common:"
    "app/gui: core/* ui ui/* app/common"
    "app/run: core/* app/common"
)

# Qt modules that need a display; core/ includes none of them, under any spelling.
set(display_modules QtGui QtWidgets QtPrintSupport QtOpenGL QtOpenGLWidgets QtSvgWidgets Qsci)
# Used when the Qt include directories are not given: the Gui and Widgets headers one reaches for.
set(display_headers
    # Qt Gui
    QGuiApplication QAction QActionGroup QShortcut QKeySequence QColor QPalette QFont QFontInfo
    QFontMetrics QFontMetricsF QFontDatabase QPainter QPainterPath QPen QBrush QGradient QPixmap
    QImage QIcon QCursor QClipboard QScreen QWindow QDesktopServices QTextDocument QTextCursor
    QTextCharFormat QTextBlock QTextBlockFormat QTextOption QSyntaxHighlighter QValidator
    QIntValidator QDoubleValidator QRegularExpressionValidator QStandardItemModel QStandardItem
    QKeyEvent QMouseEvent QWheelEvent QPaintEvent QResizeEvent QShowEvent QHideEvent QCloseEvent
    QFocusEvent QDragEnterEvent QDragMoveEvent QDropEvent QDrag QMovie QTransform QPolygon QRegion
    # Qt Widgets
    QWidget QApplication QMainWindow QDialog QDialogButtonBox QLabel QPushButton QToolButton
    QAbstractButton QCheckBox QRadioButton QButtonGroup QComboBox QLineEdit QTextEdit
    QPlainTextEdit QTextBrowser QSpinBox QDoubleSpinBox QSlider QProgressBar QMenu QMenuBar
    QToolBar QStatusBar QDockWidget QTabWidget QTabBar QStackedWidget QSplitter QScrollArea
    QAbstractScrollArea QScrollBar QFrame QGroupBox QLayout QBoxLayout QHBoxLayout QVBoxLayout
    QGridLayout QFormLayout QStackedLayout QSizePolicy QStyle QStyleFactory QStyleOption
    QStylePainter QStyledItemDelegate QItemDelegate QAbstractItemDelegate QAbstractItemView
    QTableView QTreeView QListView QColumnView QTableWidget QTreeWidget QListWidget QHeaderView
    QMessageBox QFileDialog QInputDialog QColorDialog QFontDialog QProgressDialog QCompleter
    QSystemTrayIcon QToolTip QWhatsThis QGraphicsView QGraphicsScene QGraphicsItem QOpenGLWidget
)

# ------------------------------------------------------------------------------------ the check
if(NOT WSPROBE_SOURCE_DIR)
    message(FATAL_ERROR "usage: cmake -DWSPROBE_SOURCE_DIR=<source tree> -P checklayering.cmake")
endif()

foreach(rule IN LISTS layering_rules)
    if(NOT rule MATCHES "^([^:]+):(.*)$")
        message(FATAL_ERROR "checklayering.cmake: a rule without a colon: \"${rule}\"")
    endif()
    set(folder "${CMAKE_MATCH_1}")
    string(STRIP "${CMAKE_MATCH_2}" allowed)
    separate_arguments(allowed UNIX_COMMAND "${allowed}")
    set("allowed.${folder}" "${allowed}")
    set("ruled.${folder}" TRUE)
endforeach()

# Whether `folder` may include a header kept in `target`.
function(may_include folder target result)
    set(${result} TRUE PARENT_SCOPE)
    if(target STREQUAL folder)
        return()
    endif()
    foreach(allowed IN LISTS "allowed.${folder}")
        if(allowed MATCHES "^(.*)/\\*$")
            string(LENGTH "${CMAKE_MATCH_1}/" length)
            string(SUBSTRING "${target}" 0 ${length} prefix)
            if(prefix STREQUAL "${CMAKE_MATCH_1}/")
                return()
            endif()
        elseif(allowed STREQUAL target)
            return()
        endif()
    endforeach()
    set(${result} FALSE PARENT_SCOPE)
endfunction()

# Whether `header` (as written between < >) is a Qt Gui or Widgets header.
function(is_display_header header result)
    set(${result} TRUE PARENT_SCOPE)
    foreach(module IN LISTS display_modules)
        if(header STREQUAL module OR header MATCHES "^${module}/")
            return()
        endif()
    endforeach()
    foreach(dir IN ITEMS "${WSPROBE_QTGUI_DIR}" "${WSPROBE_QTWIDGETS_DIR}")
        if(dir AND NOT header MATCHES "/" AND NOT IS_DIRECTORY "${dir}/${header}" AND EXISTS "${dir}/${header}")
            return()
        endif()
    endforeach()
    string(TOLOWER "${header}" lower)
    foreach(name IN LISTS display_headers)
        string(TOLOWER "${name}" lowerName)
        if(header STREQUAL name OR lower STREQUAL "${lowerName}.h")
            return()
        endif()
    endforeach()
    set(${result} FALSE PARENT_SCOPE)
endfunction()

set(problems "")
set(edges "")

file(GLOB_RECURSE sources RELATIVE "${WSPROBE_SOURCE_DIR}"
     "${WSPROBE_SOURCE_DIR}/core/*.h" "${WSPROBE_SOURCE_DIR}/core/*.cpp"
     "${WSPROBE_SOURCE_DIR}/ui/*.h" "${WSPROBE_SOURCE_DIR}/ui/*.cpp"
     "${WSPROBE_SOURCE_DIR}/app/*.h" "${WSPROBE_SOURCE_DIR}/app/*.cpp")
list(SORT sources)
if(NOT sources)
    message(FATAL_ERROR "No sources under ${WSPROBE_SOURCE_DIR}/{core,ui,app}: is WSPROBE_SOURCE_DIR the source tree?")
endif()

# Which folder holds each header name.
foreach(source IN LISTS sources)
    if(source MATCHES "\\.h$")
        get_filename_component(name "${source}" NAME)
        get_filename_component(folder "${source}" DIRECTORY)
        if(DEFINED "home.${name}")
            list(APPEND problems "${name} is both in ${home.${name}} and in ${folder}: headers are included by name, so the name must be unique")
        else()
            set("home.${name}" "${folder}")
        endif()
    endif()
endforeach()

foreach(source IN LISTS sources)
    get_filename_component(folder "${source}" DIRECTORY)
    if(NOT DEFINED "ruled.${folder}")
        list(APPEND problems "${source}: ${folder} has no rule; add its row to the table in docs/architecture.md (\"Where things live\") and its line to tests/layering/checklayering.cmake")
        continue()
    endif()
    file(STRINGS "${WSPROBE_SOURCE_DIR}/${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(line IN LISTS includes)
        if(line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
            get_filename_component(name "${CMAKE_MATCH_1}" NAME)
            if(DEFINED "home.${name}")
                set(target "${home.${name}}")
                if(NOT target STREQUAL folder)
                    list(APPEND edges "${folder} -> ${target}")
                endif()
                may_include("${folder}" "${target}" ok)
                if(NOT ok)
                    list(APPEND problems "${source} includes ${name} from ${target}, which ${folder} may not depend on")
                endif()
            endif()
        elseif(folder MATCHES "^core(/|$)" AND line MATCHES "#[ \t]*include[ \t]*<([^>]+)>")
            is_display_header("${CMAKE_MATCH_1}" display)
            if(display)
                list(APPEND problems "${source} includes <${CMAKE_MATCH_1}>, a Qt Gui or Widgets header: core/ runs without a display")
            endif()
        endif()
    endforeach()
endforeach()

list(LENGTH sources count)
if(WSPROBE_LAYERING_EDGES)
    list(REMOVE_DUPLICATES edges)
    list(SORT edges)
    list(JOIN edges "\n  " text)
    message(STATUS "Includes between folders:\n  ${text}")
endif()
if(problems)
    list(LENGTH problems problemCount)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "${problemCount} include(s) against the layering (docs/architecture.md, \"Where things live\"):\n  ${text}\n")
endif()
message(STATUS "Layering holds: ${count} files under core/, ui/ and app/ include only what docs/architecture.md allows.")
