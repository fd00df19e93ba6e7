// What MockServer tells about its clients, and what it lets one do to them: per-client info and
// frame logs, rule hit counts, sendTo, broadcast and closeClient. The clients are Node's ws and
// Python's websockets (tests/app/mock_client.{js,py}), on loopback; every wait is bounded.

#include "framelog.h"
#include "mockclientprocess.h"
#include "mockscriptreader.h"
#include "mockserver.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;

Q_DECLARE_METATYPE(wsprobe::PeerProcess::Kind)

namespace {

constexpr int WaitMs = 10000;

const QString Script = uR"({
  "wsprobe": 1,
  "name": "clients",
  "server": { "routes": { "/room": {
    "subprotocols": ["chat.v1"],
    "onConnect": [{ "text": "hello" }],
    "rules": [
      { "when": { "text": "ping" }, "reply": { "text": "pong" } },
      { "when": { "text": "bye" }, "close": { "code": 4000, "reason": "bye" } }
    ],
    "unmatched": "ignore"
  } } }
})"_s;

// The log's events, copied (FrameLog::at's reference is not to be kept).
QList<FrameEvent> eventsOf(const FrameLog &log)
{
    QList<FrameEvent> events;
    for (qint64 s = log.firstSequence(); s < log.endSequence(); ++s)
        events.append(FrameEvent(log.at(s)));
    return events;
}

bool hasEvent(const FrameLog &log, EventKind kind, Direction direction, const QString &text = {})
{
    for (const FrameEvent &event : eventsOf(log))
        if (event.kind == kind && event.direction == direction
            && (text.isEmpty() || event.text.contains(text)))
            return true;
    return false;
}

} // namespace

class TestMockClients : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MockServer> m_server;

    bool startServer()
    {
        QList<JsonError> errors;
        std::optional<MockScript> script = MockScriptReader::readText(Script, u"clients.mock.json"_s, &errors);
        if (!script)
            return false;
        m_server = std::make_unique<MockServer>(std::move(*script));
        return m_server->listen(0);
    }
    QUrl url() const
    {
        QUrl url = m_server->url();
        url.setPath(u"/room"_s);
        return url;
    }
    void addClientRows()
    {
        QTest::addColumn<PeerProcess::Kind>("kind");
        QTest::newRow("node") << PeerProcess::Kind::Node;
        QTest::newRow("python") << PeerProcess::Kind::Python;
    }

private Q_SLOTS:
    void init() { QVERIFY(startServer()); }
    void cleanup() { m_server.reset(); }

    void infoLogAndHits_data() { addClientRows(); }
    void infoLogAndHits()
    {
        QFETCH(PeerProcess::Kind, kind);
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        QSignalSpy hit(m_server.get(), &MockServer::ruleHit);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(kind, url(),
                              {u"--header"_s, u"Authorization: Bearer s3cr3t-token"_s,
                               u"--protocol"_s, u"chat.v1"_s},
                              &error),
                 qPrintable(error));
        QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
        QVERIFY(accepted.wait(WaitMs) || accepted.size() == 1);
        const quint64 id = accepted.at(0).at(0).value<quint64>();
        QCOMPARE(m_server->clientIds(), QList<quint64>{id});

        const std::optional<MockClientInfo> info = m_server->clientInfo(id);
        QVERIFY(info);
        QCOMPARE(info->path, u"/room"_s);
        QCOMPARE(info->subprotocol, u"chat.v1"_s);
        QCOMPARE(info->peerAddress, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(info->peerPort != 0);
        QVERIFY(info->peer().startsWith(u"127.0.0.1:"_s));
        bool sawAuthorization = false;
        for (const auto &[name, value] : info->headers) {
            QVERIFY2(!value.contains(u"s3cr3t"_s), qPrintable(name + u": "_s + value));
            sawAuthorization = sawAuthorization || name.compare(u"authorization"_s, Qt::CaseInsensitive) == 0;
        }
        QVERIFY(sawAuthorization);

        const std::shared_ptr<FrameLog> log = m_server->clientLog(id);
        QVERIFY(log);
        QVERIFY(hasEvent(*log, EventKind::Handshake, Direction::Incoming, u"Bearer"_s));
        QVERIFY(!hasEvent(*log, EventKind::Handshake, Direction::Incoming, u"s3cr3t"_s));
        QVERIFY(hasEvent(*log, EventKind::Handshake, Direction::Outgoing, u"chat.v1"_s));
        QVERIFY(hasEvent(*log, EventKind::Text, Direction::Outgoing, u"hello"_s));

        client.send(u"ping"_s);
        QVERIFY2(QTest::qWaitFor([&] { return client.messages().contains(u"pong"_s); }, WaitMs),
                 qPrintable(client.transcript()));
        QCOMPARE(m_server->ruleHits(0, 0), 1);
        QCOMPARE(m_server->ruleHits(0, 1), 0);
        QCOMPARE(m_server->ruleHits(5, 0), 0);
        QCOMPARE(hit.size(), 1);
        QCOMPARE(hit.at(0).at(0).toInt(), 0);
        QCOMPARE(hit.at(0).at(1).toInt(), 0);
        QCOMPARE(hit.at(0).at(2).toLongLong(), 1);
        QVERIFY(hasEvent(*log, EventKind::Text, Direction::Incoming, u"ping"_s));
        QVERIFY(hasEvent(*log, EventKind::Info, Direction::Local, u"rule 1"_s));
        QVERIFY(hasEvent(*log, EventKind::Text, Direction::Outgoing, u"pong"_s));
        // In the wire's order: what the client sent before the reply to it.
        const QList<FrameEvent> events = eventsOf(*log);
        qsizetype ping = -1, pong = -1;
        for (qsizetype i = 0; i < events.size(); ++i) {
            if (events.at(i).text == "ping"_L1)
                ping = i;
            if (events.at(i).text == "pong"_L1)
                pong = i;
        }
        QVERIFY(ping >= 0 && ping < pong);

        QSignalSpy unmatched(m_server.get(), &MockServer::unmatched);
        client.send(u"anything"_s);
        QVERIFY(unmatched.wait(WaitMs) || unmatched.size() == 1);
        QCOMPARE(m_server->unmatchedCount(0), 1);

        // The client closes: its code ends the log, and the log outlives the server's record.
        QSignalSpy ended(m_server.get(), &MockServer::clientEnded);
        client.send(u"CLOSE"_s);
        QVERIFY(ended.wait(WaitMs) || ended.size() == 1);
        QCOMPARE(ended.at(0).at(0).value<quint64>(), id);
        QCOMPARE(ended.at(0).at(1).toInt(), 1000);
        QVERIFY(!m_server->clientInfo(id));
        QVERIFY(!m_server->clientLog(id));
        const FrameEvent last = log->at(log->endSequence() - 1);
        QCOMPARE(last.kind, EventKind::Close);
        QCOMPARE(last.direction, Direction::Incoming);
        QCOMPARE(last.closeCode, 1000);
        QCOMPARE(last.closeInitiator, CloseInitiator::Client);
        QVERIFY(client.waitFor(u"close"_s) >= 0);
    }

    void sendToAndBroadcast_data() { addClientRows(); }
    void sendToAndBroadcast()
    {
        QFETCH(PeerProcess::Kind, kind);
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        MockClientProcess first, second;
        QString error;
        QVERIFY2(first.start(kind, url(), {}, &error), qPrintable(error));
        QVERIFY2(second.start(kind, url(), {}, &error), qPrintable(error));
        QVERIFY2(first.waitFor(u"open"_s) >= 0, qPrintable(first.transcript()));
        QVERIFY2(second.waitFor(u"open"_s) >= 0, qPrintable(second.transcript()));
        QVERIFY(QTest::qWaitFor([&] { return accepted.size() == 2; }, WaitMs));
        const QList<quint64> ids = m_server->clientIds();
        QCOMPARE(ids.size(), 2);
        // Which process is which client: the one that gets the message.
        QVERIFY(m_server->sendTo(ids.at(0), u"just you"_s));
        QVERIFY(QTest::qWaitFor([&] {
            return first.messages().contains(u"just you"_s) || second.messages().contains(u"just you"_s);
        }, WaitMs));
        QTest::qWait(200);
        QCOMPARE(int(first.messages().contains(u"just you"_s)) + int(second.messages().contains(u"just you"_s)), 1);
        QVERIFY(hasEvent(*m_server->clientLog(ids.at(0)), EventKind::Text, Direction::Outgoing, u"just you"_s));
        QVERIFY(!hasEvent(*m_server->clientLog(ids.at(1)), EventKind::Text, Direction::Outgoing, u"just you"_s));

        QCOMPARE(m_server->broadcast(u"everyone"_s), 2);
        QVERIFY(QTest::qWaitFor([&] {
            return first.messages().contains(u"everyone"_s) && second.messages().contains(u"everyone"_s);
        }, WaitMs));
        QVERIFY(!m_server->sendTo(9999, u"nobody"_s));
        first.send(u"CLOSE"_s);
        second.send(u"CLOSE"_s);
        QVERIFY(QTest::qWaitFor([&] { return m_server->clientIds().isEmpty(); }, WaitMs));
    }

    void closeClient_data() { addClientRows(); }
    void closeClient()
    {
        QFETCH(PeerProcess::Kind, kind);
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        QSignalSpy ended(m_server.get(), &MockServer::clientEnded);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(kind, url(), {}, &error), qPrintable(error));
        QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
        QVERIFY(QTest::qWaitFor([&] { return accepted.size() == 1; }, WaitMs));
        const quint64 id = accepted.at(0).at(0).value<quint64>();
        const std::shared_ptr<FrameLog> log = m_server->clientLog(id);

        QVERIFY(m_server->closeClient(id, 4001, u"token expired"_s));
        QVERIFY(!m_server->closeClient(id, 4002, u"twice"_s));  // already ending
        const int closed = client.waitFor(u"close"_s);
        QVERIFY2(closed >= 0, qPrintable(client.transcript()));
        QCOMPARE(client.events().at(closed).value(u"code"_s).toInt(), 4001);
        QCOMPARE(client.events().at(closed).value(u"reason"_s).toString(), u"token expired"_s);
        QVERIFY(QTest::qWaitFor([&] { return ended.size() == 1; }, WaitMs));
        QCOMPARE(ended.at(0).at(1).toInt(), 4001);
        QCOMPARE(ended.at(0).at(2).toString(), u"token expired"_s);

        QVERIFY(hasEvent(*log, EventKind::Close, Direction::Outgoing, u"token expired"_s));
        const FrameEvent last = log->at(log->endSequence() - 1);
        QCOMPARE(last.kind, EventKind::Close);
        QCOMPARE(last.closeCode, 4001);
        QCOMPARE(last.closeInitiator, CloseInitiator::Server);
        QVERIFY(!m_server->closeClient(id, 4001, {}));  // gone
    }

    // A rule's close is logged like the user's: the close frame, then the end.
    void ruleCloseIsLogged()
    {
        QSignalSpy accepted(m_server.get(), &MockServer::clientAccepted);
        QSignalSpy ended(m_server.get(), &MockServer::clientEnded);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(PeerProcess::Kind::Python, url(), {}, &error), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return accepted.size() == 1; }, WaitMs));
        const std::shared_ptr<FrameLog> log = m_server->clientLog(accepted.at(0).at(0).value<quint64>());
        client.send(u"bye"_s);
        QVERIFY(QTest::qWaitFor([&] { return ended.size() == 1; }, WaitMs));
        QCOMPARE(ended.at(0).at(1).toInt(), 4000);
        QCOMPARE(m_server->ruleHits(0, 1), 1);
        QVERIFY(hasEvent(*log, EventKind::Close, Direction::Outgoing, u"bye"_s));
        QCOMPARE(FrameEvent(log->at(log->endSequence() - 1)).closeCode, 4000);
        QVERIFY(client.waitFor(u"close"_s) >= 0);
    }
};

QTEST_GUILESS_MAIN(TestMockClients)
#include "tst_mockclients.moc"
