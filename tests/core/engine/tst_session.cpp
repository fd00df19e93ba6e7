// The engine's Session against in-process QWebSocketServer fixtures on 127.0.0.1.
#include "clock.h"
#include "closecodes.h"
#include "demoserverthread.h"
#include "secretmasker.h"
#include "session.h"
#include "sessionmanager.h"

#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <functional>
#include <optional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

QString testData(const QString &name)
{
    return QStringLiteral(WSPROBE_TEST_DIR "/data/") + name;
}

// The server side of wss:// with the self-signed certificate in data/. With
// requireClientCertificate the server asks for one and trusts only that same certificate.
QSslConfiguration testServerTls(bool requireClientCertificate = false)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate::fromPath(testData(u"localhost.crt"_s)).value(0));
    QFile keyFile(testData(u"localhost.key"_s));
    if (keyFile.open(QIODevice::ReadOnly))
        config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    if (requireClientCertificate) {
        config.setCaCertificates(QSslCertificate::fromPath(testData(u"localhost.crt"_s)));
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return config;
}

// A loopback QWebSocketServer whose per-connection behaviour each test sets; wss:// when given
// a TLS configuration.
class Fixture : public QObject
{
public:
    std::function<void(QWebSocket *)> onConnection = [](QWebSocket *socket) {
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [socket](const QString &m) { socket->sendTextMessage(m); });
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                         [socket](const QByteArray &m) { socket->sendBinaryMessage(m); });
    };
    QList<QPointer<QWebSocket>> clients;
    QStringList requestPaths;
    QList<QNetworkRequest> requests;

    explicit Fixture(const std::optional<QSslConfiguration> &tls = std::nullopt)
        : m_server(u"fixture"_s, tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode)
    {
        if (tls)
            m_server.setSslConfiguration(*tls);
        m_server.setSupportedSubprotocols({u"chat.v2"_s, u"chat.v1"_s});
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                clients.append(socket);
                requestPaths.append(socket->requestUrl().path());
                requests.append(socket->request());
                onConnection(socket);
            }
        });
    }
    ~Fixture() override
    {
        for (const auto &client : std::as_const(clients)) {
            if (client)
                client->abort();
        }
        m_server.close();
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &path = u"/"_s) const
    {
        const bool secure = m_server.secureMode() == QWebSocketServer::SecureMode;
        return QUrl(u"%1://127.0.0.1:%2%3"_s.arg(secure ? u"wss"_s : u"ws"_s)
                        .arg(m_server.serverPort()).arg(path));
    }

private:
    QWebSocketServer m_server;
};

// Copies of the events of that kind, read through -> as the log's own were.
QList<std::optional<FrameEvent>> eventsOf(const FrameLog &log, EventKind kind)
{
    QList<std::optional<FrameEvent>> found;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        if (log.kindAt(seq) == kind)
            found.append(log.at(seq));
    }
    return found;
}

int countOf(const FrameLog &log, EventKind kind, Direction direction)
{
    int n = 0;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        if (log.at(seq).kind == kind && log.at(seq).direction == direction)
            ++n;
    }
    return n;
}

SessionSettings settingsFor(const QUrl &url)
{
    SessionSettings settings;
    settings.url = url;
    settings.connectTimeoutMs = Timeout;
    return settings;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void statesOfAnOrdinaryLife();
    void echoesTextAndBinary();
    void smallSendsLeaveAtOnce();
    void logsFragmentsThenTheMessage();
    void clientCloseIsCleanAndCarriesCodeAndReason();
    void serverCloseWithApplicationCode();
    void droppedConnectionIs1006();
    void refusesCloseCodesThatMayNotBeSent();
    void overlappingPingsEachGetARoundTrip();
    void refusesOversizedPing();
    void sendWhenNotOpenIsLoggedNotSent();
    void invalidUrlFailsClearly();
    void connectionRefused();
    void connectTimeout();
    void reconnectsWithBackoffAfterADrop();
    void gives_upAfterMaxAttempts();
    void closeCancelsAPendingReconnect();
    void queryHeadersAndSubprotocolReachTheServer();
    void secretsAreMaskedInTheHandshakeLog();
    void logCapacityIsApplied();
    void managerRunsSessionsIndependently();
    void framesArriveWhileItsThreadIsBusy();
    void floodSurvivesStallsInOrder();
    void floodHeldBackDoesNotStallItsIoThread();
    void manySessionsShareAFewThreads();
    void destroyedMidFloodPromptly();
    void logIsInWireOrder();
    void untrustedCertificateIsRefusedAndLogged();
    void ignoredCertificateErrorsConnect();
    void bigMessageOverTlsArrives();
    void extraCaFileIsTrusted();
    void clientCertificateIsPresented();
};

void TestSession::initTestCase()
{
    qRegisterMetaType<SessionState>();
    qRegisterMetaType<CloseInfo>();
}

void TestSession::statesOfAnOrdinaryLife()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url(u"/echo"_s)));
    QCOMPARE(session.state(), SessionState::Idle);
    QSignalSpy states(&session, &Session::stateChanged);
    QSignalSpy finished(&session, &Session::finished);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QList<SessionState> seen;
    for (const auto &args : std::as_const(states))
        seen.append(args.at(0).value<SessionState>());
    const QList<SessionState> expected = {SessionState::Connecting, SessionState::Open,
                                          SessionState::Closing, SessionState::Closed};
    QCOMPARE(seen, expected);
}

void TestSession::echoesTextAndBinary()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url(u"/echo"_s)));
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    QVERIFY(session.sendText(u"héllo"_s));
    QVERIFY(session.sendBinary(QByteArray("\x00\x01\xff", 3)));
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*session.log(), EventKind::Binary, Direction::Incoming), 1, Timeout);
    QCOMPARE(countOf(*session.log(), EventKind::Text, Direction::Incoming), 1);
    const auto texts = eventsOf(*session.log(), EventKind::Text);
    QCOMPARE(texts.size(), 2);
    QCOMPARE(texts[0]->direction, Direction::Outgoing);
    QCOMPARE(texts[1]->direction, Direction::Incoming);
    QCOMPARE(texts[1]->text, u"héllo"_s);
    QCOMPARE(texts[1]->size, 6);
    QVERIFY(texts[1]->monotonicNs >= texts[0]->monotonicNs);
    QVERIFY(texts[1]->wallMs > 0);
    const auto binaries = eventsOf(*session.log(), EventKind::Binary);
    QCOMPARE(binaries[1]->data, QByteArray("\x00\x01\xff", 3));
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

// A message sent a moment after another that the server has not answered yet leaves at
// once. With Nagle's algorithm on, the kernel holds it until the first is acknowledged, and a
// server with nothing to say delays that ACK by ~40 ms: the log's "sent" time, round trips and
// any timing test would be off by that much.
void TestSession::smallSendsLeaveAtOnce()
{
    Fixture fixture;
    QElapsedTimer clock;
    clock.start();
    QList<qint64> arrivedMs;
    fixture.onConnection = [&](QWebSocket *socket) {
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [&, socket](const QString &message) {
                             arrivedMs.append(clock.elapsed());
                             if (message == u"second"_s)
                                 socket->sendTextMessage(u"both here"_s);
                         });
    };
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url(u"/"_s)));
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    constexpr int Pairs = 5;
    for (int pair = 0; pair < Pairs; ++pair) {
        QVERIFY(session.sendText(u"first"_s));
        QTest::qWait(2);
        QVERIFY(session.sendText(u"second"_s));
        QTRY_COMPARE_WITH_TIMEOUT(countOf(*session.log(), EventKind::Text, Direction::Incoming),
                                  pair + 1, Timeout);
    }
    QCOMPARE(arrivedMs.size(), 2 * Pairs);
    QList<qint64> gaps;
    for (int pair = 0; pair < Pairs; ++pair)
        gaps.append(arrivedMs[2 * pair + 1] - arrivedMs[2 * pair]);
    // ~2 ms without Nagle, ~40 ms with it; 25 leaves room for a busy machine.
    const qint64 longest = *std::max_element(gaps.cbegin(), gaps.cend());
    QStringList shown;
    for (qint64 gap : std::as_const(gaps))
        shown.append(QString::number(gap));
    QVERIFY2(longest < 25, qPrintable(u"gaps between the two arrivals (ms): "_s + shown.join(u' ')));
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void TestSession::logsFragmentsThenTheMessage()
{
    Fixture fixture;
    const QString message(10000, u'z');
    fixture.onConnection = [message](QWebSocket *socket) {
        socket->setOutgoingFrameSize(4096);
        socket->sendTextMessage(message);
    };
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url()));
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*session.log(), EventKind::Text, Direction::Incoming), 1, Timeout);
    const auto frames = eventsOf(*session.log(), EventKind::TextFrame);
    QCOMPARE(frames.size(), 3);  // 4096 + 4096 + 1808
    QCOMPARE(frames[0]->finalFrame, false);
    QCOMPARE(frames[1]->finalFrame, false);
    QCOMPARE(frames[2]->finalFrame, true);
    QCOMPARE(frames[0]->size + frames[1]->size + frames[2]->size, 10000);
    const auto messages = eventsOf(*session.log(), EventKind::Text);
    QCOMPARE(messages.last()->text, message);
    QVERIFY(messages.last()->monotonicNs >= frames[2]->monotonicNs);
    session.abort();
}

void TestSession::clientCloseIsCleanAndCarriesCodeAndReason()
{
    Fixture fixture;
    int serverSawCode = 0;
    QString serverSawReason;
    fixture.onConnection = [&](QWebSocket *socket) {
        QObject::connect(socket, &QWebSocket::disconnected, socket, [&, socket] {
            serverSawCode = socket->closeCode();
            serverSawReason = socket->closeReason();
        });
    };
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url()));
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    session.close(4000, u"bye now"_s);
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(serverSawCode, 4000, Timeout);
    QCOMPARE(serverSawReason, u"bye now"_s);

    const CloseInfo info = closed.first().first().value<CloseInfo>();
    QCOMPARE(info.initiator, CloseInitiator::Client);
    QVERIFY(info.clean);
    QVERIFY(info.openDurationMs >= 0);
    const auto closes = eventsOf(*session.log(), EventKind::Close);
    QCOMPARE(closes.size(), 2);
    QCOMPARE(closes[0]->direction, Direction::Outgoing);
    QCOMPARE(closes[0]->closeCode, 4000);
    QCOMPARE(closes[0]->text, u"bye now"_s);
    QCOMPARE(closes[1]->closeInitiator, CloseInitiator::Client);
    QVERIFY(closes[1]->cleanClose);
    QCOMPARE(session.state(), SessionState::Closed);
}

void TestSession::serverCloseWithApplicationCode()
{
    Fixture fixture;
    fixture.onConnection = [](QWebSocket *socket) {
        socket->close(QWebSocketProtocol::CloseCode(4001), u"token expired"_s);
    };
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url()));
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
    const CloseInfo info = session.lastClose();
    QCOMPARE(info.code, 4001);
    QCOMPARE(info.reason, u"token expired"_s);
    QCOMPARE(info.initiator, CloseInitiator::Server);
    QVERIFY(info.clean);
    const auto closes = eventsOf(*session.log(), EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes[0]->direction, Direction::Incoming);
    QCOMPARE(closes[0]->closeCode, 4001);
    QCOMPARE(CloseCodes::label(closes[0]->closeCode), u"4001 application code"_s);
    QCOMPARE(eventsOf(*session.log(), EventKind::Error).size(), 0);
}

void TestSession::droppedConnectionIs1006()
{
    Fixture fixture;
    fixture.onConnection = [](QWebSocket *socket) {
        QTimer::singleShot(50, socket, [socket] { socket->abort(); });
    };
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url()));
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
    QCOMPARE(session.lastClose().code, 1006);
    QCOMPARE(session.lastClose().initiator, CloseInitiator::Nobody);
    QVERIFY(!session.lastClose().clean);
    const auto closes = eventsOf(*session.log(), EventKind::Close);
    QCOMPARE(closes.last()->direction, Direction::Local);
}

void TestSession::refusesCloseCodesThatMayNotBeSent()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url()));
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    session.close(1006, u"nope"_s);
    QCOMPARE(session.state(), SessionState::Open);
    const auto errors = eventsOf(*session.log(), EventKind::Error);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0]->text.contains(u"1006 Abnormal Closure"_s));
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void TestSession::overlappingPingsEachGetARoundTrip()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url()));
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    QVERIFY(session.ping("first"));
    QVERIFY(session.ping());
    QVERIFY(session.ping());
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf(*session.log(), EventKind::Pong).size(), 3, Timeout);
    const auto pings = eventsOf(*session.log(), EventKind::Ping);
    QCOMPARE(pings.size(), 3);
    QVERIFY(pings[1]->data != pings[2]->data);  // generated payloads are unique
    for (const auto &pong : eventsOf(*session.log(), EventKind::Pong)) {
        QVERIFY(pong->rttNs >= 0);
        QCOMPARE(pong->direction, Direction::Incoming);
    }
    QCOMPARE(eventsOf(*session.log(), EventKind::Pong).first()->data, QByteArray("first"));
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void TestSession::refusesOversizedPing()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    Session session(settingsFor(fixture.url()));
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    QVERIFY(!session.ping(QByteArray(126, 'p')));
    QVERIFY(eventsOf(*session.log(), EventKind::Error).last()->text.contains(u"125"_s));
    QVERIFY(session.ping(QByteArray(125, 'p')));
    session.abort();
}

void TestSession::sendWhenNotOpenIsLoggedNotSent()
{
    Session session;
    QVERIFY(!session.sendText(u"lost?"_s));
    QVERIFY(!session.sendBinary("x"));
    QVERIFY(!session.ping());
    QCOMPARE(eventsOf(*session.log(), EventKind::Error).size(), 3);
    QCOMPARE(eventsOf(*session.log(), EventKind::Text).size(), 0);
}

void TestSession::invalidUrlFailsClearly()
{
    SessionSettings settings;
    settings.url = QUrl(u"http://127.0.0.1/"_s);
    Session session(settings);
    QSignalSpy finished(&session, &Session::finished);
    session.open();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(session.state(), SessionState::Closed);
    QVERIFY(eventsOf(*session.log(), EventKind::Error).first()->text.contains(u"Not a WebSocket URL"_s));
}

void TestSession::connectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    Session session(settingsFor(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port))));
    QSignalSpy finished(&session, &Session::finished);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    const auto errors = eventsOf(*session.log(), EventKind::Error);
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first()->error, ErrorKind::ConnectionRefused);
    QCOMPARE(session.lastClose().code, 1006);
    QCOMPARE(session.lastClose().openDurationMs, -1);
}

void TestSession::connectTimeout()
{
    // Accepts TCP but never answers the upgrade.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    SessionSettings settings = settingsFor(QUrl(u"ws://127.0.0.1:%1/"_s.arg(silent.serverPort())));
    settings.connectTimeoutMs = 300;
    Session session(settings);
    QSignalSpy finished(&session, &Session::finished);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    const auto errors = eventsOf(*session.log(), EventKind::Error);
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first()->error, ErrorKind::Timeout);
    QVERIFY(errors.first()->text.contains(u"300 ms"_s));
}

void TestSession::reconnectsWithBackoffAfterADrop()
{
    Fixture fixture;
    int connections = 0;
    fixture.onConnection = [&](QWebSocket *socket) {
        // Drop the first two connections, keep the third.
        if (++connections <= 2)
            QTimer::singleShot(20, socket, [socket] { socket->abort(); });
    };
    QVERIFY(fixture.listen());
    SessionSettings settings = settingsFor(fixture.url());
    settings.reconnect.enabled = true;
    settings.reconnect.initialDelayMs = 50;
    settings.reconnect.jitter = 0.0;
    Session session(settings);
    QSignalSpy opened(&session, &Session::opened);
    QSignalSpy states(&session, &Session::stateChanged);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 3, Timeout);
    QCOMPARE(connections, 3);
    int waits = 0;
    for (const auto &args : std::as_const(states))
        waits += args.at(0).value<SessionState>() == SessionState::WaitingToReconnect;
    QCOMPARE(waits, 2);
    // Connections that lasted 20 ms do not reset the backoff.
    QCOMPARE(session.reconnectAttempt(), 2);
    QStringList notes;
    for (const auto &info : eventsOf(*session.log(), EventKind::Info))
        notes.append(info->text);
    const QStringList expected = {u"Reconnecting in 50 ms (attempt 1 of 5)"_s,
                                  u"Reconnecting in 100 ms (attempt 2 of 5)"_s};
    QCOMPARE(notes, expected);
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void TestSession::gives_upAfterMaxAttempts()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    SessionSettings settings = settingsFor(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port)));
    settings.reconnect.enabled = true;
    settings.reconnect.initialDelayMs = 10;
    settings.reconnect.maxAttempts = 3;
    settings.reconnect.jitter = 0.0;
    Session session(settings);
    QSignalSpy finished(&session, &Session::finished);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QStringList notes;
    for (const auto &info : eventsOf(*session.log(), EventKind::Info))
        notes.append(info->text);
    const QStringList expected = {u"Reconnecting in 10 ms (attempt 1 of 3)"_s,
                                  u"Reconnecting in 20 ms (attempt 2 of 3)"_s,
                                  u"Reconnecting in 40 ms (attempt 3 of 3)"_s,
                                  u"Giving up after 3 reconnect attempts"_s};
    QCOMPARE(notes, expected);
    QCOMPARE(eventsOf(*session.log(), EventKind::Error).size(), 4);
}

void TestSession::closeCancelsAPendingReconnect()
{
    Fixture fixture;
    fixture.onConnection = [](QWebSocket *socket) { socket->abort(); };
    QVERIFY(fixture.listen());
    SessionSettings settings = settingsFor(fixture.url());
    settings.reconnect.enabled = true;
    settings.reconnect.initialDelayMs = 60000;
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::WaitingToReconnect, Timeout);
    session.close();
    QCOMPARE(session.state(), SessionState::Closed);
}

void TestSession::queryHeadersAndSubprotocolReachTheServer()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    SessionSettings settings = settingsFor(fixture.url(u"/room?fixed=1"_s));
    settings.query = {{u"name"_s, u"ann"_s, true}, {u"off"_s, u"x"_s, false}};
    settings.headers = {{u"X-Probe"_s, u"42"_s, true}, {u"X-Disabled"_s, u"1"_s, false}};
    settings.subprotocols = {u"chat.v1"_s, u"other"_s};
    settings.origin = u"http://wsprobe.test"_s;
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    QCOMPARE(session.negotiatedSubprotocol(), u"chat.v1"_s);
    QCOMPARE(fixture.requestPaths.first(), u"/room"_s);
    const QNetworkRequest request = fixture.requests.first();
    QCOMPARE(request.url().query(), u"fixed=1&name=ann"_s);
    QCOMPARE(request.rawHeader("X-Probe"), QByteArray("42"));
    QVERIFY(!request.hasRawHeader("X-Disabled"));
    QCOMPARE(fixture.clients.first()->origin(), u"http://wsprobe.test"_s);
    const auto handshakes = eventsOf(*session.log(), EventKind::Handshake);
    QCOMPARE(handshakes.size(), 2);
    QVERIFY(handshakes[0]->text.startsWith(u"GET /room?fixed=1&name=ann HTTP/1.1"_s));
    QVERIFY(handshakes[0]->text.contains(u"X-Probe: 42"_s));
    QVERIFY(handshakes[1]->text.contains(u"Sec-WebSocket-Protocol: chat.v1"_s));
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void TestSession::secretsAreMaskedInTheHandshakeLog()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    SessionSettings settings = settingsFor(fixture.url(u"/?token=abc123"_s));
    settings.headers = {{u"Authorization"_s, u"Bearer s3cr3t"_s, true}};
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    QCOMPARE(fixture.requests.first().rawHeader("Authorization"), QByteArray("Bearer s3cr3t"));
    const QString logged = eventsOf(*session.log(), EventKind::Handshake).first()->text;
    QVERIFY2(!logged.contains(u"s3cr3t"_s), qPrintable(logged));
    QVERIFY2(!logged.contains(u"abc123"_s), qPrintable(logged));
    QVERIFY(logged.contains(u"Authorization: Bearer "_s + SecretMasker::Mask.toString()));
    session.abort();
}

void TestSession::logCapacityIsApplied()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    SessionSettings settings = settingsFor(fixture.url());
    settings.logCapacity = 10;
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    for (int i = 0; i < 50; ++i)
        session.sendText(QString::number(i));
    QTRY_VERIFY_WITH_TIMEOUT(session.log()->endSequence() >= 102, Timeout);
    QCOMPARE(session.log()->size(), 10);
    QCOMPARE(session.log()->last().text, u"49"_s);
    session.abort();
}

void TestSession::managerRunsSessionsIndependently()
{
    Fixture fixture;
    QVERIFY(fixture.listen());
    SessionManager manager;
    QSignalSpy added(&manager, &SessionManager::sessionAdded);
    QList<Session *> sessions;
    for (int i = 0; i < 3; ++i)
        sessions.append(manager.createSession(settingsFor(fixture.url())));
    QCOMPARE(added.count(), 3);
    for (Session *session : sessions)
        session->open();
    for (Session *session : sessions)
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Open, Timeout);
    sessions[1]->sendText(u"only me"_s);
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*sessions[1]->log(), EventKind::Text, Direction::Incoming), 1, Timeout);
    QCOMPARE(countOf(*sessions[0]->log(), EventKind::Text, Direction::Incoming), 0);
    QSignalSpy removed(&manager, &SessionManager::sessionRemoved);
    QPointer<Session> gone = sessions[2];
    manager.removeSession(sessions[2]);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(manager.count(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(gone.isNull(), Timeout);
    manager.closeAll();
    QTRY_COMPARE_WITH_TIMEOUT(sessions[0]->state(), SessionState::Closed, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(sessions[1]->state(), SessionState::Closed, Timeout);
    QCOMPARE(sessions[0]->lastClose().code, 1001);
}

// The socket is read in the session's I/O thread: a busy GUI thread neither stops the
// connection nor shifts the arrival times, which are taken when the frame is parsed.
void TestSession::framesArriveWhileItsThreadIsBusy()
{
    DemoServerThread server;  // its own thread too: it serves while this one sleeps
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QUrl url = server.url();
    url.setPath(u"/seq"_s);
    url.setQuery(u"n=5"_s);
    Session session(settingsFor(url));
    QSignalSpy finished(&session, &Session::finished);

    const qint64 openedNs = monotonicNowNs();
    session.open();
    QThread::msleep(700);  // the handshake and five messages happen meanwhile
    const qint64 wokeNs = monotonicNowNs();
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf(*session.log(), EventKind::Text).size(), 5, Timeout);
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);

    const auto texts = eventsOf(*session.log(), EventKind::Text);
    QCOMPARE(texts.size(), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(texts[i]->text, u"{\"seq\":%1}"_s.arg(i + 1));
        QVERIFY2(texts[i]->monotonicNs > openedNs && texts[i]->monotonicNs < wokeNs,
                 "stamped when it arrived, not when this thread got to it");
    }
    QCOMPARE(session.lastClose().code, 1000);
    QCOMPARE(session.lastClose().initiator, CloseInitiator::Client);
}

// A thread that stalls now and then while a flood comes in: the I/O thread stops reading for it
// instead of queueing without bound, and nothing is lost or reordered.
void TestSession::floodSurvivesStallsInOrder()
{
    DemoServerThread server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    constexpr int Count = 300'000;  // several times the inbox's high-water mark
    QUrl url = server.url();
    url.setPath(u"/seq"_s);
    url.setQuery(u"n=%1"_s.arg(Count));
    Session session(settingsFor(url));
    QSignalSpy finished(&session, &Session::finished);
    int received = 0;
    connect(session.log(), &FrameLog::eventsAppended, this, [&](qint64 first, qint64 end) {
        for (qint64 sequence = first; sequence < end; ++sequence) {
            const FrameEvent event = session.log()->headerAt(sequence);
            received += event.kind == EventKind::Text && event.direction == Direction::Incoming;
        }
    });
    session.open();

    QElapsedTimer timer;
    timer.start();
    while (received < Count && timer.elapsed() < 60'000) {
        QThread::msleep(30);  // a busy GUI thread
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    QCOMPARE(received, Count);
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);
    QCOMPARE(session.lastClose().code, 1000);

    const FrameLog &log = *session.log();
    int seen = 0;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        const FrameEvent &event = log.at(seq);
        if (event.kind != EventKind::Text || event.direction != Direction::Incoming)
            continue;
        ++seen;
        if (event.text != u"{\"seq\":%1}"_s.arg(seen))
            QFAIL(qPrintable(u"message %1 is %2"_s.arg(seen).arg(event.text)));
    }
    QCOMPARE(seen, Count);
}

// Sessions sharing one I/O thread: a flood the session thread does not keep up with stops its
// socket's reading, not the thread, so another connection on that thread goes on meanwhile.
void TestSession::floodHeldBackDoesNotStallItsIoThread()
{
    DemoServerThread server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto pool = std::make_shared<IoThreadPool>(1);
    constexpr int Count = 300'000;  // several times the inbox's high-water mark
    QUrl floodUrl = server.url();
    floodUrl.setPath(u"/seq"_s);
    floodUrl.setQuery(u"n=%1"_s.arg(Count));
    Session flood(settingsFor(floodUrl));
    flood.setIoThreads(pool);
    Session other(settingsFor(QUrl(server.url().toString() + u"/echo"_s)));
    other.setIoThreads(pool);

    flood.open();
    // Until the flood has filled the inbox: this thread handles nothing meanwhile.
    QTRY_VERIFY_WITH_TIMEOUT(flood.state() == SessionState::Open, Timeout);
    QThread::msleep(500);
    const qint64 otherAskedNs = monotonicNowNs();
    other.open();  // its worker gets the call in the shared thread
    QThread::msleep(700);
    const qint64 stallEndNs = monotonicNowNs();
    QTRY_VERIFY_WITH_TIMEOUT(other.state() == SessionState::Open, Timeout);
    // The other connection's upgrade was parsed (and stamped) in the shared thread while this
    // one was stalled: that thread was not waiting for it.
    qint64 acceptedNs = -1;
    for (qint64 seq = other.log()->firstSequence(); seq < other.log()->endSequence(); ++seq) {
        if (other.log()->headerAt(seq).acceptsUpgrade())
            acceptedNs = other.log()->headerAt(seq).monotonicNs;
    }
    QVERIFY(acceptedNs > otherAskedNs);
    QVERIFY2(acceptedNs < stallEndNs, "the shared I/O thread waited for the flooded session");

    // And the flood, held back meanwhile, arrives whole and in order.
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*flood.log(), EventKind::Text, Direction::Incoming), Count, 60000);
    const FrameLog &log = *flood.log();
    int seen = 0;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); seq += 1) {
        if (log.kindAt(seq) != EventKind::Text || log.directionAt(seq) != Direction::Incoming)
            continue;
        ++seen;
        if (seen % 9973 == 0 && log.at(seq).text != u"{\"seq\":%1}"_s.arg(seen))
            QFAIL(qPrintable(u"message %1 is %2"_s.arg(seen).arg(log.at(seq).text)));
    }
    flood.close(1000);
    other.close(1000);
    QTRY_VERIFY_WITH_TIMEOUT(flood.state() == SessionState::Closed && other.state() == SessionState::Closed, Timeout);
}

// Many sessions, few threads: a pool's threads are all a process adds for its connections.
void TestSession::manySessionsShareAFewThreads()
{
    DemoServerThread server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto threadCount = [] {
        QFile status(u"/proc/self/status"_s);
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("Threads:"))
                return line.mid(8).trimmed().toInt();
        }
        return -1;
    };
    const int before = threadCount();
    if (before < 0)
        QSKIP("no /proc/self/status here");
    const auto pool = std::make_shared<IoThreadPool>(2);
    constexpr int Sessions = 100;
    std::vector<std::unique_ptr<Session>> sessions;
    for (int i = 0; i < Sessions; ++i) {
        sessions.push_back(std::make_unique<Session>(settingsFor(QUrl(server.url().toString() + u"/echo"_s))));
        sessions.back()->setIoThreads(pool);
        sessions.back()->open();
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(sessions.begin(), sessions.end(),
                                         [](const auto &s) { return s->state() == SessionState::Open; }),
                             30000);
    for (int i = 0; i < Sessions; ++i)
        QVERIFY(sessions[std::size_t(i)]->sendText(u"hello %1"_s.arg(i)));
    for (int i = 0; i < Sessions; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(countOf(*sessions[std::size_t(i)]->log(), EventKind::Text, Direction::Incoming), 1, Timeout);
    QVERIFY2(threadCount() <= before + 2, qPrintable(u"%1 threads before, %2 with %3 sessions"_s
                                                       .arg(before).arg(threadCount()).arg(Sessions)));
    for (auto &session : sessions)
        session->close(1000);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(sessions.begin(), sessions.end(),
                                         [](const auto &s) { return s->state() == SessionState::Closed; }),
                             30000);
}

// Closing a window mid-flood destroys its sessions: that must not wait for the flood.
void TestSession::destroyedMidFloodPromptly()
{
    DemoServerThread server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QUrl url = server.url();
    url.setPath(u"/flood"_s);
    url.setQuery(u"n=50000000&size=64"_s);
    auto session = std::make_unique<Session>(settingsFor(url));
    session->open();
    QTRY_VERIFY_WITH_TIMEOUT(session->log()->size() > 100'000, Timeout);
    QThread::msleep(300);  // let the I/O thread run into the inbox's high-water mark

    QElapsedTimer timer;
    timer.start();
    session.reset();
    qInfo("session destroyed mid-flood in %lld ms", timer.elapsed());
    QVERIFY2(timer.elapsed() < 3000, "the I/O thread must not hold the destructor");
}

// Sends are logged by the I/O thread as they are written, in one queue with what arrives: every
// echo comes after its message, and time never runs backwards down the log.
void TestSession::logIsInWireOrder()
{
    DemoServerThread server;  // answers from its own thread, as fast as it can
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QUrl url = server.url();
    url.setPath(u"/echo"_s);
    Session session(settingsFor(url));
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);

    constexpr int Count = 500;
    for (int i = 0; i < Count; ++i) {
        QVERIFY(session.sendText(u"m%1"_s.arg(i)));
        if (i % 50 == 0)
            QVERIFY(session.ping());
    }
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*session.log(), EventKind::Text, Direction::Incoming), Count,
                              Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*session.log(), EventKind::Pong, Direction::Incoming), Count / 50,
                              Timeout);

    const FrameLog &log = *session.log();
    QHash<QString, qint64> sentAt;  // text -> sequence
    qint64 previousNs = 0;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        const FrameEvent &event = log.at(seq);
        QVERIFY2(event.monotonicNs >= previousNs,
                 qPrintable(u"event %1 (%2) is older than the one before it"_s.arg(seq).arg(event.text)));
        previousNs = event.monotonicNs;
        if (event.kind != EventKind::Text)
            continue;
        if (event.direction == Direction::Outgoing) {
            sentAt.insert(event.text, seq);
        } else {
            QVERIFY2(sentAt.contains(event.text), qPrintable(u"echo of %1 before it was sent"_s.arg(event.text)));
        }
    }
    QCOMPARE(sentAt.size(), Count);
    for (const auto &pong : eventsOf(log, EventKind::Pong))
        QVERIFY(pong->rttNs >= 0);
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
    QCOMPARE(log.last().kind, EventKind::Close);
}

void TestSession::untrustedCertificateIsRefusedAndLogged()
{
    if (!QSslSocket::supportsSsl())
        QFAIL("Qt has no TLS backend here: wss:// cannot be tested (install libssl3)");
    Fixture server(testServerTls());
    QVERIFY(server.listen());
    Session session(settingsFor(server.url()));
    QSignalSpy finished(&session, &Session::finished);
    QSignalSpy opened(&session, &Session::opened);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QCOMPARE(opened.count(), 0);

    const auto errors = eventsOf(*session.log(), EventKind::Error);
    QVERIFY(!errors.isEmpty());
    bool selfSignedNamed = false;
    for (const auto &error : errors) {
        QCOMPARE(error->error, ErrorKind::Tls);
        selfSignedNamed |= error->text.contains(u"self signed"_s, Qt::CaseInsensitive)
            || error->text.contains(u"self-signed"_s, Qt::CaseInsensitive);
    }
    QVERIFY2(selfSignedNamed, qPrintable(errors.first()->text));
    QVERIFY(errors.first()->text.contains(u"wsprobe test server"_s));  // which certificate
    QCOMPARE(session.lastClose().code, 1006);
    QCOMPARE(session.lastClose().openDurationMs, -1);
}

void TestSession::ignoredCertificateErrorsConnect()
{
    if (!QSslSocket::supportsSsl())
        QFAIL("Qt has no TLS backend here: wss:// cannot be tested (install libssl3)");
    Fixture server(testServerTls());
    QVERIFY(server.listen());
    SessionSettings settings = settingsFor(server.url());
    settings.tls.ignoreCertificateErrors = true;
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    QVERIFY(session.sendText(u"over TLS"_s));
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*session.log(), EventKind::Text, Direction::Incoming), 1, Timeout);
    QCOMPARE(eventsOf(*session.log(), EventKind::Text).last()->text, u"over TLS"_s);

    // The errors are still in the log, and that they were ignored, so nobody is misled.
    QVERIFY(!eventsOf(*session.log(), EventKind::Error).isEmpty());
    bool noted = false;
    for (const auto &info : eventsOf(*session.log(), EventKind::Info))
        noted |= info->text.contains(u"ignored"_s);
    QVERIFY(noted);
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
    QVERIFY(session.lastClose().clean);
}

void TestSession::bigMessageOverTlsArrives()
{
    // Over TLS the socket QWebSocket reads is a QSslSocket: a message bigger than one read
    // (256 KiB) must still arrive, and be echoed back whole.
    if (!QSslSocket::supportsSsl())
        QFAIL("Qt has no TLS backend here: wss:// cannot be tested (install libssl3)");
    Fixture server(testServerTls());
    QVERIFY(server.listen());
    SessionSettings settings = settingsFor(server.url());
    settings.tls.ignoreCertificateErrors = true;
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    const QByteArray big(3 * 1024 * 1024 + 7, 'b');
    QVERIFY(session.sendBinary(big));
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*session.log(), EventKind::Binary, Direction::Incoming), 1, Timeout);
    std::optional<FrameEvent> echoed;
    for (const auto &event : eventsOf(*session.log(), EventKind::Binary)) {
        if (event->direction == Direction::Incoming)
            echoed = event;
    }
    QVERIFY(echoed);
    QCOMPARE(echoed->size, big.size());
    QCOMPARE(echoed->data, big);
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void TestSession::extraCaFileIsTrusted()
{
    if (!QSslSocket::supportsSsl())
        QFAIL("Qt has no TLS backend here: wss:// cannot be tested (install libssl3)");
    Fixture server(testServerTls());
    QVERIFY(server.listen());
    SessionSettings settings = settingsFor(server.url());
    settings.tls.caCertificateFile = testData(u"localhost.crt"_s);  // its own CA
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, Timeout);
    QVERIFY(eventsOf(*session.log(), EventKind::Error).isEmpty());  // trusted: nothing to ignore
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

// Mutual TLS: a server that demands a client certificate lets in only the session that has one.
void TestSession::clientCertificateIsPresented()
{
    if (!QSslSocket::supportsSsl())
        QFAIL("Qt has no TLS backend here: wss:// cannot be tested (install libssl3)");
    Fixture server(testServerTls(true));
    QVERIFY(server.listen());

    SessionSettings without = settingsFor(server.url());
    without.tls.caCertificateFile = testData(u"localhost.crt"_s);
    Session refused(without);
    QSignalSpy refusedFinished(&refused, &Session::finished);
    refused.open();
    QTRY_COMPARE_WITH_TIMEOUT(refusedFinished.count(), 1, Timeout);
    QVERIFY(!eventsOf(*refused.log(), EventKind::Error).isEmpty());
    QCOMPARE(refused.lastClose().openDurationMs, -1);

    SessionSettings with = without;
    with.tls.clientCertificateFile = testData(u"localhost.crt"_s);
    with.tls.clientKeyFile = testData(u"localhost.key"_s);
    Session accepted(with);
    accepted.open();
    QTRY_COMPARE_WITH_TIMEOUT(accepted.state(), SessionState::Open, Timeout);
    QVERIFY(accepted.sendText(u"mutual"_s));
    QTRY_COMPARE_WITH_TIMEOUT(countOf(*accepted.log(), EventKind::Text, Direction::Incoming), 1, Timeout);
    accepted.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.state(), SessionState::Closed, Timeout);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
