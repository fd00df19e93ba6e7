// The mock server's file reader and reply templates: what a file may say, where a broken one
// breaks, and what a reply becomes for a given message.

#include "jsonschemavalidator.h"
#include "mockscriptreader.h"
#include "scenarioloader.h"
#include "mocktemplate.h"
#include "variables.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

MockCaptures capturesOf(const QString &text, const QStringList &groups = {})
{
    MockCaptures captures;
    captures.text = text;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error == QJsonParseError::NoError)
        captures.json = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    captures.groups = groups;
    return captures;
}

QString compact(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

QString errorsOf(const QString &text)
{
    QList<JsonError> errors;
    const std::optional<MockScript> script = MockScriptReader::readText(text, u"m.mock.json"_s, &errors);
    if (script)
        return {};
    QStringList lines;
    for (const JsonError &error : std::as_const(errors))
        lines.append(error.toString());
    return lines.join(u'\n');
}

} // namespace

class TestMockScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textTemplates_data();
    void textTemplates();
    void jsonReferenceKeepsItsType();
    void readsARoute();
    void brokenFilesSayWhere_data();
    void brokenFilesSayWhere();
    void mockFileNames();
    void mockFilesAreNoScenarios();
    void shippedMocksFollowTheSchema_data();
    void shippedMocksFollowTheSchema();
    void schemaAgreesWithTheReader_data();
    void schemaAgreesWithTheReader();
    void readsPingsAndBinaryReplies();
    void binaryTemplates();

private:
    std::optional<JsonSchemaValidator> schema();
};

std::optional<JsonSchemaValidator> TestMockScript::schema()
{
    QFile file(QStringLiteral(WSPROBE_SOURCE_DIR "/resources/scenario.schema.json"));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QString error;
    return JsonSchemaValidator::compile(QJsonDocument::fromJson(file.readAll()).object(), &error);
}

// `wsprobe-run examples/` and the workspace take a folder's scenarios: the mocks beside them
// are served, not run.
void TestMockScript::mockFilesAreNoScenarios()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString &name : {u"a.json"_s, u"server.mock.json"_s, u"local.env.json"_s}) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{}");
    }
    QStringList problems;
    QCOMPARE(ScenarioLoader::findFiles({dir.path()}, &problems), QStringList{dir.filePath(u"a.json"_s)});
    const QStringList examples =
            ScenarioLoader::findFiles({QStringLiteral(WSPROBE_SOURCE_DIR "/examples")}, &problems);
    QCOMPARE(examples.filter(u".mock.json"_s), QStringList());
    QCOMPARE(examples.size(), 9);
}

void TestMockScript::shippedMocksFollowTheSchema_data()
{
    QTest::addColumn<QString>("path");
    const QStringList folders = {QStringLiteral(WSPROBE_SOURCE_DIR "/examples"),
                                 QStringLiteral(WSPROBE_SOURCE_DIR "/tests/app/mock")};
    int count = 0;
    for (const QString &folder : folders) {
        for (const QString &name : QDir(folder).entryList({u"*.mock.json"_s}, QDir::Files)) {
            if (name != "broken.mock.json"_L1) {
                QTest::newRow(qPrintable(name)) << folder + u'/' + name;
                ++count;
            }
        }
    }
    QVERIFY(count >= 5);
}

// Each shipped mock is read without an error, and the schema the editors use accepts it.
void TestMockScript::shippedMocksFollowTheSchema()
{
    QFETCH(QString, path);
    QList<JsonError> errors;
    QVERIFY2(MockScriptReader::readFile(path, &errors),
             qPrintable(errors.isEmpty() ? QString() : errors.front().toString()));
    const std::optional<JsonSchemaValidator> validator = schema();
    QVERIFY(validator);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto violations = validator->validate(QJsonDocument::fromJson(file.readAll()).object());
    QVERIFY2(violations.isEmpty(), qPrintable(violations.isEmpty() ? QString()
                                              : violations.first().path + u": "_s + violations.first().message));
}

void TestMockScript::schemaAgreesWithTheReader_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("not loopback") << u"{\"server\": {\"host\": \"0.0.0.0\", \"routes\": {\"/\": {}}}}"_s;
    QTest::newRow("no routes") << u"{\"server\": {\"routes\": {}}}"_s;
    QTest::newRow("path without slash") << u"{\"server\": {\"routes\": {\"echo\": {}}}}"_s;
    QTest::newRow("unknown route key") << u"{\"server\": {\"routes\": {\"/\": {\"rplay\": 1}}}}"_s;
    QTest::newRow("text and json") << u"{\"server\": {\"routes\": {\"/\": {\"onConnect\": [{\"text\": \"a\", \"json\": 1}]}}}}"_s;
    QTest::newRow("to and group") << u"{\"server\": {\"routes\": {\"/\": {\"onConnect\": [{\"text\": \"a\", \"to\": \"all\", \"group\": \"g\"}]}}}}"_s;
    QTest::newRow("reserved code") << u"{\"server\": {\"routes\": {\"/\": {\"closeAfter\": {\"ms\": 5, \"code\": 1006}}}}}"_s;
    QTest::newRow("closeAfter without a limit") << u"{\"server\": {\"routes\": {\"/\": {\"closeAfter\": {\"code\": 4000}}}}}"_s;
    QTest::newRow("unmatched word") << u"{\"server\": {\"routes\": {\"/\": {\"unmatched\": \"drop\"}}}}"_s;
    QTest::newRow("rule without when") << u"{\"server\": {\"routes\": {\"/\": {\"rules\": [{\"reply\": {\"text\": \"a\"}}]}}}}"_s;
    QTest::newRow("refusal status") << u"{\"server\": {\"routes\": {\"/\": {\"reject\": 200}}}}"_s;
    QTest::newRow("pings word") << u"{\"server\": {\"routes\": {\"/\": {\"pings\": \"drop\"}}}}"_s;
    QTest::newRow("pings object") << u"{\"server\": {\"routes\": {\"/\": {\"pings\": {\"after\": 2}}}}}"_s;
    QTest::newRow("rule pings") << u"{\"server\": {\"routes\": {\"/\": {\"rules\": [{\"when\": {\"text\": \"a\"}, \"pings\": 1}]}}}}"_s;
    QTest::newRow("text and binary") << u"{\"server\": {\"routes\": {\"/\": {\"onConnect\": [{\"text\": \"a\", \"binary\": \"00\"}]}}}}"_s;
}

// What the reader refuses, the schema refuses too.
void TestMockScript::schemaAgreesWithTheReader()
{
    QFETCH(QString, text);
    QList<JsonError> errors;
    QVERIFY2(!MockScriptReader::readText(text, u"m.mock.json"_s, &errors), "the reader accepted it");
    const std::optional<JsonSchemaValidator> validator = schema();
    QVERIFY(validator);
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    QVERIFY(document.isObject());
    QVERIFY2(!validator->isValid(document.object()), "the schema accepted it");
}

void TestMockScript::textTemplates_data()
{
    QTest::addColumn<QString>("templateText");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("groups");
    QTest::addColumn<QString>("expected");

    const QString order = u"{\"order\":{\"id\":42,\"items\":[\"tea\",\"cake\"]},\"method\":\"paypal\"}"_s;
    QTest::newRow("pointer") << u"id={{$/order/id}}"_s << order << QStringList() << u"id=42"_s;
    QTest::newRow("dotted") << u"{{$.order.items.1}}!"_s << order << QStringList() << u"cake!"_s;
    QTest::newRow("object as JSON") << u"{{$.order.items}}"_s << order << QStringList()
                                    << u"[\"tea\",\"cake\"]"_s;
    QTest::newRow("whole message") << u"got {{$}}"_s << u"plain"_s << QStringList() << u"got plain"_s;
    QTest::newRow("regex group") << u"* {{$1}} ({{$0}})"_s << u"/me waves"_s
                                 << QStringList{u"/me waves"_s, u"waves"_s} << u"* waves (/me waves)"_s;
    QTest::newRow("variable") << u"{{page}}/{{$.method}}"_s << order << QStringList()
                              << u"https://pay.example/paypal"_s;
    QTest::newRow("missing stays as written") << u"{{$.nothing}} {{$7}} {{unknown}}"_s << order
                                              << QStringList() << u"{{$.nothing}} {{$7}} {{unknown}}"_s;
    QTest::newRow("not JSON: no pointer") << u"[{{$.a}}]"_s << u"a"_s << QStringList() << u"[{{$.a}}]"_s;
}

void TestMockScript::textTemplates()
{
    QFETCH(QString, templateText);
    QFETCH(QString, message);
    QFETCH(QStringList, groups);
    QFETCH(QString, expected);
    Variables variables;
    variables.set(Variables::Layer::Scenario, u"page"_s, u"https://pay.example"_s);
    QCOMPARE(MockTemplate::expandText(templateText, capturesOf(message, groups), variables), expected);
}

void TestMockScript::jsonReferenceKeepsItsType()
{
    const QJsonValue reply = QJsonDocument::fromJson(
            R"({"id": "{{$.id}}", "echo": "{{$.tags}}", "text": "id {{$.id}}", "{{$.key}}": true})")
                                     .object();
    const QJsonValue expanded = MockTemplate::expandJson(
            reply, capturesOf(u"{\"id\": 7, \"tags\": [\"a\"], \"key\": \"k\"}"_s), Variables());
    QCOMPARE(compact(expanded), u"{\"echo\":[\"a\"],\"id\":7,\"k\":true,\"text\":\"id 7\"}"_s);
}

void TestMockScript::readsARoute()
{
    QList<JsonError> errors;
    const std::optional<MockScript> script = MockScriptReader::readText(uR"({
  "wsprobe": 1,
  "variables": {"token": "t0k3n"},
  "server": {
    "port": 9,
    "routes": {
      "/a": {
        "requireHeaders": {"X-Key": ""},
        "rejectWithout": 403,
        "subprotocols": ["v2"],
        "groups": ["g"],
        "onConnect": [{"text": "hi"}],
        "rules": [
          {"when": {"textMatches": "^(\\w+)$", "flags": "i"},
           "reply": [{"text": "{{$1}}", "delayMs": 5}, {"json": {"x": 1}, "group": "g"}],
           "close": {"code": 4000, "reason": "bye", "delayMs": 10}}
        ],
        "unmatched": {"close": 1008},
        "closeAfter": {"messages": 3, "withinMs": 100, "code": 4008},
        "timer": {"everyMs": 50, "count": 2, "send": [{"text": "tick", "to": "all"}]}
      },
      "/b": {"reject": 503}
    }
  }
})"_s, u"m.mock.json"_s, &errors);
    QVERIFY2(script, qPrintable(errors.isEmpty() ? QString() : errors.front().toString()));
    QCOMPARE(script->port, 9);
    QCOMPARE(script->routes.size(), 2);
    const MockRoute &a = *script->route(u"/a");
    QCOMPARE(a.requiredHeaders.front().first, "x-key");
    QCOMPARE(a.missingHeaderStatus, 403);
    QCOMPARE(a.subprotocols, QStringList{u"v2"_s});
    QCOMPARE(a.rules.size(), 1);
    QVERIFY(a.rules.front().groups);
    QCOMPARE(a.rules.front().groups->match(u"HeLLo"_s).captured(1), u"HeLLo"_s);
    QCOMPARE(a.rules.front().reply.size(), 2);
    QCOMPARE(a.rules.front().reply.at(0).delayMs, 5);
    QCOMPARE(a.rules.front().reply.at(1).to, MockMessage::Target::Group);
    QCOMPARE(a.rules.front().close->code, 4000);
    QCOMPARE(a.unmatched.action, MockUnmatched::Action::Close);
    QCOMPARE(a.unmatched.close.code, 1008);
    QCOMPARE(a.closeAfter->afterMessages, 3);
    QCOMPARE(a.closeAfter->withinMs, 100);
    QCOMPARE(a.timer->count, 2);
    QCOMPARE(script->route(u"/b")->rejectStatus, 503);
    QVERIFY(!script->route(u"/c"));
}

void TestMockScript::brokenFilesSayWhere_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no server") << u"{\"wsprobe\": 1}"_s << u"m.mock.json:1:1:"_s;
    QTest::newRow("not loopback")
            << u"{\"server\": {\"host\": \"0.0.0.0\", \"routes\": {\"/\": {}}}}"_s
            << u"m.mock.json:1:12: \"host\" must be a loopback address"_s;
    QTest::newRow("path without slash")
            << u"{\"server\": {\"routes\": {\n  \"echo\": {}}}}"_s << u"m.mock.json:2:3: a route is a path"_s;
    QTest::newRow("bad matcher")
            << u"{\"server\": {\"routes\": {\"/\": {\"rules\": [\n {\"when\": {\"txt\": \"a\"}}]}}}}"_s
            << u"m.mock.json:2:11: \"when\" is not a matcher"_s;
    QTest::newRow("reserved close code")
            << u"{\"server\": {\"routes\": {\"/\": {\"closeAfter\": {\"ms\": 5,\n  \"code\": 1006}}}}}"_s
            << u"m.mock.json:2:11: expected a close code"_s;
    QTest::newRow("text and json")
            << u"{\"server\": {\"routes\": {\"/\": {\"onConnect\": [\n  {\"text\": \"a\", \"json\": 1}]}}}}"_s
            << u"m.mock.json:2:3: a message has one of"_s;
    QTest::newRow("typo, suggested")
            << u"{\"server\": {\"routes\": {\"/\": {\n  \"unmatch\": \"echo\"}}}}"_s
            << u"m.mock.json:2:3: unknown key \"unmatch\""_s;
    QTest::newRow("unmatched word")
            << u"{\"server\": {\"routes\": {\"/\": {\"unmatched\": \"drop\"}}}}"_s
            << u"m.mock.json:1:43: \"unmatched\" is \"ignore\", \"echo\" or"_s;
    QTest::newRow("not JSON") << u"{\"server\": {,}}"_s << u"m.mock.json:1:13:"_s;
    QTest::newRow("odd hex")
            << u"{\"server\": {\"routes\": {\"/\": {\"onConnect\": [\n  {\"binary\": \"de a\"}]}}}}"_s
            << u"m.mock.json:2:14: hex needs two digits a byte"_s;
    QTest::newRow("not hex")
            << u"{\"server\": {\"routes\": {\"/\": {\"onConnect\": [\n  {\"binary\": \"zz\"}]}}}}"_s
            << u"m.mock.json:2:14: hex holds \"z\""_s;
    QTest::newRow("bad base64")
            << u"{\"server\": {\"routes\": {\"/\": {\"onConnect\": [\n  {\"binaryBase64\": \"a$b\"}]}}}}"_s
            << u"m.mock.json:2:20: not valid base64"_s;
    QTest::newRow("response header name")
            << u"{\"server\": {\"routes\": {\"/\": {\"responseHeaders\": {\n  \"X Bad\": \"1\"}}}}}"_s
            << u"m.mock.json:2:3: \"X Bad\" is not a header name"_s;
    QTest::newRow("pings word")
            << u"{\"server\": {\"routes\": {\"/\": {\n  \"pings\": \"drop\"}}}}"_s
            << u"m.mock.json:2:12: \"pings\" is \"answer\", \"ignore\" or"_s;
}

void TestMockScript::brokenFilesSayWhere()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const QString errors = errorsOf(text);
    QVERIFY2(errors.startsWith(expected) || errors.contains(u'\n' + expected),
             qPrintable(u"expected %1, got:\n%2"_s.arg(expected, errors)));
}

void TestMockScript::mockFileNames()
{
    QVERIFY(MockScriptReader::isMockFileName(u"examples/payments.mock.json"_s));
    QVERIFY(!MockScriptReader::isMockFileName(u"examples/01-echo.json"_s));
}

void TestMockScript::readsPingsAndBinaryReplies()
{
    const QString text = uR"({"server": {"routes": {
      "/a": {"pings": "ignore", "onConnect": [{"binary": "de ad be ef"}, {"binaryBase64": "3q2+7w=="}]},
      "/b": {"pings": {"ignoreAfter": 3},
             "rules": [{"when": {"text": "quiet"}, "pings": "ignore"}, {"when": {"text": "talk"}, "pings": "answer"}]},
      "/c": {"pings": "answer", "onConnect": [{"binary": "{{prefix}} 00"}]}
    }}})"_s;
    QList<JsonError> errors;
    const std::optional<MockScript> script = MockScriptReader::readText(text, u"m.mock.json"_s, &errors);
    QVERIFY2(script, qPrintable(errors.isEmpty() ? QString() : errors.front().toString()));
    QCOMPARE(script->route(u"/a")->pingsAnswered, std::optional<qint64>(0));
    QCOMPARE(script->route(u"/a")->onConnect.at(0).body, MockMessage::Body::Hex);
    QCOMPARE(script->route(u"/a")->onConnect.at(1).body, MockMessage::Body::Base64);
    QCOMPARE(script->route(u"/b")->pingsAnswered, std::optional<qint64>(3));
    QCOMPARE(script->route(u"/b")->rules.at(0).answerPings, std::optional<bool>(false));
    QCOMPARE(script->route(u"/b")->rules.at(1).answerPings, std::optional<bool>(true));
    QVERIFY(!script->route(u"/c")->pingsAnswered);
    const std::optional<JsonSchemaValidator> validator = schema();
    QVERIFY(validator);
    QVERIFY(validator->isValid(QJsonDocument::fromJson(text.toUtf8()).object()));
}

void TestMockScript::binaryTemplates()
{
    Variables variables;
    variables.set(Variables::Layer::CommandLine, u"prefix"_s, u"ca fe"_s);
    QString error;
    MockCaptures none;
    QCOMPARE(MockTemplate::expandBytes(u"{{prefix}} 00"_s, true, none, variables, &error),
             std::optional<QByteArray>("\xca\xfe\x00"_ba));
    MockCaptures binary;
    binary.bytes = "\x01\x02"_ba;
    QCOMPARE(MockTemplate::expandBytes(u"ff {{$}}"_s, true, binary, variables, &error),
             std::optional<QByteArray>("\xff\x01\x02"_ba));
    QCOMPARE(MockTemplate::expandBytes(u"{{$}}"_s, false, binary, variables, &error),
             std::optional<QByteArray>("\x01\x02"_ba));
    // Unresolved stays as written, which is not hex: not sent, and why.
    QVERIFY(!MockTemplate::expandBytes(u"{{nothing}}"_s, true, none, variables, &error));
    QVERIFY2(error.contains(u"not a hex digit"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestMockScript)
#include "tst_mockscript.moc"
