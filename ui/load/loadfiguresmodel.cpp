#include "loadfiguresmodel.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

namespace wsprobe {

void LoadFiguresModel::setReport(const QList<ThresholdOutcome> &outcomes, const QList<LoadReport::Figure> &figures)
{
    beginResetModel();
    m_outcomes = outcomes;
    m_figures = figures;
    endResetModel();
}

void LoadFiguresModel::clear()
{
    setReport({}, {});
}

int LoadFiguresModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_outcomes.size() + m_figures.size());
}

int LoadFiguresModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LoadFiguresModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    if (row < m_outcomes.size()) {
        const ThresholdOutcome &outcome = m_outcomes[row];
        const bool passed = outcome.verdict.passed;
        switch (role) {
        case Qt::DisplayRole:
            return index.column() == FigureColumn
                ? (passed ? u"✓ "_s : u"✗ "_s) + outcome.threshold.text()
                : (passed ? tr("passed (%1)") : tr("FAILED (%1)")).arg(outcome.verdict.actual);
        case Qt::ForegroundRole:
            // Green and red keep their meaning on a light or a dark palette at these shades.
            return QBrush(passed ? QColor(0x2e, 0x9d, 0x4f) : QColor(0xd9, 0x3f, 0x3f));
        case PassedRole:
            return passed;
        default:
            return {};
        }
    }
    const LoadReport::Figure &figure = m_figures[row - m_outcomes.size()];
    if (role == Qt::DisplayRole)
        return index.column() == FigureColumn ? figure.label : figure.value;
    return {};
}

QVariant LoadFiguresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == FigureColumn ? tr("Figure") : tr("Value");
}

} // namespace wsprobe
