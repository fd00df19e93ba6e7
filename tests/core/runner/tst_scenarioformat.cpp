#include "frameevent.h"
#include "inputfilereader.h"
#include "jsonschemavalidator.h"
#include "matcher.h"
#include "scenarioloader.h"
#include "scenariowriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

QString sourceDir()
{
    const QString fromEnvironment = qEnvironmentVariable("WSPROBE_SOURCE_DIR");
    return fromEnvironment.isEmpty() ? QStringLiteral(WSPROBE_SOURCE_DIR) : fromEnvironment;
}

QStringList shippedScenarios()
{
    QStringList problems;
    return ScenarioLoader::findFiles({sourceDir() + u"/examples"_s,
                                      sourceDir() + u"/tests/examples/failing"_s,
                                      sourceDir() + u"/tests/suite/scenarios"_s},
                                     &problems);
}

QJsonValue readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
}

// A minimal valid scenario with `steps` spliced in.
QString withSteps(const QString &steps)
{
    return u"{\n  \"wsprobe\": 1,\n  \"name\": \"t\",\n  \"clients\": { \"a\": { \"url\": \"ws://127.0.0.1:1/\" } },\n"
           "  \"steps\": [\n"_s + steps + u"\n  ]\n}\n"_s;
}

} // namespace

class TestScenarioFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shippedScenariosLoad_data();
    void shippedScenariosLoad();
    void brokenFilesAreLocated_data();
    void brokenFilesAreLocated();
    void everyErrorIsReportedAtOnce();
    void schemaFilesBesideTheScenario();
    void schemaAgreesWithTheLoader_data();
    void schemaAgreesWithTheLoader();
    void writerRoundTrips_data();
    void writerRoundTrips();
    void savesAtomically();

private:
    std::optional<JsonSchemaValidator> m_schema;
};

void TestScenarioFormat::initTestCase()
{
    QString error;
    m_schema = JsonSchemaValidator::compile(readJson(sourceDir() + u"/resources/scenario.schema.json"_s), &error);
    QVERIFY2(m_schema, qPrintable(error));
    QVERIFY(shippedScenarios().size() >= 16);
}

void TestScenarioFormat::shippedScenariosLoad_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &path : shippedScenarios())
        QTest::newRow(qPrintable(QDir(sourceDir()).relativeFilePath(path))) << path;
}

void TestScenarioFormat::shippedScenariosLoad()
{
    QFETCH(QString, path);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    const QList<JsonSchemaValidator::Violation> violations = m_schema->validate(readJson(path));
    QVERIFY2(violations.isEmpty(), qPrintable(violations.isEmpty() ? QString()
                                              : violations.first().path + u": "_s + violations.first().message));
}

void TestScenarioFormat::brokenFilesAreLocated_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");  // the whole first line of the report
    QTest::newRow("syntax") << u"{\n  \"wsprobe\": 1,\n  \"name\": \"t\"\n  \"clients\": {}\n}"_s
                            << u"t.json:4:3: expected ',' or '}' after an object member, found a string"_s;
    QTest::newRow("misspelt step") << withSteps(u"    { \"conect\": \"a\" }"_s)
                                   << u"t.json:6:5: a step needs one action key: connect, send, expect, expectSequence, "
                                      "expectNone, ping, expectPong, wait, close, expectClose, expectRejected, capture, drop, reconnect, roundTrip, expectServer"_s;
    QTest::newRow("two actions") << withSteps(u"    { \"connect\": \"a\", \"drop\": \"a\" }"_s)
                                 << u"t.json:6:23: a step does one thing: it has both \"connect\" and \"drop\""_s;
    QTest::newRow("correlate not a pointer")
        << u"{\n  \"wsprobe\": 1,\n  \"name\": \"t\",\n  \"clients\": { \"a\": { \"url\": \"ws://x/\", \"correlate\": \"id\" } },\n  \"steps\": []\n}\n"_s
        << u"t.json:4:54: correlate: not a JSON Pointer (such as \"/id\"): a JSON pointer must be empty or start with \"/\": \"id\""_s;
    QTest::newRow("unknown client") << withSteps(u"    { \"connect\": \"b\" }"_s)
                                    << u"t.json:6:18: no client named \"b\" (the clients are: a)"_s;
    QTest::newRow("unsendable close code") << withSteps(u"    { \"close\": \"a\", \"code\": 1006 }"_s)
                                           << u"t.json:6:29: 1006 Abnormal Closure cannot be sent in a close frame: "
                                              "The connection ended without a close frame. Never sent: reported locally."_s;
    QTest::newRow("bad hex") << withSteps(u"    { \"send\": \"a\", \"binary\": \"0g\" }"_s)
                             << u"t.json:6:30: expected hexadecimal bytes such as \"00 ff 1a\", found \"0g\""_s;
    QTest::newRow("two payloads") << withSteps(u"    { \"send\": \"a\", \"text\": \"x\", \"json\": {} }"_s)
                                  << u"t.json:6:41: a message has one of text, json, binary, base64 or file; this one has both \"text\" and \"json\""_s;
    QTest::newRow("bad regex") << withSteps(u"    { \"expectClose\": \"a\", \"reasonMatches\": \"(\" }"_s)
                               << u"t.json:6:44: expected a regular expression: missing closing parenthesis"_s;
    // These crashed wsprobe-run and the window (a stack overflow): now an error at the "$ref".
    QTest::newRow("schema $ref to itself")
        << withSteps(u"    { \"expect\": \"a\", \"match\": { \"schema\": { \"$ref\": \"#\" } } }"_s)
        << u"t.json:6:53: invalid matcher: /schema/$ref: invalid schema: \"$ref\" loop: # → # refers "
           "to nothing but itself, and validating with it would never end"_s;
    QTest::newRow("schema $ref loop")
        << withSteps(u"    { \"expectNone\": \"a\", \"within\": 10, \"match\": { \"schema\": {\n"
                     "      \"definitions\": { \"a\": { \"$ref\": \"#/definitions/b\" },\n"
                     "                       \"b\": { \"$ref\": \"#/definitions/a\" } },\n"
                     "      \"items\": { \"$ref\": \"#/definitions/a\" } } } }"_s)
        << u"t.json:7:39: invalid matcher: /schema/definitions/a/$ref: invalid schema: \"$ref\" loop: "
           "#/definitions/a → #/definitions/b → #/definitions/a refers to nothing but itself, and "
           "validating with it would never end"_s;
    // A close matcher where only messages are looked at could never match.
    QTest::newRow("close matcher in expectSequence")
        << withSteps(u"    { \"expectSequence\": \"a\", \"count\": 2, \"match\": { \"close\": \"any\" } }"_s)
        << u"t.json:6:51: expectSequence counts messages, and a \"close\" matcher matches none: check "
           "the end with expectClose"_s;
    QTest::newRow("close matcher in a trigger")
        << u"{ \"wsprobe\": 1, \"name\": \"t\", \"clients\": { \"a\": { \"url\": \"ws://x/\" } },\n"
           "  \"triggers\": [ { \"on\": \"a\", \"match\": { \"close\": 1000 }, \"text\": \"x\" } ],\n"
           "  \"steps\": [] }"_s
        << u"t.json:2:39: a trigger answers messages, and a \"close\" matcher matches none: it would "
           "never fire"_s;
    QTest::newRow("expectServer without servers") << withSteps(u"    { \"expectServer\": \"pay\" }"_s)
        << u"t.json:6:23: no server named \"pay\": the scenario declares none (\"servers\")"_s;
    QTest::newRow("missing mock file")
        << u"{ \"wsprobe\": 1, \"name\": \"t\", \"clients\": { \"a\": { \"url\": \"ws://x/\" } },\n"
           "  \"servers\": { \"pay\": \"no-such.mock.json\" }, \"steps\": [] }"_s
        << u"t.json:2:23: no mock file "_s + QDir::toNativeSeparators(QDir::tempPath() + u"/no-such.mock.json"_s);
    QTest::newRow("server not a mock file")
        << u"{ \"wsprobe\": 1, \"name\": \"t\", \"clients\": { \"a\": { \"url\": \"ws://x/\" } },\n"
           "  \"servers\": { \"pay\": \"pay.json\" }, \"steps\": [] }"_s
        << u"t.json:2:23: a server is a mock file, named *.mock.json: pay.json"_s;
    QTest::newRow("wrong version") << u"{ \"wsprobe\": 2, \"name\": \"t\", \"clients\": { \"a\": { \"url\": \"ws://x/\" } }, \"steps\": [] }"_s
                                   << u"t.json:1:14: this is a version 2 scenario; this wsprobe reads version 1"_s;
}

void TestScenarioFormat::brokenFilesAreLocated()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(text, u"t.json"_s, QDir::tempPath());
    QVERIFY(!loaded.scenario);
    QCOMPARE(loaded.errorText().section(u'\n', 0, 0), error);
}

void TestScenarioFormat::everyErrorIsReportedAtOnce()
{
    const QString text = withSteps(u"    { \"conect\": \"a\" },\n    { \"send\": \"a\" },\n    { \"wait\": 10, \"optinal\": true }"_s);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(text, u"t.json"_s, QDir::tempPath());
    QVERIFY(!loaded.scenario);
    QCOMPARE(loaded.errors.size(), 3);
    QCOMPARE(loaded.errors[0].where.line, 6);
    QCOMPARE(loaded.errors[1].where.line, 7);
    QVERIFY(loaded.errors[1].message.contains(u"missing the message"_s));
    QCOMPARE(loaded.errors[2].where.line, 8);
    QVERIFY2(loaded.errors[2].message.contains(u"optional"_s), qPrintable(loaded.errors[2].message));
}

// A "$ref" to a file names it relative to the scenario; files may refer to each other, with the
// same size cap as any input and the same loop check.
void TestScenarioFormat::schemaFilesBesideTheScenario()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(u"schemas"_s));
    const auto write = [&dir](const QString &name, const QByteArray &text) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    write(u"schemas/message.schema.json"_s,
          R"({"type": "object", "required": ["user"], "properties": {"user": {"$ref": "user.schema.json"}},
              "definitions": {"id": {"type": "integer", "minimum": 1}}})");
    write(u"schemas/user.schema.json"_s,
          R"({"properties": {"id": {"$ref": "message.schema.json#/definitions/id"}}})");
    write(u"schemas/loop.schema.json"_s, R"({"$ref": "loop.schema.json#"})");
    write(u"schemas/broken.schema.json"_s, "{\n  \"type\": \"object\",\n}");
    const auto scenarioWith = [](const QString &ref) {
        return withSteps(u"    { \"expect\": \"a\", \"match\": { \"schema\": { \"$ref\": \"%1\" } } }"_s.arg(ref));
    };
    const auto load = [&dir](const QString &text) {
        QFile file(dir.filePath(u"t.json"_s));
        if (file.open(QIODevice::WriteOnly))
            file.write(text.toUtf8());
        file.close();
        return ScenarioLoader::loadFile(dir.filePath(u"t.json"_s));
    };

    const ScenarioLoader::Result good = load(scenarioWith(u"schemas/message.schema.json"_s));
    QVERIFY2(good.scenario, qPrintable(good.errorText()));
    const std::optional<Matcher> matcher = good.scenario->steps[0].matcher;
    QVERIFY(matcher);
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = Direction::Incoming;
    event.text = u"{\"user\": {\"id\": 1733280000000}}"_s;
    QVERIFY(matcher->match(event).matched);
    event.text = u"{\"user\": {\"id\": 0}}"_s;
    QVERIFY(!matcher->match(event).matched);

    const QString path = dir.filePath(u"t.json"_s);
    ScenarioLoader::Result loop = load(scenarioWith(u"schemas/loop.schema.json"_s));
    QVERIFY(!loop.scenario);
    QCOMPARE(loop.errorText(),
             path + u":6:53: invalid matcher: /schema/$ref: invalid schema: \"$ref\" loop: "
                    "loop.schema.json# → loop.schema.json# refers to nothing but itself, and "
                    "validating with it would never end"_s);

    ScenarioLoader::Result broken = load(scenarioWith(u"schemas/broken.schema.json"_s));
    QVERIFY(!broken.scenario);
    QCOMPARE(broken.errorText(),
             path + u":6:53: invalid matcher: /schema/$ref: invalid schema: the \"$ref\" "
                    "\"schemas/broken.schema.json\" at # cannot be read: "_s
                 + dir.filePath(u"schemas/broken.schema.json"_s)
                 + u":2:19: trailing comma is not allowed"_s);

    QFile huge(dir.filePath(u"schemas/huge.schema.json"_s));
    QVERIFY(huge.open(QIODevice::WriteOnly));
    QVERIFY(huge.resize(InputFileReader::DefaultMaxBytes + 1));
    huge.close();
    ScenarioLoader::Result tooLarge = load(scenarioWith(u"schemas/huge.schema.json"_s));
    QVERIFY(!tooLarge.scenario);
    QVERIFY2(tooLarge.errorText().endsWith(u"huge.schema.json: the file is 64.0 MiB (67108865 bytes), "
                                           "more than the 64 MiB wsprobe reads from one file"_s),
             qPrintable(tooLarge.errorText()));
}

void TestScenarioFormat::schemaAgreesWithTheLoader_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown top-level key") << u"{ \"wsprobe\": 1, \"name\": \"t\", \"clients\": { \"a\": { \"url\": \"ws://x/\" } }, \"steps\": [], \"extra\": 1 }"_s;
    QTest::newRow("no name") << u"{ \"wsprobe\": 1, \"clients\": { \"a\": { \"url\": \"ws://x/\" } }, \"steps\": [] }"_s;
    QTest::newRow("client without url") << u"{ \"wsprobe\": 1, \"name\": \"t\", \"clients\": { \"a\": {} }, \"steps\": [] }"_s;
    QTest::newRow("two actions") << withSteps(u"    { \"connect\": \"a\", \"drop\": \"a\" }"_s);
    QTest::newRow("send without message") << withSteps(u"    { \"send\": \"a\" }"_s);
    QTest::newRow("unknown step key") << withSteps(u"    { \"expect\": \"a\", \"timout\": 5 }"_s);
    QTest::newRow("ping payload too long") << withSteps(u"    { \"ping\": \"a\", \"payload\": \"%1\" }"_s.arg(QString(126, u'p')));
    QTest::newRow("correlate not a pointer") << u"{ \"wsprobe\": 1, \"name\": \"t\", \"clients\": { \"a\": { \"url\": \"ws://x/\", \"correlate\": \"id\" } }, \"steps\": [] }"_s;
}

void TestScenarioFormat::schemaAgreesWithTheLoader()
{
    QFETCH(QString, text);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(text, u"t.json"_s, QDir::tempPath());
    QVERIFY2(!loaded.scenario, "the loader accepted it");
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    QVERIFY(document.isObject());
    QVERIFY2(!m_schema->isValid(document.object()), "the schema accepted it");
}

void TestScenarioFormat::writerRoundTrips_data()
{
    shippedScenariosLoad_data();
}

void TestScenarioFormat::writerRoundTrips()
{
    QFETCH(QString, path);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    const QString written = ScenarioWriter::toText(*loaded.scenario);
    const ScenarioLoader::Result again = ScenarioLoader::loadText(written, u"written.json"_s, QFileInfo(path).absolutePath());
    QVERIFY2(again.scenario, qPrintable(again.errorText() + u"\n"_s + written));
    // Written twice, the same text: nothing is lost or reordered on the way.
    QCOMPARE(ScenarioWriter::toText(*again.scenario), written);
    QCOMPARE(again.scenario->steps.size(), loaded.scenario->steps.size());
    QVERIFY(m_schema->isValid(QJsonDocument::fromJson(written.toUtf8()).object()));
}

void TestScenarioFormat::savesAtomically()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"s.json"_s);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(sourceDir() + u"/examples/01-echo.json"_s);
    QVERIFY(loaded.scenario);
    QString error;
    QVERIFY2(ScenarioWriter::save(*loaded.scenario, path, &error), qPrintable(error));
    QVERIFY(ScenarioLoader::loadFile(path).scenario);
    // QSaveFile writes beside the target and renames: no temporary file is left behind.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"s.json"_s});
    // Saving into a folder that does not exist fails with a message, and creates nothing.
    const QString missing = dir.filePath(u"no/such/folder/s.json"_s);
    QVERIFY(!ScenarioWriter::save(*loaded.scenario, missing, &error));
    QVERIFY2(error.contains(missing), qPrintable(error));
    QVERIFY(!QFile::exists(missing));
}

QTEST_GUILESS_MAIN(TestScenarioFormat)
#include "tst_scenarioformat.moc"
