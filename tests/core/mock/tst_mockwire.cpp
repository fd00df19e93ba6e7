// What the mock can do now that its clients are on core/wire rather than QtWebSockets: leave
// pings unanswered (by route, after N, or from a rule on), log pings and pongs, send binary
// replies and match binary messages, and refuse bad upgrades and unmasked frames itself. The
// clients are Node's ws and Python's websockets (tests/app/mock_client.{js,py}), a raw TCP
// socket, and wsprobe's own engine; all on loopback, every wait bounded.

#include "framelog.h"
#include "framewriter.h"
#include "mockclientprocess.h"
#include "mockscriptreader.h"
#include "mockserver.h"
#include "session.h"
#include "sessionsettings.h"
#include "variables.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;

Q_DECLARE_METATYPE(wsprobe::PeerProcess::Kind)

namespace {

constexpr int WaitMs = 10000;

const QString Script = uR"({
  "wsprobe": 1,
  "name": "wire",
  "server": { "routes": {
    "/quiet": { "pings": "ignore", "unmatched": "echo", "responseHeaders": { "X-Mock": "tail {{tail}}" } },
    "/once": { "pings": { "ignoreAfter": 1 } },
    "/bytes": {
      "rules": [
        { "when": { "text": "bytes" }, "reply": { "binaryBase64": "AAEC/f7/gA==" } },
        { "when": { "text": "hex" }, "reply": { "binary": "de ad {{tail}}" } },
        { "when": { "binary": "01 02" }, "reply": { "binary": "ff {{$}}" } },
        { "when": { "text": "hush" }, "pings": "ignore", "reply": { "text": "hushed" } },
        { "when": { "text": "speak" }, "pings": "answer", "reply": { "text": "speaking" } }
      ],
      "unmatched": "echo"
    }
  } }
})"_s;

QList<FrameEvent> eventsOf(const FrameLog &log)
{
    QList<FrameEvent> events;
    for (qint64 s = log.firstSequence(); s < log.endSequence(); ++s)
        events.append(FrameEvent(log.at(s)));
    return events;
}

int countOf(const FrameLog &log, EventKind kind, Direction direction)
{
    int count = 0;
    for (const FrameEvent &event : eventsOf(log))
        count += event.kind == kind && event.direction == direction ? 1 : 0;
    return count;
}

bool hasInfo(const FrameLog &log, const QString &text)
{
    for (const FrameEvent &event : eventsOf(log))
        if (event.kind == EventKind::Info && event.text.contains(text))
            return true;
    return false;
}

QByteArray upgradeRequest(const QByteArray &path, const QByteArray &version = "13")
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Version: " + version + "\r\n\r\n";
}

// Reads from socket until `enough` says so or the wait is over.
QByteArray readUntil(QTcpSocket &socket, const std::function<bool(const QByteArray &)> &enough)
{
    QByteArray bytes;
    // The caller checks what came: a timeout shows as bytes that are not enough.
    (void)QTest::qWaitFor([&] {
        bytes += socket.readAll();
        return enough(bytes) || socket.state() == QAbstractSocket::UnconnectedState;
    }, WaitMs);
    return bytes + socket.readAll();
}

} // namespace

class TestMockWire : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MockServer> m_server;

    QUrl url(const QString &path) const
    {
        QUrl url = m_server->url();
        url.setPath(path);
        return url;
    }
    quint64 waitForClient(QSignalSpy &accepted, int index = 0)
    {
        if (!QTest::qWaitFor([&] { return accepted.size() > index; }, WaitMs))
            return 0;
        return accepted.at(index).at(0).value<quint64>();
    }

private Q_SLOTS:
    void init()
    {
        QList<JsonError> errors;
        std::optional<MockScript> script = MockScriptReader::readText(Script, u"wire.mock.json"_s, &errors);
        QString messages;
        for (const JsonError &e : errors)
            messages += e.toString() + u'\n';
        QVERIFY2(script, qPrintable(messages));
        Variables variables;
        variables.set(Variables::Layer::CommandLine, u"tail"_s, u"be ef"_s);
        m_server = std::make_unique<MockServer>(std::move(*script));
        m_server->setVariables(variables);
        QVERIFY(m_server->listen(0));
    }
    void cleanup() { m_server.reset(); }

    // Node's ws pings a mock that ignores pings: no pong comes, while messages still do; the
    // mock's log shows the ping and that it went unanswered.
    void nodeSeesNoPong()
    {
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(PeerProcess::Kind::Node, url(u"/quiet"_s), {}, &error), qPrintable(error));
        QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
        const quint64 id = waitForClient(accepted);
        const std::shared_ptr<FrameLog> log = m_server->clientLog(id);
        client.send(u"PING are-you-there"_s);
        client.send(u"after the ping"_s);
        // The echo of the message sent after the ping proves the ping was read (TCP keeps order).
        QVERIFY2(QTest::qWaitFor([&] { return client.messages().contains(u"after the ping"_s); }, WaitMs),
                 qPrintable(client.transcript()));
        QTest::qWait(300);
        QCOMPARE(client.waitFor(u"pong"_s, 0, 10), -1);
        QCOMPARE(countOf(*log, EventKind::Ping, Direction::Incoming), 1);
        QCOMPARE(countOf(*log, EventKind::Pong, Direction::Outgoing), 0);
        QVERIFY(hasInfo(*log, u"ping not answered"_s));
        for (const FrameEvent &event : eventsOf(*log))
            if (event.kind == EventKind::Ping)
                QCOMPARE(event.data, "are-you-there"_ba);
        client.send(u"CLOSE"_s);
        QVERIFY(client.waitFor(u"close"_s) >= 0);
    }

    // {"ignoreAfter": 1}: the first ping is answered (and both show in the log), the second not.
    void pingsAnsweredThenIgnored_data()
    {
        QTest::addColumn<PeerProcess::Kind>("kind");
        QTest::newRow("node") << PeerProcess::Kind::Node;
        QTest::newRow("python") << PeerProcess::Kind::Python;
    }
    void pingsAnsweredThenIgnored()
    {
        QFETCH(PeerProcess::Kind, kind);
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(kind, url(u"/once"_s), {}, &error), qPrintable(error));
        QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
        const std::shared_ptr<FrameLog> log = m_server->clientLog(waitForClient(accepted));
        client.send(u"PING one"_s);
        const int pong = client.waitFor(u"pong"_s);
        QVERIFY2(pong >= 0, qPrintable(client.transcript()));
        QCOMPARE(client.events().at(pong).value(u"data"_s).toString(), u"one"_s);
        client.send(u"PING two"_s);
        QVERIFY(QTest::qWaitFor([&] { return countOf(*log, EventKind::Ping, Direction::Incoming) == 2; }, WaitMs));
        QTest::qWait(kind == PeerProcess::Kind::Python ? 1300 : 300);
        QCOMPARE(client.waitFor(u"pong"_s, pong + 1, 10), -1);
        if (kind == PeerProcess::Kind::Python)
            QVERIFY2(client.waitFor(u"no pong"_s, 0, 10) >= 0, qPrintable(client.transcript()));
        QCOMPARE(countOf(*log, EventKind::Pong, Direction::Outgoing), 1);
        client.send(u"CLOSE"_s);
        QVERIFY(client.waitFor(u"close"_s) >= 0);
    }

    // A rule turns pings off, another on again; the client's pongs show in the log too.
    void rulesSwitchPings()
    {
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(PeerProcess::Kind::Node, url(u"/bytes"_s), {}, &error), qPrintable(error));
        QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
        const std::shared_ptr<FrameLog> log = m_server->clientLog(waitForClient(accepted));
        client.send(u"PING a"_s);
        const int first = client.waitFor(u"pong"_s);
        QVERIFY2(first >= 0, qPrintable(client.transcript()));
        client.send(u"hush"_s);
        client.send(u"PING b"_s);
        client.send(u"speak"_s);
        QVERIFY(QTest::qWaitFor([&] { return client.messages().contains(u"speaking"_s); }, WaitMs));
        client.send(u"PING c"_s);
        const int second = client.waitFor(u"pong"_s, first + 1);
        QVERIFY2(second >= 0, qPrintable(client.transcript()));
        QCOMPARE(client.events().at(second).value(u"data"_s).toString(), u"c"_s);
        QCOMPARE(countOf(*log, EventKind::Ping, Direction::Incoming), 3);
        QCOMPARE(countOf(*log, EventKind::Pong, Direction::Outgoing), 2);
        QVERIFY(hasInfo(*log, u"pings ignored from now on"_s));
        QVERIFY(hasInfo(*log, u"pings answered from now on"_s));
        client.send(u"CLOSE"_s);
        QVERIFY(client.waitFor(u"close"_s) >= 0);
    }

    // Python's websockets gets binary replies byte for byte: base64, hex with a variable, and
    // a binary message matched by a rule and answered with its own bytes behind one more.
    void binaryReplies_data()
    {
        QTest::addColumn<PeerProcess::Kind>("kind");
        QTest::newRow("python") << PeerProcess::Kind::Python;
        QTest::newRow("node") << PeerProcess::Kind::Node;
    }
    void binaryReplies()
    {
        QFETCH(PeerProcess::Kind, kind);
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(kind, url(u"/bytes"_s), {}, &error), qPrintable(error));
        QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
        const std::shared_ptr<FrameLog> log = m_server->clientLog(waitForClient(accepted));
        const auto hexOfMessage = [&](int from) {
            const int at = client.waitFor(u"message"_s, from);
            return at < 0 ? QString() : client.events().at(at).value(u"hex"_s).toString();
        };
        client.send(u"bytes"_s);
        QCOMPARE(hexOfMessage(0), u"000102fdfeff80"_s);
        client.send(u"hex"_s);
        QCOMPARE(hexOfMessage(2), u"deadbeef"_s);
        client.send(u"BINARY 0102"_s);
        QVERIFY(QTest::qWaitFor([&] { return client.events().size() >= 4; }, WaitMs));
        QCOMPARE(client.events().last().value(u"hex"_s).toString(), u"ff0102"_s);
        // Unmatched binary is echoed as binary.
        client.send(u"BINARY 00ff10"_s);
        QVERIFY(QTest::qWaitFor([&] { return client.events().size() >= 5; }, WaitMs));
        QCOMPARE(client.events().last().value(u"hex"_s).toString(), u"00ff10"_s);
        QCOMPARE(m_server->ruleHits(2, 2), 1);
        QCOMPARE(countOf(*log, EventKind::Binary, Direction::Outgoing), 4);
        QCOMPARE(countOf(*log, EventKind::Binary, Direction::Incoming), 2);
        client.send(u"CLOSE"_s);
        QVERIFY(client.waitFor(u"close"_s) >= 0);
    }

    // wsprobe's own engine auto-pings a mock that ignores pings: it gives up with its own
    // error ("no pong for 2 pings") and closes with 1001.
    void enginePingTimesOut()
    {
        SessionSettings settings;
        settings.url = url(u"/quiet"_s);
        settings.autoPingIntervalMs = 100;
        settings.maxMissedPongs = 2;
        Session session(settings);
        QSignalSpy finished(&session, &Session::finished);
        session.open();
        QVERIFY(finished.wait(WaitMs) || finished.size() == 1);
        bool timedOut = false;
        int pongs = 0;
        for (qint64 s = session.log()->firstSequence(); s < session.log()->endSequence(); ++s) {
            const FrameEvent event = session.log()->at(s);
            timedOut = timedOut || (event.kind == EventKind::Error && event.error == ErrorKind::Timeout
                                    && event.text.contains(u"no pong for 2 pings"_s));
            pongs += event.kind == EventKind::Pong ? 1 : 0;
        }
        QVERIFY(timedOut);
        QCOMPARE(pongs, 0);
        QCOMPARE(session.lastClose().code, 1001);
    }

    // The same engine against a route that answers: pongs with their round trip.
    void enginePingAnswered()
    {
        SessionSettings settings;
        settings.url = url(u"/bytes"_s);
        Session session(settings);
        QSignalSpy opened(&session, &Session::opened);
        session.open();
        QVERIFY(opened.wait(WaitMs) || opened.size() == 1);
        QVERIFY(session.ping("hi"));
        QVERIFY(QTest::qWaitFor([&] {
            for (qint64 s = session.log()->firstSequence(); s < session.log()->endSequence(); ++s)
                if (session.log()->at(s).kind == EventKind::Pong && session.log()->at(s).rttNs >= 0)
                    return true;
            return false;
        }, WaitMs));
        QSignalSpy finished(&session, &Session::finished);
        session.close(1000);
        QVERIFY(finished.wait(WaitMs) || finished.size() == 1);
    }

    // Requests the gate lets through but core/wire refuses: a version other than 13 (426,
    // naming 13) and a missing key (400).
    void badUpgradesRefused_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("version 8") << upgradeRequest("/quiet", "8") << "426"_ba;
        QByteArray noKey = upgradeRequest("/quiet");
        noKey.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "");
        QTest::newRow("no key") << noKey << "400"_ba;
    }
    void badUpgradesRefused()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, status);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket.waitForConnected(WaitMs));
        socket.write(request);
        const QByteArray answer = readUntil(socket, [](const QByteArray &b) { return b.contains("\r\n\r\n"); });
        QVERIFY2(answer.startsWith("HTTP/1.1 " + status), answer.constData());
        if (status == "426")
            QVERIFY(answer.contains("Sec-WebSocket-Version: 13"));
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, WaitMs));
        QCOMPARE(m_server->clientCount(), 0);
    }

    // A fragmented message with a ping between its fragments, from a raw socket: the mock puts
    // the message together (and echoes it whole), answers the ping in between, and answers a
    // close frame without a code with an empty one.
    void fragmentsAndControlFrames()
    {
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        QSignalSpy ended(m_server.get(), &MockServer::clientEnded);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket.waitForConnected(WaitMs));
        socket.write(upgradeRequest("/bytes"));
        QByteArray bytes = readUntil(socket, [](const QByteArray &b) { return b.contains("\r\n\r\n"); });
        QVERIFY2(bytes.startsWith("HTTP/1.1 101"), bytes.constData());
        const std::shared_ptr<FrameLog> log = m_server->clientLog(waitForClient(accepted));
        // "héllo" cut inside the é.
        const QByteArray text = "h\xC3\xA9llo"_ba;
        socket.write(FrameWriter::clientFrame(WireOpcode::Text, text.left(2), 0x11223344, false)
                     + FrameWriter::clientFrame(WireOpcode::Ping, "between", 0x55667788)
                     + FrameWriter::clientFrame(WireOpcode::Continuation, text.mid(2), 0x99AABBCC, true));
        const QByteArray pong = FrameWriter::serverFrame(WireOpcode::Pong, "between");
        const QByteArray echo = FrameWriter::serverFrame(WireOpcode::Text, text);
        bytes = readUntil(socket, [&](const QByteArray &b) { return b.contains(pong) && b.contains(echo); });
        QVERIFY2(bytes.indexOf(pong) >= 0 && bytes.indexOf(pong) < bytes.indexOf(echo), bytes.toHex().constData());
        QCOMPARE(countOf(*log, EventKind::Text, Direction::Incoming), 1);
        QCOMPARE(countOf(*log, EventKind::Ping, Direction::Incoming), 1);

        socket.write(FrameWriter::clientFrame(WireOpcode::Close, {}, 0x01020304));
        bytes = readUntil(socket, [](const QByteArray &b) { return b.size() >= 2; });
        QCOMPARE(bytes, "\x88\x00"_ba);
        QVERIFY(QTest::qWaitFor([&] { return ended.size() == 1; }, WaitMs));
        QCOMPARE(ended.at(0).at(1).toInt(), 1005);
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, WaitMs));
    }

    // A client frame without a mask: the mock closes with 1002 and logs why.
    void unmaskedFrameClosesWith1002()
    {
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        QSignalSpy ended(m_server.get(), &MockServer::clientEnded);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket.waitForConnected(WaitMs));
        socket.write(upgradeRequest("/quiet"));
        const QByteArray answer = readUntil(socket, [](const QByteArray &b) { return b.contains("\r\n\r\n"); });
        QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
        QVERIFY(answer.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY(answer.contains("\r\nX-Mock: tail be ef\r\n"));  // "responseHeaders", expanded
        const std::shared_ptr<FrameLog> log = m_server->clientLog(waitForClient(accepted));
        bool headerLogged = false;
        for (const FrameEvent &event : eventsOf(*log))
            headerLogged = headerLogged || (event.kind == EventKind::Handshake && event.httpStatus == 101
                                            && event.text.contains(u"X-Mock: tail be ef"_s));
        QVERIFY(headerLogged);
        socket.write("\x81\x02hi");
        const QByteArray close = readUntil(socket, [](const QByteArray &b) { return b.size() >= 4; });
        QVERIFY2(close.startsWith("\x88"), close.toHex().constData());
        QCOMPARE(int((quint8(close.at(2)) << 8) | quint8(close.at(3))), 1002);
        QVERIFY(QTest::qWaitFor([&] { return ended.size() == 1; }, WaitMs) || socket.state() != QAbstractSocket::ConnectedState);
        socket.abort();
        QVERIFY(QTest::qWaitFor([&] { return ended.size() == 1; }, WaitMs));
        QCOMPARE(ended.at(0).at(1).toInt(), 1002);
        bool logged = false;
        for (const FrameEvent &event : eventsOf(*log))
            logged = logged || (event.kind == EventKind::Error && event.text.contains(u"unmasked"_s));
        QVERIFY(logged);
    }
};

QTEST_GUILESS_MAIN(TestMockWire)
#include "tst_mockwire.moc"
