#include "framelogfilter.h"

#include "framelog.h"
#include "framelogmodel.h"

#include <QElapsedTimer>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace wsprobe {

// ---------------------------------------------------------------------------------- TextPattern

TextPattern TextPattern::substring(const QString &text)
{
    TextPattern pattern;
    pattern.m_text = text;
    return pattern;
}

TextPattern TextPattern::regularExpression(const QString &expression)
{
    TextPattern pattern;
    pattern.m_text = expression;
    pattern.m_isRegex = true;
    pattern.m_regex = QRegularExpression(expression, QRegularExpression::CaseInsensitiveOption);
    pattern.m_valid = pattern.m_regex.isValid();
    if (!pattern.m_valid) {
        pattern.m_error = u"%1 (at character %2)"_s.arg(pattern.m_regex.errorString())
                              .arg(pattern.m_regex.patternErrorOffset() + 1);
    } else {
        pattern.m_regex.optimize();
    }
    return pattern;
}

bool TextPattern::matchesText(QStringView text) const
{
    if (m_isRegex)
        return m_regex.match(text).hasMatch();
    return text.contains(m_text, Qt::CaseInsensitive);
}

bool TextPattern::matches(const FrameEvent &event) const
{
    if (m_text.isEmpty() || !m_valid)
        return true;
    switch (event.kind) {
    case EventKind::Text:
    case EventKind::TextFrame:
    case EventKind::Handshake:
    case EventKind::Error:
    case EventKind::Info:
        return matchesText(event.text);
    case EventKind::Binary:
    case EventKind::BinaryFrame:
    case EventKind::Ping:
        // Binary payloads are searched as Latin-1: the ASCII runs in them (like `strings`).
        if (!m_isRegex)
            return QLatin1StringView(event.data).contains(m_text, Qt::CaseInsensitive);
        return matchesText(QString::fromLatin1(event.data));
    case EventKind::Pong:
    case EventKind::Close:
        // Rare events: match what the row says (code name, reason, round trip).
        return matchesText(previewText(event, std::numeric_limits<int>::max()));
    }
    return false;
}

// --------------------------------------------------------------------------------- FrameMatcher

void FrameMatcher::setDirection(Direction direction, bool shown)
{
    const quint32 bit = 1u << int(direction);
    directions = shown ? directions | bit : directions & ~bit;
}

void FrameMatcher::setKind(EventKind kind, bool shown)
{
    const quint32 bit = 1u << int(kind);
    kinds = shown ? kinds | bit : kinds & ~bit;
}

bool FrameMatcher::acceptsEverything() const
{
    if ((directions & AllDirections) != AllDirections || (kinds & AllKinds) != AllKinds)
        return false;
    return std::all_of(patterns.cbegin(), patterns.cend(),
                       [](const TextPattern &p) { return p.isEmpty() || !p.isValid(); });
}

bool FrameMatcher::accepts(const FrameEvent &event) const
{
    if (!showsDirection(event.direction) || !showsKind(event.kind))
        return false;
    for (const TextPattern &pattern : patterns) {
        if (!pattern.matches(event))
            return false;
    }
    return true;
}

bool FrameMatcher::accepts(const FrameLog &log, qint64 sequence) const
{
    if (!showsDirection(log.directionAt(sequence)) || !showsKind(log.kindAt(sequence)))
        return false;
    const bool readsPayload = std::any_of(patterns.cbegin(), patterns.cend(),
                                          [](const TextPattern &p) { return !p.isEmpty() && p.isValid(); });
    return !readsPayload || accepts(log.at(sequence));
}

// ------------------------------------------------------------------------------ FrameLogFilter

namespace {

// Rows tested between two looks at the clock; small enough that one slow regular expression
// cannot overrun the budget by much.
constexpr qint64 RowsBetweenClockChecks = 64;
// When everything is accepted the clock is read far less often.
constexpr qint64 RowsBetweenClockChecksUnfiltered = 64 * 1024;
// Dropped rows are compacted away once this many have gathered at the front.
constexpr std::size_t CompactThreshold = 64 * 1024;

} // namespace

FrameLogFilter::FrameLogFilter(QObject *parent)
    : QAbstractProxyModel(parent)
{
    m_sliceTimer.setSingleShot(true);
    m_sliceTimer.setInterval(0);
    connect(&m_sliceTimer, &QTimer::timeout, this, [this] {
        scan(m_sliceBudgetMs);
        setScanning(m_scanNext < sourceEnd());
    });
}

void FrameLogFilter::setSourceModel(QAbstractItemModel *model)
{
    auto *logModel = qobject_cast<FrameLogModel *>(model);
    Q_ASSERT_X(logModel || !model, "FrameLogFilter", "the source must be a FrameLogModel");
    setLogModel(logModel);
}

void FrameLogFilter::setLogModel(FrameLogModel *model)
{
    if (model == m_model)
        return;
    beginResetModel();
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    QAbstractProxyModel::setSourceModel(model);
    if (m_model) {
        connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &FrameLogFilter::onSourceAboutToBeReset);
        connect(m_model, &QAbstractItemModel::modelReset, this, &FrameLogFilter::onSourceReset);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &FrameLogFilter::onRowsInserted);
        connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, &FrameLogFilter::onRowsAboutToBeRemoved);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &FrameLogFilter::onRowsRemoved);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &FrameLogFilter::onDataChanged);
        connect(m_model, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged);
        connect(m_model, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_model = nullptr;
            rescanInsideReset();
            endReset();
        });
    }
    rescanInsideReset();
    endReset();
}

void FrameLogFilter::setMatcher(const FrameMatcher &matcher)
{
    if (matcher == m_matcher)
        return;
    m_matcher = matcher;
    restart();
}

void FrameLogFilter::restart()
{
    beginResetModel();
    rescanInsideReset();
    endReset();
}

void FrameLogFilter::rescanInsideReset()
{
    m_sliceTimer.stop();
    m_rows.clear();
    m_head = m_shownEnd = 0;
    m_scanNext = m_scanFrom = sourceFirst();
    m_longestSliceNs = 0;
    // The first slice runs inside the reset, so a log that fits in one slice is shown at once.
    scan(m_sliceBudgetMs, true);
}

qint64 FrameLogFilter::sourceFirst() const
{
    return m_model ? m_model->sequenceAt(0) : 0;
}

qint64 FrameLogFilter::sourceEnd() const
{
    return m_model ? m_model->endSequence() : 0;
}

void FrameLogFilter::scan(int budgetMs, bool insideReset)
{
    const FrameLog *log = m_model ? m_model->log() : nullptr;
    if (!log)
        return;
    QElapsedTimer timer;
    timer.start();
    const qint64 budgetNs = qint64(budgetMs) * 1'000'000;
    const qint64 end = sourceEnd();
    m_scanNext = std::max(m_scanNext, sourceFirst());
    const bool everything = m_matcher.acceptsEverything();
    const qint64 step = everything ? RowsBetweenClockChecksUnfiltered : RowsBetweenClockChecks;
    while (m_scanNext < end) {
        const qint64 stop = std::min(end, m_scanNext + step);
        for (qint64 sequence = m_scanNext; sequence < stop; ++sequence) {
            // A row the source still shows may already be gone from the log (capacity); it
            // leaves the source at its next flush, so it is not taken.
            if (log->contains(sequence) && (everything || m_matcher.accepts(*log, sequence)))
                m_rows.push_back(sequence);
        }
        m_scanNext = stop;
        if (budgetMs > 0 && timer.nsecsElapsed() >= budgetNs)
            break;
    }
    // Rows past m_shownEnd are found but not yet announced: the announcement must come first.
    const auto found = qsizetype(m_rows.size() - m_shownEnd);
    if (found > 0) {
        if (insideReset) {
            m_shownEnd = m_rows.size();
        } else {
            const int first = shownCount();
            beginInsertRows({}, first, first + int(found) - 1);
            m_shownEnd = m_rows.size();
            endInsertRows();
        }
    }
    m_longestSliceNs = std::max(m_longestSliceNs, timer.nsecsElapsed());
    if (m_scanNext < end)
        m_sliceTimer.start();
}

void FrameLogFilter::endReset()
{
    // Whoever reacts to the reset must already see whether more rows are coming.
    const bool wasScanning = m_scanning;
    m_scanning = m_scanNext < sourceEnd();
    endResetModel();
    if (m_scanning != wasScanning)
        Q_EMIT scanningChanged(m_scanning);
}

void FrameLogFilter::setScanning(bool scanning)
{
    if (scanning == m_scanning)
        return;
    m_scanning = scanning;
    Q_EMIT scanningChanged(scanning);
}

double FrameLogFilter::scanProgress() const
{
    const qint64 end = sourceEnd();
    const qint64 from = std::max(m_scanFrom, sourceFirst());
    if (end <= from || m_scanNext >= end)
        return 1.0;
    return double(std::max<qint64>(0, m_scanNext - from)) / double(end - from);
}

void FrameLogFilter::finishScan()
{
    m_sliceTimer.stop();
    scan(-1);
    setScanning(false);
}

void FrameLogFilter::onSourceAboutToBeReset()
{
    m_sliceTimer.stop();
    m_resetting = true;
    beginResetModel();
}

void FrameLogFilter::onSourceReset()
{
    rescanInsideReset();
    m_resetting = false;
    endReset();
}

void FrameLogFilter::onRowsInserted(const QModelIndex &parent, int, int)
{
    if (parent.isValid() || m_resetting)
        return;
    // A pending slice reaches the new rows by itself; otherwise only the new rows are tested.
    if (m_sliceTimer.isActive())
        return;
    scan(m_sliceBudgetMs);
    setScanning(m_scanNext < sourceEnd());
}

void FrameLogFilter::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    m_pendingRemoval = 0;
    if (parent.isValid() || !m_model)
        return;
    const auto begin = m_rows.begin() + qsizetype(m_head);
    const auto end = m_rows.begin() + qsizetype(m_shownEnd);
    // Rows are sequence numbers, so the source's rows [first, last] are one run of ours.
    const auto from = std::lower_bound(begin, end, m_model->sequenceAt(first));
    const auto to = std::upper_bound(from, end, m_model->sequenceAt(last));
    if (from == to)
        return;
    m_pendingRemovalRow = int(from - begin);
    m_pendingRemoval = int(to - from);
    beginRemoveRows({}, m_pendingRemovalRow, m_pendingRemovalRow + m_pendingRemoval - 1);
}

void FrameLogFilter::onRowsRemoved(const QModelIndex &parent, int, int)
{
    if (parent.isValid())
        return;
    if (m_pendingRemoval > 0) {
        if (m_pendingRemovalRow == 0) {
            m_head += std::size_t(m_pendingRemoval);
            if (m_head >= CompactThreshold && m_head * 2 >= m_rows.size()) {
                m_rows.erase(m_rows.begin(), m_rows.begin() + qsizetype(m_head));
                m_shownEnd -= m_head;
                m_head = 0;
            }
        } else {
            const auto from = m_rows.begin() + qsizetype(m_head) + m_pendingRemovalRow;
            m_rows.erase(from, from + m_pendingRemoval);
            m_shownEnd -= std::size_t(m_pendingRemoval);
        }
        m_pendingRemoval = 0;
        endRemoveRows();
    }
    m_scanNext = std::max(m_scanNext, sourceFirst());
}

void FrameLogFilter::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                   const QList<int> &roles)
{
    if (!m_model || !topLeft.isValid() || !bottomRight.isValid())
        return;
    const int first = lowerBound(m_model->sequenceAt(topLeft.row()));
    const int last = lowerBound(m_model->sequenceAt(bottomRight.row()) + 1) - 1;
    if (first <= last)
        Q_EMIT dataChanged(index(first, topLeft.column()), index(last, bottomRight.column()), roles);
}

qint64 FrameLogFilter::sequenceAt(int row) const
{
    if (row < 0 || row >= shownCount())
        return -1;
    return m_rows[m_head + std::size_t(row)];
}

int FrameLogFilter::lowerBound(qint64 sequence) const
{
    const auto begin = m_rows.begin() + qsizetype(m_head);
    const auto end = m_rows.begin() + qsizetype(m_shownEnd);
    return int(std::lower_bound(begin, end, sequence) - begin);
}

int FrameLogFilter::rowOf(qint64 sequence) const
{
    const int row = lowerBound(sequence);
    return row < shownCount() && sequenceAt(row) == sequence ? row : -1;
}

QModelIndex FrameLogFilter::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= shownCount() || column < 0 || column >= FrameLogModel::ColumnCount)
        return {};
    return createIndex(row, column);
}

QModelIndex FrameLogFilter::parent(const QModelIndex &) const
{
    return {};
}

QModelIndex FrameLogFilter::sibling(int row, int column, const QModelIndex &) const
{
    return index(row, column);
}

int FrameLogFilter::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : shownCount();
}

int FrameLogFilter::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FrameLogModel::ColumnCount;
}

bool FrameLogFilter::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && shownCount() > 0;
}

QModelIndex FrameLogFilter::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_model || !proxyIndex.isValid() || proxyIndex.model() != this)
        return {};
    const int sourceRow = m_model->rowOf(sequenceAt(proxyIndex.row()));
    return sourceRow < 0 ? QModelIndex() : m_model->index(sourceRow, proxyIndex.column());
}

QModelIndex FrameLogFilter::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!m_model || !sourceIndex.isValid() || sourceIndex.model() != m_model)
        return {};
    const int row = rowOf(m_model->sequenceAt(sourceIndex.row()));
    return row < 0 ? QModelIndex() : index(row, sourceIndex.column());
}

QVariant FrameLogFilter::data(const QModelIndex &index, int role) const
{
    // Δ is measured from the row above as shown, not from the event before it in the log: two
    // adjacent lines are what a person compares (and unfiltered, both are the same).
    if (index.isValid() && index.column() == FrameLogModel::DeltaColumn && m_model
        && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        if (role == Qt::ToolTipRole)
            return tr("Time since the row above");
        const FrameLog *log = m_model->log();
        const qint64 sequence = sequenceAt(index.row());
        const qint64 previousSequence = index.row() > 0 ? sequenceAt(index.row() - 1) : -1;
        if (!log || !log->contains(sequence) || !log->contains(previousSequence))
            return QString();
        const FrameEvent event = log->headerAt(sequence);
        const FrameEvent previous = log->headerAt(previousSequence);
        return u"+%1 ms"_s.arg((event.monotonicNs - previous.monotonicNs) / 1e6, 0, 'f', 3);
    }
    return QAbstractProxyModel::data(index, role);
}

QVariant FrameLogFilter::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && m_model)
        return m_model->headerData(section, orientation, role);
    return QAbstractProxyModel::headerData(section, orientation, role);
}

} // namespace wsprobe
