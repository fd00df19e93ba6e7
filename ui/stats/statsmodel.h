#pragma once

#include "statsfigures.h"

#include <QAbstractTableModel>

namespace wsprobe {

// StatsFigures as a table: one row a figure (StatsFigures::rows()), columns figure, value, unit.
// setFigures() changes only the values, so a refresh is one dataChanged for one column.
class StatsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FigureColumn, ValueColumn, UnitColumn, ColumnCount };
    // The figure's key ("roundTripP95Ms") under this role, on every column.
    static constexpr int KeyRole = Qt::UserRole + 1;

    explicit StatsModel(QObject *parent = nullptr);

    void setFigures(const StatsFigures &figures);
    const StatsFigures &figures() const { return m_figures; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // "12.345" for ms, "1,234" for counts, "–" when not known.
    static QString formatValue(const StatsFigure &figure);

private:
    StatsFigures m_figures;
    QList<StatsFigure> m_rows;
};

} // namespace wsprobe
