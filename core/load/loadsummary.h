#pragma once

#include "latencyhistogram.h"

#include <QString>

namespace wsprobe {

// What a load run measured, all its users together: each finished iteration's clients add their
// last connection's figures (SessionStats) here. A value type, read while the run goes on and
// at its end.
struct LoadSummary
{
    LatencyHistogram connect;     // the upgrade request to the 101, one per connection
    LatencyHistogram roundTrips;  // each sent message paired with its answer
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    qint64 iterations = 0;        // finished, passed or failed
    qint64 passed = 0;
    qint64 connectionFailures = 0;  // failed at their connect step
    qint64 failedSteps = 0;         // failed at any other step (or timed out)
    qint64 dropped = 0;           // arrival-rate mode: due while every user was busy
    int usersMax = 0;             // users running an iteration at once, at most
    qint64 elapsedNs = 0;         // from the start to now, or to the end

    qint64 failed() const { return connectionFailures + failedSteps; }
    qint64 errors() const { return failed(); }
    // Errors per finished iteration, 0..1; 0 before any finished.
    double errorRate() const { return iterations ? double(errors()) / double(iterations) : 0; }
    double perSecond(qint64 count) const
    {
        return elapsedNs > 0 ? double(count) / (double(elapsedNs) / 1e9) : 0;
    }
    // Messages a second, both directions.
    double messageRate() const { return perSecond(messagesIn + messagesOut); }
};

} // namespace wsprobe
