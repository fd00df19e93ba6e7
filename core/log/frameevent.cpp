#include "frameevent.h"

#include "clock.h"

#include <cstring>

using namespace Qt::StringLiterals;

namespace wsprobe {

FrameEvent makeFrameEvent(EventKind kind, Direction direction)
{
    FrameEvent event;
    event.monotonicNs = monotonicNowNs();
    event.wallMs = wallClockMsAt(event.monotonicNs);
    event.kind = kind;
    event.direction = direction;
    return event;
}

QString displayName(EventKind kind)
{
    switch (kind) {
    case EventKind::Text: return u"text"_s;
    case EventKind::Binary: return u"binary"_s;
    case EventKind::TextFrame: return u"text frame"_s;
    case EventKind::BinaryFrame: return u"binary frame"_s;
    case EventKind::Ping: return u"ping"_s;
    case EventKind::Pong: return u"pong"_s;
    case EventKind::Close: return u"close"_s;
    case EventKind::Handshake: return u"handshake"_s;
    case EventKind::Error: return u"error"_s;
    case EventKind::Info: return u"info"_s;
    }
    return {};
}

QString displayName(Direction direction)
{
    switch (direction) {
    case Direction::Outgoing: return u"out"_s;
    case Direction::Incoming: return u"in"_s;
    case Direction::Local: return u"local"_s;
    }
    return {};
}

QString displayName(ErrorKind error)
{
    switch (error) {
    case ErrorKind::None: return u"none"_s;
    case ErrorKind::ConnectionRefused: return u"connection refused"_s;
    case ErrorKind::HostNotFound: return u"host not found"_s;
    case ErrorKind::Timeout: return u"timeout"_s;
    case ErrorKind::Tls: return u"TLS error"_s;
    case ErrorKind::HandshakeRejected: return u"handshake rejected"_s;
    case ErrorKind::RemoteClosed: return u"remote closed"_s;
    case ErrorKind::Network: return u"network error"_s;
    case ErrorKind::Protocol: return u"protocol error"_s;
    case ErrorKind::Other: return u"error"_s;
    }
    return {};
}

QString displayName(CloseInitiator initiator)
{
    switch (initiator) {
    case CloseInitiator::Client: return u"client"_s;
    case CloseInitiator::Server: return u"server"_s;
    case CloseInitiator::Nobody: return u"nobody (connection lost)"_s;
    }
    return {};
}

qint64 utf8Length(QStringView text)
{
    const qsizetype n = text.size();
    const char16_t *s = text.utf16();
    // Most messages are ASCII: check four code units at a time, and count one byte each.
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        quint64 word;
        std::memcpy(&word, s + i, sizeof word);
        if (word & 0xFF80'FF80'FF80'FF80ULL)
            break;
    }
    qint64 bytes = i;
    for (; i < n; ++i) {
        const char16_t c = s[i];
        if (c < 0x80) {
            bytes += 1;
        } else if (c < 0x800) {
            bytes += 2;
        } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
            bytes += 4;
            ++i;
        } else if (QChar::isSurrogate(c)) {
            bytes += 1;  // a lone surrogate: QString::toUtf8() writes '?'
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

} // namespace wsprobe
