#include "proxyconnection.h"

#include "clock.h"
#include "closecodes.h"
#include "demorequestgate.h"
#include "messageview.h"
#include "mockconnection.h"
#include "mocktemplate.h"
#include "secretmasker.h"
#include "session.h"
#include "variables.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int ConnectTimeoutMs = 10000;
constexpr int RefusalTimeoutMs = 5000;

// Headers that belong to one hop or to the upgrade itself: the proxy makes its own.
bool passesThrough(const QByteArray &name)
{
    static const QByteArray own[] = {
        "host", "upgrade", "connection", "keep-alive", "te", "trailer", "transfer-encoding",
        "proxy-connection", "proxy-authorization", "proxy-authenticate", "content-length",
        "sec-websocket-key", "sec-websocket-version", "sec-websocket-accept",
        "sec-websocket-extensions", "sec-websocket-protocol", "origin",
    };
    const QByteArray lower = name.toLower();
    for (const QByteArray &header : own)
        if (lower == header)
            return false;
    return true;
}

std::optional<QJsonValue> parsedJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(u"[%1]"_s.arg(text).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    return document.array().at(0);
}

Direction logDirection(ProxyDirection direction)
{
    return direction == ProxyDirection::ToServer ? Direction::Outgoing : Direction::Incoming;
}

} // namespace

ProxyConnection::ProxyConnection(QTcpSocket *socket, ProxyRequest request, const QUrl &target,
                                 std::shared_ptr<const ProxyRules> rules,
                                 std::shared_ptr<std::vector<qint64>> hits, QObject *parent)
    : QObject(parent), m_request(std::move(request)), m_rules(std::move(rules)),
      m_hits(std::move(hits)), m_log(new FrameLog(this)), m_tcp(socket),
      m_random(QRandomGenerator::securelySeeded())
{
    socket->setParent(this);
    m_toServer.pump.setSingleShot(true);
    m_toClient.pump.setSingleShot(true);
    connect(&m_toServer.pump, &QTimer::timeout, this, [this] { pump(ProxyDirection::ToServer); });
    connect(&m_toClient.pump, &QTimer::timeout, this, [this] { pump(ProxyDirection::ToClient); });

    // The target's path and query, then the client's.
    const QUrl asked = QUrl::fromEncoded(m_request.target.toUtf8());
    m_upstreamUrl = target;
    QString path = target.path();
    if (path.endsWith(u'/') && asked.path().startsWith(u'/'))
        path.chop(1);
    m_upstreamUrl.setPath(path + asked.path());
    QUrlQuery query(target);
    for (const auto &[key, value] : QUrlQuery(asked).queryItems(QUrl::FullyEncoded))
        query.addQueryItem(key, value);
    m_upstreamUrl.setQuery(query);

    // The client's request as it came, secrets masked.
    QStringList lines{QString::fromUtf8(m_request.head.left(m_request.head.indexOf('\r')))};
    for (const auto &[name, value] : m_request.headers)
        lines.append(u"%1: %2"_s.arg(QString::fromUtf8(name),
                                      SecretMasker::maskHeaderValue(QString::fromUtf8(name), QString::fromUtf8(value))));
    logNote(EventKind::Handshake, Direction::Outgoing, lines.join(u"\r\n"_s));

    connect(socket, &QTcpSocket::disconnected, this, [this] {
        if (m_clientOpen || m_clientEnded)
            return;
        m_clientEnded = true;
        logNote(EventKind::Info, Direction::Local, u"The client left before the server answered"_s);
        if (m_closeWhileAccepting)
            m_upstreamEnded = true;  // it ended already; no close will come again
        else if (m_upstream && !m_upstreamEnded)
            m_upstream->abort();
        checkFinished();
    });
    startUpstream();
}

ProxyConnection::~ProxyConnection()
{
    // Cuts the client without a signal back to us.
    delete m_client;
}

void ProxyConnection::startUpstream()
{
    SessionSettings settings;
    settings.url = m_upstreamUrl;
    settings.connectTimeoutMs = ConnectTimeoutMs;
    // The proxy is the one hop between them: a system proxy would be another.
    settings.proxy.mode = ProxySettings::Mode::None;
    for (const auto &[name, value] : m_request.headers) {
        const QByteArray lower = name.toLower();
        if (lower == "sec-websocket-protocol") {
            for (const QByteArray &protocol : value.split(','))
                if (!protocol.trimmed().isEmpty())
                    settings.subprotocols.append(QString::fromUtf8(protocol.trimmed()));
        } else if (lower == "origin") {
            settings.origin = QString::fromUtf8(value);
        } else if (passesThrough(name)) {
            settings.headers.append({QString::fromUtf8(name), QString::fromUtf8(value)});
        }
    }
    m_upstream = new Session(settings, this);
    connect(m_upstream->log(), &FrameLog::eventsAppended, this, &ProxyConnection::onUpstreamEvents);
    connect(m_upstream, &Session::opened, this, &ProxyConnection::onUpstreamOpened);
    connect(m_upstream, &Session::closed, this, &ProxyConnection::onUpstreamClosed);
    m_upstream->open();
}

void ProxyConnection::onUpstreamEvents(qint64 first, qint64 end)
{
    const FrameLog &log = *m_upstream->log();
    for (qint64 sequence = qMax(first, m_upstreamSeen); sequence < end; ++sequence) {
        const FrameEvent event = log.at(sequence);
        switch (event.kind) {
        case EventKind::Handshake:
        case EventKind::Error:
            // The proxy's request upstream and the server's answer, as the engine logged them.
            m_log->append(FrameEvent(event));
            if (event.kind == EventKind::Handshake && event.direction == Direction::Incoming)
                m_upstreamAnswer = event.text;
            break;
        case EventKind::Ping:
            if (event.direction == Direction::Incoming) {
                // The engine has answered it; the client sees it too (its pong stops here).
                m_log->append(FrameEvent(event));
                if (m_client && m_clientOpen && !m_clientEnded)
                    m_client->sendPing(event.data);
            } else if (!m_awaitingPing.empty()) {
                m_clientPings.push_back({event.data, m_awaitingPing.front()});
                m_awaitingPing.pop_front();
            }
            break;
        case EventKind::Pong:
            if (event.direction == Direction::Incoming) {
                // Logged with its round trip from the proxy, and passed on with the payload of
                // the client's ping it answers.
                m_log->append(FrameEvent(event));
                QByteArray payload = event.data;
                for (auto it = m_clientPings.begin(); it != m_clientPings.end(); ++it) {
                    if (it->first == event.data) {
                        payload = it->second;
                        m_clientPings.erase(it);
                        break;
                    }
                }
                if (m_client && m_clientOpen && !m_clientEnded)
                    m_client->sendPong(payload);
            }
            break;
        case EventKind::Text:
        case EventKind::Binary:
            if (event.direction == Direction::Incoming) {
                arrived(ProxyDirection::ToClient, event.text, event.data,
                        event.kind == EventKind::Binary, event.monotonicNs);
            } else if (event.direction == Direction::Outgoing && !m_awaitingWrite.empty()) {
                m_fates[m_awaitingWrite.front()].forwardedNs = event.monotonicNs;
                m_awaitingWrite.pop_front();
            }
            break;
        default:
            break;
        }
    }
    m_upstreamSeen = end;
}

void ProxyConnection::onUpstreamOpened()
{
    if (!m_tcp || m_clientEnded) {
        m_upstream->close(1001, u"the client left"_s);
        return;
    }
    m_client = new MockConnection(m_tcp, SessionSettings::DefaultMaxIncomingSize, this);
    connect(m_client, &MockConnection::requestRead, this, &ProxyConnection::acceptClient);
    connect(m_client, &MockConnection::refused, this, [this](int status, const QString &why) {
        // Not a valid upgrade after all: the connection has answered it; the server is let go.
        m_clientEnded = true;
        logNote(EventKind::Handshake, Direction::Incoming,
                u"HTTP/1.1 %1 %2 (to the client): %3"_s.arg(status)
                        .arg(QString::fromLatin1(ServerHandshake::reasonPhrase(status)), why),
                quint16(status));
        if (m_closeWhileAccepting)
            m_upstreamEnded = true;
        else if (!m_upstreamEnded)
            m_upstream->close(1001, u"the client's upgrade was invalid"_s);
        checkFinished();
    });
    connect(m_client, &MockConnection::textReceived, this,
            [this](const QString &text) { arrived(ProxyDirection::ToServer, text, {}, false, -1); });
    connect(m_client, &MockConnection::binaryReceived, this,
            [this](const QByteArray &data) { arrived(ProxyDirection::ToServer, {}, data, true, -1); });
    connect(m_client, &MockConnection::pingReceived, this, &ProxyConnection::onClientPing);
    connect(m_client, &MockConnection::pongReceived, this, [this](const QByteArray &payload) {
        // The engine answered the server's ping already: a second pong would be one it did not
        // ask for.
        FrameEvent event = makeFrameEvent(EventKind::Pong, Direction::Outgoing);
        event.data = payload;
        event.size = payload.size();
        m_log->append(std::move(event));
    });
    connect(m_client, &MockConnection::closeReceived, this, [this](int code, const QString &reason) {
        m_clientCloseCode = code;
        m_clientCloseReason = reason;
    });
    connect(m_client, &MockConnection::protocolError, this, [this](int code, const QString &text) {
        m_clientCloseCode = code;
        logNote(EventKind::Error, Direction::Local,
                u"The client broke the protocol (closed with %1): %2"_s.arg(code).arg(text));
    });
    connect(m_client, &MockConnection::disconnected, this, &ProxyConnection::onClientDisconnected);
    m_client->start();
}

void ProxyConnection::acceptClient()
{
    // The server's 101 headers go on, but those of the handshake itself and of one hop.
    const QString subprotocol = m_upstream->negotiatedSubprotocol();
    QList<ServerHandshake::Header> extra;
    QStringList lines{u"HTTP/1.1 101 Switching Protocols (to the client)"_s};
    if (!subprotocol.isEmpty())
        lines.append(u"Sec-WebSocket-Protocol: %1"_s.arg(subprotocol));
    for (const auto &[name, value] : m_upstream->responseHeaders()) {
        if (!passesThrough(name))
            continue;
        extra.append({name, value});
        lines.append(u"%1: %2"_s.arg(QString::fromUtf8(name),
                                      SecretMasker::maskHeaderValue(QString::fromUtf8(name), QString::fromUtf8(value))));
    }
    m_client->accept(subprotocol, extra);
    m_clientOpen = true;
    logNote(EventKind::Handshake, Direction::Incoming, lines.join(u"\r\n"_s), 101);
    runTimedRules();
    pump(ProxyDirection::ToClient);
    pump(ProxyDirection::ToServer);
    if (m_closeWhileAccepting) {
        const CloseInfo info = *m_closeWhileAccepting;
        m_closeWhileAccepting.reset();
        onUpstreamClosed(info);
    }
}

void ProxyConnection::onClientPing(const QByteArray &payload)
{
    FrameEvent event = makeFrameEvent(EventKind::Ping, Direction::Outgoing);
    event.data = payload;
    event.size = payload.size();
    m_log->append(std::move(event));
    // The server answers it; its pong comes back (see onUpstreamEvents).
    if (!m_upstreamEnded && m_upstream->state() == SessionState::Open && m_upstream->ping(payload))
        m_awaitingPing.push_back(payload);
}

void ProxyConnection::refuseClient(quint16 status, const QString &responseText)
{
    m_clientEnded = true;
    if (!m_tcp)
        return;
    QByteArray headers;
    QByteArray body;
    if (!responseText.isEmpty()) {
        const QByteArray answer = responseText.toUtf8();
        qsizetype end = answer.indexOf("\r\n\r\n");
        qsizetype bodyAt = end + 4;
        if (end < 0) {
            end = answer.indexOf("\n\n");
            bodyAt = end + 2;
        }
        const QByteArray head = end < 0 ? answer : answer.left(end);
        body = end < 0 ? QByteArray() : answer.mid(bodyAt);
        const QList<QByteArray> lines = head.split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && passesThrough(line.left(colon).trimmed()))
                headers += line + "\r\n";
        }
    } else {
        body = "wsprobe proxy: the server at " + m_upstreamUrl.toEncoded() + " could not be reached.\n";
    }
    const QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' '
            + demo::httpReasonPhrase(status) + "\r\n" + headers
            + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"
            + body;
    logNote(EventKind::Handshake, Direction::Incoming,
            u"HTTP/1.1 %1 %2 (to the client)"_s.arg(status).arg(QString::fromLatin1(demo::httpReasonPhrase(status))),
            status);
    m_tcp->readAll();
    m_tcp->write(response);
    m_tcp->disconnectFromHost();
    QTimer::singleShot(RefusalTimeoutMs, m_tcp, &QTcpSocket::abort);
}

void ProxyConnection::onUpstreamClosed(const CloseInfo &info)
{
    if (m_upstreamEnded)
        return;
    if (m_client && !m_clientOpen && !m_clientEnded) {
        // The client's upgrade is under way: it is accepted first, then told how it ended.
        m_closeWhileAccepting = info;
        return;
    }
    m_upstreamEnded = true;
    if (!m_clientOpen) {
        if (!m_clientEnded)
            refuseClient(info.refused && info.httpStatus ? info.httpStatus : 502,
                         info.refused && info.httpStatus ? m_upstreamAnswer : QString());
        checkFinished();
        return;
    }
    logClose(Direction::Incoming, info.code, info.reason, info.initiator, info.clean);
    if (m_client && !m_clientEnded) {
        // What is still queued for the client goes first, unless it waits on a hold or delay.
        pump(ProxyDirection::ToClient);
        if (CloseCodes::canBeSent(info.code))
            m_client->close(info.code, info.reason);
        else if (info.code == 1005)
            m_client->close(0, {});
        else
            m_client->abort();
    }
    checkFinished();
}

void ProxyConnection::onClientDisconnected()
{
    if (m_clientEnded)
        return;
    m_clientEnded = true;
    const int code = m_clientCloseCode;
    const QString reason = m_clientCloseReason;
    if (!m_upstreamEnded) {
        logClose(Direction::Outgoing, code, reason, CloseInitiator::Client, code != 1006);
        pump(ProxyDirection::ToServer);
        if (CloseCodes::canBeSent(code))
            m_upstream->close(code, reason);
        else if (code == 1005)
            m_upstream->close(1000);
        else
            m_upstream->abort();
    }
    checkFinished();
}

void ProxyConnection::arrived(ProxyDirection direction, const QString &text, const QByteArray &data,
                              bool binary, qint64 stampNs)
{
    const qint64 sequence = logMessage(direction, text, data, binary, stampNs);
    ProxyFate &fate = m_fates[sequence];
    fate.receivedNs = m_log->headerAt(sequence).monotonicNs;

    FrameEvent event = makeFrameEvent(binary ? EventKind::Binary : EventKind::Text, logDirection(direction));
    event.text = text;
    event.data = data;
    event.size = binary ? data.size() : utf8Length(text);
    MessageView view(event);
    MockCaptures captures;
    captures.text = binary ? QString::fromUtf8(data) : text;
    captures.json = parsedJson(captures.text);

    Pending pending;
    pending.sequence = sequence;
    pending.text = text;
    pending.data = data;
    pending.binary = binary;
    pending.readyNs = monotonicNowNs();
    bool dropped = false;
    int holdTimeoutMs = -1;
    QList<const ProxyRule *> after;
    for (qsizetype i = 0; m_rules && i < m_rules->rules.size() && !dropped; ++i) {
        const ProxyRule &rule = m_rules->rules.at(i);
        if (!rule.appliesTo(direction))
            continue;
        const bool timed = rule.action == ProxyRule::Action::Inject || rule.action == ProxyRule::Action::Close;
        if (timed && !rule.when)
            continue;
        if (rule.when && !rule.when->match(view).matched)
            continue;
        if (m_hits && i < qsizetype(m_hits->size()))
            ++(*m_hits)[std::size_t(i)];
        switch (rule.action) {
        case ProxyRule::Action::Rewrite: {
            MockCaptures withGroups = captures;
            if (rule.groups)
                withGroups.groups = rule.groups->match(captures.text).capturedTexts();
            const QString replaced = MockTemplate::expandText(rule.replacement, withGroups, Variables());
            pending.text = replaced;
            if (binary)
                pending.data = replaced.toUtf8();
            fate.actions.append(u"rewrite"_s);
            fate.forwardedText = replaced;
            break;
        }
        case ProxyRule::Action::Drop:
            fate.actions.append(u"drop"_s);
            dropped = true;
            break;
        case ProxyRule::Action::Delay: {
            const int ms = rule.delayMinMs == rule.delayMaxMs
                    ? rule.delayMinMs
                    : int(m_random.bounded(rule.delayMinMs, rule.delayMaxMs + 1));
            pending.readyNs += qint64(ms) * 1'000'000;
            fate.actions.append(u"delay %1 ms"_s.arg(ms));
            break;
        }
        case ProxyRule::Action::Hold:
            holdTimeoutMs = rule.holdTimeoutMs;
            fate.actions.append(u"hold"_s);
            break;
        case ProxyRule::Action::Inject:
        case ProxyRule::Action::Close:
            after.append(&rule);
            break;
        }
    }
    if (!dropped) {
        if (holdTimeoutMs >= 0) {
            pending.held = true;
            if (holdTimeoutMs > 0) {
                pending.holdTimer = new QTimer(this);
                pending.holdTimer->setSingleShot(true);
                connect(pending.holdTimer, &QTimer::timeout, this, [this, sequence] { release(sequence); });
                pending.holdTimer->start(holdTimeoutMs);
            }
        }
        const bool held = pending.held;
        leg(direction).queue.push_back(std::move(pending));
        if (held) {
            Q_EMIT this->held(sequence);
            Q_EMIT heldChanged();
        }
        pump(direction);
    }
    for (const ProxyRule *rule : std::as_const(after)) {
        const ProxyRule copy = *rule;
        const QString trigger = captures.text;
        auto act = [this, copy, trigger] {
            if (copy.action == ProxyRule::Action::Inject)
                inject(copy, trigger);
            else
                closeSide(copy.side, copy.closeCode, copy.closeReason);
        };
        if (copy.afterMs > 0)
            QTimer::singleShot(copy.afterMs, this, act);
        else
            act();
    }
}

void ProxyConnection::runTimedRules()
{
    if (!m_rules)
        return;
    for (qsizetype i = 0; i < m_rules->rules.size(); ++i) {
        const ProxyRule &rule = m_rules->rules.at(i);
        const bool timed = rule.action == ProxyRule::Action::Inject || rule.action == ProxyRule::Action::Close;
        if (!timed || rule.when)
            continue;
        QTimer::singleShot(rule.afterMs, this, [this, rule, i] {
            if (m_hits && i < qsizetype(m_hits->size()))
                ++(*m_hits)[std::size_t(i)];
            if (rule.action == ProxyRule::Action::Inject)
                inject(rule, {});
            else
                closeSide(rule.side, rule.closeCode, rule.closeReason);
        });
    }
}

void ProxyConnection::inject(const ProxyRule &rule, const QString &trigger)
{
    const ProxyDirection direction =
            rule.side == ProxyRule::Side::Server ? ProxyDirection::ToServer : ProxyDirection::ToClient;
    if (m_clientEnded || m_upstreamEnded)
        return;
    MockCaptures captures;
    captures.text = trigger;
    captures.json = parsedJson(trigger);
    if (rule.groups)
        captures.groups = rule.groups->match(trigger).capturedTexts();
    const QString text = MockTemplate::expandText(rule.text, captures, Variables());
    Pending pending;
    pending.sequence = logMessage(direction, text, {}, false, -1);
    pending.text = text;
    pending.readyNs = monotonicNowNs();
    ProxyFate &fate = m_fates[pending.sequence];
    fate.receivedNs = pending.readyNs;
    fate.actions.append(u"inject"_s);
    leg(direction).queue.push_back(std::move(pending));
    pump(direction);
}

void ProxyConnection::closeSide(ProxyRule::Side side, int code, const QString &reason)
{
    logNote(EventKind::Info, Direction::Local,
            u"A rule closes the %1 with %2 %3"_s.arg(side == ProxyRule::Side::Client ? u"client"_s : u"server"_s)
                    .arg(code)
                    .arg(reason));
    if (side == ProxyRule::Side::Client) {
        if (m_client && !m_clientEnded)
            m_client->close(code, reason);
    } else if (m_upstream && !m_upstreamEnded) {
        m_upstream->close(code, reason);
    }
}

void ProxyConnection::pump(ProxyDirection direction)
{
    Leg &l = leg(direction);
    const bool ready = direction == ProxyDirection::ToServer
            ? (m_clientOpen && !m_upstreamEnded && m_upstream->state() == SessionState::Open)
            : (m_clientOpen && m_client && !m_clientEnded);
    if (!ready)
        return;
    while (!l.queue.empty()) {
        Pending &front = l.queue.front();
        if (front.held)
            return;
        const qint64 now = monotonicNowNs();
        if (front.readyNs > now) {
            l.pump.start(int((front.readyNs - now + 999'999) / 1'000'000));
            return;
        }
        forward(direction, front);
        l.queue.pop_front();
    }
}

void ProxyConnection::forward(ProxyDirection direction, Pending &pending)
{
    if (direction == ProxyDirection::ToServer) {
        const bool sent = pending.binary ? m_upstream->sendBinary(pending.data)
                                         : m_upstream->sendText(pending.text);
        if (sent)
            m_awaitingWrite.push_back(pending.sequence);
    } else {
        if (pending.binary)
            m_client->sendBinary(pending.data);
        else
            m_client->sendText(pending.text);
        m_fates[pending.sequence].forwardedNs = monotonicNowNs();
    }
    delete pending.holdTimer;
    pending.holdTimer = nullptr;
}

std::deque<ProxyConnection::Pending>::iterator ProxyConnection::findHeld(qint64 id, ProxyDirection *direction)
{
    for (ProxyDirection d : {ProxyDirection::ToServer, ProxyDirection::ToClient}) {
        std::deque<Pending> &queue = leg(d).queue;
        for (auto it = queue.begin(); it != queue.end(); ++it) {
            if (it->sequence == id && it->held) {
                *direction = d;
                return it;
            }
        }
    }
    return m_toServer.queue.end();
}

QList<ProxyConnection::Held> ProxyConnection::heldMessages() const
{
    QList<Held> result;
    for (ProxyDirection d : {ProxyDirection::ToServer, ProxyDirection::ToClient}) {
        const std::deque<Pending> &queue = d == ProxyDirection::ToServer ? m_toServer.queue : m_toClient.queue;
        for (const Pending &p : queue)
            if (p.held)
                result.append(Held{p.sequence, d, p.text, p.data, p.binary});
    }
    return result;
}

bool ProxyConnection::release(qint64 id, const std::optional<QString> &edited)
{
    ProxyDirection direction = ProxyDirection::ToServer;
    const auto it = findHeld(id, &direction);
    if (it == m_toServer.queue.end())
        return false;
    it->held = false;
    delete it->holdTimer;
    it->holdTimer = nullptr;
    if (edited) {
        it->text = *edited;
        if (it->binary)
            it->data = edited->toUtf8();
        m_fates[id].actions.append(u"edited"_s);
        m_fates[id].forwardedText = *edited;
    }
    Q_EMIT heldChanged();
    pump(direction);
    return true;
}

bool ProxyConnection::drop(qint64 id)
{
    ProxyDirection direction = ProxyDirection::ToServer;
    const auto it = findHeld(id, &direction);
    if (it == m_toServer.queue.end())
        return false;
    delete it->holdTimer;
    leg(direction).queue.erase(it);
    m_fates[id].actions.append(u"drop"_s);
    Q_EMIT heldChanged();
    pump(direction);
    return true;
}

void ProxyConnection::abort()
{
    if (m_client && !m_clientEnded)
        m_client->abort();
    if (m_tcp && !m_clientOpen)
        m_tcp->abort();
    if (m_upstream && !m_upstreamEnded)
        m_upstream->abort();
}

void ProxyConnection::goAway()
{
    if (m_finished)
        return;
    logNote(EventKind::Info, Direction::Local, u"The proxy stops: it closes both sides with 1001"_s);
    const QString reason = u"the proxy stops"_s;
    if (m_client && m_clientOpen && !m_clientEnded) {
        pump(ProxyDirection::ToClient);
        m_client->close(1001, reason);
    } else if (m_tcp && !m_clientOpen) {
        m_tcp->abort();
    }
    if (m_upstream && !m_upstreamEnded) {
        if (m_upstream->state() == SessionState::Open) {
            pump(ProxyDirection::ToServer);
            m_upstream->close(1001, reason);
        } else {
            m_upstream->abort();
        }
    }
}

const ProxyFate *ProxyConnection::fate(qint64 sequence) const
{
    const auto it = m_fates.find(sequence);
    return it == m_fates.end() ? nullptr : &it->second;
}

qint64 ProxyConnection::logMessage(ProxyDirection direction, const QString &text, const QByteArray &data,
                                   bool binary, qint64 stampNs)
{
    FrameEvent event = makeFrameEvent(binary ? EventKind::Binary : EventKind::Text, logDirection(direction));
    if (stampNs > 0) {
        event.monotonicNs = stampNs;
        event.wallMs = wallClockMsAt(stampNs);
    }
    if (binary) {
        event.data = data;
        event.size = data.size();
    } else {
        event.text = text;
        event.size = utf8Length(text);
    }
    const qint64 sequence = m_log->endSequence();
    m_log->append(std::move(event));
    return sequence;
}

void ProxyConnection::logNote(EventKind kind, Direction direction, const QString &text, quint16 status)
{
    FrameEvent event = makeFrameEvent(kind, direction);
    event.text = text;
    event.httpStatus = status;
    m_log->append(std::move(event));
}

void ProxyConnection::logClose(Direction direction, int code, const QString &reason,
                               CloseInitiator initiator, bool clean)
{
    FrameEvent event = makeFrameEvent(EventKind::Close, direction);
    event.closeCode = quint16(code);
    event.text = reason;
    event.closeInitiator = initiator;
    event.cleanClose = clean;
    m_log->append(std::move(event));
}

void ProxyConnection::checkFinished()
{
    if (m_finished || !m_clientEnded || !m_upstreamEnded)
        return;
    m_finished = true;
    Q_EMIT finished();
}

} // namespace wsprobe
