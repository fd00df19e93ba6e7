#pragma once

#include "framereader.h"
#include "serverhandshake.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

class QTcpSocket;

namespace wsprobe {

// One client of the mock server over its TCP socket, on core/wire's server side: reads the
// upgrade request, answers it as told, then reads the client's frames (masked, checked) and
// writes the mock's (unmasked). It has no policy of its own: messages, pings and pongs are
// reported, and answered only when the owner says so (a mock may leave a ping unanswered). The
// close handshake is its own: a client's close frame is answered with the same code, the mock's
// waits CloseTimeoutMs for the client's answer, then the connection is dropped.
class MockConnection : public QObject, private FrameReader::Sink
{
    Q_OBJECT

public:
    enum class State { Handshake, Open, Closing, Closed };

    // Takes the socket over (it becomes a child); bytes already buffered in it are the start of
    // the request. maxMessageBytes bounds a frame and a message (1009 past it).
    MockConnection(QTcpSocket *socket, qint64 maxMessageBytes, QObject *parent = nullptr);
    ~MockConnection() override;

    // Starts reading the request: requestRead() or refused() follows, at once when the request
    // is in the socket already.
    void start();

    State state() const { return m_state; }
    const ServerHandshake &handshake() const { return m_handshake; }
    QHostAddress peerAddress() const;
    quint16 peerPort() const;
    QString subprotocol() const { return m_subprotocol; }
    // The headers the 101 carried besides the handshake's own.
    const QList<ServerHandshake::Header> &extraHeaders() const { return m_extraHeaders; }
    qint64 bytesToWrite() const;

    // After requestRead(): writes the 101 and starts reading frames (those that came with the
    // request are read on the next turn of the event loop, so the owner may send first).
    void accept(const QString &subprotocol, const QList<ServerHandshake::Header> &extra = {});
    // After requestRead(): writes the refusal and ends the connection.
    void reject(int status, const QList<ServerHandshake::Header> &headers, const QByteArray &body);

    // While open; false otherwise.
    bool sendText(const QString &text);
    bool sendBinary(const QByteArray &data);
    bool sendPing(const QByteArray &payload);
    bool sendPong(const QByteArray &payload);
    // Sends a close frame (code 0: none) and waits for the client's; false when not open.
    bool close(int code, const QString &reason);
    // Cuts the TCP connection without a close frame.
    void abort();

    // The close frame the mock sent, once it did.
    std::optional<int> sentCloseCode() const { return m_sentCode; }
    QString sentCloseReason() const { return m_sentReason; }

    // How long the client has to answer the mock's close frame.
    static constexpr int CloseTimeoutMs = 5000;

Q_SIGNALS:
    // The upgrade request is read and valid: call accept() or reject().
    void requestRead();
    // The request was not a valid upgrade: refused with status (400, 426, 431) for why.
    void refused(int status, const QString &why);
    void textReceived(const QString &text);
    void binaryReceived(const QByteArray &data);
    void pingReceived(const QByteArray &payload);
    void pongReceived(const QByteArray &payload);
    // The client's close frame came (1005 when it had no code); it has been answered when the
    // client closed first.
    void closeReceived(int code, const QString &reason);
    // The client broke the protocol: the connection is closed with code (1002, 1007, 1009).
    void protocolError(int code, const QString &text);
    // The TCP connection is gone; emitted once.
    void disconnected();

private:
    void readSocket();
    void readFrames(QByteArrayView bytes);
    bool write(WireOpcode opcode, QByteArrayView payload);
    void sendClose(int code, const QString &reason);
    void finishClosing();
    void socketGone();

    // FrameReader::Sink
    void frame(FrameReader::Frame &&frame) override;
    void fault(FrameReader::Fault &&fault) override;

    QTcpSocket *m_socket;  // Owned (child).
    ServerHandshake m_handshake;
    FrameReader m_reader;
    State m_state = State::Handshake;
    QString m_subprotocol;
    QList<ServerHandshake::Header> m_extraHeaders;
    // The message being put together from its fragments.
    std::optional<WireOpcode> m_messageOpcode;
    QByteArray m_message;
    std::optional<int> m_sentCode;
    QString m_sentReason;
    QTimer m_closeTimer;
    bool m_gone = false;
};

} // namespace wsprobe
