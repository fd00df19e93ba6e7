#pragma once

#include "loadreport.h"

#include <QAbstractTableModel>

namespace wsprobe {

// The end of a load run as a table: each threshold with ✓ or ✗ and its value, then each figure
// of the summary, the lines wsprobe-run prints.
class LoadFiguresModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FigureColumn, ValueColumn, ColumnCount };
    // Data role: true for a threshold that passed, false for one that failed, invalid otherwise.
    static constexpr int PassedRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setReport(const QList<ThresholdOutcome> &outcomes, const QList<LoadReport::Figure> &figures);
    void clear();
    // Rows before the figures.
    qsizetype thresholdCount() const { return m_outcomes.size(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ThresholdOutcome> m_outcomes;
    QList<LoadReport::Figure> m_figures;
};

} // namespace wsprobe
