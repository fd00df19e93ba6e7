#include "socketerrors.h"

#include "closecodes.h"
#include "sessionsettings.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wsprobe {

ErrorKind errorKind(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return ErrorKind::ConnectionRefused;
    case QAbstractSocket::HostNotFoundError:
        return ErrorKind::HostNotFound;
    case QAbstractSocket::SocketTimeoutError:
        return ErrorKind::Timeout;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return ErrorKind::Tls;
    case QAbstractSocket::RemoteHostClosedError:
        return ErrorKind::RemoteClosed;
    case QAbstractSocket::NetworkError:
    case QAbstractSocket::ProxyAuthenticationRequiredError:
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
    case QAbstractSocket::TemporaryError:
        return ErrorKind::Network;
    default:
        return ErrorKind::Other;
    }
}

// QtWebSockets 6.4 gives no access to the handshake response, only an error string such as
// "QWebSocketPrivate::processHandshake: Unhandled http status code: 401 (Unauthorized)."
// The status is read from there when it is present.
quint16 httpStatusFromHandshakeError(const QString &errorString)
{
    static const QRegularExpression pattern(u"status code:?\\s*(\\d{3})"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(errorString);
    return match.hasMatch() ? quint16(match.captured(1).toUInt()) : quint16(0);
}

bool looksLikeHandshakeFailure(const QString &errorString)
{
    return errorString.contains(u"handshake"_s, Qt::CaseInsensitive)
        || errorString.contains(u"status code"_s, Qt::CaseInsensitive)
        || errorString.contains(u"statusline"_s, Qt::CaseInsensitive)
        || errorString.contains(u"Accept-Key"_s, Qt::CaseInsensitive)
        || errorString.contains(u"protocol upgrade"_s, Qt::CaseInsensitive)
        || errorString.contains(u"has chosen protocol"_s, Qt::CaseInsensitive);
}

// In the words of RFC 6455, from QtWebSockets' error text (it exposes nothing else about the
// response).
QString handshakeFailureText(const QString &errorString, quint16 status)
{
    if (status != 0) {
        return u"The upgrade was refused with HTTP %1. No message was exchanged. "
               "(QtWebSockets 6.4 exposes neither the response headers nor its body.) %2"_s
            .arg(status).arg(errorString);
    }
    if (errorString.contains(u"does not match the client key"_s))
        return u"The upgrade failed: Sec-WebSocket-Accept does not match the key sent (%1)"_s.arg(errorString);
    if (errorString.contains(u"Accept-key size: 0"_s))
        return u"The upgrade failed: the 101 response has no Sec-WebSocket-Accept (%1)"_s.arg(errorString);
    if (errorString.contains(u"Accept-key size"_s))
        return u"The upgrade failed: the 101 response is not a valid upgrade (Sec-WebSocket-Accept, "
               "Upgrade or Connection header wrong: %1)"_s.arg(errorString);
    return u"The WebSocket upgrade failed: %1"_s.arg(errorString);
}

// QtWebSockets' close reason is the only place it says why it failed the connection.
QString protocolFailureText(int closeCode, const QString &closeReason, const SessionSettings &settings)
{
    if (closeReason == u"Received message is too big."_s)
        return u"message too big: more than %1 bytes > limit (maxMessageSize); wsprobe closed with %2"_s
            .arg(settings.maxIncomingMessageSize).arg(closeCode);
    if (closeReason == u"Maximum framesize exceeded."_s)
        return u"message too big: a frame of more than %1 bytes > limit (maxFrameSize); wsprobe closed with %2"_s
            .arg(settings.maxIncomingFrameSize).arg(closeCode);
    if (closeReason.startsWith(u"Invalid close code "_s)
        || closeReason == u"Payload of close frame is too small."_s) {
        // QtWebSockets 6.4 names the code it answers with, not the one the server sent.
        return u"The server's close frame was invalid (%1: a close code that may not be sent, "
               "1005/1006/1015 or outside 1000-4999, or a 1-byte payload; QtWebSockets 6.4 does "
               "not show what the server sent); wsprobe failed the connection with %2"_s
            .arg(closeReason).arg(closeCode);
    }
    return u"The server broke the protocol: %1; wsprobe failed the connection with %2 (%3)"_s
        .arg(closeReason).arg(closeCode).arg(CloseCodes::label(closeCode));
}

} // namespace wsprobe
