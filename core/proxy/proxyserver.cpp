#include "proxyserver.h"

#include "demorequestgate.h"
#include "proxyconnection.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// The request line's target and the header fields; nullopt when the request line is malformed.
std::optional<ProxyRequest> parseRequest(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.takeFirst().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(1).startsWith('/'))
        return std::nullopt;
    ProxyRequest request;
    request.head = head;
    request.target = QString::fromUtf8(requestLine.at(1));
    for (const QByteArray &line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.append({name, value});
        if (name.toLower() == "upgrade" && value.toLower().contains("websocket"))
            request.asksForWebSocket = true;
    }
    return request;
}

} // namespace

class ProxyServer::Private
{
public:
    QTcpServer tcpServer;
};

ProxyServer::ProxyServer(QUrl target, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>()), m_target(std::move(target)),
      m_rules(std::make_shared<ProxyRules>()), m_hits(std::make_shared<std::vector<qint64>>())
{
    connect(&d->tcpServer, &QTcpServer::newConnection, this, &ProxyServer::acceptTcp);
}

ProxyServer::~ProxyServer()
{
    d->tcpServer.close();
    for (ProxyConnection *connection : std::as_const(m_connections))
        connection->abort();
}

void ProxyServer::setRules(ProxyRules rules)
{
    // Connections under way keep the rules and counters they started with.
    m_rules = std::make_shared<ProxyRules>(std::move(rules));
    m_hits = std::make_shared<std::vector<qint64>>(std::size_t(m_rules->rules.size()), 0);
}

bool ProxyServer::listen(const QHostAddress &address, quint16 port)
{
    if (!address.isLoopback()) {
        m_errorString = u"The proxy listens on loopback addresses only, not on %1."_s.arg(address.toString());
        return false;
    }
    const QString scheme = m_target.scheme();
    if ((scheme != "ws"_L1 && scheme != "wss"_L1) || m_target.host().isEmpty()) {
        m_errorString = u"The target must be a ws:// or wss:// URL, not \"%1\"."_s.arg(m_target.toString());
        return false;
    }
    if (!d->tcpServer.listen(address, port)) {
        m_errorString = d->tcpServer.errorString();
        return false;
    }
    m_errorString.clear();
    return true;
}

void ProxyServer::close()
{
    d->tcpServer.close();
    for (ProxyConnection *connection : std::as_const(m_connections))
        connection->abort();
}

void ProxyServer::shutDown()
{
    d->tcpServer.close();
    // goAway may finish a connection at once, and without keepFinished that removes it.
    const QList<ProxyConnection *> open = m_connections;
    for (ProxyConnection *connection : open)
        connection->goAway();
}

qsizetype ProxyServer::openConnections() const
{
    return std::count_if(m_connections.cbegin(), m_connections.cend(),
                         [](const ProxyConnection *connection) { return !connection->isFinished(); });
}

bool ProxyServer::isListening() const
{
    return d->tcpServer.isListening();
}

QUrl ProxyServer::url() const
{
    if (!d->tcpServer.isListening())
        return {};
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(d->tcpServer.serverAddress().toString());
    url.setPort(d->tcpServer.serverPort());
    return url;
}

void ProxyServer::acceptTcp()
{
    while (QTcpSocket *socket = d->tcpServer.nextPendingConnection()) {
        auto parsed = std::make_shared<ProxyRequest>();
        new demo::RequestGate(
                socket, "wsprobe-proxy"_ba,
                [parsed](const QByteArray &head) -> demo::RequestGate::Verdict {
                    std::optional<ProxyRequest> request = parseRequest(head);
                    if (!request)
                        return {400, "wsprobe proxy: a malformed request line.\n"_ba};
                    if (!request->asksForWebSocket)
                        return {426, "wsprobe proxy: only WebSocket upgrades pass.\n"_ba};
                    *parsed = std::move(*request);
                    return {};
                },
                [this, parsed](QTcpSocket *handed) {
                    auto *connection = new ProxyConnection(handed, std::move(*parsed), m_target,
                                                           m_rules, m_hits, this);
                    m_connections.append(connection);
                    connect(connection, &ProxyConnection::finished, this, [this, connection] {
                        Q_EMIT connectionFinished(connection);
                        if (!m_keepFinished) {
                            m_connections.removeAll(connection);
                            connection->deleteLater();
                        }
                    });
                    Q_EMIT connectionStarted(connection);
                });
    }
}

} // namespace wsprobe
