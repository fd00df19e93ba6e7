#pragma once

#include "loadreport.h"

#include <QAbstractTableModel>

namespace wsprobe {

// A load run's end-of-test summary as a table, line for line what wsprobe-run prints
// (LoadReport): the scenario and the load, each threshold with its verdict, then the figures.
// While the run goes on it shows the figures so far and the thresholds as not judged yet.
class LoadSummaryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FigureColumn, ValueColumn, ColumnCount };
    enum class Kind { Header, Threshold, Figure };
    static constexpr int KindRole = Qt::UserRole + 1;   // int(Kind), on every column
    // A threshold row: true passed, false failed, invalid while the run goes on.
    static constexpr int PassedRole = Qt::UserRole + 2;

    explicit LoadSummaryModel(QObject *parent = nullptr);

    // final: the run has ended, the thresholds are judged.
    void setSummary(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
                    const QList<ThresholdOutcome> &outcomes, bool final);
    void clear();
    bool isFinal() const { return m_final; }
    // The threshold rows' verdicts, in order: for the status line and tests.
    const QList<ThresholdOutcome> &outcomes() const { return m_outcomes; }
    // The row whose figure is label ("iterations"), -1 when there is none.
    int rowOf(const QString &label) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        Kind kind = Kind::Figure;
        QString figure;
        QString value;
        int outcome = -1;  // index in m_outcomes, for a threshold
    };
    QList<Row> m_rows;
    QList<ThresholdOutcome> m_outcomes;
    bool m_final = false;
};

} // namespace wsprobe
