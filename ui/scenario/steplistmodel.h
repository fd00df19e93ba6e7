#pragma once

#include "scenarioresult.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

namespace wsprobe {

struct Scenario;

// The steps of one scenario run, in order, each with its live status. The view that drives a
// ScenarioRunner feeds its signals into the mutation functions below; the model knows nothing
// of the runner, so it can be filled from a finished ScenarioResult just as well.
class StepListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { StatusColumn, NumberColumn, TitleColumn, LineColumn, DurationColumn, ColumnCount };
    enum Role {
        StatusRole = Qt::UserRole + 1,  // int(StepResult::Status)
        LineRole,                       // int; 0 = unknown
        ExpectedRole,                   // QString
        ActualRole,                     // QString
        MessageRole,                    // QString
    };

    explicit StepListModel(QObject *parent = nullptr);

    // Every step pending, titled with describe(step).
    void setScenario(const Scenario &scenario);
    // Back to pending, keeping the steps (before a new run of the same scenario).
    void resetStatuses();
    void markRunning(int index);
    void setStepResult(int index, const StepResult &result);
    // A whole run at once: what the runner reports when it is finished (it also marks the
    // steps after a failure as skipped, which no per-step signal says).
    void setResult(const ScenarioResult &result);

    const StepResult &stepAt(int row) const { return m_steps.at(row); }
    int stepCount() const { return int(m_steps.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void rowChanged(int row);
    bool anyRunning() const;
    void updateSpinner();

    QList<StepResult> m_steps;
    QTimer m_spinnerTimer;  // turns the running step's spinner; runs only while a step runs
    int m_spinnerFrame = 0;
};

// "✓", "✗", "–", "·" or a spinner frame: the symbol a status is shown with.
QString statusSymbol(StepResult::Status status, int spinnerFrame = 0);

} // namespace wsprobe
