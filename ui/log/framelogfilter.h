#pragma once

#include "frameevent.h"

#include <QAbstractProxyModel>
#include <QList>
#include <QRegularExpression>
#include <QTimer>

#include <deque>
#include <vector>

namespace wsprobe {

class FrameLog;
class FrameLogModel;

// A piece of text an event must contain: a substring or a regular expression, both
// case-insensitive. It is tested against the whole payload (text as it is, binary bytes as
// Latin-1), a close's code, name and reason, and the text of handshakes, errors and notes.
class TextPattern
{
public:
    TextPattern() = default;
    static TextPattern substring(const QString &text);
    // An invalid expression gives a pattern that is not valid(); errorString() says why.
    static TextPattern regularExpression(const QString &pattern);

    bool isEmpty() const { return m_text.isEmpty(); }
    bool isValid() const { return m_valid; }
    bool isRegularExpression() const { return m_isRegex; }
    QString text() const { return m_text; }
    QString errorString() const { return m_error; }

    bool matches(const FrameEvent &event) const;

    friend bool operator==(const TextPattern &a, const TextPattern &b)
    {
        return a.m_text == b.m_text && a.m_isRegex == b.m_isRegex;
    }

private:
    bool matchesText(QStringView text) const;

    QString m_text;
    QRegularExpression m_regex;
    QString m_error;
    bool m_isRegex = false;
    bool m_valid = true;
};

// Which events a log shows: their directions, their kinds, and text they must all contain.
struct FrameMatcher
{
    static constexpr quint32 AllDirections = 0b111;
    static constexpr quint32 AllKinds = 0b11'1111'1111;

    quint32 directions = AllDirections;  // bit (1 << int(Direction))
    quint32 kinds = AllKinds;            // bit (1 << int(EventKind))
    QList<TextPattern> patterns;         // all must match; invalid or empty ones are ignored

    void setDirection(Direction direction, bool shown);
    bool showsDirection(Direction direction) const { return directions & (1u << int(direction)); }
    void setKind(EventKind kind, bool shown);
    bool showsKind(EventKind kind) const { return kinds & (1u << int(kind)); }

    bool acceptsEverything() const;
    bool accepts(const FrameEvent &event) const;
    // The same for an event of the log, whose payload is read only when a pattern needs it.
    bool accepts(const FrameLog &log, qint64 sequence) const;

    friend bool operator==(const FrameMatcher &a, const FrameMatcher &b)
    {
        return a.directions == b.directions && a.kinds == b.kinds && a.patterns == b.patterns;
    }
};

// The rows of a FrameLogModel that a FrameMatcher accepts, in order, as a proxy model.
//
// It keeps the sequence numbers of the matching events in one vector and never re-tests what it
// has tested: appended rows are tested as they arrive, rows discarded from the top of the log
// leave from the top, and only a new matcher (or a reset of the source) starts over. Testing
// runs in time-boxed slices on the event loop (rows found in a slice are inserted at its end),
// so a million-row rescan never holds the event loop longer than sliceBudget() at a time.
class FrameLogFilter : public QAbstractProxyModel
{
    Q_OBJECT

public:
    explicit FrameLogFilter(QObject *parent = nullptr);

    // Not owned. The filter works on FrameLogModel's sequence numbers, so only it is accepted.
    void setLogModel(FrameLogModel *model);
    FrameLogModel *logModel() const { return m_model; }
    void setSourceModel(QAbstractItemModel *model) override;

    void setMatcher(const FrameMatcher &matcher);
    const FrameMatcher &matcher() const { return m_matcher; }

    qint64 sequenceAt(int row) const;
    // -1 when the event is not shown.
    int rowOf(qint64 sequence) const;
    // The first row whose sequence is >= sequence (rowCount() when there is none).
    int lowerBound(qint64 sequence) const;

    // True while some rows of the source have not been tested yet.
    bool isScanning() const { return m_scanning; }
    // Share of the source's rows tested so far, 0..1.
    double scanProgress() const;
    // Tests everything still pending now, at once (tests, and exports that need all rows).
    void finishScan();
    // Longest time one slice may take; 0 tests everything at once.
    void setSliceBudget(int ms) { m_sliceBudgetMs = ms; }
    int sliceBudget() const { return m_sliceBudgetMs; }
    // How long the longest slice since the last matcher change took (for diagnostics).
    qint64 longestSliceNs() const { return m_longestSliceNs; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void scanningChanged(bool scanning);

private:
    void onSourceAboutToBeReset();
    void onSourceReset();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void restart();
    void rescanInsideReset();
    // Tests pending rows for up to budgetMs (< 0: all of them); found rows are inserted unless
    // a reset is under way.
    void scan(int budgetMs, bool insideReset = false);
    void setScanning(bool scanning);
    void endReset();
    qint64 sourceFirst() const;
    qint64 sourceEnd() const;
    int shownCount() const { return int(m_shownEnd - m_head); }

    FrameLogModel *m_model = nullptr;  // Not owned.
    FrameMatcher m_matcher;
    // Sequence numbers of the shown events, ascending: rows are m_rows[m_head, m_shownEnd).
    // Dropping rows from the top only moves m_head; entries past m_shownEnd are found but not
    // announced yet.
    // A deque, not a vector: at millions of rows a vector's doubling copies the whole list into
    // fresh memory in one go, a stall the window shows (~100 ms at 8M rows).
    std::deque<qint64> m_rows;
    std::size_t m_head = 0;
    std::size_t m_shownEnd = 0;
    qint64 m_scanNext = 0;        // the next sequence number to test
    qint64 m_scanFrom = 0;        // where the current scan started, for progress
    int m_pendingRemovalRow = 0;  // rows announced by beginRemoveRows, not yet dropped
    int m_pendingRemoval = 0;
    bool m_resetting = false;
    bool m_scanning = false;
    int m_sliceBudgetMs = 16;
    qint64 m_longestSliceNs = 0;
    QTimer m_sliceTimer;
};

} // namespace wsprobe
