#include "socketerrors.h"

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

} // namespace wsprobe
