#pragma once

#include "loadprofile.h"
#include "loadreport.h"
#include "loadtimeline.h"
#include "scenario.h"
#include "variables.h"

#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace wsprobe {

class LoadFiguresModel;
class LoadRunner;
class TimeSeriesChart;

// The Load tab: a scenario file run as virtual users (docs/load.md) by a LoadRunner, with the
// settings of its "load" block to change, the figures live (read on a timer, at most 10 times a
// second, never per event) with charts over time, and at the end the summary and thresholds
// wsprobe-run prints, to export as JSON or CSV. The runner lives here; closing the tab mid-run
// stops it.
class LoadView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DefaultRefreshMs = 200;

    explicit LoadView(QWidget *parent = nullptr);
    ~LoadView() override;

    QString title() const;
    // What a run resolves its {{variables}} with ({{demoUrl}}, the environment picked), asked
    // each time Start is pressed.
    void setVariablesSource(std::function<Variables()> source) { m_variablesSource = std::move(source); }

    // Reads the scenario file and fills the settings from its load block; false, with
    // file:line:column in the status line, when it cannot be read.
    bool openScenario(const QString &path);
    // The settings as the fields hold them; nullopt, with the reason in *error.
    std::optional<LoadProfile> profile(QString *error) const;
    void setProfile(const LoadProfile &profile);

    // Starts with the fields' settings; false, with the reason in the status line.
    bool start();
    // Stops the run: no new iteration starts, the running ones are cancelled; finished follows.
    void stop();
    bool isRunning() const;

    // For tests: the runner (null before the first Start), the run's timeline, the end table.
    LoadRunner *runner() const { return m_runner.get(); }
    const LoadTimeline &timeline() const { return m_timeline; }
    LoadFiguresModel *figuresModel() const { return m_figures; }
    const QList<ThresholdOutcome> &outcomes() const { return m_outcomes; }
    QString statusText() const;
    // The live line ("5 users · 120 iterations (120 passed, 0 failed) · ...").
    QString liveText() const;
    TimeSeriesChart *throughputChart() const { return m_throughputChart; }
    TimeSeriesChart *percentilesChart() const { return m_percentilesChart; }
    void setRefreshInterval(int ms);

    enum class Format { Csv, Json };
    // Writes the summary of the last run to path, atomically; false with *error.
    bool exportTo(const QString &path, Format format, QString *error) const;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void titleChanged(const QString &title);
    void runFinished();

private:
    void onFinished();
    void setStatus(const QString &text, bool error = false);
    void updateButtons();
    void browseScenario();
    void browseData();
    void exportWithDialog();

    std::function<Variables()> m_variablesSource;
    std::optional<Scenario> m_scenario;
    QString m_scenarioPath;
    std::unique_ptr<LoadRunner> m_runner;
    LoadProfile m_runProfile;  // what the last run was started with
    LoadTimeline m_timeline;
    QList<ThresholdOutcome> m_outcomes;
    QList<LoadThreshold> m_thresholds;
    QTimer m_timer;

    QLineEdit *m_file;
    QSpinBox *m_users;
    QLineEdit *m_ramp;
    QLineEdit *m_duration;
    QSpinBox *m_iterations;
    QDoubleSpinBox *m_arrivalRate;
    QLineEdit *m_think;
    QLineEdit *m_data;
    QPlainTextEdit *m_thresholdEdit;
    QPushButton *m_startStop;
    QPushButton *m_export;
    QLabel *m_status;
    QLabel *m_live;
    TimeSeriesChart *m_throughputChart;   // Owned (child).
    TimeSeriesChart *m_percentilesChart;  // Owned (child).
    LoadFiguresModel *m_figures;          // Owned (child).
    QTableView *m_table;
};

} // namespace wsprobe
