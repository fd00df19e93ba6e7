#include "framelogmodel.h"

#include "closecodes.h"
#include "framelog.h"
#include "themecolors.h"

#include <QBrush>
#include <QDateTime>
#include <QFont>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>
#include <limits>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int FlushIntervalMs = 33;  // ~30 refreshes a second at most

} // namespace

// The time between two rows in the unit a person reads at a glance: milliseconds (to the
// microsecond) under a second, then seconds, minutes and hours.
QString deltaText(qint64 deltaNs)
{
    const QString sign = deltaNs < 0 ? u"−"_s : u"+"_s;
    const qint64 ns = std::abs(deltaNs);
    constexpr qint64 Second = 1'000'000'000;
    if (ns < Second)
        return sign + u"%1 ms"_s.arg(double(ns) / 1e6, 0, 'f', 3);
    if (ns < 60 * Second)
        return sign + u"%1 s"_s.arg(double(ns) / 1e9, 0, 'f', 3);
    const qint64 totalSeconds = ns / Second;
    if (ns < 3600 * Second)
        return sign + u"%1 min %2 s"_s.arg(totalSeconds / 60).arg(totalSeconds % 60, 2, 10, QChar(u'0'));
    return sign + u"%1 h %2 min"_s.arg(totalSeconds / 3600).arg(totalSeconds / 60 % 60, 2, 10, QChar(u'0'));
}

FrameLogModel::FrameLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &FrameLogModel::flush);
}

void FrameLogModel::setLog(FrameLog *log)
{
    if (log == m_log)
        return;
    beginResetModel();
    if (m_log)
        m_log->disconnect(this);
    m_log = log;
    m_firstShown = log ? log->firstSequence() : 0;
    m_shownEnd = log ? log->endSequence() : 0;
    m_failed.clear();
    if (m_log) {
        connect(m_log, &FrameLog::eventsAppended, this, &FrameLogModel::scheduleFlush);
        connect(m_log, &FrameLog::discarded, this, &FrameLogModel::scheduleFlush);
        connect(m_log, &FrameLog::cleared, this, &FrameLogModel::onCleared);
        connect(m_log, &QObject::destroyed, this, [this] { setLog(nullptr); });
    }
    endResetModel();
}

qint64 FrameLogModel::messageNumber(qint64 sequence) const
{
    return m_log ? m_log->messageNumber(sequence) : 0;
}

void FrameLogModel::markFailed(qint64 sequence)
{
    const auto at = std::lower_bound(m_failed.begin(), m_failed.end(), sequence);
    if (at != m_failed.end() && *at == sequence)
        return;
    m_failed.insert(at, sequence);
    const int row = rowOf(sequence);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, TimeColumn), index(row, TimeColumn), {FailedRole, Qt::ToolTipRole});
}

bool FrameLogModel::isFailed(qint64 sequence) const
{
    return std::binary_search(m_failed.cbegin(), m_failed.cend(), sequence);
}

QString FrameLogModel::eventName(qint64 sequence) const
{
    if (const qint64 number = messageNumber(sequence))
        return tr("message %1").arg(QLocale().toString(number));
    if (!m_log || !m_log->contains(sequence))
        return tr("an event no longer in the log");
    const FrameEvent &event = m_log->at(sequence);
    return tr("%1 at %2").arg(typeText(event), timeText(event));
}

void FrameLogModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void FrameLogModel::flush()
{
    m_flushTimer.stop();
    if (!m_log)
        return;
    const qint64 first = m_log->firstSequence();
    if (first > m_firstShown) {
        const qint64 gone = std::min(first, m_shownEnd) - m_firstShown;
        if (gone > 0) {
            beginRemoveRows({}, 0, int(gone - 1));
            m_firstShown += gone;
            endRemoveRows();
        }
        if (m_firstShown < first) {  // everything shown was discarded, and more
            m_firstShown = first;
            m_shownEnd = std::max(m_shownEnd, first);
        }
    }
    const qint64 end = m_log->endSequence();
    if (end > m_shownEnd) {
        const int firstRow = int(m_shownEnd - m_firstShown);
        beginInsertRows({}, firstRow, firstRow + int(end - m_shownEnd) - 1);
        m_shownEnd = end;
        endInsertRows();
    }
}

void FrameLogModel::onCleared()
{
    beginResetModel();
    m_failed.clear();
    m_firstShown = m_shownEnd = m_log->endSequence();
    endResetModel();
}

std::optional<FrameEvent> FrameLogModel::eventAt(int row) const
{
    return row < 0 ? std::nullopt : eventFor(m_firstShown + row);
}

std::optional<FrameEvent> FrameLogModel::eventFor(qint64 sequence) const
{
    if (!m_log || sequence < m_firstShown || sequence >= m_shownEnd || !m_log->contains(sequence))
        return std::nullopt;
    return m_log->at(sequence);
}

int FrameLogModel::rowOf(qint64 sequence) const
{
    if (sequence < m_firstShown || sequence >= m_shownEnd)
        return -1;
    return int(sequence - m_firstShown);
}

int FrameLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shownEnd - m_firstShown);
}

int FrameLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FrameLogModel::displayText(const FrameEvent &event, int row, int column) const
{
    switch (column) {
    case TimeColumn:
        return timeText(event);
    case DeltaColumn: {
        const qint64 previousSequence = m_firstShown + row - 1;
        if (row <= 0 || !m_log->contains(previousSequence))
            return {};
        const FrameEvent previous = m_log->headerAt(previousSequence);
        // Negative only for a local note (an error, a state change) stamped in the session's
        // thread while frames parsed just before it were still on their way to the log.
        return deltaText(event.monotonicNs - previous.monotonicNs);
    }
    case DirectionColumn:
        return directionText(event.direction);
    case TypeColumn:
        return typeText(event);
    case SizeColumn:
        return event.size > 0 || event.isMessage() ? sizeText(event.size) : QString();
    case PreviewColumn:
        return previewText(event);
    }
    return {};
}

QVariant FrameLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_log)
        return {};
    const qint64 sequence = m_firstShown + index.row();
    if (index.row() < 0 || sequence >= m_shownEnd || !m_log->contains(sequence))
        return {};
    // Only the preview reads the payload, and only as much of it as a row can show: a row of a
    // 100 MB message costs what a row of a small one does.
    const bool payloadShown = role == Qt::DisplayRole && index.column() == PreviewColumn;
    const std::optional<FrameEvent> event = payloadShown ? m_log->at(sequence, PreviewBytes)
                                                         : m_log->headerAt(sequence);
    switch (role) {
    case Qt::DisplayRole:
        return displayText(*event, index.row(), index.column());
    case Qt::ToolTipRole:
        if (index.column() == PreviewColumn && event->kind == EventKind::Close)
            return CloseCodes::description(event->closeCode);
        if (index.column() == TypeColumn && event->kind == EventKind::Error)
            return typeText(*event);  // often wider than the column
        if (index.column() == TimeColumn && isFailed(m_firstShown + index.row()))
            return tr("A live assertion failed on this event (see the Assertions tab)");
        return {};
    case Qt::ForegroundRole: {
        // Read when painted, so a theme change needs only a repaint.
        const QPalette palette = QGuiApplication::palette();
        if (event->kind == EventKind::Error)
            return QBrush(ThemeColors::failure(palette));
        if (index.column() == DirectionColumn) {
            if (event->direction == Direction::Outgoing)
                return QBrush(ThemeColors::outgoing(palette));
            if (event->direction == Direction::Incoming)
                return QBrush(ThemeColors::incoming(palette));
        }
        return {};
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == DeltaColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SequenceRole:
        return m_firstShown + index.row();
    case KindRole:
        return int(event->kind);
    case DirectionRole:
        return int(event->direction);
    case FailedRole:
        return isFailed(m_firstShown + index.row());
    }
    return {};
}

QVariant FrameLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case DeltaColumn: return tr("Δ");
    case DirectionColumn: return tr("Dir");
    case TypeColumn: return tr("Type");
    case SizeColumn: return tr("Size");
    case PreviewColumn: return tr("Payload");
    }
    return {};
}

} // namespace wsprobe
