#pragma once

#include "liveassertion.h"
#include "liveassertions.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <functional>

class QColor;
class QJsonValue;

namespace wsprobe {

// A table over the live assertions of one session: one row per assertion, with its status,
// counts and failures. Rows follow LiveAssertions' own signals, so its batching is the model's:
// a flood of events reaches the view as at most ~10 dataChanged a second per assertion.
class AssertionsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        StatusColumn,
        AssertionColumn,
        PassedColumn,
        FailedColumn,
        FirstFailureColumn,
        LastFailureColumn,
        ColumnCount,
    };
    enum Role {
        StatusRole = Qt::UserRole + 1,  // int(LiveAssertion::Status)
        KindRole,                       // int(LiveAssertion::Kind)
        SequenceRole,                   // qint64: the frame of the failure a cell shows; -1: none
        FrameAvailableRole,             // bool: that frame is still in the log
    };

    explicit AssertionsModel(QObject *parent = nullptr);

    // Not owned; may be null.
    void setAssertions(LiveAssertions *assertions);
    LiveAssertions *assertions() const { return m_assertions; }

    // The user's edits; they go to the engine, whose signals update the rows.
    // False, with *error, when spec is not an assertion of that kind (or no engine is set).
    bool addAssertion(LiveAssertion::Kind kind, const QJsonValue &spec, QString *error);
    void removeAssertion(int row);
    void resetCounts();

    const LiveAssertion *assertionAt(int row) const;
    // The failure a First/Last failure cell shows; null elsewhere or when there is none.
    const LiveFailure *failureAt(const QModelIndex &index) const;
    // The frame is still in the session's log: a link to it can be followed.
    bool isFrameAvailable(qint64 sequence) const;

    // How failures name their frame: as the session's log numbers its messages ("message 17");
    // "#" and the sequence number until one is given.
    void setFrameNamer(std::function<QString(qint64 sequence)> namer);
    QString frameName(qint64 sequence) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void rowChanged(int row);
    QVariant failureData(const LiveFailure *failure, int role) const;

    QPointer<LiveAssertions> m_assertions;  // Not owned.
    std::function<QString(qint64)> m_frameNamer;
};

// Green, red, or muted text for the application palette: the frame log's and the step list's
// colours.
QColor statusColor(LiveAssertion::Status status);
// "passing", "failing", "waiting", "not checked yet".
QString statusName(LiveAssertion::Status status);
// The status with what the counts do not say: "waiting · 2 of at least 5".
QString statusText(const LiveAssertion &assertion);
// One line for a table cell: "message 41 · /seq: Value type not permitted by 'type' constraint."
QString failureSummary(const QString &frameName, const LiveFailure &failure, int maxChars = 120);

} // namespace wsprobe
