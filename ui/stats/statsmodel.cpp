#include "statsmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace wsprobe {

StatsModel::StatsModel(QObject *parent) : QAbstractTableModel(parent), m_rows(m_figures.rows()) {}

void StatsModel::setFigures(const StatsFigures &figures)
{
    m_figures = figures;
    QList<StatsFigure> rows = figures.rows();
    const bool labelsChanged = rows.size() != m_rows.size()
        || std::equal(rows.begin(), rows.end(), m_rows.begin(),
                      [](const StatsFigure &a, const StatsFigure &b) { return a.label == b.label; })
            == false;
    m_rows = std::move(rows);
    if (m_rows.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, labelsChanged ? FigureColumn : ValueColumn),
                       index(int(m_rows.size()) - 1, ValueColumn));
}

int StatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString StatsModel::formatValue(const StatsFigure &figure)
{
    if (figure.value < 0)
        return u"–"_s;
    const QLocale locale;
    if (figure.unit == u"ms")
        return locale.toString(figure.value, 'f', 3);
    if (figure.unit.endsWith(u"/s"))
        return locale.toString(figure.value, 'f', 1);
    return locale.toString(qint64(figure.value));
}

QVariant StatsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const StatsFigure &figure = m_rows[index.row()];
    if (role == KeyRole)
        return figure.key;
    if (role == Qt::TextAlignmentRole && index.column() == ValueColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case FigureColumn: return figure.label;
    case ValueColumn: return formatValue(figure);
    case UnitColumn: return figure.unit;
    }
    return {};
}

QVariant StatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FigureColumn: return tr("Figure");
    case ValueColumn: return tr("Value");
    case UnitColumn: return tr("Unit");
    }
    return {};
}

} // namespace wsprobe
