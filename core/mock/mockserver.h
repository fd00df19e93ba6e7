#pragma once

#include "mockscript.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <memory>
#include <optional>

namespace wsprobe {

class FrameLog;
class LogMemoryBudget;
class Variables;

// One client of a MockServer as it connected: what the window lists and a test asks about.
struct MockClientInfo
{
    quint64 id = 0;        // 1, 2, 3 ... in the order the upgrades were accepted
    int route = 0;         // index into MockScript::routes
    QString path;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    // The upgrade request's headers as the client sent them, secret values masked
    // (SecretMasker), so nothing that shows or writes them can leak a token.
    QList<QPair<QString, QString>> headers;
    QString subprotocol;   // the one chosen; empty when none
    qint64 connectedWallMs = 0;

    // "127.0.0.1:54321", "[::1]:54321"
    QString peer() const;
};

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

    // The clients connected now, in the order they connected.
    QList<quint64> clientIds() const;
    // nullopt once the client is gone (after clientEnded).
    std::optional<MockClientInfo> clientInfo(quint64 id) const;
    // What the mock and this client said to each other: the upgrade (Incoming: the client's
    // request; Outgoing: the 101), every message (Outgoing: mock to client; Incoming: client to
    // mock), the rule that answered each message (Info), the mock's close frame and the end
    // (Close). The server drops its share when the client ends; whoever took the log keeps it.
    // Null for an unknown client.
    std::shared_ptr<FrameLog> clientLog(quint64 id) const;
    // The capacity of the logs of clients connecting from now on (FrameLog::setCapacity; 0 keeps
    // everything). Bounded by default, so a mock that serves for days keeps bounded memory.
    void setClientLogCapacity(qsizetype maxEvents);
    // The budget the logs of clients connecting from now on share with others (the window's
    // sessions): past it their old payloads move to disk (FrameLog::setMemoryBudget).
    void setLogMemoryBudget(std::shared_ptr<LogMemoryBudget> budget);

    // How many messages rule `rule` of route `route` answered since the server was made; 0 for
    // indices out of range.
    qint64 ruleHits(int route, int rule) const;
    // Messages of the route that no rule matched.
    qint64 unmatchedCount(int route) const;

    // A text message to one client (false when it is not connected, or ending) or to every
    // connected client (returns how many it went to). Logged as the rules' replies are.
    bool sendTo(quint64 id, const QString &text);
    int broadcast(const QString &text);
    // Closes the client's connection with a close frame carrying code and reason (cut to the 123
    // bytes a close frame holds); false when it is not connected or already ending.
    bool closeClient(quint64 id, int code, const QString &reason);

    static constexpr qsizetype DefaultClientLogCapacity = 100000;

Q_SIGNALS:
    // A client's upgrade was accepted on path; and a connection ended.
    void clientConnected(const QString &path);
    void clientDisconnected(const QString &path);
    // The same, by client: its info and log are there when clientAccepted is emitted; after
    // clientEnded they are no longer the server's (the log, already taken, holds the final Close).
    void clientAccepted(quint64 id);
    void clientEnded(quint64 id, int closeCode, const QString &closeReason);
    // A message matched rule `rule` of route `route`, which has answered `hits` so far.
    void ruleHit(int route, int rule, qint64 hits);
    void unmatched(int route, qint64 count);
    // listen() succeeded, or close() was called.
    void listeningChanged(bool listening);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace wsprobe
