// Runs the official JSON-Schema-Test-Suite (Debian's json-schema-test-suite package) through
// JsonSchemaValidator: every case of the drafts we claim, and optional/bignum.json. Remote
// "$ref"s are served from the suite's remotes/ folder and from the meta-schemas kept beside this
// file, through the validator's fetch callback: nothing touches the network.

#include "jsonschemavalidator.h"
#include "jsontext.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QSet>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

using Draft = JsonSchemaValidator::Draft;

struct ClaimedDraft
{
    const char *folder;
    Draft draft;
};

// valijson implements drafts 3, 4 and 7; draft 6 schemas are read with the draft 7 rules (draft 7
// only added keywords), and pass the whole draft 6 suite that way.
constexpr ClaimedDraft Claimed[] = {
    {"draft3", Draft::Draft3},
    {"draft4", Draft::Draft4},
    {"draft6", Draft::Draft7},
    {"draft7", Draft::Draft7},
};

// Cases valijson 1.0 gets wrong, by "<draft>/<file>: <group>: <case>". QEXPECT_FAIL marks each:
// should one start to pass (a newer valijson), the test fails with XPASS and the entry must go.
// Keep docs/matchers.md in step.
const std::map<QString, QString> &knownFailures()
{
    static const QString disallow =
        u"valijson 1.0 does not implement draft 3's \"disallow\": the keyword is ignored"_s;
    static const QString extends =
        u"valijson 1.0 does not implement draft 3's \"extends\": the keyword is ignored"_s;
    static const QString bignum =
        u"a whole number past 2^63 is a double in Qt's JSON, and valijson's Qt adapter takes as "
        u"integers only the numbers that fit in 64 bits"_s;
    static const std::map<QString, QString> failures = {
        {u"draft3/disallow.json: disallow: disallowed"_s, disallow},
        {u"draft3/disallow.json: multiple disallow: mismatch"_s, disallow},
        {u"draft3/disallow.json: multiple disallow: other mismatch"_s, disallow},
        {u"draft3/disallow.json: multiple disallow subschema: mismatch"_s, disallow},
        {u"draft3/disallow.json: multiple disallow subschema: other mismatch"_s, disallow},
        {u"draft3/extends.json: extends: mismatch extended"_s, extends},
        {u"draft3/extends.json: multiple extends: mismatch first extends"_s, extends},
        {u"draft3/extends.json: multiple extends: mismatch second extends"_s, extends},
        {u"draft3/extends.json: multiple extends: mismatch both"_s, extends},
        {u"draft3/extends.json: extends simple types: mismatch extends"_s, extends},
        {u"draft3/optional/bignum.json: integer: a bignum is an integer"_s, bignum},
        {u"draft3/optional/bignum.json: integer: a negative bignum is an integer"_s, bignum},
        {u"draft4/optional/bignum.json: integer: a bignum is an integer"_s, bignum},
        {u"draft4/optional/bignum.json: integer: a negative bignum is an integer"_s, bignum},
        {u"draft6/optional/bignum.json: integer: a bignum is an integer"_s, bignum},
        {u"draft6/optional/bignum.json: integer: a negative bignum is an integer"_s, bignum},
        {u"draft7/optional/bignum.json: integer: a bignum is an integer"_s, bignum},
        {u"draft7/optional/bignum.json: integer: a negative bignum is an integer"_s, bignum},
    };
    return failures;
}

// The suite's folder, or empty. WSPROBE_JSON_SCHEMA_TEST_SUITE, when set, is the only place
// looked at, so that a wrong setting fails instead of silently finding another copy.
QString suiteDirectory()
{
    QStringList candidates;
    const QString fromEnvironment = qEnvironmentVariable("WSPROBE_JSON_SCHEMA_TEST_SUITE");
    if (!fromEnvironment.isEmpty()) {
        candidates << fromEnvironment;
    } else {
        // Debian and Ubuntu's json-schema-test-suite; a local install; a checkout beside ours.
        candidates << u"/usr/share/json-schema-test-suite"_s
                   << u"/usr/local/share/json-schema-test-suite"_s
                   << QStringLiteral(WSPROBE_SOURCE_DIR "/../JSON-Schema-Test-Suite");
    }
    for (const QString &candidate : std::as_const(candidates)) {
        if (QFile::exists(candidate + u"/tests/draft7/type.json"_s))
            return QDir(candidate).absolutePath();
    }
    return {};
}

std::optional<QJsonValue> readJson(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + u": "_s + file.errorString();
        return std::nullopt;
    }
    QString parseError;
    std::optional<QJsonValue> value = JsonText::parse(file.readAll(), &parseError);
    if (!value)
        *error = path + u": "_s + parseError;
    return value;
}

} // namespace

class TestJsonSchemaConformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void suiteCase_data();
    void suiteCase();
    void cleanupTestCase();

private:
    std::optional<QJsonValue> fetchRemote(const QString &uri, QString *error) const;

    QString m_suite;
    QSet<QString> m_knownFailuresSeen;
    int m_rows = 0;  // cases in the suite
    QHash<QString, int> m_total;   // by draft folder
    QHash<QString, int> m_passed;  // by draft folder
};

void TestJsonSchemaConformance::initTestCase()
{
    m_suite = suiteDirectory();
    if (m_suite.isEmpty())
        QFAIL("JSON-Schema-Test-Suite not found: install Debian's json-schema-test-suite package "
              "(apt-get install json-schema-test-suite) or set WSPROBE_JSON_SCHEMA_TEST_SUITE to "
              "a checkout of https://github.com/json-schema-org/JSON-Schema-Test-Suite (the folder "
              "holding tests/ and remotes/)");
    qInfo().noquote() << "JSON-Schema-Test-Suite:" << m_suite;
}

// "http://localhost:1234/<path>" is the suite's remotes/ folder (the suite's README asks runners
// to serve it there); json-schema.org's meta-schemas are the copies kept beside this test.
std::optional<QJsonValue> TestJsonSchemaConformance::fetchRemote(const QString &uri,
                                                                 QString *error) const
{
    QString path;
    static constexpr QStringView localhost = u"http://localhost:1234/";
    static constexpr QStringView metaSchemas = u"http://json-schema.org/";
    if (uri.startsWith(localhost)) {
        path = m_suite + u"/remotes/"_s + uri.mid(localhost.size());
    } else if (uri.startsWith(metaSchemas) && uri.endsWith(u"/schema")) {
        const QString draft = uri.mid(metaSchemas.size()).section(u'/', 0, 0);  // "draft-07"
        path = QStringLiteral(WSPROBE_TEST_DIR "/metaschemas/") + draft
            + u".json"_s;
    } else {
        *error = u"not served by this test"_s;
        return std::nullopt;
    }
    std::optional<QJsonValue> document = readJson(path, error);
    if (!document)
        qWarning().noquote() << "cannot serve" << uri << ":" << *error;
    return document;
}

void TestJsonSchemaConformance::suiteCase_data()
{
    QTest::addColumn<QString>("draftFolder");
    QTest::addColumn<int>("draft");
    QTest::addColumn<QJsonValue>("schema");
    QTest::addColumn<QJsonValue>("data");
    QTest::addColumn<bool>("valid");
    if (m_suite.isEmpty())
        return;  // initTestCase has failed already

    for (const ClaimedDraft &claimed : Claimed) {
        const QString folder = QString::fromLatin1(claimed.folder);
        const QDir dir(m_suite + u"/tests/"_s + folder);
        // The files directly in the folder, and of optional/ only bignum.json: numbers past
        // 2^31 and 2^53 are common on the wire (timestamps, ids), so the verdict on them counts.
        QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
        if (dir.exists(u"optional/bignum.json"_s))
            files.append(u"optional/bignum.json"_s);
        QVERIFY2(!files.isEmpty(), qPrintable(u"no test files in "_s + dir.path()));
        for (const QString &file : files) {
            QString error;
            const std::optional<QJsonValue> groups = readJson(dir.filePath(file), &error);
            QVERIFY2(groups && groups->isArray(), qPrintable(error));
            for (const QJsonValue &groupValue : groups->toArray()) {
                const QJsonObject group = groupValue.toObject();
                for (const QJsonValue &testValue : group.value(u"tests").toArray()) {
                    const QJsonObject test = testValue.toObject();
                    const QString name = folder + u'/' + file + u": "_s
                        + group.value(u"description").toString() + u": "_s
                        + test.value(u"description").toString();
                    QTest::newRow(qPrintable(name))
                        << folder << int(claimed.draft) << group.value(u"schema")
                        << test.value(u"data") << test.value(u"valid").toBool();
                    ++m_rows;
                }
            }
        }
    }
    QVERIFY(m_rows > 0);
}

void TestJsonSchemaConformance::suiteCase()
{
    QFETCH(QString, draftFolder);
    QFETCH(int, draft);
    QFETCH(QJsonValue, schema);
    QFETCH(QJsonValue, data);
    QFETCH(bool, valid);

    const QString name = QString::fromUtf8(QTest::currentDataTag());
    ++m_total[draftFolder];
    JsonSchemaValidator::Options options;
    options.draft = Draft(draft);
    options.fetchRemote = [this](const QString &uri, QString *error) {
        return fetchRemote(uri, error);
    };
    QString error;
    const std::optional<JsonSchemaValidator> validator =
        JsonSchemaValidator::compile(schema, &error, options);
    QVERIFY2(validator, qPrintable(u"the schema does not compile: "_s + error));
    const auto known = knownFailures().find(name);
    if (known != knownFailures().end()) {
        m_knownFailuresSeen.insert(name);
        QEXPECT_FAIL("", qPrintable(known->second), Abort);
    }
    QCOMPARE(validator->isValid(data), valid);
    // The full report must agree with the fast path.
    QCOMPARE(validator->validate(data).isEmpty(), valid);
    ++m_passed[draftFolder];
}

void TestJsonSchemaConformance::cleanupTestCase()
{
    for (const ClaimedDraft &claimed : Claimed) {
        const QString folder = QString::fromLatin1(claimed.folder);
        qInfo().noquote() << u"%1: %2/%3 cases pass, %4 known failures"_s.arg(folder)
                                 .arg(m_passed.value(folder))
                                 .arg(m_total.value(folder))
                                 .arg(m_total.value(folder) - m_passed.value(folder));
    }
    // A known failure that names no case any more (a newer suite renamed it) must go. Only
    // when every case ran: running one by name is fine.
    int ran = 0;
    for (const int total : std::as_const(m_total))
        ran += total;
    if (m_rows == 0 || ran < m_rows)
        return;
    for (const auto &[name, reason] : knownFailures()) {
        QVERIFY2(m_knownFailuresSeen.contains(name),
                 qPrintable(u"the known failure \""_s + name + u"\" is not in the suite any more"_s));
    }
}

QTEST_GUILESS_MAIN(TestJsonSchemaConformance)
#include "tst_jsonschemaconformance.moc"
