#pragma once

#include "scenario.h"
#include "scenarioresult.h"
#include "variables.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <optional>

namespace wsprobe {

class ScenarioRunner;

// One scenario file of a suite: what was read, or why it could not be.
struct SuiteEntry
{
    QString path;
    std::optional<Scenario> scenario;
    QString loadError;  // "file:line:column: message"
    QString rowName;    // the QTest data tag: the scenario's name, made unique
};

struct SuiteOptions
{
    int jobs = 1;              // scenarios run at once
    int timeoutOverrideMs = 0; // 0 = each scenario's own
    bool skipOptionalWaits = false;
    // Each client's frame log of each failing scenario (every scenario with logAll) is written
    // here as JSON Lines, secrets masked, and attached to the report; "" writes none.
    QString logDir;
    bool logAll = false;
};

// A suite of scenarios as a QTest test: one data row per scenario, so QTest's own options
// (-o file,format, -v2, scenario:"name", -datatags) work unchanged.
class ScenarioSuite : public QObject
{
    Q_OBJECT

public:
    ScenarioSuite(QList<SuiteEntry> entries, Variables variables, SuiteOptions options,
                  QObject *parent = nullptr);

private Q_SLOTS:
    void initTestCase();
    void scenario_data();
    void scenario();

private:
    ScenarioResult runOne(int entry);
    void runAllInParallel();
    // Writes the runner's logs when the options ask for them; their paths go to the report.
    void keepLogs(int entry, const ScenarioRunner &runner);
    void report(int entry, const ScenarioResult &result) const;

    QList<SuiteEntry> m_entries;
    Variables m_variables;
    SuiteOptions m_options;
    QList<std::optional<ScenarioResult>> m_results;  // filled ahead of time when jobs > 1
    QList<QStringList> m_logFiles;  // per entry: the frame logs written for it
};

// Unique, readable data tags for the entries (QTest matches them by name).
void assignRowNames(QList<SuiteEntry> &entries);
// A name any file system takes, made of text: letters, digits, '.', '-' and '_' kept, every other
// run of characters one '_', at most 60 characters, never empty or hidden.
QString safeFileName(const QString &text);

} // namespace wsprobe
