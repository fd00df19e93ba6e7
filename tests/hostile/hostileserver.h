#pragma once

#include <QByteArray>
#include <QList>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QUrl>

#include <optional>

class QTcpSocket;
class QTimer;

namespace wsprobe {

// How the hostile server misbehaves: one scripted fault per connection.
struct HostileScript
{
    enum class Handshake {
        Normal,         // a correct 101
        WrongAccept,    // 101 with a Sec-WebSocket-Accept for another key
        MissingAccept,  // 101 without Sec-WebSocket-Accept
        Refuse401,      // HTTP 401 with a JSON body, and the connection stays open
        Trickle,        // the 101's bytes one at a time, every trickleMs, never finishing
        HangUp,         // ends TCP once it has the request, without an answer
        NotHttp,        // answers with something that is not HTTP
    };
    Handshake handshake = Handshake::Normal;
    QString subprotocol;            // put in the 101 as Sec-WebSocket-Protocol when not empty
    QByteArray afterUpgrade;        // raw bytes written right after the 101
    // Keeps writing this many bytes at a time after afterUpgrade (as the socket drains), until
    // endlessTotal bytes went out or the client closed: one endless frame or message.
    qint64 endlessChunk = 0;
    qint64 endlessTotal = 0;
    bool endlessAsFragments = false; // each chunk a continuation frame (after a first fragment)
    bool closeAfterEndless = false;  // a close frame (1000) once endlessTotal went out
    bool resetAfterUpgrade = false; // RST once afterUpgrade is written
    bool answerClose = true;        // echo the client's close frame, then end TCP
    bool answerPings = true;
    int trickleMs = 100;
};

// A raw-TCP WebSocket server on 127.0.0.1 that does a real RFC 6455 handshake and then
// misbehaves as its script says, so a test can see what the client does with what no honest
// server sends. It reads the client's frames (unmasking them) to report the close the client
// sent. One client at a time; lives in the test's thread.
class HostileServer : public QObject
{
    Q_OBJECT

public:
    explicit HostileServer(QObject *parent = nullptr);
    ~HostileServer() override;

    void setScript(const HostileScript &script) { m_script = script; }
    bool listen();
    QUrl url(const QString &path = QStringLiteral("/")) const;

    // A frame as a server writes it: unmasked unless maskKey is set; lengthOverride replaces
    // the length field (the payload is still what is given).
    static QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true,
                            quint8 rsv = 0, std::optional<quint32> maskKey = {},
                            std::optional<quint64> lengthOverride = {});
    static QByteArray closeFrame(int code, const QByteArray &reason = {});

    // What the client did on the wire.
    bool clientSentClose() const { return m_clientCloseCode >= 0; }
    int clientCloseCode() const { return m_clientCloseCode; }  // 1005: empty close payload
    QString clientCloseReason() const { return m_clientCloseReason; }
    qint64 msUntilClientClose() const { return m_clientCloseAfterMs; }
    bool clientDisconnected() const { return m_clientDisconnected; }
    int pingsReceived() const { return m_pingsReceived; }
    const QList<QByteArray> &pongPayloads() const { return m_pongPayloads; }
    int textMessagesReceived() const { return m_textMessages; }
    qint64 bytesSent() const { return m_bytesSent; }
    int connections() const { return m_connections; }

private:
    void onNewConnection();
    void onReadyRead();
    void handshake(const QByteArray &request);
    void afterUpgrade();
    void writeMore();
    void parseClientFrames();
    void write(const QByteArray &bytes);

    HostileScript m_script;
    QTcpServer m_server;
    QTcpSocket *m_client = nullptr;  // Owned (child of m_server).
    QTimer *m_trickle = nullptr;     // Owned (child).
    QByteArray m_request;
    QByteArray m_fromClient;
    QByteArray m_trickleBytes;
    QElapsedTimer m_sinceUpgrade;
    bool m_upgraded = false;
    bool m_closeSent = false;
    qint64 m_endlessSent = 0;
    qint64 m_bytesSent = 0;
    int m_clientCloseCode = -1;
    QString m_clientCloseReason;
    qint64 m_clientCloseAfterMs = -1;
    bool m_clientDisconnected = false;
    int m_pingsReceived = 0;
    QList<QByteArray> m_pongPayloads;
    int m_textMessages = 0;
    int m_connections = 0;
};

} // namespace wsprobe
