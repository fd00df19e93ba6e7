#include "liveassertions.h"

#include "clock.h"
#include "framelog.h"
#include "messageview.h"

#include <utility>

namespace wsprobe {

LiveAssertions::LiveAssertions(QObject *parent)
    : QObject(parent), m_nowNs(&monotonicNowNs)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(DefaultUpdateIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &LiveAssertions::flush);
}

LiveAssertions::~LiveAssertions() = default;

void LiveAssertions::setLog(FrameLog *log)
{
    if (m_log == log)
        return;
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = log;
    if (log) {
        connect(log, &FrameLog::eventsAppended, this, &LiveAssertions::onAppended);
        connect(log, &FrameLog::cleared, this, &LiveAssertions::resetAndShow);
        connect(log, &FrameLog::discarded, this, &LiveAssertions::onDiscarded);
    }
    resetAndShow();
}

int LiveAssertions::add(std::unique_ptr<LiveAssertion> assertion)
{
    Q_ASSERT(assertion);
    const int index = count();
    Q_EMIT aboutToInsert(index);
    m_entries.push_back({std::move(assertion), 0});
    m_entries.back().shownRevision = m_entries.back().assertion->revision();
    Q_EMIT inserted(index);
    return index;
}

int LiveAssertions::add(LiveAssertion::Kind kind, const QJsonValue &spec, QString *error)
{
    std::unique_ptr<LiveAssertion> assertion = LiveAssertion::create(kind, spec, error);
    return assertion ? add(std::move(assertion)) : -1;
}

void LiveAssertions::remove(int index)
{
    if (index < 0 || index >= count())
        return;
    Q_EMIT aboutToRemove(index);
    m_entries.erase(m_entries.begin() + index);
    Q_EMIT removed(index);
}

void LiveAssertions::resetCounts()
{
    resetAndShow();
}

void LiveAssertions::resetAndShow()
{
    for (Entry &entry : m_entries)
        entry.assertion->reset();
    // A user action, or a cleared log: shown at once, not at the next interval.
    flush();
}

void LiveAssertions::setClock(std::function<qint64()> nowNs)
{
    m_nowNs = nowNs ? std::move(nowNs) : std::function<qint64()>(&monotonicNowNs);
}

void LiveAssertions::onAppended(qint64 first, qint64 end)
{
    if (m_entries.empty())
        return;
    for (qint64 sequence = first; sequence < end; ++sequence) {
        const FrameEvent event = m_log->at(sequence);
        if (m_resetOnReconnect && event.kind == EventKind::Handshake && event.direction == Direction::Outgoing) {
            // A connection starts: its counts start from zero, shown at the next flush.
            for (Entry &entry : m_entries)
                entry.assertion->reset();
        }
        MessageView message(event, m_log->messageNumber(sequence));
        for (Entry &entry : m_entries)
            entry.assertion->feed(sequence, message);
    }
    scheduleFlush();
}

void LiveAssertions::onDiscarded(qint64 firstSequence)
{
    Q_UNUSED(firstSequence);
    // A failure's frame may have gone: readers show that it can no longer be opened.
    m_showAll = true;
    scheduleFlush();
}

void LiveAssertions::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    m_flushTimer.start();
}

void LiveAssertions::flush()
{
    m_flushTimer.stop();
    m_flushScheduled = false;

    bool waiting = false;
    if (!m_entries.empty()) {
        const qint64 now = m_nowNs();
        for (Entry &entry : m_entries) {
            if (entry.assertion->nextDeadlineNs()) {
                entry.assertion->advanceTo(now);
                waiting = waiting || entry.assertion->nextDeadlineNs().has_value();
            }
        }
    }

    const bool showAll = std::exchange(m_showAll, false);
    // By index: a slot connected to changed() may remove assertions.
    for (int i = 0; i < count(); ++i) {
        Entry &entry = m_entries[std::size_t(i)];
        const quint64 revision = entry.assertion->revision();
        if (showAll || revision != entry.shownRevision) {
            entry.shownRevision = revision;
            Q_EMIT changed(i);
        }
    }

    // Something awaits a deadline: look again in an interval, even if no event comes.
    if (waiting)
        scheduleFlush();
}

} // namespace wsprobe
