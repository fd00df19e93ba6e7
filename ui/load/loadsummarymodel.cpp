#include "loadsummarymodel.h"

#include "themecolors.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace wsprobe {

LoadSummaryModel::LoadSummaryModel(QObject *parent) : QAbstractTableModel(parent) {}

void LoadSummaryModel::setSummary(const QString &scenarioName, const LoadProfile &profile,
                                  const LoadSummary &summary, const QList<ThresholdOutcome> &outcomes,
                                  bool final)
{
    QList<Row> rows;
    rows.append({Kind::Header, tr("scenario"), scenarioName});
    rows.append({Kind::Header, tr("load"), LoadReport::shape(profile)});
    for (qsizetype i = 0; i < outcomes.size(); ++i) {
        const ThresholdOutcome &outcome = outcomes[i];
        // While the run goes on the value is only where it stands now.
        const QString value = !final ? tr("so far: %1").arg(outcome.verdict.actual)
                              : outcome.verdict.passed ? tr("passed: %1").arg(outcome.verdict.actual)
                                                       : tr("failed: %1").arg(outcome.verdict.actual);
        rows.append({Kind::Threshold, outcome.threshold.text(), value, int(i)});
    }
    for (const LoadReport::Line &line : LoadReport::figures(profile, summary))
        rows.append({Kind::Figure, line.label, line.value});

    m_outcomes = outcomes;
    m_final = final;
    if (rows.size() == m_rows.size()) {
        // The same lines with new values (a refresh): no reset, the selection stays.
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void LoadSummaryModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_outcomes.clear();
    m_final = false;
    endResetModel();
}

int LoadSummaryModel::rowOf(const QString &label) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].figure == label)
            return int(i);
    }
    return -1;
}

int LoadSummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LoadSummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LoadSummaryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows[index.row()];
    const bool judged = row.kind == Kind::Threshold && m_final;
    const bool passed = row.outcome >= 0 && m_outcomes[row.outcome].verdict.passed;
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == FigureColumn && row.kind == Kind::Threshold)
            return (judged ? (passed ? u"✓ "_s : u"✗ "_s) : u"… "_s) + row.figure;
        return index.column() == FigureColumn ? row.figure : row.value;
    case Qt::ToolTipRole:
        return index.column() == ValueColumn ? row.value : QVariant();
    case Qt::ForegroundRole:
        if (row.kind == Kind::Threshold) {
            const QPalette palette = QApplication::palette();
            return judged ? (passed ? ThemeColors::success(palette) : ThemeColors::failure(palette))
                          : ThemeColors::muted(palette);
        }
        return {};
    case Qt::FontRole:
        if (judged) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case KindRole:
        return int(row.kind);
    case PassedRole:
        return judged ? QVariant(passed) : QVariant();
    default:
        return {};
    }
}

QVariant LoadSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == FigureColumn ? tr("Summary") : tr("Value");
}

} // namespace wsprobe
