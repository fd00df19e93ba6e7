// The engine against a server that breaks the protocol on purpose (HostileServer, loopback
// only): for each fault, the close wsprobe sends on the wire, the close it reports (code, who
// closed, clean), how long it took to notice, and that nothing crashes. The most important
// faults run through the scenario runner too, as a user would check them.
#include "hostileserver.h"

#include "scenarioloader.h"
#include "scenariorunner.h"
#include "session.h"
#include "variables.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 15000;
constexpr qint64 MiB = 1024 * 1024;

// The process's peak resident memory (kB), or -1 where /proc is not there.
qint64 peakRssKb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

QByteArray text(const char *bytes) { return QByteArray(bytes); }

struct Case
{
    HostileScript script;
    std::function<void(SessionSettings &)> settings;  // beyond the defaults
    int sentCode = -1;           // the close frame wsprobe sends; -1: none
    int reportedCode = 0;
    CloseInitiator initiator = CloseInitiator::Client;
    bool clean = false;
    QString logSays;             // some event's text contains this
    int boundMs = 2000;          // from open() to the end
};

QHash<QString, Case> makeCases()
{
    QHash<QString, Case> cases;
    const auto data = [&](const QString &name, QByteArray bytes, int sent, QString says) {
        Case c;
        c.script.afterUpgrade = std::move(bytes);
        c.sentCode = sent;
        c.reportedCode = sent;
        c.logSays = std::move(says);
        cases.insert(name, c);
    };
    using S = HostileServer;
    data(u"invalid UTF-8"_s, S::frame(0x1, text("ok \xC3\x28")), 1007, u"not valid UTF-8"_s);
    data(u"invalid UTF-8 split across fragments"_s,
         S::frame(0x1, text("ok \xE2"), false) + S::frame(0x0, text("\x28\xA1"), true), 1007,
         u"not valid UTF-8 (byte 0x28"_s);
    data(u"reserved opcode"_s, S::frame(0x3, "x"), 1002, u"reserved opcode"_s);
    data(u"RSV bits"_s, S::frame(0x1, "x", true, 0x4), 1002, u"RSV1 set"_s);
    data(u"control frame over 125 bytes"_s, S::frame(0x9, QByteArray(126, 'p')), 1002, u"125 bytes"_s);
    data(u"fragmented control frame"_s, S::frame(0x9, "p", false), 1002, u"fragmented"_s);
    // The log says what the server sent, not only what wsprobe answered.
    data(u"close code 1005 on the wire"_s, S::closeFrame(1005), 1002, u"code 1005"_s);
    data(u"close code 999"_s, S::closeFrame(999, "bye"), 1002, u"code 999"_s);
    data(u"1-byte close payload"_s, S::frame(0x8, "x"), 1002, u"a close frame with a 1-byte payload"_s);
    data(u"orphan continuation frame"_s, S::frame(0x0, "x"), 1002, u"Continuation"_s);
    data(u"interleaved data frames"_s, S::frame(0x1, "a", false) + S::frame(0x1, "b"), 1002,
         u"continuation"_s);
    data(u"2^63 length"_s, S::frame(0x2, "x", true, 0, {}, quint64(1) << 63), 1002,
         u"most significant bit set"_s);
    {
        // A frame whose header promises a terabyte, and data that keeps coming.
        Case c;
        c.script.afterUpgrade = S::frame(0x2, {}, true, 0, {}, quint64(1) << 40);
        c.script.endlessChunk = 256 * 1024;
        c.script.endlessTotal = 512 * MiB;
        c.sentCode = c.reportedCode = 1009;
        // Its real size, read from the header, against the limit.
        c.logSays = u"message too big: a frame of 1099511627776 bytes > limit 67108864"_s;
        c.boundMs = 5000;
        cases.insert(u"endless frame"_s, c);
    }
    {
        // A message that never ends: 1 MiB fragments, none of them final.
        Case c;
        c.script.afterUpgrade = S::frame(0x2, QByteArray(MiB, 'x'), false);
        c.script.endlessChunk = MiB;
        c.script.endlessTotal = 512 * MiB;
        c.script.endlessAsFragments = true;
        c.sentCode = c.reportedCode = 1009;
        c.logSays = u"message too big"_s;
        c.boundMs = 10000;
        cases.insert(u"endless message"_s, c);
    }
    {
        // The server's own close, as a control: it closed, and cleanly.
        Case c;
        c.script.afterUpgrade = S::closeFrame(4001, "done");
        c.sentCode = 4001;  // the echo
        c.reportedCode = 4001;
        c.initiator = CloseInitiator::Server;
        c.clean = true;
        cases.insert(u"honest close (control)"_s, c);
    }
    {
        // Registered by IANA after RFC 6455 (1012 Service Restart): valid on the wire.
        Case c;
        c.script.afterUpgrade = S::closeFrame(1012, "restarting");
        c.sentCode = c.reportedCode = 1012;
        c.initiator = CloseInitiator::Server;
        c.clean = true;
        cases.insert(u"close code 1012 is valid"_s, c);
    }
    {
        Case c;
        c.script.afterUpgrade = S::frame(0x2, QByteArray(1000, 'x')).left(500);
        c.script.resetAfterUpgrade = true;
        c.reportedCode = 1006;
        c.initiator = CloseInitiator::Nobody;
        c.logSays = u"without a close frame"_s;
        cases.insert(u"RST mid-message"_s, c);
    }
    {
        Case c;
        c.script.answerPings = false;
        c.settings = [](SessionSettings &s) {
            s.autoPingIntervalMs = 100;
            s.maxMissedPongs = 3;
        };
        c.sentCode = c.reportedCode = 1001;
        c.clean = true;  // wsprobe's close, and the server answered it
        c.logSays = u"no pong for 3 pings"_s;
        cases.insert(u"no pong"_s, c);
    }
    return cases;
}

const QHash<QString, Case> &cases()
{
    static const QHash<QString, Case> all = makeCases();
    return all;
}

QString logText(const FrameLog &log)
{
    QStringList lines;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        const FrameEvent &e = log.at(seq);
        lines.append(u"%1 %2 %3 %4"_s.arg(displayName(e.direction), displayName(e.kind))
                         .arg(e.closeCode)
                         .arg(e.text.left(200)));
    }
    return lines.join(u'\n');
}

bool logContains(const FrameLog &log, const QString &needle)
{
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        if (log.at(seq).text.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

std::optional<FrameEvent> lastClose(const FrameLog &log)
{
    for (qint64 seq = log.endSequence() - 1; seq >= log.firstSequence(); --seq) {
        if (log.kindAt(seq) == EventKind::Close && log.directionAt(seq) != Direction::Outgoing)
            return log.at(seq);
    }
    return std::nullopt;
}

ScenarioResult runScenario(const QString &json)
{
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(json, u"hostile.json"_s, {});
    if (!loaded.scenario) {
        ScenarioResult failed;
        failed.error = loaded.errorText();
        return failed;
    }
    ScenarioRunner runner(*loaded.scenario, Variables{});
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    finished.wait(Timeout);
    return runner.result();
}

} // namespace

class tst_Hostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fault_data();
    void fault();
    void bigMessagesArrive_data();
    void bigMessagesArrive();
    void messageOverTheLimitIsRefusedWith1009();
    void defaultsLimitIncomingSize();
    void handshake_data();
    void handshake();
    void slowlorisHandshakeTimesOutOnTime();
    void subprotocolIsReported();
    void upgradeRowComesBeforeTheFramesAfterIt();
    void maskedServerFrameFailsTheConnection();
    void unansweredCloseEndsAfterTheCloseTimeout();
    void serverPingIsLoggedAndAnswered();
    void upgradeAnswerIsLoggedWhole();
    void refusalIsLoggedWithItsBody();
    void runnerSeesTheFaults_data();
    void runnerSeesTheFaults();
    void runnerAssertsTheSubprotocol_data();
    void runnerAssertsTheSubprotocol();
};

void tst_Hostile::fault_data()
{
    QTest::addColumn<QString>("name");
    QStringList names = cases().keys();
    names.sort();
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << name;
}

void tst_Hostile::fault()
{
    QFETCH(QString, name);
    const Case &c = cases()[name];
    HostileServer server;
    server.setScript(c.script);
    QVERIFY(server.listen());

    SessionSettings settings;
    settings.url = server.url();
    if (c.settings)
        c.settings(settings);
    const qint64 rssBeforeKb = peakRssKb();
    Session session(settings);
    QSignalSpy closed(&session, &Session::closed);
    QElapsedTimer clock;
    clock.start();
    session.open();
    QVERIFY2(closed.wait(Timeout) || !closed.isEmpty(), qPrintable(logText(*session.log())));
    const qint64 detectedMs = clock.elapsed();
    const qint64 rssGrowthKb = peakRssKb() - rssBeforeKb;
    qInfo("%-40s detected in %4lld ms, peak memory +%lld MiB, wsprobe sent close %d", qPrintable(name),
          detectedMs, rssGrowthKb / 1024, server.clientCloseCode());

    const QString log = logText(*session.log());
    const CloseInfo info = session.lastClose();
    QCOMPARE(info.code, c.reportedCode);
    QCOMPARE(displayName(info.initiator), displayName(c.initiator));
    QCOMPARE(info.clean, c.clean);
    if (c.sentCode >= 0)
        QTRY_COMPARE_WITH_TIMEOUT(server.clientCloseCode(), c.sentCode, Timeout);
    else
        QVERIFY2(!server.clientSentClose(), qPrintable(log));
    if (!c.logSays.isEmpty())
        QVERIFY2(logContains(*session.log(), c.logSays), qPrintable(log));
    const std::optional<FrameEvent> close = lastClose(*session.log());
    QVERIFY(close);
    QCOMPARE(close->closeCode, quint16(c.reportedCode));
    QCOMPARE(displayName(close->closeInitiator), displayName(c.initiator));
    // What wsprobe sent is logged once, whatever the server sends after it.
    int sentCloses = 0;
    for (qint64 seq = session.log()->firstSequence(); seq < session.log()->endSequence(); ++seq) {
        const FrameEvent &e = session.log()->at(seq);
        sentCloses += e.kind == EventKind::Close && e.direction == Direction::Outgoing;
    }
    QVERIFY2(sentCloses == (c.sentCode >= 0 && c.initiator == CloseInitiator::Client ? 1 : 0), qPrintable(log));
    QVERIFY2(detectedMs < c.boundMs, qPrintable(u"%1 ms"_s.arg(detectedMs)));
    if (c.script.endlessChunk > 0 && rssBeforeKb >= 0) {
        // What arrived is held a few times over at most (socket buffer, parser, the log).
        // AddressSanitizer keeps freed memory in a quarantine (256 MiB by default) before it
        // reuses it: under it, that much more is resident.
#if defined(__SANITIZE_ADDRESS__)
        constexpr qint64 SanitizerQuarantineKb = 256 * 1024;
#else
        constexpr qint64 SanitizerQuarantineKb = 0;
#endif
        QVERIFY2(rssGrowthKb < 6 * settings.maxIncomingMessageSize / 1024 + SanitizerQuarantineKb,
                 qPrintable(u"%1 MiB"_s.arg(rssGrowthKb / 1024)));
    }
    QCOMPARE(session.state(), SessionState::Closed);
}

void tst_Hostile::bigMessagesArrive_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("trickled");
    for (const qint64 size : {qint64(262144), qint64(262145), qint64(300000), 8 * MiB}) {
        QTest::addRow("text %lld", size) << 1 << size << false;
        QTest::addRow("binary %lld", size) << 2 << size << false;
    }
    // The payload written 16 KiB at a time, as the client reads it: many reads for one frame.
    QTest::addRow("text 3 MiB, trickled") << 1 << 3 * MiB << true;
    QTest::addRow("binary 3 MiB, trickled") << 2 << 3 * MiB << true;
}

void tst_Hostile::bigMessagesArrive()
{
    QFETCH(int, opcode);
    QFETCH(qint64, size);
    QFETCH(bool, trickled);
    HostileServer server;
    HostileScript script;
    if (trickled) {
        script.afterUpgrade = HostileServer::frame(quint8(opcode), {}, true, 0, {}, quint64(size));
        script.endlessChunk = 16 * 1024;
        script.endlessTotal = size;
        script.closeAfterEndless = true;
    } else {
        script.afterUpgrade = HostileServer::frame(quint8(opcode), QByteArray(size, 'a'))
            + HostileServer::closeFrame(1000);
    }
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    Session session(settings);
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QVERIFY2(closed.wait(Timeout) || !closed.isEmpty(), qPrintable(logText(*session.log())));
    const EventKind kind = opcode == 1 ? EventKind::Text : EventKind::Binary;
    qint64 arrived = -1;
    for (qint64 seq = session.log()->firstSequence(); seq < session.log()->endSequence(); ++seq) {
        if (session.log()->at(seq).kind == kind)
            arrived = session.log()->at(seq).size;
    }
    QCOMPARE(arrived, size);
    // The server's close that follows it is seen too.
    QCOMPARE(session.lastClose().code, 1000);
    QCOMPARE(displayName(session.lastClose().initiator), displayName(CloseInitiator::Server));
}

void tst_Hostile::messageOverTheLimitIsRefusedWith1009()
{
    HostileServer server;
    HostileScript script;
    script.afterUpgrade = HostileServer::frame(0x1, QByteArray(1000, 'a'), false)
        + HostileServer::frame(0x0, QByteArray(25, 'a'), true);
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    settings.maxIncomingMessageSize = 1024;
    Session session(settings);
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QVERIFY(closed.wait(Timeout) || !closed.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCloseCode(), 1009, Timeout);
    QCOMPARE(session.lastClose().code, 1009);
    QCOMPARE(displayName(session.lastClose().initiator), displayName(CloseInitiator::Client));
    // The size the server declared, not only the limit.
    QVERIFY2(logContains(*session.log(), u"message too big: 1025 bytes > limit 1024"_s),
             qPrintable(logText(*session.log())));
}

void tst_Hostile::defaultsLimitIncomingSize()
{
    const SessionSettings defaults;
    QCOMPARE(defaults.maxIncomingFrameSize, 64 * MiB);
    QCOMPARE(defaults.maxIncomingMessageSize, 64 * MiB);
}

void tst_Hostile::handshake_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("says");
    QTest::addColumn<int>("status");
    QTest::newRow("wrong Sec-WebSocket-Accept")
        << int(HostileScript::Handshake::WrongAccept) << u"Sec-WebSocket-Accept does not match"_s << 0;
    QTest::newRow("missing Sec-WebSocket-Accept")
        << int(HostileScript::Handshake::MissingAccept) << u"Sec-WebSocket-Accept"_s << 0;
    QTest::newRow("HTTP 401, connection kept open")
        << int(HostileScript::Handshake::Refuse401) << u"refused with HTTP 401"_s << 401;
    QTest::newRow("hang-up after the request")
        << int(HostileScript::Handshake::HangUp) << u"before answering the upgrade"_s << 0;
    QTest::newRow("not HTTP") << int(HostileScript::Handshake::NotHttp) << u"upgrade"_s << 0;
}

void tst_Hostile::handshake()
{
    QFETCH(int, mode);
    QFETCH(QString, says);
    QFETCH(int, status);
    HostileServer server;
    HostileScript script;
    script.handshake = HostileScript::Handshake(mode);
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    settings.connectTimeoutMs = 10000;
    Session session(settings);
    QSignalSpy closed(&session, &Session::closed);
    QElapsedTimer clock;
    clock.start();
    session.open();
    QVERIFY(closed.wait(Timeout) || !closed.isEmpty());
    const qint64 ms = clock.elapsed();
    qInfo("%-40s failed after %lld ms", QTest::currentDataTag(), ms);
    // At once: not at the connect timeout, nor when the server gives up.
    QVERIFY2(ms < 1000, qPrintable(u"%1 ms"_s.arg(ms)));
    const FrameLog &log = *session.log();
    std::optional<FrameEvent> rejected;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        if (log.at(seq).kind == EventKind::Error && log.at(seq).error == ErrorKind::HandshakeRejected)
            rejected = log.at(seq);
    }
    QVERIFY2(rejected, qPrintable(logText(log)));
    QVERIFY2(rejected->text.contains(says), qPrintable(rejected->text));
    QCOMPARE(int(rejected->httpStatus), status);
    QVERIFY(!server.clientSentClose());
}

void tst_Hostile::slowlorisHandshakeTimesOutOnTime()
{
    // Several rounds: a coarse timer fires up to 5 % early, not every time.
    for (int round = 0; round < 3; ++round) {
        HostileServer server;
        HostileScript script;
        script.handshake = HostileScript::Handshake::Trickle;
        script.trickleMs = 50;
        server.setScript(script);
        QVERIFY(server.listen());
        SessionSettings settings;
        settings.url = server.url();
        settings.connectTimeoutMs = 600;
        Session session(settings);
        QSignalSpy closed(&session, &Session::closed);
        QElapsedTimer clock;
        clock.start();
        session.open();
        QVERIFY(closed.wait(Timeout) || !closed.isEmpty());
        const qint64 ms = clock.elapsed();
        qInfo("slowloris handshake: connect timeout of 600 ms fired after %lld ms", ms);
        QVERIFY2(ms >= 600, qPrintable(u"fired early: %1 ms"_s.arg(ms)));
        QVERIFY2(ms < 600 + 500, qPrintable(u"fired late: %1 ms"_s.arg(ms)));
        QVERIFY(logContains(*session.log(), u"connect timeout"_s));
        QTRY_VERIFY_WITH_TIMEOUT(server.clientDisconnected(), Timeout);
    }
}

void tst_Hostile::subprotocolIsReported()
{
    HostileServer server;
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    settings.subprotocols = {u"chat.v2"_s, u"json"_s};
    Session session(settings);
    QSignalSpy opened(&session, &Session::opened);
    session.open();
    QVERIFY(opened.wait(Timeout) || !opened.isEmpty());
    QCOMPARE(session.negotiatedSubprotocol(), QString());
    QVERIFY2(logContains(*session.log(), u"chose none of the offered subprotocols (chat.v2, json)"_s),
             qPrintable(logText(*session.log())));
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void tst_Hostile::upgradeRowComesBeforeTheFramesAfterIt()
{
    HostileServer server;
    HostileScript script;
    script.afterUpgrade = HostileServer::frame(0x1, "first") + HostileServer::frame(0x1, "second");
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.log()->size(), qsizetype(4), Timeout);
    const FrameLog &log = *session.log();
    QCOMPARE(log.at(1).kind, EventKind::Handshake);
    QCOMPARE(log.at(2).text, u"first"_s);
    // Times follow the wire: the 101 was parsed before the frames behind it.
    QVERIFY2(log.at(1).monotonicNs <= log.at(2).monotonicNs,
             qPrintable(u"101 stamped %1 ns after the first frame"_s.arg(log.at(1).monotonicNs - log.at(2).monotonicNs)));
    QVERIFY(log.at(2).monotonicNs <= log.at(3).monotonicNs);
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void tst_Hostile::maskedServerFrameFailsTheConnection()
{
    // RFC 6455 5.1: a client must fail the connection on a masked frame from the server.
    HostileServer server;
    HostileScript script;
    script.afterUpgrade = HostileServer::frame(0x1, "masked", true, 0, quint32(0x11223344));
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    Session session(settings);
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QVERIFY(closed.wait(Timeout) || !closed.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCloseCode(), 1002, Timeout);
    QCOMPARE(session.lastClose().code, 1002);
    QCOMPARE(displayName(session.lastClose().initiator), displayName(CloseInitiator::Client));
    QVERIFY2(logContains(*session.log(), u"masked"_s), qPrintable(logText(*session.log())));
    for (qint64 seq = session.log()->firstSequence(); seq < session.log()->endSequence(); ++seq)
        QVERIFY(session.log()->at(seq).kind != EventKind::Text);
}

void tst_Hostile::unansweredCloseEndsAfterTheCloseTimeout()
{
    // A server that never answers our close frame: the connection ends after 5 s, not clean,
    // and the log says why.
    HostileServer server;
    HostileScript script;
    script.answerClose = false;
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    Session session(settings);
    QSignalSpy opened(&session, &Session::opened);
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QVERIFY(opened.wait(Timeout) || !opened.isEmpty());
    QElapsedTimer clock;
    clock.start();
    session.close(1000, u"bye"_s);
    QVERIFY(closed.wait(Timeout) || !closed.isEmpty());
    const qint64 ms = clock.elapsed();
    QVERIFY2(ms >= 4900 && ms < 7000, qPrintable(u"%1 ms"_s.arg(ms)));
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCloseCode(), 1000, Timeout);
    QCOMPARE(displayName(session.lastClose().initiator), displayName(CloseInitiator::Client));
    QVERIFY(!session.lastClose().clean);
    QVERIFY2(logContains(*session.log(), u"No close frame from the server"_s), qPrintable(logText(*session.log())));
}

void tst_Hostile::serverPingIsLoggedAndAnswered()
{
    HostileServer server;
    HostileScript script;
    script.afterUpgrade = HostileServer::frame(0x9, "are you there?");
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    Session session(settings);
    session.open();
    // The answer carries the ping's payload (RFC 6455 5.5.3).
    QTRY_COMPARE_WITH_TIMEOUT(server.pongPayloads().size(), 1, Timeout);
    QCOMPARE(server.pongPayloads().first(), QByteArray("are you there?"));
    const FrameLog &log = *session.log();
    QTRY_VERIFY_WITH_TIMEOUT(log.size() >= 4, Timeout);
    QCOMPARE(log.at(2).kind, EventKind::Ping);
    QCOMPARE(log.at(2).direction, Direction::Incoming);
    QCOMPARE(log.at(2).data, QByteArray("are you there?"));
    QCOMPARE(log.at(3).kind, EventKind::Pong);
    QCOMPARE(log.at(3).direction, Direction::Outgoing);
    QCOMPARE(log.at(3).data, QByteArray("are you there?"));
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
    QVERIFY(session.lastClose().clean);
}

void tst_Hostile::upgradeAnswerIsLoggedWhole()
{
    HostileServer server;
    HostileScript script;
    script.subprotocol = u"chat.v2"_s;
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url(u"/room?token=s3cret"_s);
    settings.subprotocols = {u"chat.v2"_s};
    Session session(settings);
    QSignalSpy opened(&session, &Session::opened);
    session.open();
    QVERIFY(opened.wait(Timeout) || !opened.isEmpty());
    const FrameLog &log = *session.log();
    QCOMPARE(log.at(0).kind, EventKind::Handshake);
    QCOMPARE(log.at(0).direction, Direction::Outgoing);
    // The request as sent, with its secret masked.
    QVERIFY2(log.at(0).text.startsWith(u"GET /room?token="_s), qPrintable(log.at(0).text));
    QVERIFY2(!log.at(0).text.contains(u"s3cret"_s), qPrintable(log.at(0).text));
    QVERIFY2(log.at(0).text.contains(u"Sec-WebSocket-Protocol: chat.v2"_s), qPrintable(log.at(0).text));
    // The server's answer, every header of it.
    QCOMPARE(log.at(1).kind, EventKind::Handshake);
    QCOMPARE(log.at(1).direction, Direction::Incoming);
    const QString answer = log.at(1).text;
    QVERIFY2(answer.startsWith(u"HTTP/1.1 101 Switching Protocols"_s), qPrintable(answer));
    QVERIFY2(answer.contains(u"Upgrade: websocket"_s), qPrintable(answer));
    QVERIFY2(answer.contains(u"Sec-WebSocket-Accept: "_s), qPrintable(answer));
    QVERIFY2(answer.contains(u"Sec-WebSocket-Protocol: chat.v2"_s), qPrintable(answer));
    QCOMPARE(session.negotiatedSubprotocol(), u"chat.v2"_s);
    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
}

void tst_Hostile::refusalIsLoggedWithItsBody()
{
    HostileServer server;
    HostileScript script;
    script.handshake = HostileScript::Handshake::Refuse401;
    server.setScript(script);
    QVERIFY(server.listen());
    SessionSettings settings;
    settings.url = server.url();
    Session session(settings);
    QSignalSpy closed(&session, &Session::closed);
    session.open();
    QVERIFY(closed.wait(Timeout) || !closed.isEmpty());
    const FrameLog &log = *session.log();
    std::optional<FrameEvent> answer;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        if (log.at(seq).kind == EventKind::Handshake && log.at(seq).direction == Direction::Incoming)
            answer = log.at(seq);
    }
    QVERIFY2(answer, qPrintable(logText(log)));
    QVERIFY2(answer->text.startsWith(u"HTTP/1.1 401 Unauthorized"_s), qPrintable(answer->text));
    QVERIFY2(answer->text.contains(u"{\"error\":\"token expired\"}"_s), qPrintable(answer->text));
    QVERIFY(session.lastClose().refused);
    QCOMPARE(session.lastClose().httpStatus, quint16(401));
}

void tst_Hostile::runnerSeesTheFaults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("steps");
    QTest::addColumn<bool>("passes");
    QTest::addColumn<QString>("says");
    const QString failedByUs =
        uR"({"connect": "c"}, {"expectClose": "c", "code": %1, "clean": false, "timeout": 3000})"_s;
    QTest::newRow("invalid UTF-8: wsprobe closed with 1007, not clean")
        << u"invalid UTF-8"_s << failedByUs.arg(1007) << true << QString();
    QTest::newRow("close code 999: wsprobe closed with 1002, not clean")
        << u"close code 999"_s << failedByUs.arg(1002) << true << QString();
    QTest::newRow("endless message: 1009")
        << u"endless message"_s << failedByUs.arg(1009) << true << QString();
    QTest::newRow("a clean close is not what a protocol error looks like")
        << u"reserved opcode"_s
        << uR"({"connect": "c"}, {"expectClose": "c", "code": 1002, "clean": true, "timeout": 3000})"_s
        << false << u"not clean"_s;
    QTest::newRow("wrong accept satisfies expectRejected")
        << u"#wrong accept"_s << uR"({"expectRejected": "c", "timeout": 3000})"_s << true << QString();
    QTest::newRow("wrong accept fails connect at once, saying why")
        << u"#wrong accept"_s << uR"({"connect": "c", "timeout": 3000})"_s << false
        << u"Sec-WebSocket-Accept does not match"_s;
    QTest::newRow("401 fails connect saying 401")
        << u"#401"_s << uR"({"connect": "c", "timeout": 3000})"_s << false
        << u"refused with HTTP 401"_s;
    QTest::newRow("401 satisfies expectRejected with its status")
        << u"#401"_s << uR"({"expectRejected": "c", "status": 401, "timeout": 3000})"_s << true << QString();
}

void tst_Hostile::runnerSeesTheFaults()
{
    QFETCH(QString, fault);
    QFETCH(QString, steps);
    QFETCH(bool, passes);
    QFETCH(QString, says);
    HostileServer server;
    HostileScript script;
    if (fault == u"#wrong accept"_s)
        script.handshake = HostileScript::Handshake::WrongAccept;
    else if (fault == u"#401"_s)
        script.handshake = HostileScript::Handshake::Refuse401;
    else
        script = cases()[fault].script;
    server.setScript(script);
    QVERIFY(server.listen());
    const QString json = uR"({"wsprobe": 1, "name": "hostile", "timeout": 10000,
        "clients": {"c": {"url": "%1"}}, "steps": [%2]})"_s.arg(server.url().toString(), steps);
    QElapsedTimer clock;
    clock.start();
    const ScenarioResult result = runScenario(json);
    QVERIFY2(result.error.isEmpty() || !passes, qPrintable(result.error));
    const QString report = result.failureReport();
    QVERIFY2(result.passed == passes, qPrintable(report));
    if (!says.isEmpty())
        QVERIFY2(report.contains(says), qPrintable(report));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(u"%1 ms"_s.arg(clock.elapsed())));
}

void tst_Hostile::runnerAssertsTheSubprotocol_data()
{
    QTest::addColumn<QString>("chosen");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("passes");
    QTest::newRow("the one expected") << u"chat.v2"_s << u"chat.v2"_s << true;
    QTest::newRow("another one") << u"chat.v1"_s << u"chat.v2"_s << false;
    QTest::newRow("none, as expected") << QString() << QString() << true;
    QTest::newRow("none, one expected") << QString() << u"chat.v2"_s << false;
}

void tst_Hostile::runnerAssertsTheSubprotocol()
{
    QFETCH(QString, chosen);
    QFETCH(QString, expected);
    QFETCH(bool, passes);
    HostileServer server;
    HostileScript script;
    script.subprotocol = chosen;
    server.setScript(script);
    QVERIFY(server.listen());
    const QString json = uR"({"wsprobe": 1, "name": "subprotocol", "timeout": 10000,
        "clients": {"c": {"url": "%1", "subprotocols": ["chat.v1", "chat.v2"]}},
        "steps": [{"connect": "c", "subprotocol": "%2"}]})"_s.arg(server.url().toString(), expected);
    const ScenarioResult result = runScenario(json);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY2(result.passed == passes, qPrintable(result.failureReport()));
    if (!passes) {
        QVERIFY2(result.failureReport().contains(u"connected with another subprotocol"_s),
                 qPrintable(result.failureReport()));
    }
}

QTEST_GUILESS_MAIN(tst_Hostile)
#include "tst_hostile.moc"
