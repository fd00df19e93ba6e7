#include "mockserver.h"

#include "demoserver.h"
#include "demosocket.h"
#include "closecodes.h"
#include "frameevent.h"
#include "framelog.h"
#include "messageview.h"
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
#include <QNetworkRequest>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

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
        for (qsizetype i = 0; i < this->script.routes.size(); ++i) {
            auto *server = new QWebSocketServer(u"wsprobe mock server"_s,
                                                QWebSocketServer::NonSecureMode, q);
            server->setSupportedSubprotocols(this->script.routes.at(i).subprotocols);
            QObject::connect(server, &QWebSocketServer::newConnection, q,
                             [this, server, i] { acceptWebSocket(server, int(i)); });
            routeServers.append(server);
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
                        const int index = routeIndex(request.path);
                        // The upgraded QWebSocket deletes its socket, a failed handshake's is
                        // deleted by QWebSocketServer; q only keeps it from leaking otherwise.
                        s->setParent(q);
                        routeServers.at(index)->handleConnection(s);
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

    void acceptWebSocket(QWebSocketServer *server, int routeIndex)
    {
        while (QWebSocket *socket = server->nextPendingConnection()) {
            socket->setParent(q);
            socket->setMaxAllowedIncomingMessageSize(quint64(DemoServer::MaxIncomingMessageBytes));
            socket->setMaxAllowedIncomingFrameSize(quint64(DemoServer::MaxIncomingMessageBytes));
            if (QTcpSocket *tcp = demo::tcpSocketOf(socket)) {
                QObject::connect(tcp, &QAbstractSocket::stateChanged, socket,
                                 [tcp](QAbstractSocket::SocketState state) {
                                     if (state == QAbstractSocket::ClosingState)
                                         demo::discardInputWhileClosing(tcp);
                                 });
            }
            if (!tcpServer.isListening()) {
                demo::closeWithin(socket, 1001, u"mock server closed"_s);
                continue;
            }
            serve(socket, routeIndex);
        }
    }

    void serve(QWebSocket *socket, int routeIndex)
    {
        const MockRoute &route = script.routes.at(routeIndex);
        Client &client = clients[socket];
        client.route = routeIndex;
        client.clock.start();
        client.info = describe(socket, routeIndex);
        client.log = std::make_shared<FrameLog>();
        client.log->setCapacity(logCapacity);
        if (logBudget)
            client.log->setMemoryBudget(logBudget);
        logHandshake(client, socket);
        order.append(socket);
        ids.insert(client.info.id, socket);
        for (const QString &group : route.groups)
            groups[group].append(socket);
        QObject::connect(socket, &QWebSocket::disconnected, q, [this, socket] { forget(socket); });
        // Closing before the mock closed: the client's close frame came first.
        QObject::connect(socket, &QWebSocket::stateChanged, q,
                         [this, socket](QAbstractSocket::SocketState state) {
                             const auto it = clients.find(socket);
                             if (state == QAbstractSocket::ClosingState && it != clients.end()
                                 && !it->ending && !it->clientClose)
                                 it->clientClose = qMakePair(int(socket->closeCode()),
                                                             socket->closeReason());
                         });
        QObject::connect(socket, &QWebSocket::textMessageReceived, q,
                         [this, socket](const QString &text) { received(socket, text, {}, false); });
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, q,
                         [this, socket](const QByteArray &data) { received(socket, {}, data, true); });
        Q_EMIT q->clientConnected(route.path);
        Q_EMIT q->clientAccepted(client.info.id);

        for (const MockMessage &message : route.onConnect)
            send(message, {}, socket);
        if (route.closeAfter && route.closeAfter->afterMs > 0) {
            const MockClose close = route.closeAfter->close;
            QTimer::singleShot(route.closeAfter->afterMs, socket,
                               [this, socket, close] { end(socket, close); });
        }
        if (route.timer) {
            auto *timer = new QTimer(socket);
            auto ticks = std::make_shared<int>(0);
            QObject::connect(timer, &QTimer::timeout, socket, [this, socket, timer, ticks, routeIndex] {
                const MockTimer &spec = *script.routes.at(routeIndex).timer;
                for (const MockMessage &message : spec.send)
                    send(message, {}, socket);
                if (spec.count > 0 && ++*ticks >= spec.count)
                    timer->stop();
            });
            timer->start(route.timer->everyMs);
        }
    }

    MockClientInfo describe(QWebSocket *socket, int routeIndex)
    {
        MockClientInfo info;
        info.id = ++lastId;
        info.route = routeIndex;
        info.path = script.routes.at(routeIndex).path;
        info.peerAddress = socket->peerAddress();
        info.peerPort = socket->peerPort();
        info.subprotocol = socket->subprotocol();
        info.connectedWallMs = QDateTime::currentMSecsSinceEpoch();
        const QNetworkRequest request = socket->request();
        for (const QByteArray &name : request.rawHeaderList()) {
            const QString key = QString::fromLatin1(name);
            info.headers.append({key, SecretMasker::maskHeaderValue(
                                              key, QString::fromLatin1(request.rawHeader(name)))});
        }
        return info;
    }

    // The upgrade as the mock's log shows it: the client's request (headers masked) and the 101.
    static void logHandshake(Client &client, QWebSocket *socket)
    {
        QString request = u"GET "_s + socket->requestUrl().path(QUrl::FullyEncoded);
        const QString query = socket->requestUrl().query(QUrl::FullyEncoded);
        if (!query.isEmpty())
            request += u'?' + SecretMasker::maskUrl(socket->requestUrl()).section(u'?', 1);
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
        client.log->append(std::move(out));
    }

    void forget(QWebSocket *socket)
    {
        const auto it = clients.find(socket);
        if (it == clients.end())
            return;
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
        } else if (it->ending && !it->dropped) {
            code = int(socket->closeCode());
            reason = socket->closeReason();
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
        order.removeOne(socket);
        for (QList<QPointer<QWebSocket>> &members : groups)
            members.removeAll(socket);
        socket->deleteLater();
        Q_EMIT q->clientDisconnected(path);
        Q_EMIT q->clientEnded(id, code, reason);
    }

    // demo::canTakeMore's rule (see there), with the close the queue forces logged as the
    // mock's own, so the log does not take it for the client's.
    bool mayQueue(QWebSocket *socket)
    {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return false;
        if (socket->bytesToWrite() < DemoServer::MaxQueuedBytes)
            return true;
        end(socket, MockClose{1008, u"outgoing queue over %1 MiB: client not reading"_s.arg(
                                            DemoServer::MaxQueuedBytes / (1024 * 1024)),
                              0, false});
        return false;
    }

    // Sends and logs one text message; nothing when the client's queue is full (it is closed
    // with 1008 then).
    bool sendText(QWebSocket *socket, const QString &text)
    {
        const auto it = clients.find(socket);
        if (it == clients.end() || it->ending || !mayQueue(socket))
            return false;
        socket->sendTextMessage(text);
        FrameEvent event = makeFrameEvent(EventKind::Text, Direction::Outgoing);
        event.text = text;
        event.size = utf8Length(text);
        it->log->append(std::move(event));
        return true;
    }

    void received(QWebSocket *socket, const QString &text, const QByteArray &data, bool binary)
    {
        const auto it = clients.find(socket);
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

        bool matched = false;
        for (qsizetype r = 0; r < route.rules.size(); ++r) {
            const MockRule &rule = route.rules.at(r);
            if (!rule.when.match(view).matched)
                continue;
            matched = true;
            const qint64 hits = ++ruleHits[client.route][r];
            client.log->append(infoEvent(u"rule %1 matched: %2"_s.arg(r + 1).arg(rule.when.describe())));
            Q_EMIT q->ruleHit(client.route, int(r), hits);
            if (rule.groups) {
                const QRegularExpressionMatch match = rule.groups->match(captures.text);
                captures.groups = match.capturedTexts();
            }
            for (const MockMessage &message : rule.reply)
                send(message, captures, socket);
            if (rule.close) {
                const MockClose close = *rule.close;
                if (close.delayMs == 0)
                    end(socket, close);
                else
                    QTimer::singleShot(close.delayMs, socket, [this, socket, close] { end(socket, close); });
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
                if (!binary) {
                    sendText(socket, text);
                } else if (mayQueue(socket)) {
                    socket->sendBinaryMessage(data);
                    FrameEvent echo = makeFrameEvent(EventKind::Binary, Direction::Outgoing);
                    echo.data = data;
                    echo.size = data.size();
                    client.log->append(std::move(echo));
                }
                break;
            case MockUnmatched::Action::Close:
                client.log->append(infoEvent(u"no rule matched: closing"_s));
                Q_EMIT q->unmatched(routeIndex, count);
                end(socket, route.unmatched.close);
                return;
            }
            Q_EMIT q->unmatched(routeIndex, count);
        }
        // A rule's close may have ended the connection already, a dropped one (abort) at once,
        // which forgets the client: look it up again rather than trust the reference.
        const auto still = clients.find(socket);
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
                end(socket, limit.close);
        }
    }

    void end(QWebSocket *socket, const MockClose &close)
    {
        const auto it = clients.find(socket);
        if (it == clients.end() || it->ending)
            return;
        it->ending = true;
        if (close.drop) {
            it->dropped = true;
            it->log->append(infoEvent(u"dropping the connection without a close frame"_s));
            socket->abort();
        } else {
            const QString reason = demo::truncatedCloseReason(close.reason);
            it->log->append(closeEvent(Direction::Outgoing, close.code, reason));
            demo::closeWithin(socket, close.code, reason);
        }
    }

    void send(const MockMessage &message, const MockCaptures &captures, QWebSocket *sender)
    {
        if (message.delayMs > 0) {
            QPointer<QWebSocket> guard(sender);
            QTimer::singleShot(message.delayMs, q, [this, message, captures, guard] {
                MockMessage now = message;
                now.delayMs = 0;
                send(now, captures, guard.data());
            });
            return;
        }
        QString payload;
        if (message.body == MockMessage::Body::Text) {
            payload = MockTemplate::expandText(message.value.toString(), captures, variables);
        } else {
            const QJsonValue value = MockTemplate::expandJson(message.value, captures, variables);
            QJsonDocument wrapped(QJsonArray{value});
            const QByteArray compact = wrapped.toJson(QJsonDocument::Compact);
            payload = QString::fromUtf8(compact.mid(1, compact.size() - 2));
        }
        for (QWebSocket *target : targets(message, sender))
            sendText(target, payload);
    }

    QList<QWebSocket *> targets(const MockMessage &message, QWebSocket *sender) const
    {
        QList<QWebSocket *> result;
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
            for (auto c = clients.cbegin(); c != clients.cend(); ++c) {
                if (c->route == it->route
                    && (message.to == MockMessage::Target::All || c.key() != sender))
                    result.append(c.key());
            }
            break;
        }
        case MockMessage::Target::Group:
            for (const QPointer<QWebSocket> &member : groups.value(message.group))
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
    QList<QWebSocketServer *> routeServers;  // Owned (children of q), one per route.
    QHash<QWebSocket *, Client> clients;
    QHash<quint64, QWebSocket *> ids;
    QList<QWebSocket *> order;  // the connected clients, oldest first
    quint64 lastId = 0;
    qsizetype logCapacity = DefaultClientLogCapacity;
    std::shared_ptr<LogMemoryBudget> logBudget;
    std::vector<std::vector<qint64>> ruleHits;  // [route][rule]
    std::vector<qint64> unmatchedCounts;        // [route]
    QHash<QString, QList<QPointer<QWebSocket>>> groups;
    QString errorString;
};

MockServer::MockServer(MockScript script, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this, std::move(script)))
{
}

MockServer::~MockServer()
{
    d->tcpServer.close();
    const QList<QWebSocket *> sockets = d->clients.keys();
    d->clients.clear();
    for (QWebSocket *socket : sockets) {
        socket->abort();
        delete socket;
    }
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
    const QList<QWebSocket *> sockets = d->clients.keys();
    for (QWebSocket *socket : sockets)
        d->end(socket, MockClose{1001, u"mock server closed"_s, 0, false});
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
    for (QWebSocket *socket : std::as_const(d->order))
        result.append(d->clients.value(socket).info.id);
    return result;
}

std::optional<MockClientInfo> MockServer::clientInfo(quint64 id) const
{
    QWebSocket *socket = d->ids.value(id);
    if (!socket)
        return std::nullopt;
    return d->clients.value(socket).info;
}

std::shared_ptr<FrameLog> MockServer::clientLog(quint64 id) const
{
    QWebSocket *socket = d->ids.value(id);
    return socket ? d->clients.value(socket).log : nullptr;
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
    QWebSocket *socket = d->ids.value(id);
    return socket && d->sendText(socket, text);
}

int MockServer::broadcast(const QString &text)
{
    int sent = 0;
    const QList<QWebSocket *> sockets = d->order;  // a full queue closes (and forgets) a client
    for (QWebSocket *socket : sockets)
        sent += d->sendText(socket, text) ? 1 : 0;
    return sent;
}

bool MockServer::closeClient(quint64 id, int code, const QString &reason)
{
    QWebSocket *socket = d->ids.value(id);
    if (!socket || d->clients.value(socket).ending)
        return false;
    d->end(socket, MockClose{code, reason, 0, false});
    return true;
}

} // namespace wsprobe
