#pragma once

#include "framelog.h"
#include "liveassertion.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace wsprobe {

// The assertions a user runs on one live session: each event the FrameLog appends is checked
// by every assertion as it arrives, and the counts reach readers in batches.
//
// Per event: one MessageView (the payload is parsed as JSON at most once for all assertions),
// one feed() per assertion, and no signal. changed() is emitted by a flush, which the first event
// after a flush schedules: at most one flush per update interval (100 ms), however fast events
// come. The flush also moves the assertions' clocks on, so a reply that never comes fails
// within an interval of its deadline even when no other event arrives.
//
// Assertions count the events appended after they were added (or last reset); clearing the log
// resets every count, and so does a new connection (the upgrade request logged again) unless
// resetOnReconnect is turned off: what one connection did says nothing of the next.
class LiveAssertions : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultUpdateIntervalMs = 100;

    explicit LiveAssertions(QObject *parent = nullptr);
    ~LiveAssertions() override;

    // Not owned; may be null. Counts start over.
    void setLog(FrameLog *log);
    FrameLog *log() const { return m_log; }

    int count() const { return int(m_entries.size()); }
    const LiveAssertion &at(int index) const { return *m_entries[std::size_t(index)].assertion; }

    // Appends; returns the new index.
    int add(std::unique_ptr<LiveAssertion> assertion);
    // LiveAssertion::create, then add(); -1 with *error when spec is not of that kind.
    int add(LiveAssertion::Kind kind, const QJsonValue &spec, QString *error);
    void remove(int index);
    // Every assertion back to zero: counts, failures, awaited replies.
    void resetCounts();
    // On by default.
    void setResetOnReconnect(bool reset) { m_resetOnReconnect = reset; }
    bool resetsOnReconnect() const { return m_resetOnReconnect; }

    // Emits what is pending now, and decides deadlines due by now (tests; before a user action).
    void flush();
    void setUpdateInterval(int ms) { m_flushTimer.setInterval(ms); }
    // The clock deadlines are measured with: FrameEvent::monotonicNs's (monotonicNowNs) unless
    // a test gives another.
    void setClock(std::function<qint64()> nowNs);

Q_SIGNALS:
    // The counts, failures or progress of one assertion changed. Batched: see above.
    void changed(int index);
    void aboutToInsert(int index);
    void inserted(int index);
    void aboutToRemove(int index);
    void removed(int index);

private:
    struct Entry
    {
        std::unique_ptr<LiveAssertion> assertion;  // Owned.
        quint64 shownRevision = 0;                 // what the last changed() reported
    };

    void onAppended(qint64 first, qint64 end);
    void onDiscarded(qint64 firstSequence);
    void scheduleFlush();
    void resetAndShow();

    QPointer<FrameLog> m_log;  // Not owned.
    std::vector<Entry> m_entries;
    QTimer m_flushTimer;
    bool m_flushScheduled = false;
    bool m_showAll = false;  // the next flush reports every assertion (log trimmed: links died)
    bool m_resetOnReconnect = true;
    std::function<qint64()> m_nowNs;
};

} // namespace wsprobe
