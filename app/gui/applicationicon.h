#pragma once

#include <QIcon>

namespace wsprobe {

// The application icon compiled into the program (resources/wsprobe.svg, rendered at every
// hicolor size), for QApplication::setWindowIcon: the window shows it wherever the desktop has
// no icon theme entry for wsprobe, e.g. a build run from its folder.
QIcon applicationIcon();

} // namespace wsprobe
