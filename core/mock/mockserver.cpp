#include "mockserver.h"

#include "demoserver.h"
#include "demosocket.h"
#include "serverhandshake.h"
#include "frameevent.h"
#include "framelog.h"
#include "messageview.h"
#include "mockconnection.h"
#include "mockgate.h"
#include "mocktemplate.h"
#include "secretmasker.h"
#include "variables.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <deque>
#include <vector>

using namespace Qt::StringLiterals;

namespace wsprobe {

namespace {

// The JSON form of a message, for the matchers' captures: nullopt when it is not JSON.
std::optional<QJsonValue> parsedJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(u"[%1]"_s.arg(text).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    return document.array().at(0);
}

FrameEvent closeEvent(Direction direction, int code, const QString &reason)
{
    FrameEvent event = makeFrameEvent(EventKind::Close, direction);
    event.closeCode = quint16(code);
    event.text = reason;
    event.size = reason.isEmpty() ? 0 : 2 + utf8Length(reason);
    return event;
}

FrameEvent infoEvent(const QString &text)
{
    FrameEvent event = makeFrameEvent(EventKind::Info, Direction::Local);
    event.text = text;
    return event;
}

} // namespace

QString MockClientInfo::peer() const
{
    const QString address = peerAddress.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + peerAddress.toString() + u']'
            : peerAddress.toString();
    return address + u':' + QString::number(peerPort);
}

class MockServer::Private
{
public:
    // What the server keeps about one client.
    struct Client
    {
        int route = 0;
        qint64 messages = 0;
        std::deque<qint64> recentMs;  // arrival times within the route's window
        QElapsedTimer clock;
        bool ending = false;          // the mock has closed or dropped it
        bool dropped = false;
        // Pings still to answer; nullopt: every one ("pings" of the route, then of the rules).
        std::optional<qint64> pingsLeft;
        // The client's close frame came first: its code and reason, for the log's end.
        std::optional<QPair<int, QString>> clientClose;
        MockClientInfo info;
        std::shared_ptr<FrameLog> log;
    };

    Private(MockServer *q, MockScript script) : q(q), script(std::move(script))
    {
        for (const auto &[name, value] : this->script.variables)
            variables.set(Variables::Layer::Scenario, name, value);
        QObject::connect(&tcpServer, &QTcpServer::newConnection, q, [this] { acceptTcp(); });
        for (const MockRoute &route : this->script.routes) {
            ruleHits.emplace_back(route.rules.size(), 0);
            unmatchedCounts.push_back(0);
        }
    }

    int decide(const MockGate::Request &request) const
    {
        const MockRoute *route = script.route(request.path);
        if (!route)
            return 404;
        if (route->rejectStatus)
            return route->rejectStatus;
        for (const auto &[name, wanted] : route->requiredHeaders) {
            bool found = false;
            const QString expected = variables.expand(wanted).text;
            for (const auto &[header, value] : request.headers)
                found = found || (header == name && (expected.isEmpty() || value == expected.toUtf8()));
            if (!found)
                return route->missingHeaderStatus;
        }
        return request.asksForWebSocket ? 0 : 426;
    }

    void acceptTcp()
    {
        while (QTcpSocket *socket = tcpServer.nextPendingConnection()) {
            new MockGate(
                    socket, [this](const MockGate::Request &r) { return decide(r); },
                    [this](QTcpSocket *s, const MockGate::Request &request) {
                        upgrade(s, routeIndex(request.path));
                    });
        }
    }

    int routeIndex(QStringView path) const
    {
        for (qsizetype i = 0; i < script.routes.size(); ++i)
            if (script.routes.at(i).path == path)
                return int(i);
        return 0;
    }

    // The gate let the request through: core/wire checks it as an upgrade (a missing key, a
    // version other than 13: refused by the connection itself) and the mock answers it.
    void upgrade(QTcpSocket *socket, int routeIndex)
    {
        auto *connection = new MockConnection(socket, DemoServer::MaxIncomingMessageBytes, q);
        QObject::connect(connection, &MockConnection::requestRead, q, [this, connection, routeIndex] {
            if (!tcpServer.isListening()) {
                connection->reject(503, {{"Server", "wsprobe-mock"}},
                                   "The mock server is closing.\n");
                return;
            }
            const MockRoute &route = script.routes.at(routeIndex);
            QList<ServerHandshake::Header> extra;
            for (const auto &[name, value] : route.responseHeaders)
                extra.append({name, variables.expand(value).text.toUtf8()});
            connection->accept(connection->handshake().chooseSubprotocol(route.subprotocols), extra);
            serve(connection, routeIndex);
        });
        QObject::connect(connection, &MockConnection::disconnected, q,
                         [this, connection] { forget(connection); });
        connection->start();
    }

    void serve(MockConnection *connection, int routeIndex)
    {
        const MockRoute &route = script.routes.at(routeIndex);
        Client &client = clients[connection];
        client.route = routeIndex;
        client.clock.start();
        client.pingsLeft = route.pingsAnswered;
        client.info = describe(connection, routeIndex);
        client.log = std::make_shared<FrameLog>();
        client.log->setCapacity(logCapacity);
        if (logBudget)
            client.log->setMemoryBudget(logBudget);
        logHandshake(client, connection->handshake(), connection->extraHeaders());
        order.append(connection);
        ids.insert(client.info.id, connection);
        for (const QString &group : route.groups)
            groups[group].append(connection);
        QObject::connect(connection, &MockConnection::closeReceived, q,
                         [this, connection](int code, const QString &reason) {
                             const auto it = clients.find(connection);
                             // The client's close frame came first: the log's end says so.
                             if (it != clients.end() && !it->ending && !it->clientClose)
                                 it->clientClose = qMakePair(code, reason);
                         });
        QObject::connect(connection, &MockConnection::protocolError, q,
                         [this, connection](int code, const QString &text) {
                             const auto it = clients.find(connection);
                             if (it == clients.end())
                                 return;
                             FrameEvent error = makeFrameEvent(EventKind::Error, Direction::Local);
                             error.error = ErrorKind::Protocol;
                             error.text = u"the client broke the protocol: %1; closing with %2"_s
                                                  .arg(text)
                                                  .arg(code);
                             it->log->append(std::move(error));
                             if (!it->ending && !it->clientClose) {
                                 it->ending = true;
                                 it->log->append(closeEvent(Direction::Outgoing, code,
                                                            connection->sentCloseReason()));
                             }
                         });
        QObject::connect(connection, &MockConnection::textReceived, q,
                         [this, connection](const QString &text) { received(connection, text, {}, false); });
        QObject::connect(connection, &MockConnection::binaryReceived, q,
                         [this, connection](const QByteArray &data) { received(connection, {}, data, true); });
        QObject::connect(connection, &MockConnection::pingReceived, q,
                         [this, connection](const QByteArray &payload) { pinged(connection, payload); });
        QObject::connect(connection, &MockConnection::pongReceived, q,
                         [this, connection](const QByteArray &payload) {
                             const auto it = clients.find(connection);
                             if (it != clients.end())
                                 it->log->append(controlEvent(EventKind::Pong, Direction::Incoming, payload));
                         });
        Q_EMIT q->clientConnected(route.path);
        Q_EMIT q->clientAccepted(client.info.id);

        for (const MockMessage &message : route.onConnect)
            send(message, {}, connection);
        if (route.closeAfter && route.closeAfter->afterMs > 0) {
            const MockClose close = route.closeAfter->close;
            QTimer::singleShot(route.closeAfter->afterMs, connection,
                               [this, connection, close] { end(connection, close); });
        }
        if (route.timer) {
            auto *timer = new QTimer(connection);
            auto ticks = std::make_shared<int>(0);
            QObject::connect(timer, &QTimer::timeout, connection, [this, connection, timer, ticks, routeIndex] {
                const MockTimer &spec = *script.routes.at(routeIndex).timer;
                for (const MockMessage &message : spec.send)
                    send(message, {}, connection);
                if (spec.count > 0 && ++*ticks >= spec.count)
                    timer->stop();
            });
            timer->start(route.timer->everyMs);
        }
    }

    static FrameEvent controlEvent(EventKind kind, Direction direction, const QByteArray &payload)
    {
        FrameEvent event = makeFrameEvent(kind, direction);
        event.data = payload;
        event.size = payload.size();
        return event;
    }

    // A client's ping: logged, and answered with a pong of the same payload unless the route or
    // a rule says to let pings go unanswered.
    void pinged(MockConnection *connection, const QByteArray &payload)
    {
        const auto it = clients.find(connection);
        if (it == clients.end())
            return;
        Client &client = *it;
        client.log->append(controlEvent(EventKind::Ping, Direction::Incoming, payload));
        if (client.ending)
            return;
        if (client.pingsLeft && *client.pingsLeft <= 0) {
            client.log->append(infoEvent(u"ping not answered (\"pings\": \"ignore\")"_s));
            return;
        }
        if (client.pingsLeft)
            --*client.pingsLeft;
        if (connection->sendPong(payload))
            client.log->append(controlEvent(EventKind::Pong, Direction::Outgoing, payload));
    }

    MockClientInfo describe(MockConnection *connection, int routeIndex)
    {
        MockClientInfo info;
        info.id = ++lastId;
        info.route = routeIndex;
        info.path = script.routes.at(routeIndex).path;
        info.peerAddress = connection->peerAddress();
        info.peerPort = connection->peerPort();
        info.subprotocol = connection->subprotocol();
        info.connectedWallMs = QDateTime::currentMSecsSinceEpoch();
        for (const auto &[name, value] : connection->handshake().headers()) {
            const QString key = QString::fromLatin1(name);
            info.headers.append({key, SecretMasker::maskHeaderValue(key, QString::fromLatin1(value))});
        }
        return info;
    }

    // The upgrade as the mock's log shows it: the client's request (headers masked) and the 101.
    static void logHandshake(Client &client, const ServerHandshake &handshake,
                             const QList<ServerHandshake::Header> &extra)
    {
        const QUrl target = QUrl::fromEncoded(handshake.target());
        QString request = u"GET "_s + target.path(QUrl::FullyEncoded);
        if (target.hasQuery())
            request += u'?' + SecretMasker::maskUrl(target).section(u'?', 1);
        request += u" HTTP/1.1"_s;
        for (const auto &[name, value] : client.info.headers)
            request += u"\n"_s + name + u": "_s + value;
        FrameEvent in = makeFrameEvent(EventKind::Handshake, Direction::Incoming);
        in.text = request;
        client.log->append(std::move(in));
        FrameEvent out = makeFrameEvent(EventKind::Handshake, Direction::Outgoing);
        out.httpStatus = 101;
        out.text = u"HTTP/1.1 101 Switching Protocols"_s;
        if (!client.info.subprotocol.isEmpty())
            out.text += u"\nSec-WebSocket-Protocol: "_s + client.info.subprotocol;
        for (const auto &[name, value] : extra)
            out.text += u'\n' + QString::fromLatin1(name) + u": "_s
                    + SecretMasker::maskHeaderValue(QString::fromLatin1(name), QString::fromUtf8(value));
        client.log->append(std::move(out));
    }

    void forget(MockConnection *connection)
    {
        const auto it = clients.find(connection);
        if (it == clients.end()) {
            // Refused at the upgrade, or never accepted.
            connection->deleteLater();
            return;
        }
        // The log's last word: who closed, with what, and whether both close frames were sent.
        int code = 1006;  // no close frame: abnormal closure
        QString reason;
        FrameEvent end = closeEvent(Direction::Local, code, {});
        if (it->clientClose) {
            code = it->clientClose->first;
            reason = it->clientClose->second;
            end = closeEvent(Direction::Incoming, code, reason);
            end.closeInitiator = CloseInitiator::Client;
            end.cleanClose = true;
        } else if (it->ending && !it->dropped && connection->sentCloseCode()) {
            code = *connection->sentCloseCode();
            reason = connection->sentCloseReason();
            end = closeEvent(Direction::Local, code, reason);
            end.closeInitiator = CloseInitiator::Server;
            end.cleanClose = true;
        } else {
            end.closeInitiator = it->dropped ? CloseInitiator::Server : CloseInitiator::Nobody;
            end.text = it->dropped ? u"dropped by the mock, no close frame"_s : QString();
        }
        it->log->append(std::move(end));
        const quint64 id = it->info.id;
        const QString path = script.routes.at(it->route).path;
        clients.erase(it);
        ids.remove(id);
        order.removeOne(connection);
        for (QList<QPointer<MockConnection>> &members : groups)
            members.removeAll(connection);
        connection->deleteLater();
        Q_EMIT q->clientDisconnected(path);
        Q_EMIT q->clientEnded(id, code, reason);
    }

    // A client that does not read lets what is sent to it pile up in the mock's memory: a
    // message goes only to a connection with less than DemoServer::MaxQueuedBytes unsent, and
    // one over it is closed with 1008 (its close frame waits behind what it has not read).
    bool mayQueue(MockConnection *connection)
    {
        if (connection->state() != MockConnection::State::Open)
            return false;
        if (connection->bytesToWrite() < DemoServer::MaxQueuedBytes)
            return true;
        end(connection, MockClose{1008, u"outgoing queue over %1 MiB: client not reading"_s.arg(
                                                DemoServer::MaxQueuedBytes / (1024 * 1024)),
                                  0, false});
        return false;
    }

    // Sends and logs one text message; nothing when the client's queue is full (it is closed
    // with 1008 then).
    bool sendText(MockConnection *connection, const QString &text)
    {
        const auto it = clients.find(connection);
        if (it == clients.end() || it->ending || !mayQueue(connection))
            return false;
        connection->sendText(text);
        FrameEvent event = makeFrameEvent(EventKind::Text, Direction::Outgoing);
        event.text = text;
        event.size = utf8Length(text);
        it->log->append(std::move(event));
        return true;
    }

    bool sendBinary(MockConnection *connection, const QByteArray &data)
    {
        const auto it = clients.find(connection);
        if (it == clients.end() || it->ending || !mayQueue(connection))
            return false;
        connection->sendBinary(data);
        it->log->append(controlEvent(EventKind::Binary, Direction::Outgoing, data));
        return true;
    }

    void received(MockConnection *connection, const QString &text, const QByteArray &data, bool binary)
    {
        const auto it = clients.find(connection);
        if (it == clients.end() || it->ending)
            return;
        Client &client = *it;
        const MockRoute &route = script.routes.at(client.route);
        ++client.messages;

        FrameEvent event = makeFrameEvent(binary ? EventKind::Binary : EventKind::Text,
                                          Direction::Incoming);
        if (binary) {
            event.data = data;
            event.size = data.size();
        } else {
            event.text = text;
            event.size = utf8Length(text);
        }
        client.log->append(FrameEvent(event));
        MessageView view(event);
        MockCaptures captures;
        captures.text = binary ? QString::fromUtf8(data) : text;
        captures.json = parsedJson(captures.text);
        if (binary)
            captures.bytes = data;

        bool matched = false;
        for (qsizetype r = 0; r < route.rules.size(); ++r) {
            const MockRule &rule = route.rules.at(r);
            if (!rule.when.match(view).matched)
                continue;
            matched = true;
            const qint64 hits = ++ruleHits[client.route][r];
            client.log->append(infoEvent(u"rule %1 matched: %2"_s.arg(r + 1).arg(rule.when.describe())));
            Q_EMIT q->ruleHit(client.route, int(r), hits);
            if (rule.answerPings) {
                client.pingsLeft = *rule.answerPings ? std::nullopt : std::optional<qint64>(0);
                client.log->append(infoEvent(*rule.answerPings ? u"pings answered from now on"_s
                                                               : u"pings ignored from now on"_s));
            }
            if (rule.groups) {
                const QRegularExpressionMatch match = rule.groups->match(captures.text);
                captures.groups = match.capturedTexts();
            }
            for (const MockMessage &message : rule.reply)
                send(message, captures, connection);
            if (rule.close) {
                const MockClose close = *rule.close;
                if (close.delayMs == 0)
                    end(connection, close);
                else
                    QTimer::singleShot(close.delayMs, connection,
                                       [this, connection, close] { end(connection, close); });
            }
            break;
        }
        if (!matched) {
            const int routeIndex = client.route;
            const qint64 count = ++unmatchedCounts[routeIndex];
            switch (route.unmatched.action) {
            case MockUnmatched::Action::Ignore:
                client.log->append(infoEvent(u"no rule matched: ignored"_s));
                break;
            case MockUnmatched::Action::Echo:
                client.log->append(infoEvent(u"no rule matched: echoed"_s));
                if (!binary)
                    sendText(connection, text);
                else
                    sendBinary(connection, data);
                break;
            case MockUnmatched::Action::Close:
                client.log->append(infoEvent(u"no rule matched: closing"_s));
                Q_EMIT q->unmatched(routeIndex, count);
                end(connection, route.unmatched.close);
                return;
            }
            Q_EMIT q->unmatched(routeIndex, count);
        }
        // A rule's close may have ended the connection already, a dropped one (abort) at once,
        // which forgets the client: look it up again rather than trust the reference.
        const auto still = clients.find(connection);
        if (still == clients.end() || still->ending)
            return;
        if (route.closeAfter && route.closeAfter->afterMessages > 0) {
            const MockLimit &limit = *route.closeAfter;
            Client &client = *still;
            qint64 count = client.messages;
            if (limit.withinMs > 0) {
                const qint64 now = client.clock.elapsed();
                client.recentMs.push_back(now);
                while (!client.recentMs.empty() && client.recentMs.front() <= now - limit.withinMs)
                    client.recentMs.pop_front();
                count = qint64(client.recentMs.size());
            }
            if (count >= limit.afterMessages)
                end(connection, limit.close);
        }
    }

    void end(MockConnection *connection, const MockClose &close)
    {
        const auto it = clients.find(connection);
        if (it == clients.end() || it->ending)
            return;
        it->ending = true;
        if (close.drop) {
            it->dropped = true;
            it->log->append(infoEvent(u"dropping the connection without a close frame"_s));
            connection->abort();
        } else {
            const QString reason = demo::truncatedCloseReason(close.reason);
            it->log->append(closeEvent(Direction::Outgoing, close.code, reason));
            connection->close(close.code, reason);
        }
    }

    void send(const MockMessage &message, const MockCaptures &captures, MockConnection *sender)
    {
        if (message.delayMs > 0) {
            QPointer<MockConnection> guard(sender);
            QTimer::singleShot(message.delayMs, q, [this, message, captures, guard] {
                MockMessage now = message;
                now.delayMs = 0;
                send(now, captures, guard.data());
            });
            return;
        }
        switch (message.body) {
        case MockMessage::Body::Text:
        case MockMessage::Body::Json: {
            QString payload;
            if (message.body == MockMessage::Body::Text) {
                payload = MockTemplate::expandText(message.value.toString(), captures, variables);
            } else {
                const QJsonValue value = MockTemplate::expandJson(message.value, captures, variables);
                QJsonDocument wrapped(QJsonArray{value});
                const QByteArray compact = wrapped.toJson(QJsonDocument::Compact);
                payload = QString::fromUtf8(compact.mid(1, compact.size() - 2));
            }
            for (MockConnection *target : targets(message, sender))
                sendText(target, payload);
            return;
        }
        case MockMessage::Body::Base64:
        case MockMessage::Body::Hex: {
            QString error;
            const std::optional<QByteArray> bytes = MockTemplate::expandBytes(
                    message.value.toString(), message.body == MockMessage::Body::Hex, captures,
                    variables, &error);
            if (!bytes) {
                const auto it = sender ? clients.find(sender) : clients.end();
                if (it != clients.end())
                    it->log->append(infoEvent(u"binary reply not sent: "_s + error));
                return;
            }
            for (MockConnection *target : targets(message, sender))
                sendBinary(target, *bytes);
            return;
        }
        }
    }

    QList<MockConnection *> targets(const MockMessage &message, MockConnection *sender) const
    {
        QList<MockConnection *> result;
        switch (message.to) {
        case MockMessage::Target::Sender:
            if (sender)
                result.append(sender);
            break;
        case MockMessage::Target::All:
        case MockMessage::Target::Others: {
            const auto it = sender ? clients.constFind(sender) : clients.cend();
            if (it == clients.cend())
                break;
            for (MockConnection *other : order) {
                if (clients.value(other).route == it->route
                    && (message.to == MockMessage::Target::All || other != sender))
                    result.append(other);
            }
            break;
        }
        case MockMessage::Target::Group:
            for (const QPointer<MockConnection> &member : groups.value(message.group))
                if (member)
                    result.append(member.data());
            break;
        }
        return result;
    }

    MockServer *q;
    MockScript script;
    Variables variables;
    QTcpServer tcpServer;
    QHash<MockConnection *, Client> clients;  // the connections are children of q
    QHash<quint64, MockConnection *> ids;
    QList<MockConnection *> order;  // the connected clients, oldest first
    quint64 lastId = 0;
    qsizetype logCapacity = DefaultClientLogCapacity;
    std::shared_ptr<LogMemoryBudget> logBudget;
    std::vector<std::vector<qint64>> ruleHits;  // [route][rule]
    std::vector<qint64> unmatchedCounts;        // [route]
    QHash<QString, QList<QPointer<MockConnection>>> groups;
    QString errorString;
};

MockServer::MockServer(MockScript script, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this, std::move(script)))
{
}

MockServer::~MockServer()
{
    d->tcpServer.close();
    const QList<MockConnection *> connections = d->clients.keys();
    d->clients.clear();
    qDeleteAll(connections);
}

void MockServer::setVariables(const Variables &variables)
{
    Variables merged = variables;
    for (const auto &[name, value] : d->script.variables)
        merged.set(Variables::Layer::Scenario, name, value);
    d->variables = merged;
}

bool MockServer::listen(std::optional<quint16> port)
{
    if (d->tcpServer.isListening()) {
        d->errorString = u"The mock server already listens at %1."_s.arg(url().toString());
        return false;
    }
    if (!d->script.host.isLoopback()) {
        d->errorString = u"The mock server listens on loopback addresses only, not on %1."_s.arg(
                d->script.host.toString());
        return false;
    }
    if (!d->tcpServer.listen(d->script.host, port.value_or(d->script.port))) {
        d->errorString = d->tcpServer.errorString();
        return false;
    }
    d->errorString.clear();
    Q_EMIT listeningChanged(true);
    return true;
}

void MockServer::close()
{
    d->tcpServer.close();
    const QList<QTcpSocket *> gated = d->tcpServer.findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : gated)
        socket->abort();
    const QList<MockConnection *> connections = d->order;
    for (MockConnection *connection : connections)
        d->end(connection, MockClose{1001, u"mock server closed"_s, 0, false});
    Q_EMIT listeningChanged(false);
}

bool MockServer::isListening() const
{
    return d->tcpServer.isListening();
}

quint16 MockServer::port() const
{
    return d->tcpServer.serverPort();
}

QUrl MockServer::url() const
{
    return demo::webSocketUrl(d->tcpServer);
}

QString MockServer::errorString() const
{
    return d->errorString;
}

int MockServer::clientCount() const
{
    return int(d->clients.size());
}

const MockScript &MockServer::script() const
{
    return d->script;
}

QList<quint64> MockServer::clientIds() const
{
    QList<quint64> result;
    result.reserve(d->order.size());
    for (MockConnection *connection : std::as_const(d->order))
        result.append(d->clients.value(connection).info.id);
    return result;
}

std::optional<MockClientInfo> MockServer::clientInfo(quint64 id) const
{
    MockConnection *connection = d->ids.value(id);
    if (!connection)
        return std::nullopt;
    return d->clients.value(connection).info;
}

std::shared_ptr<FrameLog> MockServer::clientLog(quint64 id) const
{
    MockConnection *connection = d->ids.value(id);
    return connection ? d->clients.value(connection).log : nullptr;
}

void MockServer::setClientLogCapacity(qsizetype maxEvents)
{
    d->logCapacity = maxEvents;
}

void MockServer::setLogMemoryBudget(std::shared_ptr<LogMemoryBudget> budget)
{
    d->logBudget = std::move(budget);
}

qint64 MockServer::ruleHits(int route, int rule) const
{
    if (route < 0 || size_t(route) >= d->ruleHits.size() || rule < 0
        || size_t(rule) >= d->ruleHits[route].size())
        return 0;
    return d->ruleHits[route][rule];
}

qint64 MockServer::unmatchedCount(int route) const
{
    return route >= 0 && size_t(route) < d->unmatchedCounts.size() ? d->unmatchedCounts[route] : 0;
}

bool MockServer::sendTo(quint64 id, const QString &text)
{
    MockConnection *connection = d->ids.value(id);
    return connection && d->sendText(connection, text);
}

int MockServer::broadcast(const QString &text)
{
    int sent = 0;
    const QList<MockConnection *> connections = d->order;  // a full queue closes (and forgets) a client
    for (MockConnection *connection : connections)
        sent += d->sendText(connection, text) ? 1 : 0;
    return sent;
}

bool MockServer::closeClient(quint64 id, int code, const QString &reason)
{
    MockConnection *connection = d->ids.value(id);
    if (!connection || d->clients.value(connection).ending)
        return false;
    d->end(connection, MockClose{code, reason, 0, false});
    return true;
}

} // namespace wsprobe
