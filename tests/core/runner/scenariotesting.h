#pragma once

// What tst_scenariorunner and tst_recorder share: reading a scenario from JSON text, and running
// it to its end within a bound.

#include "scenarioloader.h"
#include "scenariorunner.h"
#include "session.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

#include <optional>

namespace wsprobe::testing {

// Generous: a run that passes takes milliseconds on loopback; this only bounds a hung one.
inline constexpr int RunTimeoutMs = 20000;

// The scenario in text, read as a file named "test.json" would be; nullopt (with the loader's
// errors printed) when it is not a valid scenario.
inline std::optional<Scenario> loadScenario(const QString &text)
{
    const ScenarioLoader::Result loaded =
        ScenarioLoader::loadText(text, QStringLiteral("test.json"), QDir::currentPath());
    if (!loaded.scenario)
        qWarning().noquote() << "scenario does not load:\n" << loaded.errorText();
    return loaded.scenario;
}

// The line of text's first line that contains needle (1-based), for the "at:" of a report.
inline int lineOf(const QString &text, const QString &needle)
{
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].contains(needle))
            return i + 1;
    }
    return 0;
}

// Every client of the runner has ended its connection (or never had one).
inline bool allSessionsEnded(const ScenarioRunner &runner)
{
    for (const QString &name : runner.clientNames()) {
        const SessionState state = runner.session(name)->state();
        if (state != SessionState::Closed && state != SessionState::Idle)
            return false;
    }
    return true;
}

} // namespace wsprobe::testing

// Declares `const Scenario name` read from text, or fails the test.
#define LOAD_SCENARIO(name, text)                                                                  \
    const std::optional<::wsprobe::Scenario> name##Loaded = ::wsprobe::testing::loadScenario(text); \
    QVERIFY2(name##Loaded.has_value(), "the scenario text does not load");                         \
    [[maybe_unused]] const ::wsprobe::Scenario &name = *name##Loaded

// Starts runner and waits (bounded) for its one `finished` signal.
#define RUN_TO_END(runner)                                                                         \
    do {                                                                                           \
        QSignalSpy finishedSpy_(&(runner), &::wsprobe::ScenarioRunner::finished);                  \
        QVERIFY(finishedSpy_.isValid());                                                           \
        (runner).start();                                                                          \
        QTRY_COMPARE_WITH_TIMEOUT(finishedSpy_.count(), 1, ::wsprobe::testing::RunTimeoutMs);      \
        QVERIFY(!(runner).isRunning());                                                            \
    } while (false)

// The run passed; shows the failure report when it did not.
#define VERIFY_PASSED(runner)                                                                      \
    QVERIFY2((runner).result().passed, qPrintable((runner).result().failureReport()))

// The run failed, first at step `index` (0-based), and every later step was skipped.
#define VERIFY_FAILED_AT(runner, stepIndex)                                                        \
    do {                                                                                           \
        const ::wsprobe::ScenarioResult &result_ = (runner).result();                              \
        QVERIFY(!result_.passed);                                                                  \
        const ::wsprobe::StepResult *failure_ = result_.firstFailure();                            \
        QVERIFY2(failure_, qPrintable(QStringLiteral("no failed step; error: ") + result_.error));             \
        QCOMPARE(failure_->index, (stepIndex));                                                    \
        for (int i_ = 0; i_ < (stepIndex); ++i_)                                                   \
            QCOMPARE(::wsprobe::displayName(result_.steps[i_].status), QStringLiteral("passed"));          \
        for (int i_ = (stepIndex) + 1; i_ < result_.steps.size(); ++i_)                            \
            QCOMPARE(::wsprobe::displayName(result_.steps[i_].status), QStringLiteral("skipped"));         \
    } while (false)
