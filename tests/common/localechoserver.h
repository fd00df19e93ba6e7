#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

class QWebSocket;
class QWebSocketServer;

namespace wsprobe {

// An in-process WebSocket echo server on 127.0.0.1 (QWebSocketServer, any free port), for tests
// that need a peer they can inspect and control but not a third-party implementation.
class LocalEchoServer : public QObject
{
    Q_OBJECT

public:
    explicit LocalEchoServer(QObject *parent = nullptr);
    ~LocalEchoServer() override;

    // Offered to clients that ask for one of them; call before listen().
    void setSupportedSubprotocols(const QStringList &subprotocols);
    bool listen();
    // Stops listening and drops every client.
    void close();
    // Ends every client's TCP connection without a close frame (a network failure, as the
    // client sees it); keeps listening.
    void abortClients();

    bool isListening() const;
    quint16 port() const;
    // ws://127.0.0.1:<port><path>
    QUrl url(const QString &path = QString()) const;
    QString errorString() const;

    int clientCount() const { return int(m_clients.size()); }
    int connectionCount() const { return m_connectionCount; }
    qint64 messageCount() const { return m_messageCount; }
    // The close frame the last client to leave sent: 1005 without a code, 1006 without a frame;
    // 0 before any client left.
    int lastCloseCode() const { return m_lastCloseCode; }
    QString lastCloseReason() const { return m_lastCloseReason; }

Q_SIGNALS:
    void clientConnected();
    void clientDisconnected();

private:
    void onNewConnection();
    void onDisconnected(QWebSocket *client);

    QWebSocketServer *m_server = nullptr;  // Owned (child).
    QList<QWebSocket *> m_clients;         // Owned (children).
    int m_connectionCount = 0;
    qint64 m_messageCount = 0;
    int m_lastCloseCode = 0;
    QString m_lastCloseReason;
};

} // namespace wsprobe
