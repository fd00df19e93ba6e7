#include "steplistmodel.h"

#include "scenario.h"
#include "themecolors.h"

#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <array>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int SpinnerIntervalMs = 100;
constexpr std::array<char16_t, 10> SpinnerFrames = {
    u'⠋', u'⠙', u'⠹', u'⠸', u'⠼', u'⠴', u'⠦', u'⠧', u'⠇', u'⠏',
};

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    return u"%1 s"_s.arg(ms / 1000.0, 0, 'f', 2);
}

} // namespace

QString statusSymbol(StepResult::Status status, int spinnerFrame)
{
    switch (status) {
    case StepResult::Status::Pending: return u"·"_s;
    case StepResult::Status::Running:
        return QString(QChar(SpinnerFrames[std::size_t(spinnerFrame) % SpinnerFrames.size()]));
    case StepResult::Status::Passed: return u"✓"_s;
    case StepResult::Status::Failed: return u"✗"_s;
    case StepResult::Status::Skipped: return u"–"_s;
    }
    return {};
}

StepListModel::StepListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_spinnerTimer.setInterval(SpinnerIntervalMs);
    connect(&m_spinnerTimer, &QTimer::timeout, this, &StepListModel::updateSpinner);
}

void StepListModel::setScenario(const Scenario &scenario)
{
    beginResetModel();
    m_steps.clear();
    m_steps.reserve(scenario.steps.size());
    for (int i = 0; i < scenario.steps.size(); ++i) {
        StepResult step;
        step.index = i;
        step.title = describe(scenario.steps[i]);
        step.line = scenario.steps[i].where.line;
        m_steps.append(step);
    }
    m_spinnerTimer.stop();
    endResetModel();
}

void StepListModel::resetStatuses()
{
    for (StepResult &step : m_steps) {
        StepResult fresh;
        fresh.index = step.index;
        fresh.title = step.title;
        fresh.line = step.line;
        step = fresh;
    }
    m_spinnerTimer.stop();
    if (!m_steps.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void StepListModel::markRunning(int row)
{
    if (row < 0 || row >= m_steps.size())
        return;
    m_steps[row].status = StepResult::Status::Running;
    rowChanged(row);
    if (!m_spinnerTimer.isActive())
        m_spinnerTimer.start();
}

void StepListModel::setStepResult(int row, const StepResult &result)
{
    if (row < 0 || row >= m_steps.size())
        return;
    // The title and line stay ours: a result made elsewhere may not carry them.
    StepResult &step = m_steps[row];
    const QString title = step.title;
    const int line = step.line;
    step = result;
    step.index = row;
    if (step.title.isEmpty())
        step.title = title;
    if (step.line == 0)
        step.line = line;
    rowChanged(row);
    if (!anyRunning())
        m_spinnerTimer.stop();
}

void StepListModel::setResult(const ScenarioResult &result)
{
    for (int row = 0; row < result.steps.size() && row < m_steps.size(); ++row)
        setStepResult(row, result.steps[row]);
}

void StepListModel::rowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool StepListModel::anyRunning() const
{
    for (const StepResult &step : m_steps) {
        if (step.status == StepResult::Status::Running)
            return true;
    }
    return false;
}

void StepListModel::updateSpinner()
{
    ++m_spinnerFrame;
    bool running = false;
    for (int row = 0; row < m_steps.size(); ++row) {
        if (m_steps[row].status == StepResult::Status::Running) {
            running = true;
            const QModelIndex cell = index(row, StatusColumn);
            Q_EMIT dataChanged(cell, cell, {Qt::DisplayRole});
        }
    }
    if (!running)
        m_spinnerTimer.stop();
}

int StepListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_steps.size());
}

int StepListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StepListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_steps.size())
        return {};
    const StepResult &step = m_steps[index.row()];
    const bool finished = step.status == StepResult::Status::Passed
        || step.status == StepResult::Status::Failed;

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StatusColumn: return statusSymbol(step.status, m_spinnerFrame);
        case NumberColumn: return index.row() + 1;
        case TitleColumn: return step.title;
        case LineColumn: return step.line > 0 ? QVariant(step.line) : QVariant();
        case DurationColumn: return finished ? durationText(step.durationMs) : QString();
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn)
            return displayName(step.status);
        if (step.status == StepResult::Status::Failed && !step.message.isEmpty())
            return step.message;
        return index.column() == TitleColumn ? step.title : QVariant();
    case Qt::ForegroundRole:
        // The same red and green as the frame log, so a verdict reads the same everywhere.
        switch (step.status) {
        case StepResult::Status::Pending:
        case StepResult::Status::Skipped:
            return QBrush(ThemeColors::muted(QGuiApplication::palette()));
        case StepResult::Status::Passed:
            return index.column() == StatusColumn
                ? QVariant(QBrush(ThemeColors::success(QGuiApplication::palette())))
                : QVariant();
        case StepResult::Status::Failed:
            return QBrush(ThemeColors::failure(QGuiApplication::palette()));
        case StepResult::Status::Running:
            return {};
        }
        return {};
    case Qt::FontRole:
        if (step.status == StepResult::Status::Running) {
            QFont font;
            font.setBold(true);
            return font;
        }
        if (step.status == StepResult::Status::Skipped) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == StatusColumn)
            return int(Qt::AlignCenter);
        if (index.column() == NumberColumn || index.column() == LineColumn
            || index.column() == DurationColumn) {
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case StatusRole: return int(step.status);
    case LineRole: return step.line;
    case ExpectedRole: return step.expected;
    case ActualRole: return step.actual;
    case MessageRole: return step.message;
    }
    return {};
}

QVariant StepListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn: return QString();
    case NumberColumn: return u"#"_s;
    case TitleColumn: return u"Step"_s;
    case LineColumn: return u"Line"_s;
    case DurationColumn: return u"Time"_s;
    }
    return {};
}

} // namespace wsprobe
