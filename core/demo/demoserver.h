#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>

namespace wsprobe {

// The built-in demo server: a WebSocket server on loopback with endpoints a new user can try
// offline (/echo, /chat, /close, /reject, /flood, /seq). See docs/demo-server.md.
class DemoServer : public QObject
{
    Q_OBJECT

public:
    // The window's demo server listens here unless told otherwise, so saved scenarios, recent
    // connections and environments still reach it after a restart. In IANA's dynamic range
    // (49152-65535: never assigned to a service) and above Linux's default ephemeral range
    // (32768-60999), so an outgoing connection's local port does not take it either.
    static constexpr quint16 DefaultPort = 61800;

    // A connection with this much still waiting to be written when a message is due is not
    // reading: it is closed (1008) rather than given more. See docs/demo-server.md.
    static constexpr qint64 MaxQueuedBytes = 16 * 1024 * 1024;
    // A message (or frame) a client sends is held whole before anything is done with it: a
    // larger one closes the connection with 1009 Too Big.
    static constexpr qsizetype MaxIncomingMessageBytes = 64 * 1024 * 1024;

    explicit DemoServer(QObject *parent = nullptr);
    ~DemoServer() override;

    // port 0 picks any free port. Only loopback addresses are accepted.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    bool isListening() const;
    quint16 port() const;
    // ws://127.0.0.1:<port>
    QUrl url() const;
    QString errorString() const;
    // Bytes written to open WebSockets that have not left for the network yet, all connections
    // together: what the server holds for its clients.
    qint64 queuedBytes() const;

Q_SIGNALS:
    // What clients did, for whoever watches the server (a load test counts with these).
    void clientServed(const QUrl &requestUrl);
    void textMessageReceived(const QUrl &requestUrl, const QString &message);

private:
    class Private;
    Private *d;  // Owned.
};

} // namespace wsprobe
