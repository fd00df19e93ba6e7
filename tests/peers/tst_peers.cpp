// The engine's Session against real third-party WebSocket servers: Node's `ws` and Python's
// `websockets`, run from tests/peers by PeerProcess. Each test checks what the session's
// FrameLog recorded, which is what the user sees.
#include "frameevent.h"
#include "framelog.h"
#include "localechoserver.h"
#include "peerprocess.h"
#include "session.h"
#include "sessionmanager.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;
constexpr int FloodCount = 100000;
constexpr qsizetype FragmentedSize = 1024 * 1024;

SessionSettings settingsFor(const QUrl &url)
{
    SessionSettings settings;
    settings.url = url;
    settings.connectTimeoutMs = Timeout;
    // Loopback: a proxy from the environment must not get in the way.
    settings.proxy.mode = ProxySettings::Mode::None;
    return settings;
}

QList<FrameEvent> eventsOf(const FrameLog &log, EventKind kind, Direction direction)
{
    QList<FrameEvent> result;
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        const FrameEvent &event = log.at(i);
        if (event.kind == kind && event.direction == direction)
            result.append(event);
    }
    return result;
}

qsizetype countOf(const FrameLog &log, EventKind kind, Direction direction)
{
    qsizetype count = 0;
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        const FrameEvent &event = log.at(i);
        if (event.kind == kind && event.direction == direction)
            ++count;
    }
    return count;
}

qsizetype countErrors(const FrameLog &log, ErrorKind error)
{
    qsizetype count = 0;
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        if (log.at(i).kind == EventKind::Error && log.at(i).error == error)
            ++count;
    }
    return count;
}

// The tail of a session's log, for a failure message.
QString dump(const Session &session, qint64 lastEvents = 25)
{
    const FrameLog &log = *session.log();
    QString text = u"state %1, %2 events"_s.arg(displayName(session.state())).arg(log.size());
    for (qint64 i = qMax(log.firstSequence(), log.endSequence() - lastEvents);
         i < log.endSequence(); ++i) {
        const FrameEvent &event = log.at(i);
        QString payload = event.kind == EventKind::Binary || event.kind == EventKind::Ping
                || event.kind == EventKind::Pong
            ? QString::fromLatin1(event.data.left(40).toHex())
            : event.text.left(120);
        payload.replace(u'\n', u" | "_s);
        text += u"\n  #%1 %2 %3"_s.arg(i).arg(displayName(event.kind),
                                              displayName(event.direction));
        if (event.kind == EventKind::Error)
            text += u" [%1 http=%2]"_s.arg(displayName(event.error)).arg(event.httpStatus);
        if (event.kind == EventKind::Close) {
            text += u" [%1 %2 clean=%3]"_s.arg(event.closeCode)
                        .arg(displayName(event.closeInitiator))
                        .arg(event.cleanClose);
        }
        if (event.kind == EventKind::TextFrame || event.kind == EventKind::BinaryFrame)
            text += u" [final=%1]"_s.arg(event.finalFrame);
        text += u" size=%1 %2"_s.arg(event.size).arg(payload);
    }
    return text;
}

// True once the /lastclose endpoint reports this close; asks again when its last answer did not.
bool serverReportsClose(Session &probe, int code, const QString &reason)
{
    if (probe.state() != SessionState::Open || probe.log()->isEmpty())
        return false;
    const FrameEvent &last = probe.log()->last();
    if (last.kind != EventKind::Text || last.direction != Direction::Incoming)
        return false;  // a question is in flight
    const QJsonObject report = QJsonDocument::fromJson(last.text.toUtf8()).object();
    if (report.value(u"code"_s).toInt() == code && report.value(u"reason"_s).toString() == reason)
        return true;
    probe.sendText(u"?"_s);
    return false;
}

} // namespace

#define WAIT_FOR_STATE(session, expected, timeout)                                              \
    QTRY_VERIFY2_WITH_TIMEOUT((session).state() == (expected), qPrintable(dump(session)),        \
                              timeout)

#define OPEN_AND_WAIT(session)                                                                  \
    do {                                                                                        \
        (session).open();                                                                       \
        WAIT_FOR_STATE(session, SessionState::Open, Timeout);                                   \
    } while (false)

#define CLOSE_AND_WAIT(session)                                                                 \
    do {                                                                                        \
        (session).close();                                                                      \
        WAIT_FOR_STATE(session, SessionState::Closed, Timeout);                                 \
    } while (false)

// Declares `server`, the running peer of the row's kind, or fails with what to install.
#define FETCH_PEER(server)                                                                      \
    QFETCH(PeerProcess::Kind, kind);                                                            \
    PeerProcess *const server = peer(kind);                                                     \
    QVERIFY2(server, qPrintable(peerError(kind)))

class TestPeers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanupTestCase();

    void peerProcessSaysWhatIsMissing();
    void localEchoServerSeesClientClose();

    void echoesTextAndBinary_data() { addPeerRows(); }
    void echoesTextAndBinary();
    void logsFragmentsThenWholeMessage_data() { addPeerRows(); }
    void logsFragmentsThenWholeMessage();
    void pingGetsRoundTripTime_data() { addPeerRows(); }
    void pingGetsRoundTripTime();
    void overlappingPingsAreTimedSeparately_data() { addPeerRows(); }
    void overlappingPingsAreTimedSeparately();
    void serverClosesWithCodeAndReason_data() { addPeerRows(); }
    void serverClosesWithCodeAndReason();
    void clientClosesWithCodeAndReason_data() { addPeerRows(); }
    void clientClosesWithCodeAndReason();
    void connectionRefused();
    void upgradeRefused_data();
    void upgradeRefused();
    void upgradeAcceptedWithToken_data() { addPeerRows(); }
    void upgradeAcceptedWithToken();
    void negotiatesSubprotocol_data();
    void negotiatesSubprotocol();
    void serverSeesCustomHeader_data() { addPeerRows(); }
    void serverSeesCustomHeader();
    void reconnectsAfterDrop_data() { addPeerRows(); }
    void reconnectsAfterDrop();
    void reconnectGivesUpWhenEveryConnectionDrops_data() { addPeerRows(); }
    void reconnectGivesUpWhenEveryConnectionDrops();
    void refusedPingLeavesCloseClean_data() { addPeerRows(); }
    void refusedPingLeavesCloseClean();
    void broadcastReachesEverySession_data() { addPeerRows(); }
    void broadcastReachesEverySession();
    void floodArrivesInOrder_data() { addPeerRows(); }
    void floodArrivesInOrder();

private:
    static void addPeerRows();
    // Starts the peer on first use; nullptr when it cannot run (see peerError()).
    PeerProcess *peer(PeerProcess::Kind kind);
    QString peerError(PeerProcess::Kind kind) const;

    // One of each, shared by every test: starting them is the slow part.
    PeerProcess m_node;
    PeerProcess m_python;
};

void TestPeers::addPeerRows()
{
    QTest::addColumn<PeerProcess::Kind>("kind");
    QTest::newRow("node") << PeerProcess::Kind::Node;
    QTest::newRow("python") << PeerProcess::Kind::Python;
}

PeerProcess *TestPeers::peer(PeerProcess::Kind kind)
{
    PeerProcess &process = kind == PeerProcess::Kind::Node ? m_node : m_python;
    if (process.isRunning())
        return &process;
    if (process.port() != 0) {
        // It was running and is not any more: say so instead of failing later on a timeout.
        qWarning("%s peer died; restarting it. Its stderr:\n%s",
                 qUtf8Printable(PeerProcess::name(kind)), qUtf8Printable(process.standardError()));
    }
    return process.start(kind) ? &process : nullptr;
}

QString TestPeers::peerError(PeerProcess::Kind kind) const
{
    return (kind == PeerProcess::Kind::Node ? m_node : m_python).errorString();
}

void TestPeers::cleanupTestCase()
{
    m_node.stop();
    m_python.stop();
}

void TestPeers::peerProcessSaysWhatIsMissing()
{
    // A source tree without the scripts: the error must name the file and the remedy.
    const QByteArray saved = qgetenv("WSPROBE_SOURCE_DIR");
    qputenv("WSPROBE_SOURCE_DIR", "/nonexistent/wsprobe");
    PeerProcess process;
    const bool started = process.start(PeerProcess::Kind::Node, 2000);
    if (saved.isNull())
        qunsetenv("WSPROBE_SOURCE_DIR");
    else
        qputenv("WSPROBE_SOURCE_DIR", saved);
    QVERIFY(!started);
    QVERIFY(!process.isRunning());
    QVERIFY2(process.errorString().contains(u"/nonexistent/wsprobe/tests/peers/node_server.js"_s),
             qPrintable(process.errorString()));
    QVERIFY2(process.errorString().contains(u"WSPROBE_SOURCE_DIR"_s),
             qPrintable(process.errorString()));
}

void TestPeers::localEchoServerSeesClientClose()
{
    // The in-process fixture other tests use, checked once against the engine.
    LocalEchoServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    Session session(settingsFor(server.url(u"/any"_s)));
    OPEN_AND_WAIT(session);
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 1, Timeout);

    QVERIFY(session.sendText(u"ping me back"_s));
    QTRY_VERIFY2_WITH_TIMEOUT(countOf(*session.log(), EventKind::Text, Direction::Incoming) == 1,
                              qPrintable(dump(session)), Timeout);
    QCOMPARE(server.messageCount(), 1);

    session.close(4000, u"bye"_s);
    WAIT_FOR_STATE(session, SessionState::Closed, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 0, Timeout);
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(server.lastCloseCode(), 4000);
    QCOMPARE(server.lastCloseReason(), u"bye"_s);
}

void TestPeers::echoesTextAndBinary()
{
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/echo"_s)));
    OPEN_AND_WAIT(session);

    const QString text = u"héllo wsprobe ✓ \U0001F600"_s;
    const QByteArray binary = QByteArray::fromHex("00ff7f80") + QByteArray(300, '\x01');
    QVERIFY(session.sendText(text));
    QVERIFY(session.sendBinary(binary));

    const FrameLog &log = *session.log();
    QTRY_VERIFY2_WITH_TIMEOUT(countOf(log, EventKind::Text, Direction::Incoming) == 1
                                  && countOf(log, EventKind::Binary, Direction::Incoming) == 1,
                              qPrintable(dump(session)), Timeout);
    const FrameEvent echoedText = eventsOf(log, EventKind::Text, Direction::Incoming).first();
    QCOMPARE(echoedText.text, text);
    QCOMPARE(echoedText.size, text.toUtf8().size());
    const FrameEvent echoedBinary = eventsOf(log, EventKind::Binary, Direction::Incoming).first();
    QCOMPARE(echoedBinary.data, binary);
    QCOMPARE(echoedBinary.size, binary.size());
    // A message in one frame is logged once, as the message.
    QCOMPARE(countOf(log, EventKind::TextFrame, Direction::Incoming), 0);
    QCOMPARE(countOf(log, EventKind::BinaryFrame, Direction::Incoming), 0);

    CLOSE_AND_WAIT(session);
}

void TestPeers::logsFragmentsThenWholeMessage()
{
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/fragmented?size=%1"_s.arg(FragmentedSize))));
    OPEN_AND_WAIT(session);

    const FrameLog &log = *session.log();
    QTRY_VERIFY2_WITH_TIMEOUT(countOf(log, EventKind::Text, Direction::Incoming) == 1,
                              qPrintable(dump(session)), Timeout);

    // Every fragment comes before the message, final only on the last one.
    QList<FrameEvent> fragments;
    qint64 messageSequence = -1;
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        const FrameEvent &event = log.at(i);
        if (event.direction != Direction::Incoming)
            continue;
        if (event.kind == EventKind::TextFrame) {
            QCOMPARE(messageSequence, -1);
            fragments.append(event);
        } else if (event.kind == EventKind::Text) {
            messageSequence = i;
        }
    }
    QVERIFY2(fragments.size() >= 2, qPrintable(dump(session)));
    QString joined;
    qint64 fragmentBytes = 0;
    for (qsizetype i = 0; i < fragments.size(); ++i) {
        QCOMPARE(fragments.at(i).finalFrame, i == fragments.size() - 1);
        joined += fragments.at(i).text;
        fragmentBytes += fragments.at(i).size;
    }
    QCOMPARE(fragmentBytes, FragmentedSize);

    const FrameEvent &message = log.at(messageSequence);
    QCOMPARE(message.size, FragmentedSize);
    QCOMPARE(message.text.size(), FragmentedSize);
    QVERIFY(message.text.startsWith(u"abcdefghijklmnopqrstuvwxyz0123456789abc"_s));
    QVERIFY(message.text == joined);

    CLOSE_AND_WAIT(session);
}

void TestPeers::pingGetsRoundTripTime()
{
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/ping"_s)));
    OPEN_AND_WAIT(session);

    QVERIFY(session.ping());
    const FrameLog &log = *session.log();
    QTRY_VERIFY2_WITH_TIMEOUT(countOf(log, EventKind::Pong, Direction::Incoming) == 1,
                              qPrintable(dump(session)), Timeout);
    const FrameEvent ping = eventsOf(log, EventKind::Ping, Direction::Outgoing).first();
    const FrameEvent pong = eventsOf(log, EventKind::Pong, Direction::Incoming).first();
    QVERIFY(!ping.data.isEmpty());
    QCOMPARE(pong.data, ping.data);
    QVERIFY2(pong.rttNs >= 0, qPrintable(dump(session)));
    QCOMPARE(pong.rttNs, pong.monotonicNs - ping.monotonicNs);

    CLOSE_AND_WAIT(session);
}

void TestPeers::overlappingPingsAreTimedSeparately()
{
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/ping"_s)));
    OPEN_AND_WAIT(session);

    // Sent back to back: the second leaves before the first pong can arrive. QWebSocket alone
    // would time both from the second.
    QVERIFY(session.ping("first"));
    QVERIFY(session.ping("second"));
    const FrameLog &log = *session.log();
    QTRY_VERIFY2_WITH_TIMEOUT(countOf(log, EventKind::Pong, Direction::Incoming) == 2,
                              qPrintable(dump(session)), Timeout);

    const QList<FrameEvent> pings = eventsOf(log, EventKind::Ping, Direction::Outgoing);
    const QList<FrameEvent> pongs = eventsOf(log, EventKind::Pong, Direction::Incoming);
    QCOMPARE(pings.size(), 2);
    for (const FrameEvent &pong : pongs) {
        const auto ping = std::find_if(pings.cbegin(), pings.cend(), [&](const FrameEvent &p) {
            return p.data == pong.data;
        });
        QVERIFY2(ping != pings.cend(), qPrintable(dump(session)));
        QVERIFY2(pong.rttNs >= 0, qPrintable(dump(session)));
        QCOMPARE(pong.rttNs, pong.monotonicNs - ping->monotonicNs);
    }
    QVERIFY(pongs.at(0).data != pongs.at(1).data);

    CLOSE_AND_WAIT(session);
}

void TestPeers::serverClosesWithCodeAndReason()
{
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/close?code=4001&reason=token%20expired"_s)));
    QSignalSpy finished(&session, &Session::finished);
    session.open();
    WAIT_FOR_STATE(session, SessionState::Closed, Timeout);
    QCOMPARE(finished.size(), 1);

    const FrameLog &log = *session.log();
    QCOMPARE(countOf(log, EventKind::Handshake, Direction::Incoming), 1);
    const QList<FrameEvent> closes = eventsOf(log, EventKind::Close, Direction::Incoming);
    QVERIFY2(closes.size() == 1, qPrintable(dump(session)));
    QCOMPARE(closes.first().closeCode, 4001);
    QCOMPARE(closes.first().text, u"token expired"_s);
    QCOMPARE(closes.first().closeInitiator, CloseInitiator::Server);
    QVERIFY2(closes.first().cleanClose, qPrintable(dump(session)));
    QCOMPARE(countOf(log, EventKind::Close, Direction::Outgoing), 0);

    const CloseInfo info = session.lastClose();
    QCOMPARE(info.code, 4001);
    QCOMPARE(info.reason, u"token expired"_s);
    QCOMPARE(info.initiator, CloseInitiator::Server);
    QVERIFY(info.clean);
    QVERIFY(info.openDurationMs >= 0);
}

void TestPeers::clientClosesWithCodeAndReason()
{
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/echo"_s)));
    OPEN_AND_WAIT(session);
    session.close(4000, u"bye"_s);
    WAIT_FOR_STATE(session, SessionState::Closed, Timeout);

    const FrameLog &log = *session.log();
    const QList<FrameEvent> sent = eventsOf(log, EventKind::Close, Direction::Outgoing);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().closeCode, 4000);
    QCOMPARE(sent.first().text, u"bye"_s);
    const QList<FrameEvent> ended = eventsOf(log, EventKind::Close, Direction::Incoming);
    QVERIFY2(ended.size() == 1, qPrintable(dump(session)));
    QCOMPARE(ended.first().closeInitiator, CloseInitiator::Client);
    QVERIFY2(ended.first().cleanClose, qPrintable(dump(session)));
    QCOMPARE(ended.first().closeCode, 4000);
    QCOMPARE(session.lastClose().initiator, CloseInitiator::Client);
    QVERIFY(session.lastClose().clean);
    QCOMPARE(countOf(log, EventKind::Error, Direction::Local), 0);

    // And the server got our close frame as sent.
    Session probe(settingsFor(server->url(u"/lastclose"_s)));
    OPEN_AND_WAIT(probe);
    QTRY_VERIFY2_WITH_TIMEOUT(serverReportsClose(probe, 4000, u"bye"_s), qPrintable(dump(probe)),
                              Timeout);
    CLOSE_AND_WAIT(probe);
}

void TestPeers::connectionRefused()
{
    // A port that was free a moment ago and has no listener now.
    quint16 port = 0;
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        port = listener.serverPort();
    }
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(port);
    url.setPath(u"/echo"_s);

    Session session(settingsFor(url));
    session.open();
    WAIT_FOR_STATE(session, SessionState::Closed, Timeout);

    const FrameLog &log = *session.log();
    QVERIFY2(countErrors(log, ErrorKind::ConnectionRefused) == 1, qPrintable(dump(session)));
    QCOMPARE(countOf(log, EventKind::Handshake, Direction::Incoming), 0);
    QCOMPARE(session.lastClose().openDurationMs, -1);
}

void TestPeers::upgradeRefused_data()
{
    QTest::addColumn<PeerProcess::Kind>("kind");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    for (const PeerProcess::Kind kind : {PeerProcess::Kind::Node, PeerProcess::Kind::Python}) {
        const QByteArray name = PeerProcess::name(kind).toUtf8();
        QTest::addRow("%s: 401 without token", name.constData()) << kind << u"/auth"_s << 401;
        QTest::addRow("%s: 403", name.constData()) << kind << u"/forbidden"_s << 403;
    }
}

void TestPeers::upgradeRefused()
{
    FETCH_PEER(server);
    QFETCH(QString, path);
    QFETCH(int, status);

    Session session(settingsFor(server->url(path)));
    session.open();
    WAIT_FOR_STATE(session, SessionState::Closed, Timeout);

    const FrameLog &log = *session.log();
    QCOMPARE(countOf(log, EventKind::Handshake, Direction::Outgoing), 1);
    // The server's answer is logged as it came: its status, never a 101.
    QCOMPARE(countOf(log, EventKind::Handshake, Direction::Incoming), 1);
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        if (log.at(i).kind == EventKind::Handshake && log.at(i).direction == Direction::Incoming) {
            QCOMPARE(int(log.at(i).httpStatus), status);
            QVERIFY(!log.at(i).acceptsUpgrade());
            QVERIFY2(log.at(i).text.startsWith(u"HTTP/1.1 %1"_s.arg(status)), qPrintable(log.at(i).text));
        }
    }
    QCOMPARE(countOf(log, EventKind::Text, Direction::Incoming), 0);
    QCOMPARE(countOf(log, EventKind::Binary, Direction::Incoming), 0);
    QVERIFY2(countErrors(log, ErrorKind::HandshakeRejected) == 1, qPrintable(dump(session)));
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        const FrameEvent &event = log.at(i);
        if (event.kind != EventKind::Error || event.error != ErrorKind::HandshakeRejected)
            continue;
        qInfo("wsprobe reported the HTTP %d refusal as: %s", status,
              qUtf8Printable(event.text));
        QVERIFY2(event.httpStatus == status, qPrintable(dump(session)));
    }
    QCOMPARE(session.lastClose().openDurationMs, -1);
    QVERIFY(!session.lastClose().clean);
}

void TestPeers::upgradeAcceptedWithToken()
{
    FETCH_PEER(server);
    SessionSettings settings = settingsFor(server->url(u"/auth"_s));
    settings.headers.append({u"Authorization"_s, u"Bearer good-token"_s});
    Session session(settings);
    OPEN_AND_WAIT(session);

    QVERIFY(session.sendText(u"let me in"_s));
    QTRY_VERIFY2_WITH_TIMEOUT(countOf(*session.log(), EventKind::Text, Direction::Incoming) == 1,
                              qPrintable(dump(session)), Timeout);
    QCOMPARE(countOf(*session.log(), EventKind::Error, Direction::Local), 0);

    CLOSE_AND_WAIT(session);
}

void TestPeers::negotiatesSubprotocol_data()
{
    QTest::addColumn<PeerProcess::Kind>("kind");
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QString>("expected");
    for (const PeerProcess::Kind kind : {PeerProcess::Kind::Node, PeerProcess::Kind::Python}) {
        const QByteArray name = PeerProcess::name(kind).toUtf8();
        QTest::addRow("%s: one it knows", name.constData())
                << kind << QStringList{u"chat.v1"_s} << u"chat.v1"_s;
        // The peers prefer chat.v2, whatever the order the client offers.
        QTest::addRow("%s: its preference", name.constData())
                << kind << QStringList{u"chat.v1"_s, u"chat.v2"_s} << u"chat.v2"_s;
        QTest::addRow("%s: none it knows", name.constData())
                << kind << QStringList{u"mqtt"_s} << QString();
    }
}

void TestPeers::negotiatesSubprotocol()
{
    FETCH_PEER(server);
    QFETCH(QStringList, offered);
    QFETCH(QString, expected);

    SessionSettings settings = settingsFor(server->url(u"/echo"_s));
    settings.subprotocols = offered;
    Session session(settings);
    OPEN_AND_WAIT(session);

    QCOMPARE(session.negotiatedSubprotocol(), expected);
    const QList<FrameEvent> handshakes = eventsOf(*session.log(), EventKind::Handshake,
                                                  Direction::Incoming);
    QCOMPARE(handshakes.size(), 1);
    if (!expected.isEmpty())
        QVERIFY2(handshakes.first().text.contains(expected), qPrintable(handshakes.first().text));
    const QList<FrameEvent> requests = eventsOf(*session.log(), EventKind::Handshake,
                                                Direction::Outgoing);
    QCOMPARE(requests.size(), 1);
    QVERIFY2(requests.first().text.contains(offered.join(u", "_s)),
             qPrintable(requests.first().text));

    CLOSE_AND_WAIT(session);
}

void TestPeers::serverSeesCustomHeader()
{
    FETCH_PEER(server);
    SessionSettings settings = settingsFor(server->url(u"/headers"_s));
    settings.headers.append({u"X-Probe"_s, u"42"_s});
    settings.headers.append({u"X-Disabled"_s, u"no"_s, false});
    Session session(settings);
    OPEN_AND_WAIT(session);

    QTRY_VERIFY2_WITH_TIMEOUT(countOf(*session.log(), EventKind::Text, Direction::Incoming) == 1,
                              qPrintable(dump(session)), Timeout);
    const QString report =
            eventsOf(*session.log(), EventKind::Text, Direction::Incoming).first().text;
    QJsonParseError error;
    const QJsonObject headers = QJsonDocument::fromJson(report.toUtf8(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(report));
    QCOMPARE(headers.value(u"x-probe"_s).toString(), u"42"_s);
    QVERIFY2(!headers.contains(u"x-disabled"_s), qPrintable(report));
    QCOMPARE(headers.value(u"upgrade"_s).toString().toLower(), u"websocket"_s);

    CLOSE_AND_WAIT(session);
}

void TestPeers::reconnectsAfterDrop()
{
    FETCH_PEER(server);
    SessionSettings settings = settingsFor(server->url(u"/drop"_s));
    settings.reconnect.enabled = true;
    settings.reconnect.initialDelayMs = 50;
    settings.reconnect.maxDelayMs = 200;
    settings.reconnect.jitter = 0;
    settings.reconnect.maxAttempts = 5;
    Session session(settings);
    QList<SessionState> states;
    connect(&session, &Session::stateChanged, &session,
            [&states](SessionState state) { states.append(state); });

    session.open();
    // Open, dropped, waiting, open again: at least one whole reconnect.
    const auto reconnected = [&states] {
        const qsizetype waiting = states.indexOf(SessionState::WaitingToReconnect);
        return waiting > 0 && states.indexOf(SessionState::Open) < waiting
            && states.indexOf(SessionState::Open, waiting) > waiting;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(reconnected(), qPrintable(dump(session)), Timeout);

    const FrameLog &log = *session.log();
    const QList<FrameEvent> drops = eventsOf(log, EventKind::Close, Direction::Local);
    QVERIFY2(!drops.isEmpty(), qPrintable(dump(session)));
    QCOMPARE(drops.first().closeCode, 1006);
    QCOMPARE(drops.first().closeInitiator, CloseInitiator::Nobody);
    QVERIFY(!drops.first().cleanClose);
    QVERIFY(countOf(log, EventKind::Handshake, Direction::Incoming) >= 2);
    QVERIFY(countOf(log, EventKind::Info, Direction::Local) >= 1);

    // Whatever the phase (open, dropped, waiting), close() ends it without another reconnect.
    session.close();
    WAIT_FOR_STATE(session, SessionState::Closed, Timeout);
    const qint64 end = log.endSequence();
    QTest::qWait(400);
    QCOMPARE(session.state(), SessionState::Closed);
    QVERIFY2(log.endSequence() == end, qPrintable(dump(session)));
}

void TestPeers::reconnectGivesUpWhenEveryConnectionDrops()
{
    // A server that accepts and drops every connection at once must not be reconnected to
    // forever: maxAttempts bounds the attempts that follow one another without a lasting
    // connection.
    FETCH_PEER(server);
    SessionSettings settings = settingsFor(server->url(u"/drop?delay=10"_s));
    settings.reconnect.enabled = true;
    settings.reconnect.initialDelayMs = 20;
    settings.reconnect.maxDelayMs = 100;
    settings.reconnect.jitter = 0;
    settings.reconnect.maxAttempts = 2;
    Session session(settings);
    QSignalSpy opened(&session, &Session::opened);
    session.open();
    // qWaitFor, not QTRY: a QTRY that fails waits twice as long again to give advice.
    const bool gaveUp = QTest::qWaitFor(
            [&session] { return session.state() == SessionState::Closed; }, 3000);
    QVERIFY2(gaveUp,
             qPrintable(u"opened %1 times; "_s.arg(opened.size()) + dump(session)));
    QVERIFY2(opened.size() <= 1 + settings.reconnect.maxAttempts, qPrintable(dump(session)));
}

void TestPeers::refusedPingLeavesCloseClean()
{
    // A call the session refuses (here a ping over 125 bytes) is logged as an error, but it
    // sends nothing and cannot make the closing handshake that follows unclean.
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/echo"_s)));
    OPEN_AND_WAIT(session);
    QVERIFY(!session.ping(QByteArray(200, 'x')));
    QCOMPARE(countErrors(*session.log(), ErrorKind::Other), 1);
    session.close(1000, u"done"_s);
    WAIT_FOR_STATE(session, SessionState::Closed, Timeout);

    const QList<FrameEvent> ended = eventsOf(*session.log(), EventKind::Close,
                                             Direction::Incoming);
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended.first().closeCode, 1000);
    QVERIFY2(ended.first().cleanClose, qPrintable(dump(session)));
    QVERIFY(session.lastClose().clean);
}

void TestPeers::broadcastReachesEverySession()
{
    FETCH_PEER(server);
    SessionManager manager;
    for (int i = 0; i < 3; ++i)
        manager.createSession(settingsFor(server->url(u"/broadcast"_s)))->open();
    const auto allIn = [&manager](SessionState state) {
        return std::all_of(manager.sessions().cbegin(), manager.sessions().cend(),
                           [state](const Session *s) { return s->state() == state; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allIn(SessionState::Open), Timeout);

    const QString message = u"to everyone, from session 0"_s;
    QVERIFY(manager.sessions().first()->sendText(message));
    const auto allReceived = [&manager] {
        return std::all_of(manager.sessions().cbegin(), manager.sessions().cend(),
                           [](const Session *s) {
                               return countOf(*s->log(), EventKind::Text, Direction::Incoming)
                                   == 1;
                           });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allReceived(), Timeout);
    for (const Session *session : manager.sessions()) {
        QCOMPARE(eventsOf(*session->log(), EventKind::Text, Direction::Incoming).first().text,
                 message);
    }

    manager.closeAll();
    QTRY_VERIFY_WITH_TIMEOUT(allIn(SessionState::Closed), Timeout);
    for (const Session *session : manager.sessions())
        QCOMPARE(session->lastClose().code, 1001);
}

void TestPeers::floodArrivesInOrder()
{
    FETCH_PEER(server);
    Session session(settingsFor(server->url(u"/flood?n=%1"_s.arg(FloodCount))));
    const FrameLog &log = *session.log();
    // Counted as they arrive, so the wait below costs nothing per poll.
    qint64 received = 0;
    connect(&log, &FrameLog::eventsAppended, &session, [&](qint64 first, qint64 end) {
        for (qint64 sequence = first; sequence < end; ++sequence)
            received += log.kindAt(sequence) == EventKind::Text && log.directionAt(sequence) == Direction::Incoming;
    });
    OPEN_AND_WAIT(session);
    QTRY_VERIFY2_WITH_TIMEOUT(received >= FloodCount, qPrintable(dump(session)), 60000);

    qint64 expected = 0;
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        const FrameEvent &event = log.at(i);
        if (event.kind != EventKind::Text || event.direction != Direction::Incoming)
            continue;
        bool ok = false;
        const qint64 counter = event.text.toLongLong(&ok);
        if (!ok || counter != expected) {
            QFAIL(qPrintable(u"event #%1: expected message %2, got \"%3\""_s.arg(i).arg(expected)
                                     .arg(event.text.left(40))));
        }
        ++expected;
    }
    QCOMPARE(expected, qint64(FloodCount));
    QCOMPARE(received, qint64(FloodCount));
    QCOMPARE(countOf(log, EventKind::Error, Direction::Local), 0);

    CLOSE_AND_WAIT(session);
}

QTEST_GUILESS_MAIN(TestPeers)
#include "tst_peers.moc"
