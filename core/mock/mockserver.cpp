#include "mockserver.h"

#include "demoserver.h"
#include "demosocket.h"
#include "frameevent.h"
#include "messageview.h"
#include "mockgate.h"
#include "mocktemplate.h"
#include "variables.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <deque>

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

} // namespace

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
        bool ending = false;
    };

    Private(MockServer *q, MockScript script) : q(q), script(std::move(script))
    {
        for (const auto &[name, value] : this->script.variables)
            variables.set(Variables::Layer::Scenario, name, value);
        QObject::connect(&tcpServer, &QTcpServer::newConnection, q, [this] { acceptTcp(); });
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
        for (const QString &group : route.groups)
            groups[group].append(socket);
        QObject::connect(socket, &QWebSocket::disconnected, q, [this, socket] { forget(socket); });
        QObject::connect(socket, &QWebSocket::textMessageReceived, q,
                         [this, socket](const QString &text) { received(socket, text, {}, false); });
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, q,
                         [this, socket](const QByteArray &data) { received(socket, {}, data, true); });
        Q_EMIT q->clientConnected(route.path);

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

    void forget(QWebSocket *socket)
    {
        const auto it = clients.constFind(socket);
        if (it == clients.cend())
            return;
        const QString path = script.routes.at(it->route).path;
        clients.erase(it);
        for (QList<QPointer<QWebSocket>> &members : groups)
            members.removeAll(socket);
        socket->deleteLater();
        Q_EMIT q->clientDisconnected(path);
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
        MessageView view(event);
        MockCaptures captures;
        captures.text = binary ? QString::fromUtf8(data) : text;
        captures.json = parsedJson(captures.text);

        bool matched = false;
        for (const MockRule &rule : route.rules) {
            if (!rule.when.match(view).matched)
                continue;
            matched = true;
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
            switch (route.unmatched.action) {
            case MockUnmatched::Action::Ignore:
                break;
            case MockUnmatched::Action::Echo:
                if (demo::canTakeMore(socket)) {
                    if (binary)
                        socket->sendBinaryMessage(data);
                    else
                        socket->sendTextMessage(text);
                }
                break;
            case MockUnmatched::Action::Close:
                end(socket, route.unmatched.close);
                return;
            }
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
        if (close.drop)
            socket->abort();
        else
            demo::closeWithin(socket, close.code, close.reason);
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
        for (QWebSocket *target : targets(message, sender)) {
            const auto it = clients.constFind(target);
            if (it == clients.cend() || it->ending)
                continue;
            if (demo::canTakeMore(target))
                target->sendTextMessage(payload);
        }
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

} // namespace wsprobe
