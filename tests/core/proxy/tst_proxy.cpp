// The intercepting proxy between real peers: Debian's node `ws` as the client (node_client.js)
// and python3-websockets as the server (tests/peers/python_server.py).
#include "frameevent.h"
#include "framelog.h"
#include "jsonschemavalidator.h"
#include "peerprocess.h"
#include "proxyconnection.h"
#include "proxyrules.h"
#include "proxyserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

// A node `ws` client driven line by line (see node_client.js).
class NodeClient
{
public:
    ~NodeClient()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.closeWriteChannel();
            if (!m_process.waitForFinished(2000)) {
                m_process.kill();
                m_process.waitForFinished(2000);
            }
        }
    }

    bool start(const QUrl &url, const QString &protocols, QString *error)
    {
        const PeerProcess::Interpreter node =
                PeerProcess::findInterpreter(PeerProcess::Kind::Node, Timeout, error);
        if (node.program.isEmpty())
            return false;
        m_process.setProcessEnvironment(node.environment);
        m_process.start(node.program,
                        {PeerProcess::sourceDir() + u"/tests/core/proxy/node_client.js"_s,
                         url.toString(), protocols});
        return m_process.waitForStarted(Timeout);
    }

    void send(const QJsonObject &command)
    {
        m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
    }

    // Reports read so far.
    const QList<QJsonObject> &reports()
    {
        while (m_process.canReadLine())
            m_reports.append(QJsonDocument::fromJson(m_process.readLine()).object());
        return m_reports;
    }
    std::optional<QJsonObject> find(const QString &key)
    {
        for (const QJsonObject &report : reports())
            if (report.contains(key))
                return report;
        return std::nullopt;
    }
    QStringList messages()
    {
        QStringList result;
        for (const QJsonObject &report : reports())
            if (report.contains(u"message"_s))
                result.append(report.value(u"message"_s).toString());
        return result;
    }
    QString dump()
    {
        QStringList lines;
        for (const QJsonObject &report : reports())
            lines.append(QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Compact)));
        return lines.join(u'\n') + u"\nstderr: "_s + QString::fromUtf8(m_process.readAllStandardError());
    }

private:
    QProcess m_process;
    QList<QJsonObject> m_reports;
};

ProxyRules rulesFrom(const char *json)
{
    QList<JsonError> errors;
    std::optional<ProxyRules> rules = ProxyRulesReader::readText(QByteArray(json), u"rules.json"_s, &errors);
    if (!rules) {
        for (const JsonError &error : errors)
            qWarning("%s", qPrintable(error.toString()));
        return {};
    }
    return *rules;
}

QList<FrameEvent> messagesOf(const FrameLog &log, Direction direction)
{
    QList<FrameEvent> result;
    for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
        const FrameEvent event = log.at(i);
        if (event.isMessage() && event.direction == direction)
            result.append(event);
    }
    return result;
}

} // namespace

class TestProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_python.start(PeerProcess::Kind::Python, Timeout), qPrintable(m_python.errorString()));
    }

    void cleanupTestCase() { m_python.stop(); }

    void passesMessagesSubprotocolAndCloses()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        QVERIFY2(proxy.listen(QHostAddress::LocalHost, 0), qPrintable(proxy.errorString()));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/echo"_s);
        QVERIFY2(client.start(url, u"chat.v1"_s, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        QCOMPARE(client.find(u"open"_s)->value(u"open"_s).toString(), u"chat.v1"_s);
        client.send({{u"send"_s, u"hello"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(client.messages(), QStringList{u"hello"_s}, Timeout);
        client.send({{u"close"_s, QJsonArray{4001, u"bye"_s}}});
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"close"_s), qPrintable(client.dump()), Timeout);
        QCOMPARE(client.find(u"close"_s)->value(u"close"_s).toArray().at(0).toInt(), 4001);

        QCOMPARE(proxy.connections().size(), 1);
        ProxyConnection *connection = proxy.connections().first();
        QTRY_VERIFY_WITH_TIMEOUT(connection->isFinished(), Timeout);
        QCOMPARE(connection->upstreamUrl().path(), u"/echo"_s);
        const FrameLog &log = *connection->log();
        const QList<FrameEvent> out = messagesOf(log, Direction::Outgoing);
        const QList<FrameEvent> in = messagesOf(log, Direction::Incoming);
        QCOMPARE(out.size(), 1);
        QCOMPARE(in.size(), 1);
        QCOMPARE(out.first().text, u"hello"_s);
        QCOMPARE(in.first().text, u"hello"_s);
        for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
            if (const ProxyFate *fate = connection->fate(i))
                QVERIFY(fate->forwardedNs >= fate->receivedNs);
        }
        // The server saw the client's close code.
        NodeClient probe;
        url.setPath(u"/lastclose"_s);
        QVERIFY2(probe.start(m_python.url(u"/lastclose"_s), {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(!probe.messages().isEmpty(), qPrintable(probe.dump()), Timeout);
        const QJsonObject last = QJsonDocument::fromJson(probe.messages().first().toUtf8()).object();
        QCOMPARE(last.value(u"code"_s).toInt(), 4001);
        QCOMPARE(last.value(u"reason"_s).toString(), u"bye"_s);
    }

    void passesTheServers101HeadersAndPingsBothWays()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/ping"_s);
        url.setQuery(u"respond_header=X-Peer-Extra:from-python&ping=server-ping"_s);
        QVERIFY2(client.start(url, u"chat.v1"_s, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        const QJsonObject headers = client.find(u"open"_s)->value(u"headers"_s).toObject();
        QCOMPARE(headers.value(u"x-peer-extra"_s).toString(), u"from-python"_s);
        QCOMPARE(headers.value(u"sec-websocket-protocol"_s).toString(), u"chat.v1"_s);
        // The server's ping reaches the client; the client's ping gets the server's pong.
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"ping"_s), qPrintable(client.dump()), Timeout);
        QCOMPARE(client.find(u"ping"_s)->value(u"ping"_s).toString(), u"server-ping"_s);
        client.send({{u"ping"_s, u"client-ping"_s}});
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"pong"_s), qPrintable(client.dump()), Timeout);
        QCOMPARE(client.find(u"pong"_s)->value(u"pong"_s).toString(), u"client-ping"_s);
        // An empty ping goes upstream with the engine's own payload; the client gets its empty one.
        client.send({{u"ping"_s, QString()}});
        const auto pongs = [&client] {
            QStringList result;
            for (const QJsonObject &report : client.reports())
                if (report.contains(u"pong"_s))
                    result.append(report.value(u"pong"_s).toString());
            return result;
        };
        QTRY_COMPARE_WITH_TIMEOUT(pongs(), (QStringList{u"client-ping"_s, QString()}), Timeout);
        client.send({{u"close"_s, QJsonArray{1000, u"done"_s}}});
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"close"_s), qPrintable(client.dump()), Timeout);

        ProxyConnection *connection = proxy.connections().first();
        QTRY_VERIFY_WITH_TIMEOUT(connection->isFinished(), Timeout);
        const FrameLog &log = *connection->log();
        bool headerLogged = false;
        QList<std::tuple<EventKind, Direction, QByteArray>> controls;
        for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
            const FrameEvent event = log.at(i);
            if (event.kind == EventKind::Handshake && event.httpStatus == 101
                && event.text.contains(u"(to the client)"_s))
                headerLogged = event.text.contains(u"X-Peer-Extra: from-python"_s);
            if (event.kind == EventKind::Ping || event.kind == EventKind::Pong)
                controls.append({event.kind, event.direction, event.data});
        }
        QVERIFY(headerLogged);
        QVERIFY(controls.contains(std::make_tuple(EventKind::Ping, Direction::Incoming, "server-ping"_ba)));
        QVERIFY(controls.contains(std::make_tuple(EventKind::Ping, Direction::Outgoing, "client-ping"_ba)));
        QVERIFY(controls.contains(std::make_tuple(EventKind::Pong, Direction::Incoming, "client-ping"_ba)));
    }

    void passesTheServersClose()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/close"_s);
        url.setQuery(u"code=4001&reason=server-bye"_s);
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"close"_s), qPrintable(client.dump()), Timeout);
        const QJsonArray close = client.find(u"close"_s)->value(u"close"_s).toArray();
        QCOMPARE(close.at(0).toInt(), 4001);
        QCOMPARE(close.at(1).toString(), u"server-bye"_s);
    }

    void passesARefusal()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/auth"_s);
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"refused"_s), qPrintable(client.dump()), Timeout);
        QCOMPARE(client.find(u"refused"_s)->value(u"refused"_s).toInt(), 401);
        QCOMPARE(client.find(u"refused"_s)->value(u"header"_s).toString(), u"Bearer"_s);
        QTRY_VERIFY_WITH_TIMEOUT(proxy.connections().first()->isFinished(), Timeout);
    }

    void rules_data()
    {
        QTest::addColumn<QByteArray>("rules");
        QTest::addColumn<QStringList>("send");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("rewrite") << QByteArray(R"({"rules": [{"direction": "toServer",
                "when": {"textMatches": "^ask (.*)$"}, "rewrite": "asked {{$1}}"}]})")
                                 << QStringList{u"ask me"_s} << QStringList{u"asked me"_s};
        QTest::newRow("drop") << QByteArray(R"({"rules": [{"when": {"text": "secret"}, "drop": true}]})")
                              << QStringList{u"secret"_s, u"open"_s} << QStringList{u"open"_s};
        QTest::newRow("inject") << QByteArray(R"({"rules": [{"direction": "toClient",
                "when": {"text": "a"}, "inject": {"to": "client", "text": "injected after {{$}}"}}]})")
                                << QStringList{u"a"_s} << QStringList{u"a"_s, u"injected after a"_s};
        QTest::newRow("inject-on-open") << QByteArray(R"({"rules": [{"inject": {"to": "client", "text": "welcome", "afterMs": 50}}]})")
                                        << QStringList{} << QStringList{u"welcome"_s};
    }

    void rules()
    {
        QFETCH(QByteArray, rules);
        QFETCH(QStringList, send);
        QFETCH(QStringList, expected);
        ProxyServer proxy(m_python.url(u"/"_s));
        const ProxyRules read = rulesFrom(rules.constData());
        QVERIFY(!read.rules.isEmpty());
        proxy.setRules(read);
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/echo"_s);
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        for (const QString &text : send)
            client.send({{u"send"_s, text}});
        QTRY_COMPARE_WITH_TIMEOUT(client.messages(), expected, Timeout);
        QVERIFY(proxy.hitCounts().at(0) >= 1);
        client.send({{u"close"_s, QJsonArray{1000, u""_s}}});
        QTRY_VERIFY_WITH_TIMEOUT(proxy.connections().first()->isFinished(), Timeout);
    }

    void delays()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        proxy.setRules(rulesFrom(R"({"rules": [{"direction": "toClient", "delay": {"minMs": 300, "maxMs": 400}}]})"));
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/echo"_s);
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        client.send({{u"send"_s, u"slow"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(client.messages(), QStringList{u"slow"_s}, Timeout);
        ProxyConnection *connection = proxy.connections().first();
        const FrameLog &log = *connection->log();
        bool checked = false;
        for (qint64 i = log.firstSequence(); i < log.endSequence(); ++i) {
            if (log.at(i).isMessage() && log.at(i).direction == Direction::Incoming) {
                const ProxyFate *fate = connection->fate(i);
                QVERIFY(fate);
                const qint64 heldMs = (fate->forwardedNs - fate->receivedNs) / 1'000'000;
                QVERIFY2(heldMs >= 299 && heldMs < 2000, qPrintable(QString::number(heldMs)));
                checked = true;
            }
        }
        QVERIFY(checked);
        client.send({{u"close"_s, QJsonArray{1000, u""_s}}});
        QTRY_VERIFY_WITH_TIMEOUT(connection->isFinished(), Timeout);
    }

    void closesBySide()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        proxy.setRules(rulesFrom(R"({"rules": [{"direction": "toServer", "when": {"text": "quit"},
                "close": {"side": "client", "code": 4003, "reason": "proxy says go"}}]})"));
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/echo"_s);
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        client.send({{u"send"_s, u"quit"_s}});
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"close"_s), qPrintable(client.dump()), Timeout);
        const QJsonArray close = client.find(u"close"_s)->value(u"close"_s).toArray();
        QCOMPARE(close.at(0).toInt(), 4003);
        QCOMPARE(close.at(1).toString(), u"proxy says go"_s);
        QTRY_VERIFY_WITH_TIMEOUT(proxy.connections().first()->isFinished(), Timeout);
    }

    void holdsAndReleasesEdited()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        proxy.setRules(rulesFrom(R"({"rules": [{"direction": "toServer", "hold": {"timeoutMs": 0}}]})"));
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/echo"_s);
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        client.send({{u"send"_s, u"original"_s}});
        client.send({{u"send"_s, u"second"_s}});
        ProxyConnection *connection = proxy.connections().first();
        QTRY_COMPARE_WITH_TIMEOUT(connection->heldMessages().size(), 2, Timeout);
        QTest::qWait(200);
        QVERIFY(client.messages().isEmpty());
        const QList<ProxyConnection::Held> held = connection->heldMessages();
        QCOMPARE(held.first().text, u"original"_s);
        QVERIFY(connection->release(held.first().id, u"edited"_s));
        QVERIFY(connection->drop(held.at(1).id));
        QTRY_COMPARE_WITH_TIMEOUT(client.messages(), QStringList{u"edited"_s}, Timeout);
        QVERIFY(connection->heldMessages().isEmpty());
        client.send({{u"close"_s, QJsonArray{1000, u""_s}}});
        QTRY_VERIFY_WITH_TIMEOUT(connection->isFinished(), Timeout);
    }

    void releasesAfterTheTimeout()
    {
        ProxyServer proxy(m_python.url(u"/"_s));
        proxy.setRules(rulesFrom(R"({"rules": [{"direction": "toServer", "hold": {"timeoutMs": 200}}]})"));
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        NodeClient client;
        QString error;
        QUrl url = proxy.url();
        url.setPath(u"/echo"_s);
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        client.send({{u"send"_s, u"waits"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(client.messages(), QStringList{u"waits"_s}, Timeout);
        client.send({{u"close"_s, QJsonArray{1000, u""_s}}});
        QTRY_VERIFY_WITH_TIMEOUT(proxy.connections().first()->isFinished(), Timeout);
    }

    // wsprobe-run --proxy: its URL first, the rules applied, each connection's log as JSONL.
    void headless()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString rulesPath = dir.filePath(u"rules.json"_s);
        QFile rules(rulesPath);
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write(R"({"rules": [{"direction": "toServer", "rewrite": "<{{$}}>"}]})");
        rules.close();
        QProcess run;
        run.start(QStringLiteral(WSPROBE_BINARY_DIR "/bin/wsprobe-run"),
                  {u"--proxy"_s, u"127.0.0.1:0="_s + m_python.url(u"/"_s).toString(), u"--rules"_s,
                   rulesPath, u"--log-dir"_s, dir.filePath(u"logs"_s)});
        QVERIFY(run.waitForReadyRead(Timeout));
        QUrl url(QString::fromUtf8(run.readLine().trimmed()));
        QVERIFY2(url.isValid() && url.port() > 0, qPrintable(url.toString()));
        url.setPath(u"/echo"_s);
        {
            NodeClient client;
            QString error;
            QVERIFY2(client.start(url, {}, &error), qPrintable(error));
            QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
            client.send({{u"send"_s, u"x"_s}});
            QTRY_COMPARE_WITH_TIMEOUT(client.messages(), QStringList{u"<x>"_s}, Timeout);
            client.send({{u"close"_s, QJsonArray{1000, u""_s}}});
            QTRY_VERIFY_WITH_TIMEOUT(client.find(u"close"_s), Timeout);
        }
        const QDir logs(dir.filePath(u"logs"_s));
        QTRY_COMPARE_WITH_TIMEOUT(logs.entryList(QDir::Files).size(), 1, Timeout);
        run.terminate();
        QVERIFY(run.waitForFinished(Timeout));
        QCOMPARE(run.exitCode(), 0);
        QFile log(logs.filePath(logs.entryList(QDir::Files).first()));
        QVERIFY(log.open(QIODevice::ReadOnly));
        bool sawRewrite = false;
        while (!log.atEnd()) {
            const QJsonObject line = QJsonDocument::fromJson(log.readLine()).object();
            const QJsonObject proxy = line.value(u"proxy"_s).toObject();
            if (line.value(u"direction"_s).toString() == u"out"_s && !proxy.isEmpty()) {
                QCOMPARE(proxy.value(u"forwarded"_s).toString(), u"<x>"_s);
                QVERIFY(proxy.value(u"forwardedNs"_s).toInteger() >= proxy.value(u"receivedNs"_s).toInteger());
                sawRewrite = true;
            }
        }
        QVERIFY(sawRewrite);
    }

    // Stopping wsprobe-run --proxy (SIGTERM, as Ctrl+C) with a connection open closes both
    // sides with 1001 and still writes that connection's log, with what passed and the close.
    void headlessStopClosesOpenConnectionsAndWritesTheirLogs()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess run;
        run.start(QStringLiteral(WSPROBE_BINARY_DIR "/bin/wsprobe-run"),
                  {u"--proxy"_s, u"127.0.0.1:0="_s + m_python.url(u"/"_s).toString(), u"--log-dir"_s,
                   dir.filePath(u"logs"_s)});
        QVERIFY(run.waitForReadyRead(Timeout));
        QUrl url(QString::fromUtf8(run.readLine().trimmed()));
        QVERIFY2(url.isValid() && url.port() > 0, qPrintable(url.toString()));
        url.setPath(u"/echo"_s);
        NodeClient client;
        QString error;
        QVERIFY2(client.start(url, {}, &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"open"_s), qPrintable(client.dump()), Timeout);
        client.send({{u"send"_s, u"still open"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(client.messages(), QStringList{u"still open"_s}, Timeout);
        const QDir logs(dir.filePath(u"logs"_s));
        QCOMPARE(logs.entryList(QDir::Files).size(), 0);  // nothing has ended yet

        run.terminate();
        QTRY_VERIFY2_WITH_TIMEOUT(client.find(u"close"_s), qPrintable(client.dump()), Timeout);
        QCOMPARE(client.find(u"close"_s)->value(u"close"_s).toArray().at(0).toInt(), 1001);
        // It may have ended while the client's close was awaited (waitForFinished is then false).
        QTRY_COMPARE_WITH_TIMEOUT(run.state(), QProcess::NotRunning, Timeout);
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(run.exitCode(), 0);
        QCOMPARE(logs.entryList(QDir::Files).size(), 1);
        QFile log(logs.filePath(logs.entryList(QDir::Files).first()));
        QVERIFY(log.open(QIODevice::ReadOnly));
        int messages = 0;
        bool sawClose = false;
        while (!log.atEnd()) {
            const QJsonObject line = QJsonDocument::fromJson(log.readLine()).object();
            const QString kind = line.value(u"kind"_s).toString();
            if (kind == u"text"_s && line.value(u"payload"_s).toString() == u"still open"_s)
                ++messages;
            if (kind == u"close"_s && line.value(u"closeCode"_s).toInt() == 1001)
                sawClose = true;
        }
        QCOMPARE(messages, 2);  // to the server and back
        QVERIFY(sawClose);
    }

    // The rules file of the docs is read without an error and follows the shipped schema; a
    // broken one does not.
    void rulesFileFollowsTheSchema()
    {
        const QString path = PeerProcess::sourceDir() + u"/tests/core/proxy/rules/faults.rules.json"_s;
        QList<JsonError> errors;
        const std::optional<ProxyRules> rules = ProxyRulesReader::readFile(path, &errors);
        QVERIFY2(rules, errors.isEmpty() ? "" : qPrintable(errors.first().toString()));
        QCOMPARE(rules->rules.size(), 7);
        QFile schemaFile(PeerProcess::sourceDir() + u"/resources/scenario.schema.json"_s);
        QVERIFY(schemaFile.open(QIODevice::ReadOnly));
        QString error;
        std::optional<JsonSchemaValidator> schema =
                JsonSchemaValidator::compile(QJsonDocument::fromJson(schemaFile.readAll()).object(), &error);
        QVERIFY2(schema, qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
        const QList<JsonSchemaValidator::Violation> violations = schema->validate(document);
        QVERIFY2(violations.isEmpty(), violations.isEmpty() ? "" : qPrintable(violations.first().message));
        QJsonObject broken = document;
        broken.insert(u"rules"_s, QJsonArray{QJsonObject{{u"drop"_s, true}, {u"delay"_s, QJsonObject{{u"ms"_s, 1}}}}});
        QVERIFY(!schema->isValid(broken));
    }

    void reportsBrokenRules()
    {
        QList<JsonError> errors;
        QVERIFY(!ProxyRulesReader::readText(R"({"rules": [{"drop": true, "delay": {"ms": 1}}]})",
                                            u"r.json"_s, &errors));
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().toString().startsWith(u"r.json:1:"_s), qPrintable(errors.first().toString()));
        errors.clear();
        QVERIFY(!ProxyRulesReader::readText(R"({"rules": [{"close": {"side": "server", "code": 1006}}]})",
                                            u"r.json"_s, &errors));
    }

private:
    PeerProcess m_python;
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
