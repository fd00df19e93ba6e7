#pragma once

#include "proxyrules.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

namespace wsprobe {

class ProxyConnection;

// The intercepting proxy (docs/proxy.md): listens on a loopback address and forwards each
// WebSocket connection to a target ws:// or wss:// URL, the path and query the client asked for
// appended to the target's, with the rules applied to every message. Each connection has its
// own log (ProxyConnection); the rules' hit counts are the server's.
class ProxyServer : public QObject
{
    Q_OBJECT

public:
    explicit ProxyServer(QUrl target, QObject *parent = nullptr);
    ~ProxyServer() override;

    // Takes effect for connections made after the call.
    void setRules(ProxyRules rules);
    const ProxyRules &rules() const { return *m_rules; }
    // How often each rule has acted, in the rules' order.
    std::vector<qint64> hitCounts() const { return *m_hits; }
    // Whether ended connections stay (the window shows them) or go once finished is emitted.
    void setKeepFinished(bool keep) { m_keepFinished = keep; }

    bool listen(const QHostAddress &address, quint16 port);
    // Stops at once: no more connections, open ones cut.
    void close();
    // Stops politely: no more connections, open ones closed with 1001 (goAway). Connections
    // still open afterwards (openConnections() > 0) are waiting for their peers' closes.
    void shutDown();
    qsizetype openConnections() const;
    bool isListening() const;
    // ws://address:port
    QUrl url() const;
    QUrl target() const { return m_target; }
    QString errorString() const { return m_errorString; }
    QList<ProxyConnection *> connections() const { return m_connections; }

Q_SIGNALS:
    void connectionStarted(wsprobe::ProxyConnection *connection);
    // Both legs ended; with keepFinished false the connection is deleted after this.
    void connectionFinished(wsprobe::ProxyConnection *connection);

private:
    void acceptTcp();

    class Private;
    std::unique_ptr<Private> d;
    QUrl m_target;
    std::shared_ptr<ProxyRules> m_rules;
    std::shared_ptr<std::vector<qint64>> m_hits;
    QList<ProxyConnection *> m_connections;  // Owned (children).
    QString m_errorString;
    bool m_keepFinished = true;
};

} // namespace wsprobe
