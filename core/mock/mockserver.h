#pragma once

#include "mockscript.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace wsprobe {

class Variables;

// A WebSocket server that behaves as a MockScript says (docs/mock-server.md): routes by path,
// upgrades refused with a status, messages on connect and on a timer, replies to what matches
// a rule, broadcasts, delays, closes and dropped connections. Listens on loopback only. Each
// client's outgoing queue and incoming messages are bounded as the demo server's are.
class MockServer : public QObject
{
    Q_OBJECT

public:
    explicit MockServer(MockScript script, QObject *parent = nullptr);
    ~MockServer() override;

    // Variables from outside the file (--var, the process environment); they win over the
    // file's own. Takes effect for messages sent after the call.
    void setVariables(const Variables &variables);

    // The script's port unless port is given (0: any free port).
    bool listen(std::optional<quint16> port = std::nullopt);
    void close();
    bool isListening() const;
    quint16 port() const;
    // ws://127.0.0.1:<port>
    QUrl url() const;
    QString errorString() const;
    int clientCount() const;
    const MockScript &script() const;

Q_SIGNALS:
    // A client's upgrade was accepted on path; and a connection ended.
    void clientConnected(const QString &path);
    void clientDisconnected(const QString &path);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace wsprobe
