#pragma once

#include "loadprofile.h"
#include "loadthreshold.h"

#include <QWidget>

#include <optional>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace wsprobe {

// The settings of a load run, as fields: the scenario file (a path and Browse…), users, ramp-up,
// duration, iterations per user, think time and thresholds (one a line). Filled from a
// scenario's load block; read back into a LoadProfile, with a clear error for what is wrong.
class LoadForm : public QWidget
{
    Q_OBJECT

public:
    explicit LoadForm(QWidget *parent = nullptr);

    QString scenarioPath() const;
    // Sets the path (no signal).
    void setScenarioPath(const QString &path);
    // The fields from profile (a load block, or the defaults); the fields the form has no field
    // for (arrival rate, data file) are kept and come back from profile().
    void setProfile(const LoadProfile &profile);
    // The profile the fields say, or nullopt with *error naming the field and what is wrong
    // ("Ramp-up: \"ten\" is not a duration such as 10s, 500ms or 2m").
    std::optional<LoadProfile> profile(QString *error) const;
    // The thresholds, one a non-empty line, or nullopt with *error ("Thresholds, line 2: bad
    // threshold \"p95 < fast\" (at character 7): expected a number after \"<\", found \"fast\"").
    std::optional<QList<LoadThreshold>> thresholds(QString *error) const;

    // While a run goes on the fields cannot change.
    void setEditable(bool editable);

    // For tests and scripts: the fields as a user types them.
    void setUsers(int users);
    void setRampUp(const QString &text);
    void setDuration(const QString &text);
    void setIterations(int iterations);
    void setThinkTime(const QString &text);
    void setThresholds(const QStringList &lines);

Q_SIGNALS:
    // The path was edited (and left) or picked with Browse…: the window reads the file again.
    void scenarioPathChosen(const QString &path);

private:
    void browse();

    LoadProfile m_kept;  // what the fields do not show, from the last setProfile()
    QLineEdit *m_path;
    QPushButton *m_browse;
    QSpinBox *m_users;
    QLineEdit *m_rampUp;
    QLineEdit *m_duration;
    QSpinBox *m_iterations;
    QLineEdit *m_think;
    QPlainTextEdit *m_thresholds;
};

} // namespace wsprobe
