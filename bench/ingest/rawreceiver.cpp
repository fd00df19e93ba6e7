#include "rawreceiver.h"

#include <clock.h>

#include <QByteArray>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {
namespace {

// Server frames carry no mask: 2 header bytes, plus 2 or 8 of extended length (RFC 6455 5.2).
qint64 frameBytes(qint64 payloadBytes)
{
    const qint64 header = payloadBytes < 126 ? 2 : payloadBytes < 65536 ? 4 : 10;
    return header + payloadBytes;
}

QString systemError(const char *what)
{
    return u"%1: %2"_s.arg(QString::fromLatin1(what), QString::fromLocal8Bit(std::strerror(errno)));
}

// Closes the descriptor on every way out.
struct Fd
{
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

ReceiverResult receiveRaw(const QUrl &url, qint64 expectedMessages, qint64 payloadBytes,
                          int timeoutMs)
{
    ReceiverResult result;
    result.receiver = u"raw"_s;
    const qint64 expectedWireBytes = expectedMessages * frameBytes(payloadBytes);

    Fd socket{::socket(AF_INET, SOCK_STREAM, 0)};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(url.port(80)));
    if (socket.fd < 0 || ::inet_pton(AF_INET, url.host().toLatin1().constData(), &address.sin_addr) != 1) {
        result.error = u"cannot open a socket to %1 (an IPv4 address is needed)"_s.arg(url.host());
        return result;
    }
    timeval timeout{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    ::setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::connect(socket.fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        result.error = systemError("connect");
        return result;
    }
    const QByteArray request = "GET " + url.path(QUrl::FullyEncoded).toLatin1()
        + (url.hasQuery() ? "?" + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray())
        + " HTTP/1.1\r\nHost: " + url.host().toLatin1() + ':' + QByteArray::number(url.port(80))
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    if (::write(socket.fd, request.constData(), std::size_t(request.size())) != request.size()) {
        result.error = systemError("write");
        return result;
    }

    std::vector<char> buffer(1 << 20);
    QByteArray response;
    qint64 received = 0;
    qint64 firstNs = 0;
    while (true) {
        const ssize_t n = ::read(socket.fd, buffer.data(), buffer.size());
        if (n <= 0) {
            result.error = n == 0 ? u"the server closed before the upgrade ended"_s
                                  : systemError("read");
            return result;
        }
        response.append(buffer.data(), n);
        const qsizetype end = response.indexOf("\r\n\r\n");
        if (end < 0)
            continue;
        if (!response.startsWith("HTTP/1.1 101")) {
            result.error = u"upgrade refused: %1"_s.arg(QString::fromLatin1(response.left(end)));
            return result;
        }
        received = response.size() - (end + 4);
        if (received > 0)
            firstNs = monotonicNowNs();
        break;
    }
    while (received < expectedWireBytes) {
        const ssize_t n = ::read(socket.fd, buffer.data(), buffer.size());
        if (n <= 0) {
            result.error = u"received %1 bytes, expected %2 (%3)"_s
                               .arg(received)
                               .arg(expectedWireBytes)
                               .arg(n == 0 ? u"end of stream"_s : systemError("read"));
            return result;
        }
        if (received == 0)
            firstNs = monotonicNowNs();
        received += n;
    }
    const qint64 lastNs = monotonicNowNs();
    // No close handshake: the socket is just closed, and the server gives up on it.

    result.ok = true;
    result.messages = expectedMessages;
    result.bytes = expectedMessages * payloadBytes;
    result.seconds = double(lastNs - firstNs) / 1e9;
    result.peakRssKiB = peakRssKiB();
    return result;
}

} // namespace wsprobe::bench
