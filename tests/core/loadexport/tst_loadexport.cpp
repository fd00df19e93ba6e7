// Scenarios exported as load tests: each step, variable, secret and load setting as Artillery
// and k6 get it, and every step they cannot express listed, never dropped silently.
#include "artilleryexport.h"
#include "k6export.h"
#include "loadexport.h"
#include "scenarioloader.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

Scenario load(const QString &text)
{
    const ScenarioLoader::Result result = ScenarioLoader::loadText(text, u"load.json"_s, QString());
    if (!result.scenario)
        qFatal("%s", qPrintable(result.errorText()));
    return *result.scenario;
}

// An echo with a variable, a secret header, a pause, and a JSON answer checked and captured.
const QString EchoScenario = uR"({
  "wsprobe": 1,
  "name": "Echo",
  "variables": { "greeting": "hello", "base": "{{demoUrl}}" },
  "stepTimeout": 4000,
  "clients": { "user": { "url": "{{base}}/echo", "headers": { "Authorization": "Bearer {{apiToken}}" } } },
  "steps": [
    { "connect": "user" },
    { "send": "user", "text": "{{greeting}} there" },
    { "expect": "user", "match": { "text": "{{greeting}} there" } },
    { "wait": 250 },
    { "send": "user", "json": { "type": "order", "id": 7 } },
    { "expect": "user", "match": { "jsonSubset": { "type": "order" } } },
    { "capture": "user", "pointer": "/id", "as": "orderId" },
    { "send": "user", "text": "order {{orderId}}" },
    { "close": "user" }
  ]
})"_s;

// Steps neither tool has an equivalent for in this form, and one of each that Artillery lacks.
const QString HardScenario = uR"({
  "wsprobe": 1,
  "name": "Hard",
  "clients": { "a": { "url": "ws://127.0.0.1:1/echo" }, "b": { "url": "ws://127.0.0.1:1/echo" } },
  "triggers": [ { "on": "b", "match": { "text": "x" }, "text": "y" } ],
  "steps": [
    { "connect": ["a", "b"] },
    { "send": "a", "binary": "de ad" },
    { "ping": "a" },
    { "expectNone": "b", "within": 100 },
    { "expectSequence": "a", "count": 2, "increasing": "/seq" },
    { "expect": "a", "match": { "schema": { "type": "object" } } },
    { "roundTrip": "a", "p95": 200 }
  ]
})"_s;

LoadExportOptions options(int users = 1, qint64 rampMs = 0, qint64 durationMs = 60000)
{
    LoadExportOptions o;
    o.load.users = users;
    o.load.rampUpMs = rampMs;
    o.load.durationMs = durationMs;
    o.values.insert(u"demoUrl"_s, u"ws://127.0.0.1:4321"_s);
    o.values.insert(u"apiToken"_s, u"s3cret-value"_s);  // a secret's name: never written
    o.sourceName = u"load.json"_s;
    return o;
}

} // namespace

class TestLoadExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseDuration_data();
    void parseDuration();
    void artilleryEcho();
    void artilleryPhases();
    void artilleryListsWhatItCannotExpress();
    void k6Echo();
    void k6Load();
    void k6ListsWhatItCannotExpress();
    void k6IsJavaScript();
};

void TestLoadExport::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");  // -1: refused
    QTest::newRow("seconds") << u"10s"_s << qint64(10000);
    QTest::newRow("bare") << u"90"_s << qint64(90000);
    QTest::newRow("ms") << u"500ms"_s << qint64(500);
    QTest::newRow("minutes") << u"2m"_s << qint64(120000);
    QTest::newRow("fraction") << u"1.5s"_s << qint64(1500);
    QTest::newRow("hour") << u"1h"_s << qint64(3600000);
    QTest::newRow("unit unknown") << u"10x"_s << qint64(-1);
    QTest::newRow("negative") << u"-1s"_s << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
}

void TestLoadExport::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const std::optional<qint64> parsed = LoadProfile::parseDuration(text);
    QCOMPARE(parsed.value_or(-1), ms);
}

void TestLoadExport::artilleryEcho()
{
    const LoadExport out = ArtilleryExport::toYaml(load(EchoScenario), options());
    const QString &y = out.text;
    QVERIFY2(y.startsWith(u"# Artillery 2.x script (ws engine), exported by wsprobe-run from load.json"_s), qPrintable(y));
    // The target and the connection: the base made of demoUrl spliced in, the secret a reference.
    QVERIFY2(y.contains(u"  target: \"ws://127.0.0.1:4321/echo\"\n"_s), qPrintable(y));
    QVERIFY(y.contains(u"    engine: ws\n    flow:\n      - connect:\n          target: \"{{ demoUrl }}/echo\"\n"_s));
    QVERIFY(y.contains(u"            \"Authorization\": \"Bearer {{ $env.apiToken }}\"\n"_s));
    QVERIFY(!y.contains(u"s3cret-value"_s));
    QCOMPARE(out.environment, QStringList{u"apiToken"_s});
    QVERIFY(y.contains(u"# Read from the environment (set them before running): apiToken\n"_s));
    // Variables: the plain ones as Artillery's (--var's too), one made of others not at all.
    QVERIFY(y.contains(u"  variables:\n    \"demoUrl\": \"ws://127.0.0.1:4321\"\n    \"greeting\": \"hello\"\n"_s));
    QVERIFY(!y.contains(u"\"base\""_s));
    // A send and the expect after it are one step, so the answer cannot come before the check.
    QVERIFY2(y.contains(u"      - send:\n          payload: \"{{ greeting }} there\"\n          match:\n"
                        "            - {regexp: \"[\\\\s\\\\S]*\", value: \"{{ greeting }} there\"}\n"_s), qPrintable(y));
    QVERIFY(y.contains(u"      - think: 0.25\n"_s));
    // JSON goes as a mapping (Artillery sends it as JSON), its check and the capture with it.
    QVERIFY2(y.contains(u"          payload: {\"id\": 7, \"type\": \"order\"}\n          match:\n"
                        "            - {json: \"$['type']\", value: \"order\"}\n          capture:\n"
                        "            - {json: \"$['id']\", as: \"orderId\"}\n"_s), qPrintable(y));
    QVERIFY(y.contains(u"      - send: \"order {{ orderId }}\"\n"_s));
    QVERIFY(y.contains(u"  ws:\n    timeout: 4\n"_s));
    QVERIFY(out.notExported.isEmpty());
    // wsprobe's expect takes the first match; Artillery checks the next message: said so.
    QVERIFY(out.approximated.first().startsWith(u"load.json:"_s));
    QVERIFY(out.approximated.first().contains(u"the next message is checked"_s));
}

void TestLoadExport::artilleryPhases()
{
    const LoadExport out = ArtilleryExport::toYaml(load(EchoScenario), options(5, 10000, 60000));
    QVERIFY2(out.text.contains(u"  phases:\n"
                               "    - name: \"ramp-up\"\n      duration: 10\n      arrivalRate: 1\n      rampTo: 5\n      maxVusers: 5\n"
                               "    - name: \"steady\"\n      duration: 60\n      arrivalRate: 5\n      maxVusers: 5\n"_s),
             qPrintable(out.text));
    LoadExportOptions rated = options(10, 0, 1500);
    rated.load.arrivalRate = 2;
    const QString y = ArtilleryExport::toYaml(load(EchoScenario), rated).text;
    QVERIFY(!y.contains(u"ramp-up"_s));
    QVERIFY2(y.contains(u"    - name: \"steady\"\n      duration: 2\n      arrivalRate: 2\n      maxVusers: 10\n"_s), qPrintable(y));
}

void TestLoadExport::artilleryListsWhatItCannotExpress()
{
    const LoadExport out = ArtilleryExport::toYaml(load(HardScenario), options());
    const QStringList expected = {
        u"step 2 (send a: "_s, u"step 3 (ping a"_s, u"step 4 (expect nothing on b"_s,
        u"step 5 (expect a: 2 messages"_s, u"step 6 (expect a"_s, u"step 7 (round trips on a"_s,
        u"a trigger on \"b\""_s};
    QCOMPARE(out.notExported.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QVERIFY2(out.notExported[i].contains(expected[i]), qPrintable(out.notExported[i]));
        // Each one in the script's header too.
        QVERIFY(out.text.contains(u"#   - "_s + out.notExported[i] + u'\n'));
    }
    QVERIFY(out.notExported[0].startsWith(u"load.json:8:"_s));
    QVERIFY(out.notExported[1].endsWith(u"Artillery's ws engine has no pings"_s));
    // Two clients, two Artillery scenarios, and the difference said.
    QVERIFY(out.text.contains(u"  - name: \"Hard (a)\"\n"_s));
    QVERIFY(out.text.contains(u"  - name: \"Hard (b)\"\n"_s));
    QVERIFY(out.approximated.join(u'\n').contains(u"2 clients: each is an Artillery scenario of its own"_s));
}

void TestLoadExport::k6Echo()
{
    const LoadExport out = K6Export::toScript(load(EchoScenario), options());
    const QString &js = out.text;
    QVERIFY(js.startsWith(u"// k6 script (k6/experimental/websockets), exported by wsprobe-run from load.json"_s));
    QVERIFY(js.contains(u"import { WebSocket } from 'k6/experimental/websockets';\n"_s));
    QVERIFY(js.contains(u"const vars = {\n  \"demoUrl\": \"ws://127.0.0.1:4321\",\n  \"greeting\": \"hello\",\n};\n"_s));
    QVERIFY(!js.contains(u"s3cret-value"_s));
    QCOMPARE(out.environment, QStringList{u"apiToken"_s});
    QVERIFY2(js.contains(u"    await clients[\"user\"].open(('' + vars[\"demoUrl\"] + \"/echo\"), null, { headers: { \"Authorization\": (\"Bearer \" + env(\"apiToken\")) } }, 10000);\n"_s), qPrintable(js));
    QVERIFY(js.contains(u"    clients[\"user\"].ws.send(('' + vars[\"greeting\"] + \" there\"));\n"_s));
    QVERIFY2(js.contains(u"    passes((await clients[\"user\"].take((m) => text(m) === ('' + vars[\"greeting\"] + \" there\"), 4000, false)) !== null, \"step 3: "_s), qPrintable(js));
    QVERIFY(js.contains(u"    await sleep(250);\n"_s));
    QVERIFY(js.contains(u"    clients[\"user\"].ws.send(JSON.stringify({\"id\": 7, \"type\": \"order\"}));\n"_s));
    QVERIFY(js.contains(u"(m) => subset(parse(m), {\"type\": \"order\"})"_s));
    QVERIFY(js.contains(u"    captured[\"orderId\"] = String(at(parse(clients[\"user\"].last), \"/id\"));\n"_s));
    QVERIFY(js.contains(u"    clients[\"user\"].ws.send((\"order \" + captured[\"orderId\"]));\n"_s));
    QVERIFY(out.notExported.isEmpty());
}

void TestLoadExport::k6Load()
{
    QVERIFY(K6Export::toScript(load(EchoScenario), options(5, 10000, 60000)).text.contains(
            u"      executor: 'ramping-vus',\n      startVUs: 0,\n      stages: [\n"
            "        { duration: \"10s\", target: 5 },\n        { duration: \"60s\", target: 5 },\n      ],\n"_s));
    QVERIFY(K6Export::toScript(load(EchoScenario), options(3, 0, 1500)).text.contains(
            u"      executor: 'constant-vus',\n      vus: 3,\n      duration: \"1500ms\",\n"_s));
    LoadExportOptions rated = options(4, 0, 60000);
    rated.load.arrivalRate = 0.5;
    QVERIFY(K6Export::toScript(load(EchoScenario), rated).text.contains(
            u"      executor: 'constant-arrival-rate',\n      rate: 30,\n      timeUnit: '1m',\n"_s));
}

void TestLoadExport::k6ListsWhatItCannotExpress()
{
    const LoadExport out = K6Export::toScript(load(HardScenario), options());
    const QStringList expected = {u"step 5 (expect a: 2 messages"_s, u"step 6 (expect a"_s,
                                  u"step 7 (round trips on a"_s, u"a trigger on \"b\""_s};
    QCOMPARE(out.notExported.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QVERIFY2(out.notExported[i].contains(expected[i]), qPrintable(out.notExported[i]));
        QVERIFY(out.text.contains(u"//   - "_s + out.notExported[i] + u'\n'));
    }
    // Where a step was, the script says what is missing.
    QVERIFY(out.text.contains(u"    // not exported: step 5, expect a: 2 messages"_s));
    // What k6 can do that Artillery cannot: binary, pings, silence, both clients in one run.
    QVERIFY(out.text.contains(u"clients[\"a\"].ws.send(new Uint8Array([222, 173]).buffer);"_s));
    QVERIFY(out.text.contains(u"clients[\"a\"].ws.ping();"_s));
    QVERIFY(out.text.contains(u"passes(await clients[\"b\"].none((m) => true, 100), "_s));
}

void TestLoadExport::k6IsJavaScript()
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        QSKIP("node is not installed: the k6 script's syntax is checked by shape only");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString &scenario : {EchoScenario, HardScenario}) {
        const QString path = dir.filePath(u"script.mjs"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(K6Export::toScript(load(scenario), options()).text.toUtf8());
        file.close();
        QProcess process;
        // --check parses without running or resolving the k6 imports.
        process.start(node, {u"--check"_s, path});
        QVERIFY(process.waitForFinished(30000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    }
}

QTEST_GUILESS_MAIN(TestLoadExport)
#include "tst_loadexport.moc"
