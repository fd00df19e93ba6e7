#pragma once

// What QtWebSockets' errors mean: its socket errors, upgrade failures and the close reasons it
// fails a connection with, put into wsprobe's ErrorKinds and RFC 6455's words. QtWebSockets 6.4
// says most of this only in English text, so every reading of that text is kept here.

#include "frameevent.h"

#include <QAbstractSocket>
#include <QString>

namespace wsprobe {

struct SessionSettings;

ErrorKind errorKind(QAbstractSocket::SocketError error);

// Whether a socket error's text is about the upgrade (HTTP status, Sec-WebSocket-Accept...)
// rather than the transport.
bool looksLikeHandshakeFailure(const QString &errorString);
// The HTTP status the upgrade was refused with, or 0 when the text names none.
quint16 httpStatusFromHandshakeError(const QString &errorString);
// What was wrong with the server's answer to the upgrade; status as read above.
QString handshakeFailureText(const QString &errorString, quint16 status);

// Why QtWebSockets failed the connection with this close frame; the settings give the limits
// that a message or frame was too big for.
QString protocolFailureText(int closeCode, const QString &closeReason, const SessionSettings &settings);

} // namespace wsprobe
