#pragma once

#include "framelog.h"
#include "proxyrules.h"
#include "session.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class QTcpSocket;

namespace wsprobe {

class MockConnection;
class Session;

// The client's upgrade request as the proxy's front door read it.
struct ProxyRequest
{
    QByteArray head;   // request line and header fields, as received
    QString target;    // path and query the client asked for ("/chat?room=1")
    QList<QPair<QByteArray, QByteArray>> headers;  // as received, names in their case
    bool asksForWebSocket = false;
};

// What happened to one logged message on its way through the proxy.
struct ProxyFate
{
    qint64 receivedNs = 0;    // when the proxy had it (the log event's own stamp)
    qint64 forwardedNs = -1;  // when it went on to the other side; -1: not (yet, or dropped)
    QStringList actions;      // "rewrite", "drop", "delay", "hold", "inject", "edited"
    std::optional<QString> forwardedText;  // when what went on differs from what came
};

// One connection through the proxy: the client's socket (accepted on core/wire's server side
// once the server has accepted the upgrade, with the server's subprotocol and its other 101
// headers), the upstream Session, the rules applied to each message, and one FrameLog with both
// legs (Outgoing: client→server, Incoming: server→client). Messages keep their order in each
// direction: a held or delayed message holds back the ones behind it, as a slow link would.
// Pings cross at once, outside the rules: the client's go to the server and the server's pong
// comes back; the server's are answered by the engine and also shown to the client, whose pong
// stops here (docs/proxy.md).
class ProxyConnection : public QObject
{
    Q_OBJECT

public:
    struct Held
    {
        qint64 id = 0;  // the log sequence of the message
        ProxyDirection direction = ProxyDirection::ToServer;
        QString text;
        QByteArray data;
        bool binary = false;
    };

    // socket: the client's, its request still unread (owned from here on). rules and hits:
    // shared with the server; hits has one counter per rule.
    ProxyConnection(QTcpSocket *socket, ProxyRequest request, const QUrl &target,
                    std::shared_ptr<const ProxyRules> rules, std::shared_ptr<std::vector<qint64>> hits,
                    QObject *parent = nullptr);
    ~ProxyConnection() override;

    const FrameLog *log() const { return m_log; }
    FrameLog *log() { return m_log; }
    QUrl upstreamUrl() const { return m_upstreamUrl; }
    const ProxyRequest &request() const { return m_request; }
    bool isFinished() const { return m_finished; }
    // The fate of the message logged at sequence, or nullptr for other events.
    const ProxyFate *fate(qint64 sequence) const;
    QList<Held> heldMessages() const;

    // A held message goes on (edited when a text is given) or is dropped. False when id is not
    // held.
    bool release(qint64 id, const std::optional<QString> &edited = std::nullopt);
    bool drop(qint64 id);
    // Ends both legs at once (the proxy stops).
    void abort();
    // The proxy is going away: open legs get a close 1001 each (what is queued for a side goes
    // first, as on any close), a leg still connecting is cut. finished() follows as usual.
    void goAway();

Q_SIGNALS:
    void held(qint64 id);
    void heldChanged();
    // Both legs have ended; the log is complete.
    void finished();

private:
    struct Pending
    {
        qint64 sequence = 0;
        QString text;
        QByteArray data;
        bool binary = false;
        qint64 readyNs = 0;  // not before this (delay)
        bool held = false;
        QTimer *holdTimer = nullptr;  // Owned (child of this).
    };
    struct Leg
    {
        std::deque<Pending> queue;
        QTimer pump;
    };

    void startUpstream();
    void onUpstreamOpened();
    void onUpstreamClosed(const CloseInfo &info);
    void onUpstreamEvents(qint64 first, qint64 end);
    void acceptClient();
    void onClientPing(const QByteArray &payload);
    void refuseClient(quint16 status, const QString &responseText);
    void onClientDisconnected();

    // stampNs: when the message arrived, when known (-1: now).
    void arrived(ProxyDirection direction, const QString &text, const QByteArray &data, bool binary,
                 qint64 stampNs);
    void runTimedRules();
    void inject(const ProxyRule &rule, const QString &trigger);
    void closeSide(ProxyRule::Side side, int code, const QString &reason);
    void pump(ProxyDirection direction);
    void forward(ProxyDirection direction, Pending &pending);
    Leg &leg(ProxyDirection direction) { return direction == ProxyDirection::ToServer ? m_toServer : m_toClient; }
    std::deque<Pending>::iterator findHeld(qint64 id, ProxyDirection *direction);
    qint64 logMessage(ProxyDirection direction, const QString &text, const QByteArray &data, bool binary,
                      qint64 stampNs);
    void logNote(EventKind kind, Direction direction, const QString &text, quint16 status = 0);
    void logClose(Direction direction, int code, const QString &reason, CloseInitiator initiator, bool clean);
    void checkFinished();

    ProxyRequest m_request;
    QUrl m_upstreamUrl;
    std::shared_ptr<const ProxyRules> m_rules;
    std::shared_ptr<std::vector<qint64>> m_hits;
    FrameLog *m_log = nullptr;                 // Owned (child).
    QPointer<QTcpSocket> m_tcp;                // Owned (child) until the upgrade, then the client's.
    QPointer<MockConnection> m_client;         // Owned (child); takes m_tcp over.
    Session *m_upstream = nullptr;             // Owned (child).
    Leg m_toServer;
    Leg m_toClient;
    std::unordered_map<qint64, ProxyFate> m_fates;
    std::deque<qint64> m_awaitingWrite;        // sent to the Session, not yet in its log
    std::deque<QByteArray> m_awaitingPing;     // the client's pings sent upstream, not yet in its log
    // The payload each of the client's pings went upstream with (the engine gives an empty one
    // its own) → the client's, for the pong.
    std::deque<QPair<QByteArray, QByteArray>> m_clientPings;
    int m_clientCloseCode = 1006;              // the client's close frame, when one came
    QString m_clientCloseReason;
    std::optional<CloseInfo> m_closeWhileAccepting;  // the server ended before the client's upgrade was done
    QString m_upstreamAnswer;                  // the server's answer to the upgrade, as logged
    qint64 m_upstreamSeen = 0;                 // the Session log's sequences read so far
    QRandomGenerator m_random;
    bool m_clientOpen = false;
    bool m_clientEnded = false;
    bool m_upstreamEnded = false;
    bool m_finished = false;
};

} // namespace wsprobe
