// Recorder: a session driven by hand against the demo server becomes a scenario; the scenario is
// written (ScenarioWriter), read back (ScenarioLoader) and replayed (ScenarioRunner) against the
// same server, and must pass. Secrets never reach the written text.

#include "scenariotesting.h"

#include "demoserver.h"
#include "recorder.h"
#include "scenariowriter.h"
#include "session.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;
using namespace wsprobe::testing;

namespace {

constexpr int WaitMs = 5000;

int countEvents(const FrameLog &log, EventKind kind, Direction direction)
{
    int count = 0;
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq) {
        if (log.at(seq).kind == kind && log.at(seq).direction == direction)
            ++count;
    }
    return count;
}

int incomingMessages(const FrameLog &log)
{
    return countEvents(log, EventKind::Text, Direction::Incoming)
        + countEvents(log, EventKind::Binary, Direction::Incoming);
}

QStringList stepTypes(const Scenario &scenario)
{
    QStringList types;
    for (const Step &step : scenario.steps)
        types.append(displayName(step.type));
    return types;
}

Matcher matcher(const QString &json)
{
    QString error;
    const std::optional<Matcher> parsed = Matcher::fromJson(QJsonDocument::fromJson(json.toUtf8()).object(), &error);
    Q_ASSERT_X(parsed, "matcher", qPrintable(error));
    return *parsed;
}

} // namespace

class tst_Recorder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void recordsAManualEchoSessionAndReplaysIt();
    void secretsBecomeVariables_data();
    void secretsBecomeVariables();
    void replayWithoutTheSecretsFails_data();
    void replayWithoutTheSecretsFails();
    void secretInAMessageIsNotWritten();
    void pausesBecomeOptionalWaits();
    void shortPausesAndKeepPausesOff();
    void serverCloseBecomesExpectClose();
    void severalConnectionsRecordTheLast();
    void recordedBracesReplayAsSent();
    void knownServerBecomesItsVariable_data();
    void knownServerBecomesItsVariable();

private:
    QUrl demoUrl(const QString &pathAndQuery) const;

    std::unique_ptr<DemoServer> m_demo;
};

void tst_Recorder::init()
{
    m_demo = std::make_unique<DemoServer>();
    QVERIFY2(m_demo->listen(), qPrintable(m_demo->errorString()));
}

void tst_Recorder::cleanup()
{
    m_demo.reset();
}

QUrl tst_Recorder::demoUrl(const QString &pathAndQuery) const
{
    return QUrl(m_demo->url().toString() + pathAndQuery);
}

// Opens a session, waits until it is open.
#define OPEN(session)                                                                              \
    do {                                                                                           \
        (session).open();                                                                          \
        QTRY_COMPARE_WITH_TIMEOUT((session).state(), SessionState::Open, WaitMs);                  \
    } while (false)

// Sends one text and waits for its echo.
#define SEND_TEXT(session, text)                                                                   \
    do {                                                                                           \
        const int before_ = incomingMessages(*(session).log());                                    \
        QVERIFY((session).sendText(text));                                                         \
        QTRY_COMPARE_WITH_TIMEOUT(incomingMessages(*(session).log()), before_ + 1, WaitMs);        \
    } while (false)

#define CLOSE(session, code, reason)                                                               \
    do {                                                                                           \
        (session).close(code, reason);                                                             \
        QTRY_COMPARE_WITH_TIMEOUT((session).state(), SessionState::Closed, WaitMs);                \
    } while (false)

void tst_Recorder::recordsAManualEchoSessionAndReplaysIt()
{
    SessionSettings settings;
    settings.url = demoUrl(u"/echo"_s);
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"hello"_s);
    // Compact, keys in order: JSON writes it back the same, so it is recorded as "json".
    SEND_TEXT(session, u"{\"n\":1,\"type\":\"greet\"}"_s);
    QVERIFY(session.sendBinary(QByteArray::fromHex("deadbeef")));
    QTRY_COMPARE_WITH_TIMEOUT(incomingMessages(*session.log()), 3, WaitMs);
    QVERIFY(session.ping());
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(*session.log(), EventKind::Pong, Direction::Incoming), 1, WaitMs);
    CLOSE(session, 4000, u"bye"_s);

    RecordOptions options;
    options.scenarioName = u"recorded echo"_s;
    options.clientName = u"me"_s;
    const Recording recording = Recorder::record(settings, *session.log(), options);
    const Scenario &recorded = recording.scenario;
    QCOMPARE(recorded.name, u"recorded echo"_s);
    QVERIFY(recording.secrets.isEmpty());
    QCOMPARE(recorded.clients.size(), 1);
    QCOMPARE(recorded.clients[0].name, u"me"_s);
    QCOMPARE(QUrl(recorded.clients[0].url), settings.url);

    QCOMPARE(stepTypes(recorded), QStringList({u"connect"_s, u"send"_s, u"expect"_s, u"send"_s, u"expect"_s,
                                               u"send"_s, u"expect"_s, u"ping"_s, u"expectPong"_s, u"close"_s}));
    for (const Step &step : recorded.steps)
        QCOMPARE(step.clients, QStringList({u"me"_s}));
    const QList<Step> &steps = recorded.steps;
    QCOMPARE(steps[1].payload.kind, Payload::Kind::Text);
    QCOMPARE(steps[1].payload.text, u"hello"_s);
    QVERIFY(steps[2].matcher);
    QCOMPARE(*steps[2].matcher, matcher(uR"({"text": "hello"})"_s));
    QCOMPARE(steps[3].payload.kind, Payload::Kind::Json);
    QCOMPARE(steps[3].payload.json, QJsonValue(QJsonObject{{u"n"_s, 1}, {u"type"_s, u"greet"_s}}));
    QCOMPARE(*steps[4].matcher, matcher(uR"({"json": {"n": 1, "type": "greet"}})"_s));
    QCOMPARE(steps[5].payload.kind, Payload::Kind::Binary);
    QCOMPARE(steps[5].payload.bytes, QByteArray::fromHex("deadbeef"));
    QCOMPARE(*steps[6].matcher, matcher(uR"({"binary": "de ad be ef"})"_s));
    QCOMPARE(steps[9].closeCode, std::optional<int>(4000));
    QCOMPARE(steps[9].closeReason, std::optional<QString>(u"bye"_s));

    // Written, it reads as a person would write it, and reads back to the same scenario.
    const QString text = ScenarioWriter::toText(recorded);
    QVERIFY2(text.contains(uR"({ "close": "me", "code": 4000, "reason": "bye" })"_s), qPrintable(text));
    QVERIFY2(text.contains(uR"({ "send": "me", "json": {"n":1,"type":"greet"} })"_s), qPrintable(text));
    QVERIFY2(text.contains(uR"({ "expect": "me", "match": {"binary":"de ad be ef"} })"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"\"optional\""_s), qPrintable(text));  // no pause was long enough
    LOAD_SCENARIO(loaded, text);
    QCOMPARE(ScenarioWriter::toText(loaded), text);
    QCOMPARE(stepTypes(loaded), stepTypes(recorded));

    ScenarioRunner runner(loaded, Variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.session(u"me"_s)->lastClose().code, 4000);
    QCOMPARE(runner.session(u"me"_s)->lastClose().reason, u"bye"_s);
}

void tst_Recorder::secretsBecomeVariables_data()
{
    QTest::addColumn<bool>("tokenInUrl");
    QTest::newRow("token in the URL's query") << true;
    QTest::newRow("token as a query row") << false;
}

void tst_Recorder::secretsBecomeVariables()
{
    QFETCH(bool, tokenInUrl);
    SessionSettings settings;
    settings.url = demoUrl(tokenInUrl ? u"/echo?room=lobby&token=abc12345"_s : u"/echo?room=lobby"_s);
    if (!tokenInUrl)
        settings.query.append({u"token"_s, u"abc12345"_s, true});
    settings.headers.append({u"Authorization"_s, u"Bearer s3cr3t-value"_s, true});
    settings.headers.append({u"X-Trace"_s, u"trace-1"_s, true});
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"hello"_s);
    CLOSE(session, 1000, QString());

    const Recording recording = Recorder::record(settings, *session.log());
    QMap<QString, QString> secrets;
    secrets.insert(u"authorization"_s, u"s3cr3t-value"_s);
    secrets.insert(u"token"_s, u"abc12345"_s);
    QCOMPARE(recording.secrets, secrets);

    const QString text = ScenarioWriter::toText(recording.scenario);
    QVERIFY2(!text.contains(u"s3cr3t-value"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"abc12345"_s), qPrintable(text));
    QVERIFY2(text.contains(u"\"Bearer {{authorization}}\""_s), qPrintable(text));
    if (tokenInUrl) {
    }
    QVERIFY2(text.contains(u"token={{token}}"_s) || text.contains(u"\"token\":\"{{token}}\""_s), qPrintable(text));
    QVERIFY2(text.contains(u"\"X-Trace\":\"trace-1\""_s), qPrintable(text));  // not a secret: kept
    QVERIFY2(text.contains(u"room=lobby"_s), qPrintable(text));

    // Replayed with the secrets given on the command line, it passes, and sends them.
    LOAD_SCENARIO(loaded, text);
    Variables variables;
    for (auto it = recording.secrets.cbegin(); it != recording.secrets.cend(); ++it)
        variables.set(Variables::Layer::CommandLine, it.key(), it.value());
    ScenarioRunner runner(loaded, variables);
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    const SessionSettings &sent = runner.session(u"client"_s)->settings();
    const QUrlQuery query(sent.effectiveUrl());
    if (tokenInUrl) {
    }
    QCOMPARE(query.queryItemValue(u"token"_s, QUrl::FullyDecoded), u"abc12345"_s);
    QCOMPARE(query.queryItemValue(u"room"_s), u"lobby"_s);
    QCOMPARE(sent.effectiveUrl().path(), u"/echo"_s);
    bool authorizationSent = false;
    for (const KeyValue &header : sent.headers)
        authorizationSent = authorizationSent || (header.key == u"Authorization"_s && header.value == u"Bearer s3cr3t-value"_s);
    QVERIFY(authorizationSent);
    // The replay's own log does not show them either.
    const FrameLog *log = runner.session(u"client"_s)->log();
    for (qint64 seq = log->firstSequence(); seq < log->endSequence(); ++seq) {
        QVERIFY2(!log->at(seq).text.contains(u"s3cr3t-value"_s), qPrintable(log->at(seq).text));
        QVERIFY2(!log->at(seq).text.contains(u"abc12345"_s), qPrintable(log->at(seq).text));
    }
}

void tst_Recorder::replayWithoutTheSecretsFails_data()
{
    secretsBecomeVariables_data();
}

void tst_Recorder::replayWithoutTheSecretsFails()
{
    QFETCH(bool, tokenInUrl);
    SessionSettings settings;
    settings.url = demoUrl(tokenInUrl ? u"/echo?token=abc12345"_s : u"/echo"_s);
    if (!tokenInUrl)
        settings.query.append({u"token"_s, u"abc12345"_s, true});
    settings.headers.append({u"Authorization"_s, u"Bearer s3cr3t-value"_s, true});
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"hello"_s);
    CLOSE(session, 1000, QString());

    LOAD_SCENARIO(loaded, ScenarioWriter::toText(Recorder::record(settings, *session.log()).scenario));
    ScenarioRunner runner(loaded, Variables());
    RUN_TO_END(runner);
    VERIFY_FAILED_AT(runner, 0);
    if (tokenInUrl) {
    }
    QCOMPARE(runner.result().steps[0].message, u"Undefined variable(s): token, authorization"_s);
}

// The credential a client sends in its first message (a common login) is as secret as the one
// in its header: the recording knows the value, and the docs promise that a saved recording
// "contains no secret" (docs/scenario-variables.md, Secrets).
void tst_Recorder::secretInAMessageIsNotWritten()
{
    SessionSettings settings;
    settings.url = demoUrl(u"/echo"_s);
    settings.headers.append({u"Authorization"_s, u"Bearer s3cr3t-value"_s, true});
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"login s3cr3t-value"_s);
    CLOSE(session, 1000, QString());

    const Recording recording = Recorder::record(settings, *session.log());
    const QString text = ScenarioWriter::toText(recording.scenario);
    QVERIFY2(!text.contains(u"s3cr3t-value"_s), qPrintable(text));
}

void tst_Recorder::pausesBecomeOptionalWaits()
{
    SessionSettings settings;
    settings.url = demoUrl(u"/echo"_s);
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"one"_s);
    QTest::qWait(600);  // a person thinking
    SEND_TEXT(session, u"two"_s);
    CLOSE(session, 1000, QString());

    const Recording recording = Recorder::record(settings, *session.log());  // minPauseMs 500
    QCOMPARE(stepTypes(recording.scenario),
             QStringList({u"connect"_s, u"send"_s, u"expect"_s, u"wait"_s, u"send"_s, u"expect"_s, u"close"_s}));
    const Step &wait = recording.scenario.steps[3];
    QVERIFY(wait.optional);
    QVERIFY2(wait.waitMs >= 500 && wait.waitMs < 5000, qPrintable(QString::number(wait.waitMs)));

    const QString text = ScenarioWriter::toText(recording.scenario);
    QVERIFY2(text.contains(uR"({ "wait": %1, "optional": true })"_s.arg(wait.waitMs)), qPrintable(text));
    LOAD_SCENARIO(loaded, text);
    QVERIFY(loaded.steps[3].optional);
    QCOMPARE(loaded.steps[3].waitMs, wait.waitMs);

    // Replayed as recorded: the pause is waited.
    {
        ScenarioRunner runner(loaded, Variables());
        RUN_TO_END(runner);
        VERIFY_PASSED(runner);
        const StepResult &step = runner.result().steps[3];
        // The runner's timers are Qt::CoarseTimer, which may fire up to 5 % early.
        QVERIFY2(step.durationMs >= wait.waitMs * 95 / 100 - 5, qPrintable(QString::number(step.durationMs)));
        QVERIFY(step.message.isEmpty());
    }
    // Replayed fast: skipped.
    {
        ScenarioRunner runner(loaded, Variables());
        runner.setSkipOptionalWaits(true);
        RUN_TO_END(runner);
        VERIFY_PASSED(runner);
        const StepResult &step = runner.result().steps[3];
        QCOMPARE(step.message, u"skipped (optional wait)"_s);
        QVERIFY2(step.durationMs < 100, qPrintable(QString::number(step.durationMs)));
        QVERIFY2(runner.result().durationMs < wait.waitMs, qPrintable(QString::number(runner.result().durationMs)));
    }
    // A wait that is not optional is never skipped.
    {
        LOAD_SCENARIO(fixed, uR"({
  "wsprobe": 1,
  "name": "fixed wait",
  "clients": { "c": { "url": "ws://127.0.0.1:1/" } },
  "steps": [ { "wait": 300 } ]
})"_s);
        ScenarioRunner runner(fixed, Variables());
        runner.setSkipOptionalWaits(true);
        RUN_TO_END(runner);
        VERIFY_PASSED(runner);
        QVERIFY2(runner.result().steps[0].durationMs >= 280, qPrintable(QString::number(runner.result().steps[0].durationMs)));
    }
}

void tst_Recorder::shortPausesAndKeepPausesOff()
{
    SessionSettings settings;
    settings.url = demoUrl(u"/echo"_s);
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"one"_s);
    QTest::qWait(600);
    SEND_TEXT(session, u"two"_s);
    CLOSE(session, 1000, QString());

    const QStringList withoutWait = {u"connect"_s, u"send"_s, u"expect"_s, u"send"_s, u"expect"_s, u"close"_s};
    RecordOptions longer;
    longer.minPauseMs = 5000;
    QCOMPARE(stepTypes(Recorder::record(settings, *session.log(), longer).scenario), withoutWait);
    RecordOptions off;
    off.keepPauses = false;
    QCOMPARE(stepTypes(Recorder::record(settings, *session.log(), off).scenario), withoutWait);
}

void tst_Recorder::serverCloseBecomesExpectClose()
{
    SessionSettings settings;
    settings.url = demoUrl(u"/close?code=4001&reason=token%20expired%20%26%20gone"_s);
    Session session(settings);
    QSignalSpy opened(&session, &Session::opened);
    session.open();  // the server closes at once: Open does not last long enough to watch
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, WaitMs);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(session.lastClose().reason, u"token expired & gone"_s);

    const Recording recording = Recorder::record(settings, *session.log());
    QCOMPARE(stepTypes(recording.scenario), QStringList({u"connect"_s, u"expectClose"_s}));
    QCOMPARE(recording.scenario.steps[1].closeCode, std::optional<int>(4001));
    QCOMPARE(recording.scenario.steps[1].closeReason, std::optional<QString>(u"token expired & gone"_s));

    const QString text = ScenarioWriter::toText(recording.scenario);
    LOAD_SCENARIO(loaded, text);
    ScenarioRunner runner(loaded, Variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
    QCOMPARE(runner.session(u"client"_s)->lastClose().reason, u"token expired & gone"_s);
}

// Connect /echo, talk, disconnect; then connect to /close on the same tab: the recording is the
// second connection (the one the settings describe), with the server's close as expectClose, and
// replays. It used to record the first connection's steps against the second one's URL.
void tst_Recorder::severalConnectionsRecordTheLast()
{
    SessionSettings settings;
    settings.url = demoUrl(u"/echo"_s);
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"first connection"_s);
    CLOSE(session, 1000, QString());

    settings.url = demoUrl(u"/close?code=4001&reason=expired"_s);
    session.setSettings(settings);
    QSignalSpy opened(&session, &Session::opened);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, WaitMs);

    const Recording recording = Recorder::record(settings, *session.log());
    QCOMPARE(stepTypes(recording.scenario), QStringList({u"connect"_s, u"expectClose"_s}));
    QCOMPARE(recording.scenario.steps[1].closeCode, std::optional<int>(4001));
    QCOMPARE(recording.scenario.steps[1].closeReason, std::optional<QString>(u"expired"_s));

    LOAD_SCENARIO(loaded, ScenarioWriter::toText(recording.scenario));
    ScenarioRunner runner(loaded, Variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

// docs/scenario-variables.md: "Recording ... escapes any {{ that was in the recorded text, so the
// saved scenario replays exactly what was sent".
void tst_Recorder::recordedBracesReplayAsSent()
{
    SessionSettings settings;
    settings.url = demoUrl(u"/echo"_s);
    Session session(settings);
    OPEN(session);
    SEND_TEXT(session, u"template {{name}} stays"_s);
    CLOSE(session, 1000, QString());

    LOAD_SCENARIO(loaded, ScenarioWriter::toText(Recorder::record(settings, *session.log()).scenario));
    ScenarioRunner runner(loaded, Variables());
    RUN_TO_END(runner);
    VERIFY_PASSED(runner);
}

QTEST_GUILESS_MAIN(tst_Recorder)
#include "tst_recorder.moc"

void tst_Recorder::knownServerBecomesItsVariable_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("recorded");
    QTest::newRow("path") << u"ws://127.0.0.1:61800/echo"_s << u"{{demoUrl}}/echo"_s;
    QTest::newRow("query") << u"ws://127.0.0.1:61800/seq?n=3"_s << u"{{demoUrl}}/seq?n=3"_s;
    QTest::newRow("root") << u"ws://127.0.0.1:61800"_s << u"{{demoUrl}}"_s;
    QTest::newRow("other port") << u"ws://127.0.0.1:61801/echo"_s << u"ws://127.0.0.1:61801/echo"_s;
    QTest::newRow("a port that ends sooner") << u"ws://127.0.0.1:6180/echo"_s << u"ws://127.0.0.1:6180/echo"_s;
    QTest::newRow("other host") << u"ws://localhost:61800/echo"_s << u"ws://localhost:61800/echo"_s;
}

void tst_Recorder::knownServerBecomesItsVariable()
{
    QFETCH(QString, url);
    QFETCH(QString, recorded);
    SessionSettings settings;
    settings.url = QUrl(url);
    FrameLog log;
    RecordOptions options;
    options.serverVariables.insert(u"demoUrl"_s, u"ws://127.0.0.1:61800/"_s);
    options.serverVariables.insert(u"shorter"_s, u"ws://127.0.0.1:618"_s);  // a prefix of 6180, not its server
    const Recording recording = Recorder::record(settings, log, options);
    QCOMPARE(recording.scenario.clients.value(0).url, recorded);
    QVERIFY(recording.secrets.isEmpty());
}
