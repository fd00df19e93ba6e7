#include "localechoserver.h"

#include <QHostAddress>
#include <QWebSocket>
#include <QWebSocketServer>

#include <utility>

using namespace Qt::StringLiterals;

namespace wsprobe {

LocalEchoServer::LocalEchoServer(QObject *parent)
    : QObject(parent)
    , m_server(new QWebSocketServer(u"wsprobe-test-echo"_s, QWebSocketServer::NonSecureMode,
                                    this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, &LocalEchoServer::onNewConnection);
}

LocalEchoServer::~LocalEchoServer()
{
    close();
}

void LocalEchoServer::setSupportedSubprotocols(const QStringList &subprotocols)
{
    m_server->setSupportedSubprotocols(subprotocols);
}

bool LocalEchoServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

void LocalEchoServer::close()
{
    m_server->close();
    abortClients();
}

void LocalEchoServer::abortClients()
{
    // onDisconnected edits the list, and abort() may emit disconnected() at once.
    const QList<QWebSocket *> clients = std::exchange(m_clients, {});
    for (QWebSocket *client : clients) {
        client->disconnect(this);
        client->abort();
        client->deleteLater();
    }
}

bool LocalEchoServer::isListening() const
{
    return m_server->isListening();
}

quint16 LocalEchoServer::port() const
{
    return m_server->serverPort();
}

QUrl LocalEchoServer::url(const QString &path) const
{
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(port());
    url.setPath(path.isEmpty() ? u"/"_s : path);
    return url;
}

QString LocalEchoServer::errorString() const
{
    return m_server->errorString();
}

void LocalEchoServer::onNewConnection()
{
    while (QWebSocket *client = m_server->nextPendingConnection()) {
        client->setParent(this);
        m_clients.append(client);
        ++m_connectionCount;
        connect(client, &QWebSocket::textMessageReceived, this,
                [this, client](const QString &message) {
                    ++m_messageCount;
                    client->sendTextMessage(message);
                });
        connect(client, &QWebSocket::binaryMessageReceived, this,
                [this, client](const QByteArray &message) {
                    ++m_messageCount;
                    client->sendBinaryMessage(message);
                });
        connect(client, &QWebSocket::disconnected, this,
                [this, client] { onDisconnected(client); });
        Q_EMIT clientConnected();
    }
}

void LocalEchoServer::onDisconnected(QWebSocket *client)
{
    if (!m_clients.removeOne(client))
        return;
    m_lastCloseCode = client->closeCode();
    m_lastCloseReason = client->closeReason();
    client->deleteLater();
    Q_EMIT clientDisconnected();
}

} // namespace wsprobe
