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

} // namespace wsprobe
