#pragma once

// What the socket's errors mean in wsprobe's ErrorKinds. (What goes wrong in the upgrade and in
// the frames is said by core/wire, which knows what the server sent.)

#include "frameevent.h"

#include <QAbstractSocket>
#include <QString>

namespace wsprobe {

ErrorKind errorKind(QAbstractSocket::SocketError error);

} // namespace wsprobe
