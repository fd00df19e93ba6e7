#pragma once

#include <QtGlobal>

#include <chrono>

namespace wsprobe {

// Monotonic nanoseconds: for ordering and intervals, never for display.
inline qint64 monotonicNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Wall-clock milliseconds since the Unix epoch: for display and exports.
inline qint64 wallClockNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The wall-clock time (ms since the epoch) of a monotonicNowNs() stamp. The wall clock follows
// the monotonic one from an offset read once, so an event needs a single clock read. (A
// wall-clock step while running is not followed; the monotonic time, which orders and spaces
// events, is what matters.)
inline qint64 wallClockMsAt(qint64 monotonicNs)
{
    static const qint64 offsetNs = wallClockNowMs() * 1'000'000 - monotonicNowNs();
    return (monotonicNs + offsetNs) / 1'000'000;
}

} // namespace wsprobe
