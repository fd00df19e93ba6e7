#pragma once

#include <QString>
#include <QtGlobal>

namespace wsprobe {

// Where a SequenceCheck stands, with what it wanted and what it saw.
struct CheckVerdict
{
    enum class State {
        Pending,  // not decided yet: more events (or time) are needed
        Passed,
        Failed,
    };

    State state = State::Pending;
    QString expected;
    QString actual;
    QString explanation;   // why it failed; empty otherwise
    qint64 failedAt = -1;  // sequence number of the first failing event; -1 when no one event is

    bool isDecided() const { return state != State::Pending; }
    friend bool operator==(const CheckVerdict &, const CheckVerdict &) = default;
};

} // namespace wsprobe
