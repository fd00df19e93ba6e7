#pragma once

#include "loadprofile.h"
#include "loadthreshold.h"
#include "loadtimeline.h"
#include "scenario.h"
#include "variables.h"

#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QPushButton;
class QTableView;

namespace wsprobe {

class LoadFigures;
class LoadForm;
class LoadRunner;
class LoadSummaryModel;
class TimeSeriesChart;

// The Load tab: a scenario file run as many virtual users (core/load's LoadRunner), as
// wsprobe-run's load mode runs it. The form takes the scenario and the load (prefilled from the
// file's load block); while the run goes on the figures and a chart of users and round-trip p95
// are refreshed on a timer (never per event), and at the end the summary wsprobe-run prints
// shows as a table, each threshold passed or failed. The view owns the runner of its run.
class LoadView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DefaultRefreshMs = 200;

    explicit LoadView(QWidget *parent = nullptr);
    // A run under way is dropped: its connections close, nothing waits.
    ~LoadView() override;

    // "Load: <scenario name>", or "Load" before a scenario is read.
    QString title() const;

    // Reads the scenario at path into the form: its load block fills the fields. False when it
    // cannot be read; the status line then lists the errors with file:line:column.
    bool openScenario(const QString &path);
    // What a run resolves {{variables}} with, asked at each start (the window's active
    // environment and {{demoUrl}}); without one a run has only the scenario's own.
    using VariablesSource = std::function<Variables()>;
    void setVariablesSource(VariablesSource source);

    // The Start and Stop buttons. start() reads the file again and the fields; false, with the
    // reason in the status line, when something is wrong and nothing started. stop() starts no
    // more iterations and cancels those under way; the summary follows.
    bool start();
    void stop();
    bool isRunning() const;

    // 100 ms at the least: figures that move faster than that cannot be read anyway.
    void setRefreshInterval(int ms);
    int refreshInterval() const { return m_timer.interval(); }
    // How many times the figures were read: tests, and a check that refreshing is timed.
    qint64 refreshCount() const { return m_refreshes; }

    LoadForm *form() const { return m_form; }
    LoadFigures *figures() const { return m_figures; }
    LoadSummaryModel *summaryModel() const { return m_summary; }
    TimeSeriesChart *chart() const { return m_chart; }
    LoadRunner *runner() const { return m_runner.get(); }
    QString statusText() const;

    enum class Format { Csv, Json };
    // Writes the summary of the run shown (thresholds and figures, as LoadReport makes them) to
    // path, atomically; false, with *error, before any run or when the file cannot be written.
    bool exportTo(const QString &path, Format format, QString *error) const;

Q_SIGNALS:
    void titleChanged(const QString &title);
    void runningChanged(bool running);
    // The run ended (its time, its iterations, or Stop); the summary is shown.
    void finished();

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Tone { Plain, Good, Bad };
    void setStatus(const QString &text, Tone tone);
    void recolor();
    void refresh();
    void onFinished();
    void setRunning(bool running);
    void exportWithDialog();

    VariablesSource m_variablesSource;
    Scenario m_scenario;
    bool m_hasScenario = false;
    LoadProfile m_profile;               // of the run shown
    QList<LoadThreshold> m_thresholds;   // of the run shown
    std::unique_ptr<LoadRunner> m_runner;  // Owned: the current (or last) run.
    LoadTimeline m_timeline;
    QTimer m_timer;
    qint64 m_refreshes = 0;
    bool m_stopRequested = false;
    Tone m_tone = Tone::Plain;
    Variables m_runVariables;            // of the run shown: its report is masked with them

    LoadForm *m_form;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_export;
    QLabel *m_status;
    QLabel *m_firstFailure;
    LoadFigures *m_figures;
    TimeSeriesChart *m_chart;
    LoadSummaryModel *m_summary;  // Owned (child).
    QTableView *m_table;
    int m_p95Series = 0;
    int m_usersSeries = 0;
};

} // namespace wsprobe
