// ScenarioRunner against real servers on loopback: the built-in DemoServer and LocalEchoServer.
// Every scenario is written in the file format and read with ScenarioLoader::loadText, so these
// tests also pin what the format means. Each step kind has a passing case and a failing one, and
// a failing case checks WHICH step failed and the exact words a person reads in a CI log.

#include "scenariotesting.h"

#include "closecodes.h"
#include "demoserver.h"
#include "localechoserver.h"
#include "scenariorunner.h"
#include "secretmasker.h"
#include "session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;
using namespace wsprobe::testing;

namespace {

const QString Mask = SecretMasker::Mask.toString();

// The scenario most tests start from: one client "alice" on the demo's /echo, a send, then the
// step under test. %1 is the send step's payload members, %2 the steps after it.
QString echoScenario(const QString &payload, const QString &steps)
{
    return uR"({
  "wsprobe": 1,
  "name": "echo",
  "stepTimeout": 3000,
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", %1 },
    %2
  ]
})"_s.arg(payload, steps);
}

// Behaviour that crashes the runner cannot be tested in this process: such a test runs itself
// again in a child process (this binary, asked for the current test function) and checks that the
// child passed. In the child, WSPROBE_TEST_CHILD is set and the test does the real work.
bool isChildProcess()
{
    return qEnvironmentVariableIsSet("WSPROBE_TEST_CHILD");
}

struct ChildRun
{
    bool finished = false;
    bool passed = false;  // exited normally with status 0
    QString output;
};

ChildRun runCurrentTestInChildProcess()
{
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"WSPROBE_TEST_CHILD"_s, u"1"_s);
    environment.insert(u"QTEST_DISABLE_STACK_DUMP"_s, u"1"_s);
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(QTest::currentTestFunction())});
    ChildRun run;
    run.finished = child.waitForFinished(60000);
    if (!run.finished)
        child.kill();
    run.output = QString::fromLocal8Bit(child.readAll());
    run.passed = run.finished && child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0;
    return run;
}

} // namespace

class tst_ScenarioRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // servers the scenario starts
    void declaredServerServesAndIsChecked();
    void expectServerFailsReadably();

    // connect
    void connectOpensEveryClientAndClosesAtTheEnd();
    void connectFailsOnRefusedPort();

    // send and expect
    void sendAndExpect_data();
    void sendAndExpect();
    void expectMismatch_data();
    void expectMismatch();
    void expectLeavesEarlierMessagesForLaterSteps();
    void expectCountTakesNMessages();
    void expectCountFailsWhenTooFew();
    void strictExpectPassesInOrder();
    void strictExpectFailsOnAnotherNextMessage();

    // expectSequence
    void expectSequencePassesOnDemoSeq();
    void expectSequenceFailsOnWrongIncrement();
    void expectSequenceFailsWhenTooFewArrive();
    void expectSequenceKeepsIntegersPast2To53();

    // expectNone
    void expectNonePassesOnSilence();
    void expectNoneIgnoresConsumedMessages();
    void expectNoneFailsWhenAMessageArrives();
    void expectNoneFailsAtOnceOnAWaitingMessage();
    void closeMatchersSeeTheConnectionEnd_data();
    void closeMatchersSeeTheConnectionEnd();

    // ping and pong
    void pingAndExpectPong();
    void expectPongWithoutPingFails();
    void roundTripPassesUnderItsLimit();
    void roundTripFailsNamingTheValueAndThePairs();
    void roundTripWaitsForEnoughPairs();
    void pingFailsWhenNotOpen();

    // close and expectClose
    void closeSendsCodeAndReason();
    void closeFailsWhenNotOpen();
    void closeWithUndefinedVariableInReasonFails();
    void undefinedVariableSharedByClientsIsNamedOnce();
    void expectClosePassesOnServerClose();
    void expectCloseFailsOnAnotherCode();

    // expectRejected
    void expectRejectedPassesWithStatus();
    void expectRejectedFailsOnAnotherStatus();
    void expectRejectedFailsWhenTheUpgradeIsAccepted();

    // capture
    void captureFeedsALaterSend();
    void captureWithRegex();
    void captureFailsWhenPointerMissing();
    void captureFailsWithoutAMatchedMessage();
    void capturedSecretIsMaskedInTheNote();

    // triggers
    void triggerAnswersFromAnotherClient();
    void triggerFiresForEveryMatchWithoutOnce();
    void triggerOnceInChat_data();
    void triggerOnceInChat();
    void triggerFailsTheStepWhenItsSenderIsNotOpen_data();
    void triggerFailsTheStepWhenItsSenderIsNotOpen();

    // variables and secrets
    void undefinedVariableFailsTheSend();
    void secretVariablesAreMaskedInFailures();
    void processEnvironmentValuesAreMaskedInFailures();
    void matcherWithVariables();
    void matcherWithUndefinedVariableFails();

    // run control
    void scenarioTimeoutEndsAStuckStep();
    void scenarioTimeoutFromTheFile();
    void cancelFailsTheCurrentStep();
    void cancelWhileClosingAfterAPass();
    void cancelWhileClosingAfterAFailure();
    void destroyingARunningRunnerDropsItsConnections();
    void twoRunnersInOneEventLoop();
    void failureReportForACiLog();

private:
    Variables variables() const;

    std::unique_ptr<DemoServer> m_demo;
    std::unique_ptr<LocalEchoServer> m_echo;
};

void tst_ScenarioRunner::init()
{
    m_demo = std::make_unique<DemoServer>();
    QVERIFY2(m_demo->listen(), qPrintable(m_demo->errorString()));
    m_echo = std::make_unique<LocalEchoServer>();
    QVERIFY2(m_echo->listen(), qPrintable(m_echo->errorString()));
}

void tst_ScenarioRunner::cleanup()
{
    m_demo.reset();
    m_echo.reset();
}

// As wsprobe-run would pass them: --var baseUrl=... --var echoUrl=...
Variables tst_ScenarioRunner::variables() const
{
    Variables variables;
    variables.set(Variables::Layer::CommandLine, u"baseUrl"_s, m_demo->url().toString());
    variables.set(Variables::Layer::CommandLine, u"echoUrl"_s, m_echo->url().toString());
    return variables;
}

// ---------------------------------------------------------------------------------------------
// connect

void tst_ScenarioRunner::connectOpensEveryClientAndClosesAtTheEnd()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "connect two",
  "clients": {
    "alice": { "url": "{{baseUrl}}/echo" },
    "bob": { "url": "{{echoUrl}}" }
  },
  "steps": [ { "connect": ["alice", "bob"] } ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    QCOMPARE(runner.clientNames(), QStringList({u"alice"_s, u"bob"_s}));
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps.size(), 1);
    QCOMPARE(displayName(runner.result().steps[0].status), u"passed"_s);
    QCOMPARE(runner.result().steps[0].title, u"connect alice, bob"_s);

    // At the end every connection was closed by the runner, cleanly.
    for (const QString &name : {u"alice"_s, u"bob"_s}) {
        Session *session = runner.session(name);
        QVERIFY(session);
        QCOMPARE(session->state(), SessionState::Closed);
        QCOMPARE(session->lastClose().code, 1000);
        QCOMPARE(session->lastClose().reason, u"scenario finished"_s);
        QCOMPARE(session->lastClose().initiator, CloseInitiator::Client);
        QVERIFY(session->lastClose().clean);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_echo->lastCloseCode(), 1000, 5000);
}

void tst_ScenarioRunner::connectFailsOnRefusedPort()
{
    // A port that was free a moment ago: nothing listens there any more.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 deadPort = probe.serverPort();
    probe.close();

    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "refused",
  "clients": {
    "alice": { "url": "{{echoUrl}}" },
    "bob": { "url": "ws://127.0.0.1:{{deadPort}}/" }
  },
  "steps": [
    { "connect": ["alice", "bob"] },
    { "send": "alice", "text": "never sent" }
  ]
})"_s);
    Variables vars = variables();
    vars.set(Variables::Layer::CommandLine, u"deadPort"_s, QString::number(deadPort));
    ScenarioRunner runner(scenario, vars);
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 0);
    const StepResult &step = runner.result().steps[0];
    QCOMPARE(step.message, u"Client \"bob\" could not connect: Connection refused"_s);
    QCOMPARE(step.expected, u"open"_s);
    QCOMPARE(step.actual, u"closed"_s);
    QVERIFY(allSessionsEnded(runner));
}

// ---------------------------------------------------------------------------------------------
// servers the scenario starts

namespace {

// A mock that greets on /room and answers {"ask": ...} with {"answer": <the same>}.
const QString RoomMock = uR"({ "wsprobe": 1, "name": "room", "server": { "routes": { "/room": {
    "onConnect": [ { "json": { "hello": "room" } } ],
    "rules": [ { "when": { "pointer": "/ask", "exists": true }, "reply": { "json": { "answer": "{{$.ask}}" } } } ] } } } })"_s;

// RoomMock as a file in dir; "" when it cannot be written.
QString writeRoomMock(const QTemporaryDir &dir)
{
    QFile file(dir.filePath(u"room.mock.json"_s));
    if (!dir.isValid() || !file.open(QIODevice::WriteOnly) || file.write(RoomMock.toUtf8()) < 0)
        return {};
    return file.fileName();
}

QString scenarioWithServer(const QString &mockPath, const QString &steps)
{
    return uR"({ "wsprobe": 1, "name": "served", "stepTimeout": 2000,
  "servers": { "room": "%1" },
  "clients": { "a": { "url": "{{servers.room.url}}/room" }, "b": { "url": "{{servers.room.url}}/room" } },
  "steps": [ %2 ] })"_s.arg(mockPath, steps);
}

} // namespace

void tst_ScenarioRunner::declaredServerServesAndIsChecked()
{
    QTemporaryDir dir;
    const QString mock = writeRoomMock(dir);
    QVERIFY(!mock.isEmpty());
    LOAD_SCENARIO(scenario, scenarioWithServer(mock, uR"(
    { "connect": ["a", "b"] },
    { "expect": "a", "match": { "jsonSubset": { "hello": "room" } } },
    { "send": "a", "json": { "ask": 1 } },
    { "send": "b", "json": { "ask": 2 } },
    { "expect": "a", "match": { "jsonSubset": { "answer": 1 } } },
    { "expect": "b", "match": { "jsonSubset": { "answer": 2 } } },
    { "expectServer": "room", "match": { "pointer": "/ask", "exists": true }, "count": 2 },
    { "close": ["a", "b"] })"_s));
    QCOMPARE(scenario.servers.size(), 1);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    // The server ran on a port of its own, told to the clients through the variable.
    const QString url = runner.variables().value(u"servers.room.url"_s).value_or(QString());
    QVERIFY2(url.startsWith(u"ws://127.0.0.1:"_s), qPrintable(url));
    QVERIFY(!url.endsWith(u":0"_s));
    QCOMPARE(runner.result().steps[6].message, u"2 matching message(s)"_s);
}

void tst_ScenarioRunner::expectServerFailsReadably()
{
    QTemporaryDir dir;
    const QString mock = writeRoomMock(dir);
    QVERIFY(!mock.isEmpty());
    LOAD_SCENARIO(scenario, scenarioWithServer(mock, uR"(
    { "connect": "a" },
    { "send": "a", "json": { "ask": "something else" } },
    { "expectServer": "room", "match": { "jsonSubset": { "ask": "the question" } }, "timeout": 300 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 2);
    const StepResult &step = runner.result().steps[2];
    QCOMPARE(step.message, u"Server \"room\" received 0 matching message(s) within 300 ms, 1 expected"_s);
    QCOMPARE(step.actual, u"{\"ask\":\"something else\"}"_s);
    QVERIFY(allSessionsEnded(runner));
}

// ---------------------------------------------------------------------------------------------
// send and expect

void tst_ScenarioRunner::sendAndExpect_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("match");

    QTest::newRow("text equals") << uR"("text": "hello")"_s << uR"({"text": "hello"})"_s;
    QTest::newRow("text with quotes and unicode")
        << uR"("text": "say \"hi\" – ünïcødé")"_s << uR"({"text": "say \"hi\" – ünïcødé"})"_s;
    QTest::newRow("textContains") << uR"("text": "hello world")"_s << uR"({"textContains": "lo wo"})"_s;
    QTest::newRow("textMatches") << uR"("text": "order 1234 shipped")"_s
                                 << uR"({"textMatches": "^order \\d+ shipped$"})"_s;
    QTest::newRow("textMatches ignoring case") << uR"("text": "HELLO")"_s
                                               << uR"({"textMatches": "^hello$", "flags": "i"})"_s;
    QTest::newRow("json equals, any key order")
        << uR"("json": {"type": "greet", "n": 1})"_s << uR"({"json": {"n": 1, "type": "greet"}})"_s;
    QTest::newRow("jsonSubset")
        << uR"("json": {"type": "greet", "user": {"id": 7, "name": "ann"}})"_s
        << uR"({"jsonSubset": {"user": {"id": 7}}})"_s;
    QTest::newRow("pointer equals")
        << uR"("json": {"user": {"id": 7}})"_s << uR"({"pointer": "/user/id", "equals": 7})"_s;
    QTest::newRow("binary from hex") << uR"("binary": "de ad be ef")"_s << uR"({"binary": "deadbeef"})"_s;
    QTest::newRow("binary from base64") << uR"("base64": "3q2+7w==")"_s << uR"({"binary": "de ad be ef"})"_s;
    QTest::newRow("any message") << uR"("text": "x")"_s << uR"({"anyMessage": true})"_s;
    QTest::newRow("allOf") << uR"("json": {"type": "ack", "id": 3})"_s
                           << uR"({"allOf": [{"jsonSubset": {"type": "ack"}}, {"textContains": "3"}]})"_s;
}

void tst_ScenarioRunner::sendAndExpect()
{
    QFETCH(QString, payload);
    QFETCH(QString, match);
    LOAD_SCENARIO(scenario, echoScenario(payload, uR"({ "expect": "alice", "match": %1 })"_s.arg(match)));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps.size(), 3);
    for (const StepResult &step : runner.result().steps)
        QCOMPARE(displayName(step.status), u"passed"_s);
}

void tst_ScenarioRunner::expectMismatch_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("match");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("actual");

    const QString within = u"No matching message on \"alice\" within 300 ms"_s;
    QTest::newRow("text equals")
        << uR"("text": "hello")"_s << uR"({"text": "goodbye"})"_s
        << within + u" (first difference at offset 0; expected 7 characters, got 5)"_s
        << u"text equals \"goodbye\""_s
        << u"1 message did not match; the last: \"hello\""_s;
    QTest::newRow("jsonSubset")
        << uR"("json": {"type": "greet"})"_s << uR"({"jsonSubset": {"type": "bye"}})"_s
        << within + u" (at /type: expected \"bye\", got \"greet\")"_s
        << u"json subset {\"type\":\"bye\"}"_s
        << u"1 message did not match; the last: {\"type\":\"greet\"}"_s;
    QTest::newRow("textMatches")
        << uR"("text": "order x shipped")"_s << uR"({"textMatches": "^order \\d+"})"_s
        << within + u" (no match for /^order \\d+/)"_s
        << u"text matches /^order \\d+/"_s
        << u"1 message did not match; the last: \"order x shipped\""_s;
    QTest::newRow("binary")
        << uR"("binary": "de ad")"_s << uR"({"binary": "de af"})"_s
        << within + u" (first difference at offset 1)"_s
        << u"binary equals de af"_s
        << u"1 message did not match; the last: de ad"_s;
    QTest::newRow("text matcher, binary message")
        << uR"("binary": "01 02")"_s << uR"({"text": "hello"})"_s
        << within + u" (not a text message)"_s
        << u"text equals \"hello\""_s
        << u"1 message did not match; the last: binary message 01 02"_s;
}

void tst_ScenarioRunner::expectMismatch()
{
    QFETCH(QString, payload);
    QFETCH(QString, match);
    QFETCH(QString, message);
    QFETCH(QString, expected);
    QFETCH(QString, actual);
    LOAD_SCENARIO(scenario, echoScenario(payload, uR"({ "expect": "alice", "match": %1, "timeout": 300 },
    { "send": "alice", "text": "not reached" })"_s.arg(match)));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 2);
    const StepResult &step = runner.result().steps[2];
    QCOMPARE(step.message, message);
    QCOMPARE(step.expected, expected);
    QCOMPARE(step.actual, actual);
    QVERIFY2(step.durationMs >= 250, qPrintable(QString::number(step.durationMs)));
    QVERIFY(allSessionsEnded(runner));
}

void tst_ScenarioRunner::expectLeavesEarlierMessagesForLaterSteps()
{
    // "b" is taken first; "a", which arrived before it, is still there for the next step.
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "a")"_s, uR"({ "send": "alice", "text": "b" },
    { "expect": "alice", "match": {"text": "b"} },
    { "expect": "alice", "match": {"text": "a"} },
    { "expectNone": "alice", "within": 200 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

void tst_ScenarioRunner::expectCountTakesNMessages()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s, uR"({ "send": "alice", "text": "y" },
    { "send": "alice", "text": "x" },
    { "send": "alice", "text": "x" },
    { "expect": "alice", "match": {"text": "x"}, "count": 3 },
    { "expect": "alice", "match": {"text": "y"}, "strict": true },
    { "expectNone": "alice", "within": 200 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[5].title, u"expect alice: text equals \"x\" ×3"_s);
}

void tst_ScenarioRunner::expectCountFailsWhenTooFew()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s, uR"({ "send": "alice", "text": "x" },
    { "send": "alice", "text": "x" },
    { "expect": "alice", "match": {"text": "x"}, "count": 4, "timeout": 300 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 4);
    const StepResult &step = runner.result().steps[4];
    // Counted on both sides: "Got 3 of 4" beside "no message arrived" said two things.
    QCOMPARE(step.message, u"Got 3 of 4 matching messages within 300 ms"_s);
    QCOMPARE(step.expected, u"4 messages matching text equals \"x\""_s);
    QCOMPARE(step.actual, u"3 messages matching"_s);
}

void tst_ScenarioRunner::strictExpectPassesInOrder()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "a")"_s, uR"({ "send": "alice", "text": "b" },
    { "expect": "alice", "match": {"text": "a"}, "strict": true },
    { "expect": "alice", "match": {"text": "b"}, "strict": true })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[3].title, u"expect alice: text equals \"a\" (next message)"_s);
}

void tst_ScenarioRunner::strictExpectFailsOnAnotherNextMessage()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "a")"_s, uR"({ "send": "alice", "text": "b" },
    { "expect": "alice", "match": {"text": "b"}, "strict": true })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 3);
    const StepResult &step = runner.result().steps[3];
    QCOMPARE(step.message, u"The next message on \"alice\" did not match (first difference at offset 0)"_s);
    QCOMPARE(step.expected, u"text equals \"b\""_s);
    QCOMPARE(step.actual, u"a"_s);
    // It failed on the message, not by waiting out its timeout.
    QVERIFY2(step.durationMs < 2000, qPrintable(QString::number(step.durationMs)));
}

// ---------------------------------------------------------------------------------------------
// expectSequence

void tst_ScenarioRunner::expectSequencePassesOnDemoSeq()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "sequence",
  "clients": { "alice": { "url": "{{baseUrl}}/seq?n=20" } },
  "steps": [
    { "connect": "alice" },
    { "expectSequence": "alice", "count": 20, "match": {"pointer": "/seq", "exists": true}, "increasing": "/seq", "step": 1 },
    { "expectNone": "alice", "within": 200 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[1].title, u"expect alice: 20 messages, /seq increasing"_s);
}

void tst_ScenarioRunner::expectSequenceFailsOnWrongIncrement()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "sequence",
  "clients": { "alice": { "url": "{{baseUrl}}/seq?n=20" } },
  "steps": [
    { "connect": "alice" },
    { "expectSequence": "alice", "count": 20, "increasing": "/seq", "step": 2 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 1);
    const StepResult &step = runner.result().steps[1];
    QCOMPARE(step.message, u"/seq did not increase at message 2 of 20"_s);
    QCOMPARE(step.expected, u"/seq = 3"_s);
    QCOMPARE(step.actual, u"/seq = 2"_s);
}

void tst_ScenarioRunner::expectSequenceFailsWhenTooFewArrive()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "sequence",
  "clients": { "alice": { "url": "{{baseUrl}}/seq?n=3" } },
  "steps": [
    { "connect": "alice" },
    { "expectSequence": "alice", "count": 5, "increasing": "/seq", "timeout": 300 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 1);
    const StepResult &step = runner.result().steps[1];
    QCOMPARE(step.message, u"Got 3 of 5 messages within 300 ms"_s);
    QCOMPARE(step.expected, u"5 messages"_s);
    QCOMPARE(step.actual, u"3 messages"_s);
}

// As doubles, 2^53 + 1 equalled 2^53 ("did not increase"), and a failure wrote a Date.now()
// timestamp as 1.73328e+12.
void tst_ScenarioRunner::expectSequenceKeepsIntegersPast2To53()
{
    LOAD_SCENARIO(increasing, echoScenario(uR"("json": {"seq": 9007199254740993})"_s,
                                           uR"({ "send": "alice", "json": {"seq": 9007199254740994} },
    { "expectSequence": "alice", "count": 2, "increasing": "/seq", "step": 1 })"_s));
    ScenarioRunner passing(increasing, variables());
    RUN_TO_END(passing);
    VERIFY_PASSED(passing);

    LOAD_SCENARIO(repeated, echoScenario(uR"("json": {"t": 1733280000000})"_s,
                                         uR"({ "send": "alice", "json": {"t": 1733280000000} },
    { "expectSequence": "alice", "count": 2, "increasing": "/t" })"_s));
    ScenarioRunner failing(repeated, variables());
    RUN_TO_END(failing);
    VERIFY_FAILED_AT(failing, 3);
    const StepResult &step = failing.result().steps[3];
    QCOMPARE(step.message, u"/t did not increase at message 2 of 2"_s);
    QCOMPARE(step.expected, u"/t > 1733280000000"_s);
    QCOMPARE(step.actual, u"/t = 1733280000000"_s);
}

// ---------------------------------------------------------------------------------------------
// expectNone

void tst_ScenarioRunner::expectNonePassesOnSilence()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "silence",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "expectNone": "alice", "within": 300 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[1].title, u"expect nothing on alice for 300 ms"_s);
    QVERIFY2(runner.result().steps[1].durationMs >= 250, qPrintable(QString::number(runner.result().steps[1].durationMs)));
}

void tst_ScenarioRunner::expectNoneIgnoresConsumedMessages()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s, uR"({ "expect": "alice", "match": {"text": "x"} },
    { "send": "alice", "text": "other" },
    { "expectNone": "alice", "match": {"text": "x"}, "within": 300 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

void tst_ScenarioRunner::expectNoneFailsWhenAMessageArrives()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "surprise")"_s,
                                         uR"({ "expectNone": "alice", "within": 2000 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 2);
    const StepResult &step = runner.result().steps[2];
    QCOMPARE(step.message, u"A message arrived on \"alice\" where none was expected within 2000 ms"_s);
    QCOMPARE(step.expected, u"no message matching any message"_s);
    QCOMPARE(step.actual, u"surprise"_s);
    QVERIFY2(step.durationMs < 1500, qPrintable(QString::number(step.durationMs)));
}

void tst_ScenarioRunner::expectNoneFailsAtOnceOnAWaitingMessage()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "early")"_s, uR"({ "wait": 300 },
    { "expectNone": "alice", "match": {"textContains": "ear"}, "within": 3000 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 3);
    const StepResult &step = runner.result().steps[3];
    QCOMPARE(step.message, u"A message arrived on \"alice\" where none was expected within 3000 ms"_s);
    QCOMPARE(step.expected, u"no message matching text contains \"ear\""_s);
    QCOMPARE(step.actual, u"early"_s);
    QVERIFY2(step.durationMs < 1000, qPrintable(QString::number(step.durationMs)));
}

// A "close" matcher in expect or expectNone saw messages only: {"expectNone": ..., "match":
// {"close": "any"}} passed although the server had closed, and an expect of a close timed out.
void tst_ScenarioRunner::closeMatchersSeeTheConnectionEnd_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<int>("failedStep");  // -1: passes
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("actual");
    QTest::newRow("expectNone close any")
        << uR"({ "expectNone": "alice", "within": 2000, "match": {"close": "any"} })"_s << 1
        << u"The connection on \"alice\" ended where no such end was expected within 2000 ms"_s
        << u"4001 application code, reason \"token expired\", clean"_s;
    QTest::newRow("expectNone another code") << uR"({ "expectNone": "alice", "within": 300, "match": {"close": 1000} })"_s
                                             << -1 << QString() << QString();
    QTest::newRow("expect the close")
        << uR"({ "expect": "alice", "match": {"anyOf": [{"text": "bye"}, {"close": 4001}]} })"_s << -1
        << QString() << QString();
    QTest::newRow("expect another close")
        << uR"({ "expect": "alice", "timeout": 300, "match": {"close": 1000} })"_s << 1
        << u"No matching message or close on \"alice\" within 300 ms (code 4001 instead of 1000)"_s
        << u"the connection ended: 4001 application code, reason \"token expired\", clean"_s;
}

void tst_ScenarioRunner::closeMatchersSeeTheConnectionEnd()
{
    QFETCH(QString, step);
    QFETCH(int, failedStep);
    QFETCH(QString, message);
    QFETCH(QString, actual);
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "server closes",
  "clients": { "alice": { "url": "{{baseUrl}}/close?code=4001&reason=token%20expired" } },
  "steps": [
    { "connect": "alice" },
    %1
  ]
})"_s.arg(step));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    if (failedStep < 0) {
        VERIFY_PASSED(runner);
        return;
    }
    VERIFY_FAILED_AT(runner, failedStep);
    const StepResult &result = runner.result().steps[failedStep];
    QCOMPARE(result.message, message);
    QCOMPARE(result.actual, actual);
}

// ---------------------------------------------------------------------------------------------
// ping and pong

void tst_ScenarioRunner::pingAndExpectPong()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "ping",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "ping": "alice", "payload": "are you there" },
    { "expectPong": "alice", "within": 3000 },
    { "ping": "alice" },
    { "expectPong": "alice" }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QVERIFY2(runner.result().steps[2].message.startsWith(u"round trip "_s), qPrintable(runner.result().steps[2].message));
    QVERIFY(runner.result().steps[4].message.endsWith(u" ms"_s));

    // The pong of each step's own ping, with its payload.
    const FrameLog *log = runner.session(u"alice"_s)->log();
    QStringList pongs;
    for (qint64 seq = log->firstSequence(); seq < log->endSequence(); ++seq) {
        if (log->at(seq).kind == EventKind::Pong)
            pongs.append(QString::fromUtf8(log->at(seq).data));
    }
    QCOMPARE(pongs.size(), 2);
    QCOMPARE(pongs[0], u"are you there"_s);
}

void tst_ScenarioRunner::expectPongWithoutPingFails()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "pong without ping",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "expectPong": "alice", "timeout": 300 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 1);
    QCOMPARE(runner.result().steps[1].message, u"No ping was sent on \"alice\" before this step"_s);
}

// ---------------------------------------------------------------------------------------------
// roundTrip

namespace {

// Five JSON messages to the demo's /echo, paired by /id, then %1: the roundTrip step.
QString roundTripScenario(const QString &step)
{
    QString steps;
    for (int i = 1; i <= 5; ++i)
        steps += uR"(    { "send": "alice", "json": { "id": %1 } },)"_s.arg(i) + u'\n';
    return uR"({
  "wsprobe": 1,
  "name": "round trips",
  "stepTimeout": 3000,
  "clients": { "alice": { "url": "{{baseUrl}}/echo", "correlate": "/id" } },
  "steps": [
    { "connect": "alice" },
%1    %2
  ]
})"_s.arg(steps, step);
}

} // namespace

void tst_ScenarioRunner::roundTripPassesUnderItsLimit()
{
    LOAD_SCENARIO(scenario, roundTripScenario(uR"({ "roundTrip": "alice", "p95": 5000, "over": 5 })"_s));
    QCOMPARE(scenario.clients[0].correlate, u"/id"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    const StepResult &step = runner.result().steps[6];
    QCOMPARE(step.title, u"round trips on alice: p95 round trip < 5000 ms over the last 5 pairs"_s);
    QVERIFY2(step.message.startsWith(u"p95 "_s) && step.message.contains(u" over the last 5 pairs (sent message 1 to message "_s),
             qPrintable(step.message));
}

// Nothing crosses loopback, two threads and a server in under a microsecond.
void tst_ScenarioRunner::roundTripFailsNamingTheValueAndThePairs()
{
    LOAD_SCENARIO(scenario, roundTripScenario(uR"({ "roundTrip": "alice", "max": 0.001 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 6);
    const StepResult &step = runner.result().steps[6];
    QVERIFY2(step.message.startsWith(u"Round trips on \"alice\": the max round trip over all "_s)
                 && step.message.contains(u" ms, not under 0.001 ms; the slowest: message "_s)
                 && step.message.contains(u" answered by message "_s),
             qPrintable(step.message));
    QCOMPARE(step.expected, u"max round trip < 0.001 ms"_s);
    QVERIFY2(step.actual.startsWith(u"max "_s) && step.actual.contains(u"(sent message 1 to message "_s),
             qPrintable(step.actual));
}

void tst_ScenarioRunner::roundTripWaitsForEnoughPairs()
{
    LOAD_SCENARIO(scenario, roundTripScenario(uR"({ "roundTrip": "alice", "p50": 5000, "over": 10, "timeout": 300 })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 6);
    QCOMPARE(runner.result().steps[6].message,
             u"Only 5 pairs on \"alice\" within 300 ms, 10 needed (0 still awaiting an answer)"_s);
}

void tst_ScenarioRunner::pingFailsWhenNotOpen()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "ping before connect",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "ping": "alice" },
    { "expectPong": "alice" }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 0);
    QCOMPARE(runner.result().steps[0].message, u"Client \"alice\" could not ping: it is idle"_s);
}

// ---------------------------------------------------------------------------------------------
// close and expectClose

void tst_ScenarioRunner::closeSendsCodeAndReason()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "close",
  "clients": { "alice": { "url": "{{echoUrl}}" } },
  "steps": [
    { "connect": "alice" },
    { "close": "alice", "code": 4000, "reason": "bye" }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[1].title, u"close alice with 4000 application code"_s);
    QCOMPARE(runner.result().steps[1].message, u"closed: 4000 application code"_s);
    const CloseInfo info = runner.session(u"alice"_s)->lastClose();
    QCOMPARE(info.code, 4000);
    QCOMPARE(info.reason, u"bye"_s);
    QCOMPARE(info.initiator, CloseInitiator::Client);
    QVERIFY(info.clean);
    // What the server received.
    QTRY_COMPARE_WITH_TIMEOUT(m_echo->lastCloseCode(), 4000, 5000);
    QCOMPARE(m_echo->lastCloseReason(), u"bye"_s);
}

void tst_ScenarioRunner::closeFailsWhenNotOpen()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "close before connect",
  "clients": { "alice": { "url": "{{echoUrl}}" } },
  "steps": [
    { "close": "alice", "code": "GOING_AWAY" },
    { "connect": "alice" }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 0);
    QCOMPARE(runner.result().steps[0].title, u"close alice with 1001 Going Away"_s);
    QCOMPARE(runner.result().steps[0].message, u"Client \"alice\" is not open (idle)"_s);
}

// docs/scenario-variables.md: "A reference to a variable that has no value is an error that
// names the variable; it is never replaced by an empty string", and nothing half-expanded is sent.
void tst_ScenarioRunner::closeWithUndefinedVariableInReasonFails()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "close reason",
  "clients": { "alice": { "url": "{{echoUrl}}" } },
  "steps": [
    { "connect": "alice" },
    { "close": "alice", "code": 4000, "reason": "bye {{nope}}" }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 1);
    QCOMPARE(runner.result().steps[1].message, u"Undefined variable(s): nope"_s);
}

// Ten clients on one {{server}} that has no value: the message names it once, not ten times.
void tst_ScenarioRunner::undefinedVariableSharedByClientsIsNamedOnce()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "fan-out without a server",
  "clients": {
    "c1": { "url": "{{server}}/chat" }, "c2": { "url": "{{server}}/chat" },
    "c3": { "url": "{{server}}/chat?token={{token}}" }
  },
  "steps": [ { "connect": ["c1", "c2", "c3"] } ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 0);
    QCOMPARE(runner.result().steps[0].message, u"Undefined variable(s): server, token"_s);
}

void tst_ScenarioRunner::expectClosePassesOnServerClose()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "server closes",
  "clients": { "alice": { "url": "{{baseUrl}}/close?code=4001&reason=token%20expired" } },
  "steps": [
    { "connect": "alice" },
    { "expectClose": "alice", "code": 4001, "reason": "token expired", "reasonMatches": "^token", "clean": true }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[1].message,
             u"4001 application code, reason \"token expired\", clean, closed by server"_s);
}

void tst_ScenarioRunner::expectCloseFailsOnAnotherCode()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "server closes",
  "clients": { "alice": { "url": "{{baseUrl}}/close?code=4001&reason=token%20expired" } },
  "steps": [
    { "connect": "alice" },
    { "expectClose": "alice", "code": 4002 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 1);
    const StepResult &step = runner.result().steps[1];
    QCOMPARE(step.message, u"\"alice\" closed, but not as expected"_s);
    QCOMPARE(step.expected, u"4002 application code"_s);
    QVERIFY2(step.actual.contains(u"4001"_s), qPrintable(step.actual));
    QCOMPARE(step.actual, u"4001 application code, reason \"token expired\", clean, closed by server"_s);
}

// ---------------------------------------------------------------------------------------------
// expectRejected

void tst_ScenarioRunner::expectRejectedPassesWithStatus()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "rejected",
  "clients": { "alice": { "url": "{{baseUrl}}/reject?status=401" } },
  "steps": [ { "expectRejected": "alice", "status": 401 } ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[0].title, u"expect alice's upgrade refused with HTTP 401"_s);
    QCOMPARE(runner.result().steps[0].message, u"refused with HTTP 401"_s);
}

void tst_ScenarioRunner::expectRejectedFailsOnAnotherStatus()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "rejected",
  "clients": { "alice": { "url": "{{baseUrl}}/reject?status=401" } },
  "steps": [ { "expectRejected": "alice", "status": 403 } ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 0);
    const StepResult &step = runner.result().steps[0];
    QCOMPARE(step.message, u"The upgrade was refused with another status"_s);
    QCOMPARE(step.expected, u"upgrade refused with HTTP 403"_s);
    QCOMPARE(step.actual, u"HTTP 401"_s);
}

void tst_ScenarioRunner::expectRejectedFailsWhenTheUpgradeIsAccepted()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "rejected",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [ { "expectRejected": "alice", "status": 401 } ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 0);
    const StepResult &step = runner.result().steps[0];
    QCOMPARE(step.message, u"The server accepted the upgrade"_s);
    QCOMPARE(step.expected, u"upgrade refused with HTTP 401"_s);
    QCOMPARE(step.actual, u"101 Switching Protocols"_s);
    QVERIFY(allSessionsEnded(runner));
}

// ---------------------------------------------------------------------------------------------
// capture

void tst_ScenarioRunner::captureFeedsALaterSend()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("json": {"user": {"id": "u-42", "n": 7}})"_s,
                                         uR"({ "expect": "alice", "match": {"jsonSubset": {"user": {}}} },
    { "capture": "alice", "pointer": "/user/id", "as": "uid" },
    { "capture": "alice", "pointer": "/user/n", "as": "n" },
    { "send": "alice", "json": {"hello": "{{uid}}", "n": "{{n}}"} },
    { "expect": "alice", "match": {"json": {"hello": "u-42", "n": "7"}} },
    { "send": "alice", "text": "bye {{uid}}" },
    { "expect": "alice", "match": {"text": "bye u-42"} })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.result().steps[3].title, u"capture /user/id from alice into uid"_s);
    QCOMPARE(runner.result().steps[3].message, u"uid = u-42"_s);
    QCOMPARE(runner.variables().value(u"uid"_s), std::optional<QString>(u"u-42"_s));
    QCOMPARE(runner.variables().layerOf(u"uid"_s), std::optional<Variables::Layer>(Variables::Layer::Captured));
}

void tst_ScenarioRunner::captureWithRegex()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "session=abc123; path=/")"_s,
                                         uR"~({ "expect": "alice" },
    { "capture": "alice", "regex": "session=(\\w+)", "as": "sid" },
    { "send": "alice", "text": "[{{sid}}]" },
    { "expect": "alice", "match": {"text": "[abc123]"} })~"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

void tst_ScenarioRunner::captureFailsWhenPointerMissing()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("json": {"user": {"id": "u-42"}})"_s,
                                         uR"({ "expect": "alice" },
    { "capture": "alice", "pointer": "/user/name", "as": "name" },
    { "send": "alice", "text": "{{name}}" })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 3);
    const StepResult &step = runner.result().steps[3];
    QCOMPARE(step.message, u"Nothing at /user/name"_s);
    QCOMPARE(step.expected, u"a value at /user/name"_s);
    QCOMPARE(step.actual, u"{\"user\":{\"id\":\"u-42\"}}"_s);
    QVERIFY(!runner.variables().value(u"name"_s));
}

void tst_ScenarioRunner::captureFailsWithoutAMatchedMessage()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s,
                                         uR"({ "capture": "alice", "pointer": "/id", "as": "id" })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 2);
    QCOMPARE(runner.result().steps[2].message,
             u"Nothing to capture from: no expect on \"alice\" has matched a message yet"_s);
}

void tst_ScenarioRunner::capturedSecretIsMaskedInTheNote()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("json": {"session": {"token": "st-0123456789"}})"_s,
                                         uR"({ "expect": "alice" },
    { "capture": "alice", "pointer": "/session/token", "as": "session_token" },
    { "send": "alice", "text": "using {{session_token}}" },
    { "expect": "alice", "match": {"text": "something else"}, "strict": true })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 5);
    QCOMPARE(runner.result().steps[3].message, u"session_token = "_s + Mask);
    QCOMPARE(runner.result().steps[5].actual, u"using "_s + Mask);
    QVERIFY(!runner.result().failureReport().contains(u"st-0123456789"_s));
}

// ---------------------------------------------------------------------------------------------
// triggers

void tst_ScenarioRunner::triggerAnswersFromAnotherClient()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "trigger",
  "stepTimeout": 3000,
  "clients": {
    "a": { "url": "{{baseUrl}}/echo" },
    "b": { "url": "{{echoUrl}}" }
  },
  "triggers": [
    { "on": "a", "match": {"text": "X"}, "send": "b", "text": "Y from b" }
  ],
  "steps": [
    { "connect": ["a", "b"] },
    { "send": "a", "text": "X" },
    { "expect": "b", "match": {"text": "Y from b"} },
    { "expect": "a", "match": {"text": "X"}, "strict": true }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

void tst_ScenarioRunner::triggerFiresForEveryMatchWithoutOnce()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "trigger",
  "stepTimeout": 3000,
  "variables": { "answer": "Y" },
  "clients": {
    "a": { "url": "{{baseUrl}}/echo" },
    "b": { "url": "{{echoUrl}}" }
  },
  "triggers": [
    { "on": "a", "match": {"text": "X"}, "send": "b", "json": {"answer": "{{answer}}"} }
  ],
  "steps": [
    { "connect": ["a", "b"] },
    { "send": "a", "text": "X" },
    { "send": "a", "text": "X" },
    { "expect": "b", "match": {"json": {"answer": "Y"}}, "count": 2 },
    { "expectNone": "b", "within": 300 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

void tst_ScenarioRunner::triggerOnceInChat_data()
{
    QTest::addColumn<bool>("once");
    QTest::newRow("once: bob answers the first question only") << true;
    QTest::newRow("every time: the second answer fails expectNone") << false;
}

void tst_ScenarioRunner::triggerOnceInChat()
{
    // Two clients in the demo's chat room: whenever bob hears alice ask, he answers.
    QFETCH(bool, once);
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "chat",
  "stepTimeout": 3000,
  "clients": {
    "alice": { "url": "{{baseUrl}}/chat", "query": { "name": "alice" } },
    "bob": { "url": "{{baseUrl}}/chat", "query": { "name": "bob" } }
  },
  "triggers": [
    { "on": "bob", "match": {"jsonSubset": {"type": "message", "from": "alice", "text": "ping?"}},
      "send": "bob", "json": {"text": "pong!"}, "once": %1 }
  ],
  "steps": [
    { "connect": "alice" },
    { "connect": "bob" },
    { "expect": "alice", "match": {"jsonSubset": {"type": "join", "name": "bob", "clients": 2}} },
    { "send": "alice", "text": "ping?" },
    { "expect": "alice", "match": {"json": {"type": "message", "from": "bob", "text": "pong!"}} },
    { "expect": "bob", "match": {"jsonSubset": {"from": "bob", "text": "pong!"}} },
    { "send": "alice", "text": "ping?" },
    { "expectNone": "alice", "match": {"jsonSubset": {"from": "bob"}}, "within": 500 }
  ]
})"_s.arg(once ? u"true"_s : u"false"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    if (once) {
        VERIFY_PASSED(runner);
        return;
    }
    VERIFY_FAILED_AT(runner, 7);
    const StepResult &step = runner.result().steps[7];
    QCOMPARE(step.message, u"A message arrived on \"alice\" where none was expected within 500 ms"_s);
    QCOMPARE(step.expected, u"no message matching json subset {\"from\":\"bob\"}"_s);
    QCOMPARE(step.actual, u"{\"from\":\"bob\",\"text\":\"pong!\",\"type\":\"message\"}"_s);
}

void tst_ScenarioRunner::triggerFailsTheStepWhenItsSenderIsNotOpen_data()
{
    QTest::addColumn<QString>("nextStep");
    QTest::addColumn<bool>("knownBug");
    QTest::newRow("during a wait") << uR"({ "wait": 1500 })"_s << false;
    // The step that waits for the very message the trigger reacts to.
    QTest::newRow("during the expect of the message") << uR"({ "expect": "a", "match": {"text": "X"} })"_s << true;
}

void tst_ScenarioRunner::triggerFailsTheStepWhenItsSenderIsNotOpen()
{
    QFETCH(QString, nextStep);
    QFETCH(bool, knownBug);
    const QString text = uR"({
  "wsprobe": 1,
  "name": "trigger",
  "stepTimeout": 3000,
  "clients": {
    "a": { "url": "{{baseUrl}}/echo" },
    "b": { "url": "{{echoUrl}}" }
  },
  "triggers": [
    { "on": "a", "match": {"text": "X"}, "send": "b", "text": "Y" }
  ],
  "steps": [
    { "connect": "a" },
    { "send": "a", "text": "X" },
    %1,
    { "send": "a", "text": "not reached" }
  ]
})"_s.arg(nextStep);
    LOAD_SCENARIO(scenario, text);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    if (knownBug) {
    }
    VERIFY_FAILED_AT(runner, 2);
    QCOMPARE(runner.result().steps[2].message,
             u"Trigger at line %1 could not send: Client \"b\" is not open (idle)"_s.arg(lineOf(text, u"\"on\": \"a\""_s)));
}

// ---------------------------------------------------------------------------------------------
// variables and secrets

void tst_ScenarioRunner::undefinedVariableFailsTheSend()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "hi {{nope}} and {{nope}}, {{alsoNope}}")"_s,
                                         uR"({ "expect": "alice" })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 1);
    QCOMPARE(runner.result().steps[1].message, u"Undefined variable(s): nope, alsoNope"_s);
    // Nothing half-expanded went out.
    const FrameLog *log = runner.session(u"alice"_s)->log();
    for (qint64 seq = log->firstSequence(); seq < log->endSequence(); ++seq)
        QVERIFY(!(log->at(seq).isMessage() && log->at(seq).direction == Direction::Outgoing));
}

void tst_ScenarioRunner::secretVariablesAreMaskedInFailures()
{
    const QString secret = u"tok-9f8e7d6c5b4a"_s;
    const QString visible = u"lobby-1234"_s;
    // A strict expect that sees the secret in the message, and a timed-out one that wants it.
    const QString strictText = echoScenario(uR"("text": "my token is {{token}} in {{room}}")"_s,
                                            uR"({ "expect": "alice", "match": {"text": "something else"}, "strict": true })"_s);
    const QString wantsText = echoScenario(uR"("text": "hello")"_s,
                                           uR"({ "expect": "alice", "match": {"text": "{{token}}"}, "timeout": 300 })"_s);
    for (const QString &text : {strictText, wantsText}) {
        LOAD_SCENARIO(each, text);
        Variables vars = variables();
        vars.set(Variables::Layer::CommandLine, u"token"_s, secret);
        vars.set(Variables::Layer::CommandLine, u"room"_s, visible);
        ScenarioRunner runner(each, vars);
        RUN_TO_END(runner);
        VERIFY_FAILED_AT(runner, 2);
        const StepResult &step = runner.result().steps[2];
        const QString report = runner.result().failureReport();
        for (const QString &shown : {step.message, step.expected, step.actual, report})
            QVERIFY2(!shown.contains(secret), qPrintable(shown));
        if (text == strictText) {
            QCOMPARE(step.actual, u"my token is %1 in %2"_s.arg(Mask, visible));
        } else {
            QCOMPARE(step.expected, u"text equals \"%1\""_s.arg(Mask));
            QCOMPARE(step.actual, u"1 message did not match; the last: \"hello\""_s);
        }
    }
}

void tst_ScenarioRunner::processEnvironmentValuesAreMaskedInFailures()
{
    // A process-environment variable is a secret whatever its name.
    const QString value = u"pe-value-31337"_s;
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "greeting {{GREETING_TEXT}}")"_s,
                                         uR"({ "expect": "alice", "match": {"text": "other"}, "strict": true })"_s));
    Variables vars = variables();
    vars.set(Variables::Layer::ProcessEnvironment, u"GREETING_TEXT"_s, value);
    ScenarioRunner runner(scenario, vars);
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 2);
    const StepResult &step = runner.result().steps[2];
    QCOMPARE(step.actual, u"greeting "_s + Mask);
    QVERIFY(!runner.result().failureReport().contains(value));
}

void tst_ScenarioRunner::matcherWithVariables()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "matcher variables",
  "variables": { "greeting": "hello there", "id": "7" },
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", "text": "{{greeting}}" },
    { "expect": "alice", "match": {"text": "{{greeting}}"} },
    { "send": "alice", "json": {"id": "{{id}}", "text": "{{greeting}}!"} },
    { "expect": "alice", "match": {"jsonSubset": {"text": "{{greeting}}!"}} }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

void tst_ScenarioRunner::matcherWithUndefinedVariableFails()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "hello")"_s,
                                         uR"({ "expect": "alice", "match": {"text": "{{greeting}}"} })"_s));
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 2);
    QCOMPARE(runner.result().steps[2].message, u"Undefined variable(s) in the matcher: greeting"_s);
}

// ---------------------------------------------------------------------------------------------
// run control

void tst_ScenarioRunner::scenarioTimeoutEndsAStuckStep()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s,
                                         uR"({ "expect": "alice", "match": {"text": "never"}, "timeout": 10000 },
    { "send": "alice", "text": "not reached" })"_s));
    ScenarioRunner runner(scenario, variables());
    runner.setScenarioTimeout(300);
    QElapsedTimer clock;
    clock.start();
    RUN_TO_END(runner);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    VERIFY_FAILED_AT(runner, 2);
    const StepResult &step = runner.result().steps[2];
    QCOMPARE(step.message, u"The scenario timed out after 300 ms"_s);
    QCOMPARE(runner.result().error, u"The scenario timed out after 300 ms"_s);
    // Every connection was closed, not left open.
    QVERIFY(allSessionsEnded(runner));
    QCOMPARE(runner.session(u"alice"_s)->state(), SessionState::Closed);
    QCOMPARE(runner.session(u"alice"_s)->lastClose().code, 1000);
    QCOMPARE(runner.session(u"alice"_s)->lastClose().initiator, CloseInitiator::Client);
}

void tst_ScenarioRunner::scenarioTimeoutFromTheFile()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "stuck",
  "timeout": 400,
  "clients": { "alice": { "url": "{{baseUrl}}/seq?n=0" } },
  "steps": [
    { "connect": "alice" },
    { "expect": "alice", "timeout": 20000 }
  ]
})"_s);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 1);
    QCOMPARE(runner.result().steps[1].message, u"The scenario timed out after 400 ms"_s);
    QVERIFY(allSessionsEnded(runner));
}

void tst_ScenarioRunner::cancelFailsTheCurrentStep()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s,
                                         uR"({ "expect": "alice", "match": {"text": "never"}, "timeout": 20000 })"_s));
    ScenarioRunner runner(scenario, variables());
    runner.cancel();  // not running: nothing happens
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    QSignalSpy stepFinished(&runner, &ScenarioRunner::stepFinished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(displayName(runner.result().steps[2].status), u"running"_s, 5000);
    QVERIFY(runner.isRunning());
    runner.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QVERIFY(!runner.isRunning());
    VERIFY_FAILED_AT(runner, 2);
    QCOMPARE(runner.result().steps[2].message, u"Cancelled"_s);
    QCOMPARE(stepFinished.count(), 3);
    QVERIFY(allSessionsEnded(runner));
    runner.cancel();  // finished: nothing happens
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
}

// Cancel while the runner closes the connections after the last step passed: the run has
// passed, and there is no current step to fail. Regression: this once failed a step one past the
// end and crashed, so the scenario runs in a child process (this binary, this one function).
void tst_ScenarioRunner::cancelWhileClosingAfterAPass()
{
    if (!isChildProcess()) {
        const ChildRun child = runCurrentTestInChildProcess();
        QVERIFY2(child.finished, "the child test did not finish within 60 s");
        QVERIFY2(child.passed, qPrintable(child.output));
        return;
    }

    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s, uR"({ "expect": "alice" })"_s));
    ScenarioRunner runner(scenario, variables());
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    QSignalSpy stepFinished(&runner, &ScenarioRunner::stepFinished);
    bool cancelled = false;
    // Closing happens only once the steps are over: the runner is closing the connection.
    connect(runner.session(u"alice"_s), &Session::stateChanged, this, [&](SessionState state) {
        if (state == SessionState::Closing && !cancelled) {
            cancelled = true;
            QTimer::singleShot(0, &runner, [&runner] { runner.cancel(); });
        }
    });
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QVERIFY(cancelled);
    QCOMPARE(runner.result().steps.size(), 3);
    QCOMPARE(stepFinished.count(), 3);
    VERIFY_PASSED(runner);
    // The runner drops what is still closing when it finishes; the sockets say so a moment later.
    QTRY_VERIFY_WITH_TIMEOUT(allSessionsEnded(runner), 5000);
}

// Cancel while the runner closes the connections after a step failed: the report must still
// say why that step failed.
void tst_ScenarioRunner::cancelWhileClosingAfterAFailure()
{
    LOAD_SCENARIO(scenario, echoScenario(uR"("text": "x")"_s,
                                         uR"({ "expect": "alice", "match": {"text": "y"}, "timeout": 200 })"_s));
    ScenarioRunner runner(scenario, variables());
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    bool cancelled = false;
    connect(runner.session(u"alice"_s), &Session::stateChanged, this, [&](SessionState state) {
        if (state == SessionState::Closing && !cancelled) {
            cancelled = true;
            QTimer::singleShot(0, &runner, [&runner] { runner.cancel(); });
        }
    });
    QSignalSpy stepFinished(&runner, &ScenarioRunner::stepFinished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QVERIFY(cancelled);
    VERIFY_FAILED_AT(runner, 2);
    QCOMPARE(runner.result().steps[2].message,
             u"No matching message on \"alice\" within 200 ms (first difference at offset 0)"_s);
    QCOMPARE(runner.result().steps[2].expected, u"text equals \"y\""_s);
    QCOMPARE(stepFinished.count(), 3);
}

void tst_ScenarioRunner::destroyingARunningRunnerDropsItsConnections()
{
    LOAD_SCENARIO(scenario, uR"({
  "wsprobe": 1,
  "name": "destroyed",
  "clients": { "alice": { "url": "{{echoUrl}}" } },
  "steps": [
    { "connect": "alice" },
    { "expect": "alice", "timeout": 20000 }
  ]
})"_s);
    auto runner = std::make_unique<ScenarioRunner>(scenario, variables());
    runner->start();
    QTRY_COMPARE_WITH_TIMEOUT(displayName(runner->result().steps[1].status), u"running"_s, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_echo->clientCount(), 1, 5000);
    runner.reset();
    QTRY_COMPARE_WITH_TIMEOUT(m_echo->clientCount(), 0, 5000);
    QTest::qWait(50);  // anything the runner had queued must not run now
}

void tst_ScenarioRunner::twoRunnersInOneEventLoop()
{
    LOAD_SCENARIO(first, uR"({
  "wsprobe": 1,
  "name": "first",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "wait": 300 },
    { "send": "alice", "text": "one" },
    { "expect": "alice", "match": {"text": "one"}, "strict": true }
  ]
})"_s);
    LOAD_SCENARIO(second, uR"({
  "wsprobe": 1,
  "name": "second",
  "clients": { "alice": { "url": "{{echoUrl}}" } },
  "steps": [
    { "connect": "alice" },
    { "wait": 300 },
    { "send": "alice", "text": "two" },
    { "expect": "alice", "match": {"text": "two"}, "strict": true }
  ]
})"_s);
    ScenarioRunner a(first, variables());
    ScenarioRunner b(second, variables());
    QSignalSpy aFinished(&a, &ScenarioRunner::finished);
    QSignalSpy bFinished(&b, &ScenarioRunner::finished);
    QElapsedTimer clock;
    clock.start();
    a.start();
    b.start();
    QVERIFY(a.isRunning() && b.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(aFinished.count(), 1, RunTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(bFinished.count(), 1, RunTimeoutMs);
    VERIFY_PASSED(a);
    VERIFY_PASSED(b);
    // They ran side by side, not one after the other: together they took less than the two
    // runs' durations added up (each is at least its 300 ms wait).
    const qint64 both = a.result().durationMs + b.result().durationMs;
    QVERIFY2(clock.elapsed() < both, qPrintable(u"%1 ms for both, %2 ms added"_s.arg(clock.elapsed()).arg(both)));
}

void tst_ScenarioRunner::failureReportForACiLog()
{
    const QString text = echoScenario(uR"("text": "hello")"_s,
                                      uR"({ "expect": "alice", "match": {"text": "goodbye"}, "timeout": 300 })"_s);
    LOAD_SCENARIO(scenario, text);
    ScenarioRunner runner(scenario, variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 2);
    const int line = lineOf(text, u"\"goodbye\""_s);
    QVERIFY(line > 0);
    QCOMPARE(runner.result().failureReport(),
             u"step 3 failed: expect alice: text equals \"goodbye\"\n"
             "   at:       test.json:%1\n"
             "   why:      No matching message on \"alice\" within 300 ms (first difference at offset 0; expected 7 characters, got 5)\n"
             "   expected: text equals \"goodbye\"\n"
             "   actual:   1 message did not match; the last: \"hello\""_s.arg(line));
}

QTEST_GUILESS_MAIN(tst_ScenarioRunner)
#include "tst_scenariorunner.moc"
