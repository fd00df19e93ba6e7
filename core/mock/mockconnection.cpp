#include "mockconnection.h"

#include "demosocket.h"
#include "framewriter.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace wsprobe {

MockConnection::MockConnection(QTcpSocket *socket, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent),
      m_socket(socket),
      m_reader(FrameLimits{maxMessageBytes, maxMessageBytes}, FrameReader::Sender::Client)
{
    m_socket->setParent(this);
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, &MockConnection::abort);
    connect(m_socket, &QTcpSocket::readyRead, this, &MockConnection::readSocket);
    connect(m_socket, &QTcpSocket::disconnected, this, &MockConnection::socketGone);
}

MockConnection::~MockConnection()
{
    // No signal to an owner that is going away with us.
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

void MockConnection::start()
{
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        socketGone();
        return;
    }
    readSocket();
}

QHostAddress MockConnection::peerAddress() const
{
    return m_socket->peerAddress();
}

quint16 MockConnection::peerPort() const
{
    return m_socket->peerPort();
}

qint64 MockConnection::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void MockConnection::readSocket()
{
    const QByteArray bytes = m_socket->readAll();
    if (bytes.isEmpty())
        return;
    switch (m_state) {
    case State::Handshake:
        if (m_handshake.status() != ServerHandshake::Status::Incomplete) {
            // The owner is deciding (the handshake keeps them for after accept()), or a refusal
            // is on its way (they are dropped).
            m_handshake.read(bytes);
            return;
        }
        switch (m_handshake.read(bytes)) {
        case ServerHandshake::Status::Incomplete:
            return;
        case ServerHandshake::Status::Complete:
            Q_EMIT requestRead();
            return;
        case ServerHandshake::Status::Invalid:
            m_socket->write(m_handshake.invalidResponse("wsprobe-mock"));
            m_state = State::Closing;
            m_socket->disconnectFromHost();
            m_closeTimer.start(CloseTimeoutMs);
            Q_EMIT refused(m_handshake.failureStatus(), m_handshake.failure());
            return;
        }
        return;
    case State::Open:
    case State::Closing:
        readFrames(bytes);
        return;
    case State::Closed:
        return;
    }
}

void MockConnection::readFrames(QByteArrayView bytes)
{
    // A frame's handler may close or abort the connection: nothing more is read then.
    if (m_reader.failed() || m_reader.closeReceived() || m_gone)
        return;
    m_reader.read(bytes, *this);
}

void MockConnection::accept(const QString &subprotocol, const QList<ServerHandshake::Header> &extra)
{
    if (m_state != State::Handshake || m_handshake.status() != ServerHandshake::Status::Complete)
        return;
    m_subprotocol = subprotocol;
    m_extraHeaders = extra;
    m_socket->write(m_handshake.acceptResponse(subprotocol, extra));
    m_state = State::Open;
    QMetaObject::invokeMethod(this, [this] {
        const QByteArray early = m_handshake.takeLeftover() + m_socket->readAll();
        if (!early.isEmpty() && m_state != State::Closed)
            readFrames(early);
    }, Qt::QueuedConnection);
}

void MockConnection::reject(int status, const QList<ServerHandshake::Header> &headers,
                            const QByteArray &body)
{
    if (m_state != State::Handshake)
        return;
    m_socket->write(ServerHandshake::rejectResponse(status, headers, body));
    m_state = State::Closing;
    m_socket->disconnectFromHost();
    m_closeTimer.start(CloseTimeoutMs);
}

bool MockConnection::write(WireOpcode opcode, QByteArrayView payload)
{
    if (m_state != State::Open || m_gone)
        return false;
    m_socket->write(FrameWriter::serverFrame(opcode, payload));
    return true;
}

bool MockConnection::sendText(const QString &text)
{
    return write(WireOpcode::Text, text.toUtf8());
}

bool MockConnection::sendBinary(const QByteArray &data)
{
    return write(WireOpcode::Binary, data);
}

bool MockConnection::sendPing(const QByteArray &payload)
{
    return write(WireOpcode::Ping, payload.left(125));
}

bool MockConnection::sendPong(const QByteArray &payload)
{
    return write(WireOpcode::Pong, payload.left(125));
}

bool MockConnection::close(int code, const QString &reason)
{
    if (m_state != State::Open || m_gone)
        return false;
    sendClose(code, reason);
    return true;
}

void MockConnection::sendClose(int code, const QString &reason)
{
    const QString cut = demo::truncatedCloseReason(reason);
    m_socket->write(FrameWriter::serverFrame(
            WireOpcode::Close, FrameWriter::closePayload(quint16(code), cut.toUtf8())));
    m_sentCode = code;
    m_sentReason = cut;
    m_state = State::Closing;
    m_closeTimer.start(CloseTimeoutMs);
}

// Both close frames went: the server ends the TCP connection first (RFC 6455 7.1.1), once what
// it wrote is out. Whatever the client still sends is read and dropped, so that unread input
// does not turn the end into a reset.
void MockConnection::finishClosing()
{
    m_socket->disconnectFromHost();
    demo::discardInputWhileClosing(m_socket);
}

void MockConnection::abort()
{
    if (m_gone)
        return;
    m_state = State::Closed;
    m_socket->abort();
    // abort() reports disconnected only from a connected socket.
    socketGone();
}

void MockConnection::socketGone()
{
    if (m_gone)
        return;
    m_gone = true;
    m_state = State::Closed;
    m_closeTimer.stop();
    Q_EMIT disconnected();
}

void MockConnection::frame(FrameReader::Frame &&frame)
{
    switch (frame.opcode) {
    case WireOpcode::Text:
    case WireOpcode::Binary:
        if (!frame.fin) {
            m_messageOpcode = frame.opcode;
            m_message = std::move(frame.payload);
            return;
        }
        if (frame.opcode == WireOpcode::Text)
            Q_EMIT textReceived(QString::fromUtf8(frame.payload));
        else
            Q_EMIT binaryReceived(frame.payload);
        return;
    case WireOpcode::Continuation: {
        m_message += frame.payload;
        if (!frame.fin)
            return;
        const WireOpcode opcode = m_messageOpcode.value_or(WireOpcode::Binary);
        m_messageOpcode.reset();
        const QByteArray message = std::exchange(m_message, QByteArray());
        if (opcode == WireOpcode::Text)
            Q_EMIT textReceived(QString::fromUtf8(message));
        else
            Q_EMIT binaryReceived(message);
        return;
    }
    case WireOpcode::Ping:
        Q_EMIT pingReceived(frame.payload);
        return;
    case WireOpcode::Pong:
        Q_EMIT pongReceived(frame.payload);
        return;
    case WireOpcode::Close: {
        const int code = frame.closeCode ? int(*frame.closeCode) : 1005;
        if (m_state == State::Open) {
            // The client closes first: answered with its own code (none when it gave none).
            m_socket->write(FrameWriter::serverFrame(
                    WireOpcode::Close,
                    frame.closeCode ? FrameWriter::closePayload(*frame.closeCode, {}) : QByteArray()));
            m_state = State::Closing;
            m_closeTimer.start(CloseTimeoutMs);
        }
        Q_EMIT closeReceived(code, frame.closeReason);
        if (!m_gone)
            finishClosing();
        return;
    }
    }
}

void MockConnection::fault(FrameReader::Fault &&fault)
{
    const bool open = m_state == State::Open;
    if (open)
        sendClose(fault.closeCode, fault.closeCode == 1009 ? u"message too big"_s : u"protocol error"_s);
    Q_EMIT protocolError(fault.closeCode, fault.text);
    if (!m_gone) {
        finishClosing();
        m_closeTimer.start(CloseTimeoutMs);
    }
}

} // namespace wsprobe
