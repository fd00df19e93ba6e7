#pragma once

#include "eventtext.h"
#include "frameevent.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <optional>
#include <vector>

namespace wsprobe {

class FrameLog;

// A table over one session's FrameLog. Rows are thin: a row is a sequence number, and display
// text is built only when a row is drawn. Appends reach the view in batches (one
// beginInsertRows/endInsertRows per flush, at most ~30 flushes a second), so a flood never
// turns into a signal storm in the view.
class FrameLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, DeltaColumn, DirectionColumn, TypeColumn, SizeColumn, PreviewColumn, ColumnCount };
    enum Role {
        SequenceRole = Qt::UserRole + 1,  // qint64
        KindRole,                         // int(EventKind)
        DirectionRole,                    // int(Direction)
        FailedRole,                       // bool: a live assertion failed on this event
    };

    // Payload bytes read for a row's preview: 200 characters even of indented JSON.
    static constexpr qint64 PreviewBytes = 4096;

    explicit FrameLogModel(QObject *parent = nullptr);

    // Not owned; may be null.
    void setLog(FrameLog *log);
    FrameLog *log() const { return m_log; }

    // The event behind a row (a copy), or none when it was discarded meanwhile.
    std::optional<FrameEvent> eventAt(int row) const;
    qint64 sequenceAt(int row) const { return m_firstShown + row; }
    int rowOf(qint64 sequence) const;

    // The event with this sequence number (a copy), or none when it is not a row (not flushed yet, or
    // discarded meanwhile).
    std::optional<FrameEvent> eventFor(qint64 sequence) const;
    // One past the sequence number of the last row.
    qint64 endSequence() const { return m_shownEnd; }

    // FrameLog::messageNumber: messages numbered as people count them, the same numbers the
    // assertions use. Sequence numbers stay internal. 0 when the event is not a message.
    qint64 messageNumber(qint64 sequence) const;
    // How a person names the event in a sentence: "message 17", or "ping at 12:00:01.250".
    QString eventName(qint64 sequence) const;

    // Marks an event a live assertion failed on (FailedRole, and a mark in the Time column);
    // marks go when the log is cleared or another log is set.
    void markFailed(qint64 sequence);
    bool isFailed(qint64 sequence) const;

    // Shows what arrived since the last flush now (tests, and before a user action).
    void flush();
    void setFlushInterval(int ms) { m_flushTimer.setInterval(ms); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void scheduleFlush();
    void onCleared();
    QString displayText(const FrameEvent &event, int row, int column) const;

    FrameLog *m_log = nullptr;  // Not owned.
    QTimer m_flushTimer;
    qint64 m_firstShown = 0;    // sequence of row 0
    qint64 m_shownEnd = 0;      // one past the sequence of the last row
    // The sequence numbers of the messages still in the log, in order, and how many were
    // discarded before them: a binary search numbers a message.
    // Sorted: failures come in log order, so a mark is an append, and a painted cell's lookup
    // a binary search.
    std::vector<qint64> m_failed;
};

} // namespace wsprobe
