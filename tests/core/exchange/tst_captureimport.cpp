// Captures become scenarios: HARs saved by DevTools (written by hand in data/ in Chrome's and
// Firefox's format: text and binary messages, several sockets, broken files with their
// locations), wsprobe's own JSON Lines logs, and a round trip: a session against the demo
// server, exported, imported and run against the same server, passes.
#include "../runner/scenariotesting.h"
#include "captureimport.h"
#include "demoserver.h"
#include "harreader.h"
#include "jsonlreader.h"
#include "logexporter.h"
#include "recorder.h"
#include "scenariowriter.h"
#include "volatilejson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;
using namespace wsprobe::testing;

namespace {

constexpr int WaitMs = 5000;

QString dataFile(const QString &name)
{
    return QStringLiteral(WSPROBE_TEST_DIR) + u"/data/"_s + name;
}

QStringList stepLines(const Scenario &scenario)
{
    QStringList lines;
    for (const Step &step : scenario.steps)
        lines.append(describe(step));
    return lines;
}

QJsonObject matcherJson(const Step &step)
{
    return step.matcher ? step.matcher->toJson().toObject() : QJsonObject();
}

int incomingMessages(const FrameLog &log)
{
    int count = 0;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq)
        count += log.at(seq).isMessage() && log.at(seq).direction == Direction::Incoming;
    return count;
}

} // namespace

class tst_CaptureImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chromeTextMessages();
    void looseExpectsLeaveOutWhatChanges();
    void volatileFields_data();
    void volatileFields();
    void binaryMessages();
    void severalSocketsAreSeveralClients();
    void refusedUpgradeExpectsTheRefusal();
    void pausesOfDaysStayWithinWhatAFileHolds();
    void brokenHarsSayWhere_data();
    void brokenHarsSayWhere();
    void brokenJsonlSaysWhichLine();
    void roundTripThroughTheDemoServer_data();
    void roundTripThroughTheDemoServer();
};

void tst_CaptureImport::chromeTextMessages()
{
    QList<CapturedConnection> connections;
    JsonError error;
    QVERIFY2(HarReader::read(dataFile(u"chrome-text.har"_s), &connections, &error), qPrintable(error.toString()));
    QCOMPARE(connections.size(), 1);  // the page's document is no WebSocket
    const SessionSettings &settings = connections[0].settings;
    QCOMPARE(settings.url, QUrl(u"wss://app.example.com/socket?room=lobby&access_token=tok-123456"_s));
    QCOMPARE(settings.origin, u"https://app.example.com"_s);
    QCOMPARE(settings.subprotocols, QStringList({u"chat.v2"_s, u"chat"_s}));
    QStringList headerNames;
    for (const KeyValue &header : settings.headers)
        headerNames.append(header.key);
    // What the socket makes itself is left to it (and permessage-deflate is not offered).
    QCOMPARE(headerNames, QStringList({u"Authorization"_s, u"X-Client"_s}));

    ImportOptions options;
    options.source = dataFile(u"chrome-text.har"_s);
    const ImportResult imported = CaptureImport::toScenario(connections, options);
    const Scenario &scenario = imported.scenario;
    QCOMPARE(scenario.name, u"Imported from chrome-text.har"_s);
    QCOMPARE(scenario.clients.size(), 1);
    const ClientSpec &client = scenario.clients[0];
    QCOMPARE(client.name, u"client"_s);
    // Secrets became variables; their values stay out of the scenario.
    QCOMPARE(client.url, u"wss://app.example.com/socket?room=lobby&access_token={{access_token}}"_s);
    QCOMPARE(client.headers[0].value, u"Bearer {{authorization}}"_s);
    QCOMPARE(imported.secrets.value(u"authorization"_s), u"abc.def.ghi"_s);
    QCOMPARE(imported.secrets.value(u"access_token"_s), u"tok-123456"_s);
    QCOMPARE(imported.variablesToDefine, QStringList({u"access_token"_s, u"authorization"_s}));
    QVERIFY(!ScenarioWriter::toText(scenario).contains(u"abc.def.ghi"_s));

    const QStringList steps = stepLines(scenario);
    QVERIFY2(steps.size() == 6, qPrintable(steps.join(u"\n"_s)));
    QCOMPARE(scenario.steps[0].type, Step::Type::Connect);
    QCOMPARE(scenario.steps[1].type, Step::Type::Send);
    QCOMPARE(scenario.steps[1].payload.text, u"hello"_s);
    QCOMPARE(matcherJson(scenario.steps[2]), QJsonObject({{u"text"_s, u"hello"_s}}));
    // 2.05 s between the echo and the next message sent: a wait, optional as a recorded pause.
    QCOMPARE(scenario.steps[3].type, Step::Type::Wait);
    QCOMPARE(scenario.steps[3].waitMs, 2050);
    QVERIFY(scenario.steps[3].optional);
    // Sent as captured, byte for byte (JSON would write its keys in another order).
    QCOMPARE(scenario.steps[4].payload.text, u"{\"type\":\"join\",\"room\":\"lobby\"}"_s);
    // Exact by default: the whole JSON.
    QVERIFY(matcherJson(scenario.steps[5]).contains(u"json"_s));
    QCOMPARE(matcherJson(scenario.steps[5])[u"json"_s][u"ts"_s].toInteger(), 1772359203250);

    // Written and read back, it is the same scenario.
    const QString text = ScenarioWriter::toText(scenario);
    LOAD_SCENARIO(loaded, text);
    QCOMPARE(ScenarioWriter::toText(loaded), text);
}

void tst_CaptureImport::looseExpectsLeaveOutWhatChanges()
{
    QList<CapturedConnection> connections;
    QVERIFY(HarReader::read(dataFile(u"chrome-text.har"_s), &connections, nullptr));
    ImportOptions options;
    options.looseJson = true;
    const Scenario scenario = CaptureImport::toScenario(connections, options).scenario;
    const QJsonObject expected = QJsonDocument::fromJson(
        R"({"jsonSubset": {"type": "joined", "room": "lobby", "members": [{"name": "ann"}]}})").object();
    QCOMPARE(matcherJson(scenario.steps[5]), expected);
    // A text that is not JSON stays exact.
    QCOMPARE(matcherJson(scenario.steps[2]), QJsonObject({{u"text"_s, u"hello"_s}}));
}

void tst_CaptureImport::volatileFields_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("changes");
    QTest::newRow("id") << u"id"_s << QJsonValue(7) << true;
    QTest::newRow("requestId") << u"requestId"_s << QJsonValue(u"r1"_s) << true;
    QTest::newRow("created_at") << u"created_at"_s << QJsonValue(u"yesterday"_s) << true;
    QTest::newRow("timestamp") << u"timestamp"_s << QJsonValue(1) << true;
    QTest::newRow("nonce") << u"nonce"_s << QJsonValue(u"x"_s) << true;
    QTest::newRow("uuid value") << u"ref"_s << QJsonValue(u"7f3c2a10-5b6e-4d2c-9a41-0c8e2f1d9b77"_s) << true;
    QTest::newRow("ISO date value") << u"when"_s << QJsonValue(u"2026-03-01T10:00:03Z"_s) << true;
    QTest::newRow("epoch ms value") << u"v"_s << QJsonValue(1772359203250.0) << true;
    QTest::newRow("type") << u"type"_s << QJsonValue(u"joined"_s) << false;
    QTest::newRow("status") << u"status"_s << QJsonValue(u"ok"_s) << false;
    QTest::newRow("valid") << u"valid"_s << QJsonValue(true) << false;
    QTest::newRow("small number") << u"count"_s << QJsonValue(3) << false;
    QTest::newRow("text") << u"text"_s << QJsonValue(u"hello"_s) << false;
}

void tst_CaptureImport::volatileFields()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(bool, changes);
    QCOMPARE(VolatileJson::isVolatileKey(key) || VolatileJson::isVolatileValue(value), changes);
    const QJsonObject object{{key, value}, {u"kept"_s, u"yes"_s}};
    QCOMPARE(VolatileJson::withoutVolatileFields(object).toObject().contains(key), !changes);
}

void tst_CaptureImport::binaryMessages()
{
    QList<CapturedConnection> connections;
    JsonError error;
    QVERIFY2(HarReader::read(dataFile(u"chrome-binary.har"_s), &connections, &error), qPrintable(error.toString()));
    const Scenario scenario = CaptureImport::toScenario(connections, {}).scenario;
    QCOMPARE(scenario.steps.size(), 4);
    QCOMPARE(scenario.steps[1].payload.kind, Payload::Kind::Binary);
    QCOMPARE(scenario.steps[1].payload.bytes, QByteArray::fromHex("deadbeef"));
    QCOMPARE(matcherJson(scenario.steps[2]), QJsonObject({{u"binary"_s, u"00 01 ff"_s}}));
    QCOMPARE(scenario.steps[3].payload.text, u"text after binary"_s);
}

void tst_CaptureImport::severalSocketsAreSeveralClients()
{
    QList<CapturedConnection> connections;
    JsonError error;
    QVERIFY2(HarReader::read(dataFile(u"two-sockets.har"_s), &connections, &error), qPrintable(error.toString()));
    QCOMPARE(connections.size(), 2);
    const ImportResult imported = CaptureImport::toScenario(connections, {});
    const Scenario &scenario = imported.scenario;
    QCOMPARE(scenario.clients.size(), 2);
    QCOMPARE(scenario.clients[0].name, u"client1"_s);
    QCOMPARE(scenario.clients[0].url, u"wss://chat.example.net/ws/a"_s);  // https written by Firefox
    QCOMPARE(scenario.clients[0].headers[0].value, u"{{cookie}}"_s);
    QCOMPARE(imported.secrets.value(u"cookie"_s), u"session=ab12cd34ef"_s);
    QCOMPARE(scenario.clients[1].name, u"client2"_s);
    // In the order things happened, across the clients.
    QStringList order;
    for (const Step &step : scenario.steps)
        order.append(displayName(step.type) + u' ' + step.clients.join(u","_s));
    QCOMPARE(order, QStringList({u"connect client1"_s, u"connect client2"_s, u"send client1"_s,
                                 u"wait client2"_s, u"send client2"_s, u"expect client1"_s}));
    QCOMPARE(scenario.steps[3].waitMs, 1400);
}

void tst_CaptureImport::refusedUpgradeExpectsTheRefusal()
{
    QList<CapturedConnection> connections;
    JsonError error;
    QVERIFY2(HarReader::read(dataFile(u"refused.har"_s), &connections, &error), qPrintable(error.toString()));
    QCOMPARE(connections.size(), 2);
    const ImportResult imported = CaptureImport::toScenario(connections, {});
    QStringList lines = stepLines(imported.scenario);
    QCOMPARE(lines, QStringList({u"expect client1's upgrade refused with HTTP 401"_s, u"connect client2"_s,
                                 u"expect client2: text equals \"welcome\""_s}));
    // Two tokens in the same header: each client keeps its own variable.
    QCOMPARE(imported.scenario.clients[0].headers[0].value, u"Bearer {{authorization}}"_s);
    QCOMPARE(imported.scenario.clients[1].headers[0].value, u"Bearer {{authorization_2}}"_s);
    QCOMPARE(imported.secrets.value(u"authorization"_s), u"expired-token-1"_s);
    QCOMPARE(imported.secrets.value(u"authorization_2"_s), u"fresh-token-2"_s);

    // A status a scenario cannot name (a 2xx other than 101) expects any refusal.
    connections.clear();
    const QString ok = uR"({"log": {"entries": [{"_resourceType": "websocket", "request": {"url": "ws://h/"}, "response": {"status": 200}}]}})"_s;
    QVERIFY(HarReader::parse(ok, u"200.har"_s, &connections, &error));
    const Scenario any = CaptureImport::toScenario(connections, {}).scenario;
    QCOMPARE(stepLines(any), QStringList{u"expect client's upgrade refused"_s});
    LOAD_SCENARIO(loaded, ScenarioWriter::toText(any));
}

void tst_CaptureImport::pausesOfDaysStayWithinWhatAFileHolds()
{
    // Three days between the echo and the next message, and as long again for its answer.
    QList<CapturedConnection> connections;
    JsonError error;
    const QString har = uR"({"log": {"version": "1.2", "entries": [{"_resourceType": "websocket",
        "request": {"url": "ws://127.0.0.1:9/"}, "startedDateTime": "2026-03-01T10:00:00.000Z",
        "_webSocketMessages": [{"type": "send", "time": 1772359200.2, "opcode": 1, "data": "a"},
                               {"type": "send", "time": 1772618400.5, "opcode": 1, "data": "b"},
                               {"type": "receive", "time": 1772877600.5, "opcode": 1, "data": "c"}]}]}})"_s;
    QVERIFY2(HarReader::parse(har, u"days.har"_s, &connections, &error), qPrintable(error.toString()));
    const Scenario imported = CaptureImport::toScenario(connections, {}).scenario;
    QCOMPARE(imported.steps.size(), 5);  // connect, send, wait, send, expect
    QCOMPARE(imported.steps[2].waitMs, MaxScenarioDurationMs);
    QCOMPARE(imported.steps[4].timeoutMs, MaxScenarioDurationMs);
    QCOMPARE(imported.timeoutMs, MaxScenarioDurationMs);
    LOAD_SCENARIO(loaded, ScenarioWriter::toText(imported));

    // The recorder, for a session left open over a weekend.
    FrameLog log;
    for (const auto &[kind, direction, days] : {std::tuple(EventKind::Handshake, Direction::Incoming, 0),
                                                std::tuple(EventKind::Text, Direction::Outgoing, 3)}) {
        FrameEvent event;
        event.kind = kind;
        event.direction = direction;
        event.monotonicNs = qint64(days) * 24 * 3600 * 1'000'000'000LL + 1;
        event.text = u"x"_s;
        event.httpStatus = kind == EventKind::Handshake ? 101 : 0;
        log.append(std::move(event));
    }
    SessionSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:9/"_s);
    const Scenario recorded = Recorder::record(settings, log).scenario;
    QCOMPARE(recorded.steps.size(), 3);  // connect, wait, send
    QCOMPARE(recorded.steps[1].waitMs, MaxScenarioDurationMs);
    LOAD_SCENARIO(reloaded, ScenarioWriter::toText(recorded));
}

void tst_CaptureImport::brokenHarsSayWhere_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");  // the start of the error's text, after the path
    QTest::newRow("trailing comma") << u"broken-trailing-comma.har"_s << u":3:72: trailing comma"_s;
    QTest::newRow("binary not base64") << u"broken-base64.har"_s
                                       << u":4:48: a binary message (opcode 2) must be base64"_s;
    QTest::newRow("no WebSocket entry") << u"no-websocket.har"_s << u":1:35: the HAR holds no WebSocket connection"_s;
    QTest::newRow("not a HAR") << u"not-a-har.har"_s << u":1:1: not a HAR file"_s;
    QTest::newRow("time out of range") << u"broken-time.har"_s
                                       << u":3:48: \"time\" must be a number of seconds since the epoch"_s;
    QTest::newRow("missing") << u"missing.har"_s << u": "_s;
}

void tst_CaptureImport::brokenHarsSayWhere()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QList<CapturedConnection> connections;
    JsonError error;
    QVERIFY(!HarReader::read(dataFile(file), &connections, &error));
    const QString text = error.toString();
    QVERIFY2(text.startsWith(dataFile(file) + expected), qPrintable(text));
}

void tst_CaptureImport::brokenJsonlSaysWhichLine()
{
    const QString good = uR"({"seq":0,"wallMs":1,"direction":"out","kind":"handshake","payload":"GET / HTTP/1.1\nHost: h"})"_s;
    CapturedConnection connection;
    JsonError error;
    QVERIFY(!JsonlReader::parse(good + u"\n\n{\"kind\": \"text\", \"direction\": \"in\",}\n"_s, u"log.jsonl"_s, &connection, &error));
    QVERIFY2(error.toString().startsWith(u"log.jsonl:3:35: "_s), qPrintable(error.toString()));
    connection = {};
    QVERIFY(!JsonlReader::parse(good + u"\n{\"kind\": \"text\", \"direction\": \"sideways\"}\n"_s, u"log.jsonl"_s, &connection, &error));
    QCOMPARE(error.toString(), u"log.jsonl:2:1: \"direction\" must be out, in or local"_s);
    connection = {};
    QVERIFY(!JsonlReader::parse(u"{\"kind\":\"text\",\"direction\":\"in\",\"payload\":\"x\"}\n"_s, u"log.jsonl"_s, &connection, &error));
    QVERIFY2(error.toString().contains(u"no upgrade request"_s), qPrintable(error.toString()));
    connection = {};
    QVERIFY(!JsonlReader::parse(good + u"\n{\"kind\":\"text\",\"direction\":\"in\",\"wallMs\":1e18}\n"_s, u"log.jsonl"_s, &connection, &error));
    QCOMPARE(error.toString(), u"log.jsonl:2:1: \"wallMs\" or \"monotonicNs\" is out of range"_s);
    // A close code no scenario can name (the log was edited) is left to the defaults.
    connection = {};
    const QString oddClose = good + uR"(
{"kind":"handshake","direction":"in","wallMs":2}
{"kind":"close","direction":"out","wallMs":3,"closeCode":1005,"closeReason":"bye"}
{"kind":"close","direction":"in","wallMs":4,"closeCode":6000,"closeInitiator":"server"})"_s;
    QVERIFY2(JsonlReader::parse(oddClose, u"log.jsonl"_s, &connection, &error), qPrintable(error.toString()));
    const Scenario closing = CaptureImport::toScenario({connection}, {}).scenario;
    QCOMPARE(closing.steps.size(), 3);  // connect, close, expectClose
    QVERIFY(!closing.steps[1].closeCode);
    QVERIFY(!closing.steps[2].closeCode);
    LOAD_SCENARIO(loaded, ScenarioWriter::toText(closing));

    connection = {};
    QVERIFY2(JsonlReader::parse(good + u"\r\n"_s, u"log.jsonl"_s, &connection, &error), qPrintable(error.toString()));
    QCOMPARE(connection.settings.url, QUrl(u"ws://h/"_s));
}

void tst_CaptureImport::roundTripThroughTheDemoServer_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::newRow("HAR") << u"har"_s;
    QTest::newRow("JSON Lines") << u"jsonl"_s;
}

void tst_CaptureImport::roundTripThroughTheDemoServer()
{
    QFETCH(QString, suffix);
    DemoServer demo;
    QVERIFY2(demo.listen(), qPrintable(demo.errorString()));
    SessionSettings settings;
    settings.url = QUrl(demo.url().toString() + u"/echo?room=lobby"_s);
    settings.headers.append({u"X-Api-Key"_s, u"k-1234567890"_s, true});
    Session session(settings);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Open, WaitMs);
    QVERIFY(session.sendText(u"hello"_s));
    QTRY_COMPARE_WITH_TIMEOUT(incomingMessages(*session.log()), 1, WaitMs);
    QVERIFY(session.sendText(u"{\"type\":\"greet\",\"id\":42}"_s));
    QTRY_COMPARE_WITH_TIMEOUT(incomingMessages(*session.log()), 2, WaitMs);
    QVERIFY(session.sendBinary(QByteArray::fromHex("00ff7f")));
    QTRY_COMPARE_WITH_TIMEOUT(incomingMessages(*session.log()), 3, WaitMs);
    session.close(1000, {});
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, WaitMs);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"capture."_s + suffix);
    QString writeError;
    QVERIFY2(LogExporter::writeFile(*session.log(), path, logFormatForPath(path), {settings.url, {}}, &writeError),
             qPrintable(writeError));
    QList<CapturedConnection> connections;
    JsonError error;
    if (suffix == "har"_L1) {
        QVERIFY2(HarReader::read(path, &connections, &error), qPrintable(error.toString()));
    } else {
        CapturedConnection connection;
        QVERIFY2(JsonlReader::read(path, &connection, &error), qPrintable(error.toString()));
        connections.append(connection);
    }
    ImportOptions options;
    options.looseJson = true;
    const ImportResult imported = CaptureImport::toScenario(connections, options);
    // The exported log had the key masked: its variable is to be defined, with no value known.
    QCOMPARE(imported.variablesToDefine, QStringList{u"x_api_key"_s});
    QVERIFY(imported.secrets.isEmpty());
    const QString text = ScenarioWriter::toText(imported.scenario);
    QVERIFY2(!text.contains(u"k-1234567890"_s), qPrintable(text));
    LOAD_SCENARIO(loaded, text);
    // Connect, then three sends and their echoes; the JSON Lines log also has the close.
    QCOMPARE(loaded.steps.size(), suffix == "har"_L1 ? 7 : 8);

    Variables variables;
    variables.set(Variables::Layer::CommandLine, u"x_api_key"_s, u"k-1234567890"_s);
    ScenarioRunner runner(loaded, variables);
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QTRY_VERIFY_WITH_TIMEOUT(allSessionsEnded(runner), WaitMs);
}

QTEST_GUILESS_MAIN(tst_CaptureImport)
#include "tst_captureimport.moc"
