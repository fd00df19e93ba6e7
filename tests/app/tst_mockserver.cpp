// The mock server as clients nobody here wrote see it: Node's ws and Python's websockets
// (tests/app/mock_client.{js,py}) against the shipped example mocks and a mock of the test's
// own, served in-process (MockServer) and by `wsprobe-run --serve`; and wsprobe's own client
// scenario against it. Loopback only; every wait bounded; every process ends with its test.

#include "mockscriptreader.h"
#include "mockserver.h"
#include "peerprocess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int WaitMs = 10000;

QString sourcePath(const QString &relative)
{
    return PeerProcess::sourceDir() + u'/' + relative;
}

QString wsprobeRun()
{
    return QStringLiteral(WSPROBE_BINARY_DIR "/bin/wsprobe-run");
}

// One third-party client: what it saw, one JSON object a line.
class Client
{
public:
    ~Client()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(3000);
        }
    }

    bool start(PeerProcess::Kind kind, const QUrl &url, const QStringList &options, QString *error)
    {
        const PeerProcess::Interpreter interpreter =
                PeerProcess::findInterpreter(kind, WaitMs, error);
        if (interpreter.program.isEmpty())
            return false;
        const QString script = kind == PeerProcess::Kind::Node ? u"mock_client.js"_s
                                                               : u"mock_client.py"_s;
        m_process.setProcessEnvironment(interpreter.environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            while (m_process.canReadLine()) {
                const QJsonObject event = QJsonDocument::fromJson(m_process.readLine()).object();
                if (!event.isEmpty())
                    m_events.append(event);
            }
        });
        m_process.start(interpreter.program,
                        QStringList{QStringLiteral(WSPROBE_TEST_DIR "/") + script, url.toString()}
                                + options);
        if (!m_process.waitForStarted(WaitMs)) {
            *error = m_process.errorString();
            return false;
        }
        return true;
    }

    void send(const QString &line) { m_process.write(line.toUtf8() + '\n'); }

    // Waits for the first event of that kind from index `from` on; returns its index or -1.
    int waitFor(const QString &kind, int from = 0)
    {
        int found = -1;
        (void)QTest::qWaitFor(  // a timeout shows as -1
                [&] {
                    for (int i = from; i < m_events.size() && found < 0; ++i)
                        if (m_events.at(i).value(u"event"_s).toString() == kind)
                            found = i;
                    return found >= 0;
                },
                WaitMs);
        return found;
    }

    // The data of the messages received so far, in order.
    QStringList messages() const
    {
        QStringList result;
        for (const QJsonObject &event : m_events)
            if (event.value(u"event"_s).toString() == "message"_L1)
                result.append(event.value(u"data"_s).toString());
        return result;
    }
    bool waitForMessages(int count)
    {
        return QTest::qWaitFor([&] { return messages().size() >= count; }, WaitMs);
    }
    const QList<QJsonObject> &events() const { return m_events; }
    QString transcript() const
    {
        QStringList lines;
        for (const QJsonObject &event : m_events)
            lines.append(QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact)));
        return lines.join(u'\n') + u"\nstderr: "_s
                + QString::fromUtf8(const_cast<QProcess &>(m_process).readAllStandardError());
    }

private:
    QProcess m_process;
    QList<QJsonObject> m_events;
};

// The server under test: in-process, or `wsprobe-run --serve` as a process.
class Server
{
public:
    ~Server() { stop(); }

    bool start(const QString &file, bool asProcess, QString *error,
               const QStringList &extraArguments = {})
    {
        if (!asProcess) {
            QList<JsonError> errors;
            std::optional<MockScript> script = MockScriptReader::readFile(file, &errors);
            if (!script) {
                *error = errors.isEmpty() ? u"?"_s : errors.front().toString();
                return false;
            }
            m_server = std::make_unique<MockServer>(std::move(*script));
            if (!m_server->listen(0)) {
                *error = m_server->errorString();
                return false;
            }
            m_url = m_server->url();
            return true;
        }
        m_process = std::make_unique<QProcess>();
        m_process->start(wsprobeRun(), QStringList{u"--serve"_s, file, u"--port"_s, u"0"_s}
                                               + extraArguments);
        if (!QTest::qWaitFor([&] { return m_process->canReadLine()
                                          || m_process->state() == QProcess::NotRunning; },
                             WaitMs)
            || !m_process->canReadLine()) {
            *error = u"no URL from wsprobe-run --serve: "_s
                    + QString::fromUtf8(m_process->readAllStandardError());
            return false;
        }
        m_url = QUrl(QString::fromUtf8(m_process->readLine()).trimmed());
        return m_url.isValid() && m_url.host() == "127.0.0.1"_L1;
    }

    // For a process: SIGTERM, and whether it then ended cleanly (exit code 0).
    bool stop()
    {
        m_server.reset();
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return true;
        m_process->terminate();
        const bool ended = m_process->waitForFinished(5000);
        if (!ended) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
        const bool clean = ended && m_process->exitStatus() == QProcess::NormalExit
                && m_process->exitCode() == 0;
        m_process.reset();
        return clean;
    }

    QUrl url(const QString &path) const
    {
        QUrl url = m_url;
        url.setPath(path);
        return url;
    }

private:
    std::unique_ptr<MockServer> m_server;
    std::unique_ptr<QProcess> m_process;
    QUrl m_url;
};

QJsonObject json(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

} // namespace

class TestMockServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paymentsFlow_data();
    void paymentsFlow();
    void broadcastToTheRoom();
    void closeCodesAsClientsSeeThem_data();
    void closeCodesAsClientsSeeThem();
    void gate_data();
    void gate();
    void unmatchedEchoOrClose1003_data();
    void unmatchedEchoOrClose1003();
    void droppedConnection();
    void timerSendsCountTimes();
    void wsprobeScenarioAgainstTheMock();
    void brokenFileSaysWhere();
};

void TestMockServer::paymentsFlow_data()
{
    QTest::addColumn<PeerProcess::Kind>("kind");
    QTest::addColumn<bool>("asProcess");
    QTest::newRow("node, in-process") << PeerProcess::Kind::Node << false;
    QTest::newRow("python, in-process") << PeerProcess::Kind::Python << false;
    QTest::newRow("node, wsprobe-run --serve") << PeerProcess::Kind::Node << true;
    QTest::newRow("python, wsprobe-run --serve") << PeerProcess::Kind::Python << true;
}

void TestMockServer::paymentsFlow()
{
    QFETCH(PeerProcess::Kind, kind);
    QFETCH(bool, asProcess);
    Server server;
    QString error;
    QVERIFY2(server.start(sourcePath(u"examples/payments.mock.json"_s), asProcess, &error),
             qPrintable(error));
    Client client;
    QVERIFY2(client.start(kind, server.url(u"/payments"_s), {}, &error), qPrintable(error));
    QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));

    client.send(u"{\"initiate_payment\": true}"_s);
    QVERIFY2(client.waitForMessages(1), qPrintable(client.transcript()));
    QCOMPARE(json(client.messages().at(0)),
             json(u"{\"payment_methods\": [\"card\", \"paypal\", \"bank_transfer\"]}"_s));

    client.send(u"{\"initiate_payment\": \"paypal\"}"_s);
    QVERIFY2(client.waitForMessages(3), qPrintable(client.transcript()));
    QCOMPARE(json(client.messages().at(1)),
             json(u"{\"payment_page\": \"https://pay.example.com/checkout/paypal\", \"method\": \"paypal\"}"_s));
    QCOMPARE(json(client.messages().at(2)), json(u"{\"state\": \"FULFILL\"}"_s));
    // The client's own clock: FULFILL comes 200 ms after the payment page, not before.
    const QList<QJsonObject> &events = client.events();
    const qsizetype page = events.size() - 1 - 1;
    const double gapMs = events.at(page + 1).value(u"t"_s).toDouble()
            - events.at(page).value(u"t"_s).toDouble();
    QVERIFY2(gapMs >= 190 && gapMs < 2000, qPrintable(u"FULFILL came %1 ms after the page"_s.arg(gapMs)));

    client.send(u"{\"cancel\": true}"_s);
    const int close = client.waitFor(u"close"_s);
    QVERIFY2(close >= 0, qPrintable(client.transcript()));
    QCOMPARE(json(client.messages().at(3)), json(u"{\"state\": \"CANCEL\"}"_s));
    QCOMPARE(client.events().at(close).value(u"code"_s).toInt(), 1000);
    QCOMPARE(client.events().at(close).value(u"reason"_s).toString(), u"payment cancelled"_s);
    QVERIFY2(server.stop(), "wsprobe-run --serve did not end cleanly on SIGTERM");
}

void TestMockServer::broadcastToTheRoom()
{
    Server server;
    QString error;
    QVERIFY2(server.start(sourcePath(u"examples/chat.mock.json"_s), true, &error), qPrintable(error));
    Client node;
    Client python;
    QVERIFY2(node.start(PeerProcess::Kind::Node, server.url(u"/chat"_s), {}, &error), qPrintable(error));
    QVERIFY2(python.start(PeerProcess::Kind::Python, server.url(u"/chat"_s), {}, &error), qPrintable(error));
    QVERIFY2(node.waitForMessages(1), qPrintable(node.transcript()));
    QVERIFY2(python.waitForMessages(1), qPrintable(python.transcript()));
    QCOMPARE(json(node.messages().at(0)), json(u"{\"type\": \"welcome\", \"room\": \"room\"}"_s));

    python.send(u"{\"say\": \"hello, room\"}"_s);
    QVERIFY2(node.waitForMessages(2), qPrintable(node.transcript()));
    QVERIFY2(python.waitForMessages(2), qPrintable(python.transcript()));
    const QJsonObject said = json(u"{\"from\": \"room\", \"text\": \"hello, room\"}"_s);
    QCOMPARE(json(node.messages().at(1)), said);
    QCOMPARE(json(python.messages().at(1)), said);

    // "/me" goes to the others only: node's next message is what it says next itself.
    node.send(u"/me waves"_s);
    QVERIFY2(python.waitForMessages(3), qPrintable(python.transcript()));
    QCOMPARE(python.messages().at(2), u"* waves"_s);
    node.send(u"{\"say\": \"again\"}"_s);
    QVERIFY2(node.waitForMessages(3), qPrintable(node.transcript()));
    QCOMPARE(json(node.messages().at(2)), json(u"{\"from\": \"room\", \"text\": \"again\"}"_s));
    QVERIFY(server.stop());
}

void TestMockServer::closeCodesAsClientsSeeThem_data()
{
    QTest::addColumn<PeerProcess::Kind>("kind");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("messagesToSend");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("minimumMs");  // after open, on the client's clock

    const QStringList bearer{u"--header"_s, u"Authorization: Bearer let-me-in"_s};
    for (const PeerProcess::Kind kind : {PeerProcess::Kind::Node, PeerProcess::Kind::Python}) {
        const QString name = PeerProcess::name(kind);
        QTest::addRow("%s, 4001 token expired", qPrintable(name))
                << kind << u"auth.mock.json"_s << u"/session"_s << bearer << 0 << 4001
                << u"token expired"_s << 950;
        QTest::addRow("%s, 4008 rate limit", qPrintable(name))
                << kind << u"ratelimit.mock.json"_s << u"/quotes"_s << QStringList() << 5 << 4008
                << u"rate limit: 5 messages a second"_s << 0;
    }
}

void TestMockServer::closeCodesAsClientsSeeThem()
{
    QFETCH(PeerProcess::Kind, kind);
    QFETCH(QString, file);
    QFETCH(QString, path);
    QFETCH(QStringList, options);
    QFETCH(int, messagesToSend);
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(int, minimumMs);

    Server server;
    QString error;
    QVERIFY2(server.start(sourcePath(u"examples/"_s + file), false, &error), qPrintable(error));
    Client client;
    QVERIFY2(client.start(kind, server.url(path), options, &error), qPrintable(error));
    const int open = client.waitFor(u"open"_s);
    QVERIFY2(open >= 0, qPrintable(client.transcript()));
    for (int i = 0; i < messagesToSend; ++i)
        client.send(u"{\"quote\": \"WSP%1\"}"_s.arg(i));
    const int close = client.waitFor(u"close"_s);
    QVERIFY2(close >= 0, qPrintable(client.transcript()));
    QCOMPARE(client.events().at(close).value(u"code"_s).toInt(), code);
    QCOMPARE(client.events().at(close).value(u"reason"_s).toString(), reason);
    QCOMPARE(client.messages().size(), messagesToSend);  // the fifth is still answered
    if (messagesToSend > 0)
        QCOMPARE(json(client.messages().last()), json(u"{\"symbol\": \"WSP4\", \"price\": 101.5}"_s));
    const double elapsed = client.events().at(close).value(u"t"_s).toDouble()
            - client.events().at(open).value(u"t"_s).toDouble();
    QVERIFY2(elapsed >= minimumMs, qPrintable(u"closed after %1 ms"_s.arg(elapsed)));
}

void TestMockServer::gate_data()
{
    QTest::addColumn<PeerProcess::Kind>("kind");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("status");  // 0: accepted
    QTest::addColumn<QString>("protocol");

    for (const PeerProcess::Kind kind : {PeerProcess::Kind::Node, PeerProcess::Kind::Python}) {
        const QString name = PeerProcess::name(kind);
        QTest::addRow("%s, no key: 403", qPrintable(name)) << kind << QStringList() << 403 << QString();
        QTest::addRow("%s, wrong key: 403", qPrintable(name))
                << kind << QStringList{u"--header"_s, u"X-Api-Key: k-999"_s} << 403 << QString();
        QTest::addRow("%s, key: accepted, subprotocol chosen", qPrintable(name))
                << kind
                << QStringList{u"--header"_s, u"X-Api-Key: k-123"_s, u"--protocol"_s, u"other"_s,
                               u"--protocol"_s, u"chat.v1"_s}
                << 0 << u"chat.v1"_s;
    }
}

void TestMockServer::gate()
{
    QFETCH(PeerProcess::Kind, kind);
    QFETCH(QStringList, options);
    QFETCH(int, status);
    QFETCH(QString, protocol);

    Server server;
    QString error;
    QVERIFY2(server.start(QStringLiteral(WSPROBE_TEST_DIR "/mock/gate.mock.json"), false, &error),
             qPrintable(error));
    Client client;
    QVERIFY2(client.start(kind, server.url(u"/echo"_s), options, &error), qPrintable(error));
    if (status != 0) {
        const int rejected = client.waitFor(u"rejected"_s);
        QVERIFY2(rejected >= 0, qPrintable(client.transcript()));
        QCOMPARE(client.events().at(rejected).value(u"status"_s).toInt(), status);
        return;
    }
    const int open = client.waitFor(u"open"_s);
    QVERIFY2(open >= 0, qPrintable(client.transcript()));
    QCOMPARE(client.events().at(open).value(u"protocol"_s).toString(), protocol);
    client.send(u"quit"_s);
    const int close = client.waitFor(u"close"_s);
    QVERIFY2(close >= 0, qPrintable(client.transcript()));
    QCOMPARE(client.events().at(close).value(u"code"_s).toInt(), 1000);
    QCOMPARE(client.events().at(close).value(u"reason"_s).toString(), u"bye"_s);
}

void TestMockServer::unmatchedEchoOrClose1003_data()
{
    QTest::addColumn<PeerProcess::Kind>("kind");
    QTest::newRow("node") << PeerProcess::Kind::Node;
    QTest::newRow("python") << PeerProcess::Kind::Python;
}

void TestMockServer::unmatchedEchoOrClose1003()
{
    QFETCH(PeerProcess::Kind, kind);
    Server server;
    QString error;
    QVERIFY2(server.start(QStringLiteral(WSPROBE_TEST_DIR "/mock/gate.mock.json"), true, &error),
             qPrintable(error));

    Client echo;
    QVERIFY2(echo.start(kind, server.url(u"/echo"_s), {u"--header"_s, u"X-Api-Key: k-123"_s}, &error),
             qPrintable(error));
    QVERIFY2(echo.waitFor(u"open"_s) >= 0, qPrintable(echo.transcript()));
    echo.send(u"anything at all"_s);
    QVERIFY2(echo.waitForMessages(1), qPrintable(echo.transcript()));
    QCOMPARE(echo.messages().at(0), u"anything at all"_s);

    Client strict;
    QVERIFY2(strict.start(kind, server.url(u"/strict"_s), {}, &error), qPrintable(error));
    QVERIFY2(strict.waitFor(u"open"_s) >= 0, qPrintable(strict.transcript()));
    strict.send(u"{\"type\": \"ping\", \"id\": 42}"_s);
    QVERIFY2(strict.waitForMessages(1), qPrintable(strict.transcript()));
    QCOMPARE(json(strict.messages().at(0)), json(u"{\"type\": \"pong\", \"id\": 42}"_s));
    strict.send(u"{\"type\": \"subscribe\"}"_s);
    const int close = strict.waitFor(u"close"_s);
    QVERIFY2(close >= 0, qPrintable(strict.transcript()));
    QCOMPARE(strict.events().at(close).value(u"code"_s).toInt(), 1003);
    QCOMPARE(strict.events().at(close).value(u"reason"_s).toString(), u"unsupported"_s);
    QCOMPARE(strict.messages().size(), 1);

    // A rule that drops the connection, on a route that also counts messages: the client sees
    // 1006, and the server goes on serving.
    echo.send(u"vanish"_s);
    const int dropped = echo.waitFor(u"close"_s);
    QVERIFY2(dropped >= 0, qPrintable(echo.transcript()));
    QCOMPARE(echo.events().at(dropped).value(u"code"_s).toInt(), 1006);
    Client after;
    QVERIFY2(after.start(kind, server.url(u"/echo"_s), {u"--header"_s, u"X-Api-Key: k-123"_s}, &error),
             qPrintable(error));
    QVERIFY2(after.waitFor(u"open"_s) >= 0, qPrintable(after.transcript()));
    after.send(u"still here"_s);
    QVERIFY2(after.waitForMessages(1), qPrintable(after.transcript()));
    QVERIFY(server.stop());
}

void TestMockServer::droppedConnection()
{
    Server server;
    QString error;
    QVERIFY2(server.start(sourcePath(u"examples/auth.mock.json"_s), false, &error), qPrintable(error));
    Client client;
    QVERIFY2(client.start(PeerProcess::Kind::Python, server.url(u"/flaky"_s), {}, &error),
             qPrintable(error));
    QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
    const int close = client.waitFor(u"close"_s);
    QVERIFY2(close >= 0, qPrintable(client.transcript()));
    // No close frame: the client reports the abnormal closure.
    QCOMPARE(client.events().at(close).value(u"code"_s).toInt(), 1006);
}

void TestMockServer::timerSendsCountTimes()
{
    Server server;
    QString error;
    QVERIFY2(server.start(QStringLiteral(WSPROBE_TEST_DIR "/mock/gate.mock.json"), false, &error),
             qPrintable(error));
    Client client;
    QVERIFY2(client.start(PeerProcess::Kind::Node, server.url(u"/ticks"_s), {}, &error),
             qPrintable(error));
    const int close = client.waitFor(u"close"_s);
    QVERIFY2(close >= 0, qPrintable(client.transcript()));
    QCOMPARE(client.events().at(close).value(u"reason"_s).toString(), u"done"_s);
    // Three ticks, 50 ms apart, and none after the third before the close at 400 ms.
    QCOMPARE(client.messages(),
             QStringList(3, u"{\"key\":\"k-123\",\"tick\":true}"_s));
    const QList<QJsonObject> &events = client.events();
    for (int i = 2; i < 4; ++i) {
        const double gap = events.at(i).value(u"t"_s).toDouble() - events.at(i - 1).value(u"t"_s).toDouble();
        QVERIFY2(gap >= 40, qPrintable(u"tick %1 came %2 ms after the one before"_s.arg(i).arg(gap)));
    }
}

void TestMockServer::wsprobeScenarioAgainstTheMock()
{
    Server server;
    QString error;
    QVERIFY2(server.start(sourcePath(u"examples/payments.mock.json"_s), true, &error), qPrintable(error));
    QProcess run;
    run.start(wsprobeRun(), {QStringLiteral(WSPROBE_TEST_DIR "/mock/payments-client.json"),
                             u"--var"_s, u"baseUrl="_s + server.url(QString()).toString()});
    QVERIFY(run.waitForFinished(60000));
    const QString output = QString::fromUtf8(run.readAllStandardOutput() + run.readAllStandardError());
    QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains(u"Totals: 3 passed, 0 failed"_s), qPrintable(output));
    QVERIFY(server.stop());
}

void TestMockServer::brokenFileSaysWhere()
{
    QProcess run;
    run.start(wsprobeRun(), {u"--serve"_s, sourcePath(u"tests/app/mock/broken.mock.json"_s)});
    QVERIFY(run.waitForFinished(WaitMs));
    QCOMPARE(run.exitCode(), 1);
    QVERIFY(run.readAllStandardOutput().isEmpty());
    const QString errors = QString::fromUtf8(run.readAllStandardError());
    QVERIFY2(errors.contains(u"broken.mock.json:6:9: unknown key \"rplay\""_s), qPrintable(errors));
}

QTEST_GUILESS_MAIN(TestMockServer)
#include "tst_mockserver.moc"
