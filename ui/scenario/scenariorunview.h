#pragma once

#include "scenario.h"
#include "scenarioresult.h"
#include "variables.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTextEdit;
class QTreeView;

namespace wsprobe {

class ScenarioRunner;
class Session;
class StepListModel;

// Shows one scenario run as it happens: its steps turning from pending to passed or failed,
// what a failed step expected and got, each client's frame log, and Run/Stop. The view owns the
// ScenarioRunner of the run it shows, a new one per run; the runner does the work.
class ScenarioRunView : public QWidget
{
    Q_OBJECT

public:
    explicit ScenarioRunView(QWidget *parent = nullptr);
    ~ScenarioRunView() override;

    // Shows the scenario, not run yet. A run under way is stopped and dropped. variables: the
    // layers from outside the file (environment file, command line, process environment).
    void setScenario(const Scenario &scenario, const Variables &variables);
    const Scenario &scenario() const { return m_scenario; }
    // For the next run (another environment was picked); the run shown stays as it is.
    void setVariables(const Variables &variables);

    // What a run started from the window resolves its {{variables}} with: the environment picked
    // in the sidebar at the moment Run is pressed, not when the tab was opened.
    struct Environment
    {
        QString name;  // "" when none is picked
        Variables variables;
    };
    using EnvironmentSource = std::function<Environment()>;
    // Asked at every run(); the header shows the environment and the first client's URL as they
    // resolve. Without a source the variables given to setScenario()/setVariables() are used.
    void setEnvironmentSource(EnvironmentSource source);
    // The picked environment or its variables changed: the header, and a run not started yet,
    // follow.
    void environmentChanged();
    // "Environment: local · ws://127.0.0.1:8080/echo", as the header shows it.
    QString environmentText() const;
    // The scenario's name, for a tab title.
    QString title() const;

    // The actions a user has (the Run and Stop buttons), also for menus and tests.
    void run();
    void stop();
    bool isRunning() const;
    // Recorded pauses (optional waits) are skipped by default: replaying a manual session should
    // not wait for how long its author took to type. The check box is shown only for a scenario
    // that has such pauses; the choice applies from the next run.
    void setSkipRecordedPauses(bool skip);
    bool skipsRecordedPauses() const;

    // Writes the scenario to path (atomically, through ScenarioWriter), for one made in memory
    // (a replayed session): false with *error when it cannot. The Save… button asks for the path.
    bool saveScenario(const QString &path, QString *error);
    // Asks where to save, then saveScenario() (the Save… button, and the window's Ctrl+S).
    void saveDialog();
    // One line under the header, e.g. where the scenario was saved; empty hides it.
    void setNotice(const QString &text);
    QString notice() const;

    // The runner of the current (or last) run; null before setScenario. Owned by the view.
    ScenarioRunner *runner() const { return m_runner; }
    StepListModel *stepModel() const { return m_steps; }

Q_SIGNALS:
    void runStarted();
    void runFinished(const wsprobe::ScenarioResult &result);
    void saved(const QString &path);

protected:
    void changeEvent(QEvent *event) override;

private:
    // The one place that decides how a client's log is shown: swap in a richer view here.
    static QWidget *createClientLog(Session *session, QWidget *parent);

    void prepareRunner();
    void dropRunner();
    void rebuildClientTabs();
    void onStepStarted(int index);
    void onStepFinished(int index, const StepResult &result);
    void onFinished(const ScenarioResult &result);
    void showDetail();
    void updateHeader();
    void takeEnvironment();

    Scenario m_scenario;
    Variables m_variables;
    EnvironmentSource m_environmentSource;
    QString m_environmentName;
    ScenarioRunner *m_runner = nullptr;  // Owned (child), one per run.
    bool m_runnerUsed = false;           // it ran: the next run needs a fresh one
    bool m_stopRequested = false;
    std::optional<ScenarioResult> m_lastResult;
    QElapsedTimer m_clock;
    QTimer m_clockTimer;                 // refreshes the duration while a run is under way

    StepListModel *m_steps;              // Owned (child).
    QLabel *m_name;
    QLabel *m_verdict;
    QLabel *m_summary;
    QPushButton *m_runButton;
    QPushButton *m_stopButton;
    QPushButton *m_saveButton;           // shown for a scenario that has no file
    QCheckBox *m_skipPauses;             // shown for a scenario with recorded pauses
    QLabel *m_environment;               // the environment and the URL a run resolves to
    QLabel *m_notice;
    QTreeView *m_stepList;
    QTextEdit *m_detail;
    QTabWidget *m_clientLogs;
};

} // namespace wsprobe
