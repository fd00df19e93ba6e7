#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace wsprobe {

enum class Direction : quint8 {
    Outgoing,  // client to server
    Incoming,  // server to client
    Local,     // something that happened here: an error, a state note
};

enum class EventKind : quint8 {
    Text,          // a whole text message
    Binary,        // a whole binary message
    TextFrame,     // one fragment of a fragmented text message (the message follows as Text)
    BinaryFrame,   // one fragment of a fragmented binary message (the message follows as Binary)
    Ping,
    Pong,
    Close,
    Handshake,     // the upgrade request sent, or the upgrade accepted
    Error,
    Info,          // state notes: reconnect scheduled, connect timeout armed, ...
};

enum class ErrorKind : quint8 {
    None,
    ConnectionRefused,
    HostNotFound,
    Timeout,
    Tls,
    HandshakeRejected,
    RemoteClosed,
    Network,
    Protocol,  // the server broke RFC 6455 and wsprobe failed the connection
    Other,
};

enum class CloseInitiator : quint8 {
    Client,    // we sent the first close frame
    Server,    // the server sent the first close frame
    Nobody,    // the TCP connection ended without a close frame (1006)
};

// One entry of a FrameLog. A value type: the payload is the only heap memory it owns, and it
// shares that memory with the QString/QByteArray the socket handed us.
struct FrameEvent
{
    qint64 monotonicNs = 0;  // ordering and deltas
    qint64 wallMs = 0;       // when, for people
    qint64 size = 0;         // payload bytes on the wire (UTF-8 for text)
    qint64 rttNs = -1;       // Pong: round trip from our ping; -1 when unknown
    QString text;            // Text payload, close reason, or a description for Handshake/Error/Info
    QByteArray data;         // Binary/ping/pong payload
    EventKind kind = EventKind::Info;
    Direction direction = Direction::Local;
    ErrorKind error = ErrorKind::None;
    CloseInitiator closeInitiator = CloseInitiator::Nobody;
    quint16 closeCode = 0;   // Close
    quint16 httpStatus = 0;  // the server's answer to the upgrade (Handshake, incoming: 101 or a
                             // refusal), or Error/HandshakeRejected when the status is known
    bool finalFrame = true;  // TextFrame/BinaryFrame: the last fragment
    bool cleanClose = false; // Close: both close frames were exchanged

    bool isMessage() const { return kind == EventKind::Text || kind == EventKind::Binary; }
    // The server's 101: from here on the connection is a WebSocket.
    bool acceptsUpgrade() const
    {
        return kind == EventKind::Handshake && direction == Direction::Incoming && httpStatus == 101;
    }
};

QString displayName(EventKind kind);
QString displayName(Direction direction);
QString displayName(ErrorKind error);
QString displayName(CloseInitiator initiator);

// An event of that kind and direction, stamped now (monotonic, and the wall clock from it).
FrameEvent makeFrameEvent(EventKind kind, Direction direction);

// Bytes a string takes in UTF-8, without encoding it.
qint64 utf8Length(QStringView text);

} // namespace wsprobe
