#pragma once

#include "checkverdict.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <memory>

namespace wsprobe {

struct FrameEvent;
class MessageView;

// A check over several events of one session, fed one event at a time (by the scenario runner
// or the live assertions panel). Once decided, the verdict stays and later events are ignored.
class SequenceCheck
{
public:
    virtual ~SequenceCheck() = default;

    // {"monotonic": ...}, {"replyWithinMs": ...} or {"count": ...}; see docs/matchers.md.
    // Null, with *error saying what and where, when spec is not a sequence check.
    static std::unique_ptr<SequenceCheck> fromJson(const QJsonValue &spec, QString *error,
                                                   const QString &path = QString());
    virtual QJsonObject toJson() const = 0;
    virtual QString describe() const = 0;

    // The next event of the session, in log order, with its sequence number.
    // messageNumber: FrameLog::messageNumber(sequence), for the texts that name a message.
    void feed(qint64 sequence, const FrameEvent &event, qint64 messageNumber = 0);
    // The same, sharing one parse of the payload with other checks and matchers.
    void feed(qint64 sequence, MessageView &message);
    // No event came, but the clock moved on (FrameEvent::monotonicNs's clock): deadlines due by
    // now are decided.
    void advanceTo(qint64 monotonicNs);
    // No more events will come: decide now.
    void finish(qint64 monotonicNs);
    // Forget every event: start over.
    virtual void reset() = 0;

    const CheckVerdict &verdict() const { return m_verdict; }

protected:
    virtual void onEvent(qint64 sequence, MessageView &message) = 0;
    virtual void onTime(qint64 monotonicNs) { Q_UNUSED(monotonicNs); }
    virtual void onFinish(qint64 monotonicNs) = 0;

    void pass(QString expected, QString actual);
    void fail(QString expected, QString actual, QString explanation, qint64 failedAt = -1);
    void resetVerdict() { m_verdict = {}; }

private:
    CheckVerdict m_verdict;
};

} // namespace wsprobe
