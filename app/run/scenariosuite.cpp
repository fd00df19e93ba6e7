#include "scenariosuite.h"

#include "framelog.h"
#include "logexporter.h"
#include "scenariorunner.h"
#include "session.h"

#include <QDir>
#include <QEventLoop>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// A runner ends every scenario through its own timeout; this is the bound on top, in case a
// runner itself never reports.
constexpr int SafetyMarginMs = 10000;

QString stepLine(const StepResult &step)
{
    const QString mark = step.status == StepResult::Status::Passed ? u"ok  "_s
        : step.status == StepResult::Status::Failed               ? u"FAIL"_s
        : step.status == StepResult::Status::Skipped              ? u"skip"_s
                                                                   : u"    "_s;
    QString line = u"%1 %2. %3 (%4 ms)"_s.arg(mark).arg(step.index + 1).arg(step.title).arg(step.durationMs);
    if (!step.message.isEmpty() && step.status == StepResult::Status::Passed)
        line += u" · "_s + step.message;
    return line;
}

} // namespace

void assignRowNames(QList<SuiteEntry> &entries)
{
    QSet<QString> used;
    for (SuiteEntry &entry : entries) {
        QString name = entry.scenario ? entry.scenario->name : entry.path;
        if (name.isEmpty())
            name = entry.path;
        QString unique = name;
        for (int n = 2; used.contains(unique); ++n)
            unique = u"%1 (%2)"_s.arg(name).arg(n);
        used.insert(unique);
        entry.rowName = unique;
    }
}

ScenarioSuite::ScenarioSuite(QList<SuiteEntry> entries, Variables variables, SuiteOptions options,
                             QObject *parent)
    : QObject(parent)
    , m_entries(std::move(entries))
    , m_variables(std::move(variables))
    , m_options(options)
{
    setObjectName(u"wsprobe"_s);
    m_results.resize(m_entries.size());
    m_logFiles.resize(m_entries.size());
}

QString safeFileName(const QString &text)
{
    static const QRegularExpression unsafe(u"[^A-Za-z0-9._-]+"_s);
    QString name = text;
    name.replace(unsafe, u"_"_s);
    name = name.left(60);
    while (name.startsWith(u'.') || name.startsWith(u'-'))
        name.remove(0, 1);
    return name.isEmpty() ? u"_"_s : name;
}

void ScenarioSuite::initTestCase()
{
    if (m_options.jobs > 1)
        runAllInParallel();
}

void ScenarioSuite::scenario_data()
{
    QTest::addColumn<int>("entry");
    for (int i = 0; i < m_entries.size(); ++i)
        QTest::newRow(qPrintable(m_entries[i].rowName)) << i;
}

void ScenarioSuite::scenario()
{
    QFETCH(int, entry);
    const SuiteEntry &suiteEntry = m_entries[entry];
    if (!suiteEntry.scenario)
        QFAIL(qPrintable(suiteEntry.loadError));
    const ScenarioResult result = m_results[entry] ? *m_results[entry] : runOne(entry);
    report(entry, result);
    if (!result.passed)
        QFAIL(qPrintable(result.failureReport()));
}

ScenarioResult ScenarioSuite::runOne(int entry)
{
    const Scenario &scenario = *m_entries[entry].scenario;
    ScenarioRunner runner(scenario, m_variables);
    runner.setSkipOptionalWaits(m_options.skipOptionalWaits);
    runner.setScenarioTimeout(m_options.timeoutOverrideMs);
    QEventLoop loop;
    connect(&runner, &ScenarioRunner::finished, &loop, &QEventLoop::quit);
    const int bound = (m_options.timeoutOverrideMs > 0 ? m_options.timeoutOverrideMs : scenario.timeoutMs)
        + SafetyMarginMs;
    QTimer::singleShot(bound, &loop, [&runner] { runner.cancel(); });
    runner.start();
    if (runner.isRunning())
        loop.exec();
    keepLogs(entry, runner);
    return runner.result();
}

void ScenarioSuite::keepLogs(int entry, const ScenarioRunner &runner)
{
    if (m_options.logDir.isEmpty() || (runner.result().passed && !m_options.logAll))
        return;
    if (!QDir().mkpath(m_options.logDir)) {
        qWarning("cannot create the log folder %s", qPrintable(m_options.logDir));
        return;
    }
    ExportOptions options;
    const Variables &variables = runner.variables();
    options.mask = [&variables](QStringView text) { return variables.maskSecrets(text); };
    const QString scenarioPart = safeFileName(m_entries[entry].rowName);
    for (const QString &client : runner.clientNames()) {
        const Session *session = runner.session(client);
        options.url = session->settings().url;
        const QString path = QDir(m_options.logDir).absoluteFilePath(
            scenarioPart + u"--"_s + safeFileName(client) + u".jsonl"_s);
        QString error;
        if (LogExporter::writeFile(*session->log(), path, LogFormat::Jsonl, options, &error))
            m_logFiles[entry].append(path);
        else
            qWarning("cannot write the frame log: %s", qPrintable(error));
    }
}

void ScenarioSuite::runAllInParallel()
{
    // Everything runs in this thread's event loop: runners are event-driven, so "in parallel"
    // costs no threads. `jobs` bounds how many are under way at once.
    QEventLoop loop;
    int next = 0;
    int running = 0;
    std::function<void()> startMore;
    startMore = [&] {
        while (running < m_options.jobs && next < m_entries.size()) {
            const int index = next++;
            if (!m_entries[index].scenario)
                continue;
            auto *runner = new ScenarioRunner(*m_entries[index].scenario, m_variables, &loop);
            runner->setSkipOptionalWaits(m_options.skipOptionalWaits);
            runner->setScenarioTimeout(m_options.timeoutOverrideMs);
            ++running;
            connect(runner, &ScenarioRunner::finished, &loop, [&, runner, index](const ScenarioResult &result) {
                m_results[index] = result;
                keepLogs(index, *runner);
                --running;
                runner->deleteLater();
                startMore();
                if (running == 0 && next >= m_entries.size())
                    loop.quit();
            });
            runner->start();
        }
    };
    startMore();
    if (running > 0)
        loop.exec();
}

void ScenarioSuite::report(int entry, const ScenarioResult &result) const
{
    qInfo("%s: %s in %lld ms", qPrintable(m_entries[entry].path), result.passed ? "passed" : "FAILED",
          result.durationMs);
    for (const StepResult &step : result.steps)
        qInfo("%s", qPrintable(stepLine(step)));
    // The convention Jenkins (JUnit attachments) and GitLab read in <system-out>: CI keeps the
    // files as artifacts of the test case.
    for (const QString &path : m_logFiles[entry])
        qInfo("[[ATTACHMENT|%s]]", qPrintable(path));
}

} // namespace wsprobe
