// wsprobe-run, as CI runs it: the examples/ suite against the example servers, the reports
// QTest writes, and scenarios that must fail with a readable message.
#include "peerprocess.h"
#include "scenarioloader.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int RunTimeoutMs = 120000;

struct RunOutput
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestExamples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void examplesPass();
    void junitHasOneTestcasePerScenario();
    void examplesPassInParallel();
    void singleScenarioByName();
    void listsScenarios();
    void failingScenariosFailReadably_data();
    void failingScenariosFailReadably();
    void exitCodeCountsFailures();
    void brokenFileIsReportedWithItsPosition();
    void tokenNeverAppearsInReports();
    void usageErrors();

private:
    RunOutput run(const QStringList &arguments, bool withToken = true) const;
    QStringList serverVariables() const;

    PeerProcess m_exampleServer;
    PeerProcess m_chatServer;
    QString m_token;
    QString m_runner;
    QString m_examples;
    QString m_failing;
    QTemporaryDir m_scratch;
};

void TestExamples::initTestCase()
{
    QVERIFY(m_scratch.isValid());
    m_runner = QStringLiteral(WSPROBE_BINARY_DIR) + u"/bin/wsprobe-run"_s;
    QVERIFY2(QFileInfo::exists(m_runner), qPrintable(m_runner));
    const QString source = PeerProcess::sourceDir();
    m_examples = source + u"/examples"_s;
    m_failing = source + u"/tests/examples/failing"_s;
    // A fresh token each run: nothing in the repository can know it.
    m_token = u"tok-%1"_s.arg(QRandomGenerator::global()->generate64(), 0, 16);
    QVERIFY2(m_exampleServer.start(PeerProcess::Kind::Node, source + u"/tests/examples/example_server.js"_s,
                                   {u"--token"_s, m_token}),
             qPrintable(m_exampleServer.errorString()));
    QVERIFY2(m_chatServer.start(PeerProcess::Kind::Python, source + u"/tests/examples/chat_server.py"_s, {}),
             qPrintable(m_chatServer.errorString()));
}

QStringList TestExamples::serverVariables() const
{
    return {u"--var"_s, u"baseUrl=ws://127.0.0.1:%1"_s.arg(m_exampleServer.port()),
            u"--var"_s, u"chatUrl=ws://127.0.0.1:%1"_s.arg(m_chatServer.port())};
}

RunOutput TestExamples::run(const QStringList &arguments, bool withToken) const
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The token reaches the scenario from the environment, as a CI secret would.
    if (withToken)
        environment.insert(u"token"_s, m_token);
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(m_runner, arguments);
    RunOutput output;
    if (!process.waitForStarted(10000) || !process.waitForFinished(RunTimeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        output.err = u"wsprobe-run did not finish: "_s + process.errorString();
        return output;
    }
    output.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    output.out = QString::fromUtf8(process.readAllStandardOutput());
    output.err = QString::fromUtf8(process.readAllStandardError());
    return output;
}

void TestExamples::examplesPass()
{
    const RunOutput output = run(QStringList{m_examples} + serverVariables());
    QVERIFY2(output.exitCode == 0, qPrintable(output.out + output.err));
    QVERIFY(output.out.contains(u"Totals: 11 passed, 0 failed"_s));
}

void TestExamples::junitHasOneTestcasePerScenario()
{
    const QString report = m_scratch.filePath(u"report.xml"_s);
    const RunOutput output = run(QStringList{m_examples} + serverVariables()
                                 + QStringList{u"-o"_s, report + u",junitxml"_s, u"-o"_s, u"-,txt"_s});
    QVERIFY2(output.exitCode == 0, qPrintable(output.out + output.err));
    QVERIFY2(output.out.contains(u"PASS   : wsprobe::ScenarioSuite::scenario("_s), qPrintable(output.out));

    QStringList problems;
    QStringList expectedNames;
    for (const QString &file : ScenarioLoader::findFiles({m_examples}, &problems)) {
        const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(file);
        QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
        expectedNames.append(loaded.scenario->name);
    }
    QCOMPARE(expectedNames.size(), 9);

    QFile file(report);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QStringList testcases;
    int failures = -1;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == "testsuite"_L1)
            failures = xml.attributes().value(u"failures"_s).toInt();
        if (xml.name() == "testcase"_L1)
            testcases.append(xml.attributes().value(u"name"_s).toString());
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(failures, 0);
    for (const QString &name : std::as_const(expectedNames))
        QCOMPARE(testcases.count(u"scenario(%1)"_s.arg(name)), 1);
}

void TestExamples::examplesPassInParallel()
{
    const RunOutput output = run(QStringList{m_examples, u"--jobs"_s, u"4"_s} + serverVariables());
    QVERIFY2(output.exitCode == 0, qPrintable(output.out + output.err));
}

void TestExamples::singleScenarioByName()
{
    const RunOutput output = run(QStringList{m_examples} + serverVariables()
                                 + QStringList{u"scenario:Sequence: twenty messages, seq up by one each time"_s});
    QVERIFY2(output.exitCode == 0, qPrintable(output.out + output.err));
    QVERIFY2(output.out.contains(u"Totals: 3 passed"_s), qPrintable(output.out));
}

void TestExamples::listsScenarios()
{
    const RunOutput output = run({m_examples, u"--list"_s});
    QCOMPARE(output.exitCode, 0);
    QCOMPARE(output.out.count(u'\n'), 9);
    QVERIFY(output.out.contains(u"Echo: a text comes back unchanged\t"_s));
    QVERIFY(!output.out.contains(u"local.env.json"_s));  // environment files are not scenarios
}

void TestExamples::failingScenariosFailReadably_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("mustSay");
    QTest::newRow("wrong echo text") << u"wrong-echo-text.json"_s
        << QStringList{u"step 3 failed"_s, u"expected: text equals \"goodbye\""_s, u"actual:   hello"_s};
    QTest::newRow("wrong close code") << u"wrong-close-code.json"_s
        << QStringList{u"step 2 failed"_s, u"expected: 4002 application code"_s, u"actual:   4001 application code"_s};
    QTest::newRow("403 expected, 401 came") << u"expect-403-gets-401.json"_s
        << QStringList{u"step 1 failed"_s, u"expected: upgrade refused with HTTP 403"_s, u"actual:   HTTP 401"_s};
    QTest::newRow("sequence step 2") << u"sequence-step-2.json"_s
        << QStringList{u"step 2 failed"_s, u"expected: /seq = 3"_s, u"actual:   /seq = 2"_s};
    QTest::newRow("expectNone receives") << u"expect-none-receives.json"_s
        << QStringList{u"step 3 failed"_s, u"where none was expected"_s, u"actual:   anyone there?"_s};
}

void TestExamples::failingScenariosFailReadably()
{
    QFETCH(QString, file);
    QFETCH(QStringList, mustSay);
    const RunOutput output = run(QStringList{m_failing + u'/' + file} + serverVariables());
    QVERIFY2(output.exitCode == 1, qPrintable(output.out + output.err));
    QVERIFY2(output.out.contains(u"FAIL!  : wsprobe::ScenarioSuite::scenario("_s), qPrintable(output.out));
    QVERIFY2(output.out.contains(file), qPrintable(output.out));
    for (const QString &text : std::as_const(mustSay))
        QVERIFY2(output.out.contains(text), qPrintable(u"missing \"%1\" in:\n%2"_s.arg(text, output.out)));
}

void TestExamples::exitCodeCountsFailures()
{
    const RunOutput output = run(QStringList{m_failing, m_examples + u"/01-echo.json"_s} + serverVariables());
    QCOMPARE(output.exitCode, 5);
    QVERIFY(output.out.contains(u"Totals: 3 passed, 5 failed"_s));
}

void TestExamples::brokenFileIsReportedWithItsPosition()
{
    const QString path = m_scratch.filePath(u"broken.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\n  \"wsprobe\": 1,\n  \"name\": \"broken\",\n  \"clients\": { \"a\": { \"url\": \"ws://127.0.0.1:1/\" } },\n"
               "  \"steps\": [ { \"conect\": \"a\" } ]\n}\n");
    file.close();
    const RunOutput output = run({path});
    QCOMPARE(output.exitCode, 1);
    const QString expected = path + u":5:"_s;
    QVERIFY2(output.out.contains(expected), qPrintable(output.out));
    QVERIFY2(output.out.contains(u"a step needs one action key"_s), qPrintable(output.out));
}

void TestExamples::tokenNeverAppearsInReports()
{
    // The auth example needs the token: without it the run fails, and says which variable.
    const RunOutput without = run(QStringList{m_examples + u"/06-auth.json"_s} + serverVariables(), false);
    QCOMPARE(without.exitCode, 1);
    QVERIFY2(without.out.contains(u"Undefined variable(s): token"_s), qPrintable(without.out));

    const QString report = m_scratch.filePath(u"auth.xml"_s);
    const RunOutput with = run(QStringList{m_examples + u"/06-auth.json"_s, u"-v2"_s, u"-o"_s, report + u",junitxml"_s}
                               + serverVariables());
    QCOMPARE(with.exitCode, 0);
    QFile file(report);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString xml = QString::fromUtf8(file.readAll());
    QVERIFY(!xml.contains(m_token));
    QVERIFY(!with.out.contains(m_token));
}

void TestExamples::usageErrors()
{
    QCOMPARE(run({}).exitCode, 2);
    QCOMPARE(run({m_examples, u"--jobs"_s, u"zero"_s}).exitCode, 2);
    QCOMPARE(run({m_examples, u"--var"_s, u"no-equals"_s}).exitCode, 2);
    QCOMPARE(run({m_scratch.filePath(u"missing-folder"_s)}).exitCode, 2);
#ifdef Q_OS_UNIX
    // --env /dev/zero read until the memory ran out.
    const RunOutput endless = run({m_examples, u"--env"_s, u"/dev/zero"_s});
    QCOMPARE(endless.exitCode, 2);
    QVERIFY2(endless.err.contains(u"/dev/zero: cannot read it: it is a device, not a regular file"_s),
             qPrintable(endless.err));
#endif
    const RunOutput help = run({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(u"junitxml"_s));
}

QTEST_GUILESS_MAIN(TestExamples)
#include "tst_examples.moc"
