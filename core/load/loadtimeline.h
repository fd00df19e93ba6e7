#pragma once

#include "latencyhistogram.h"
#include "loadsummary.h"

#include <deque>
#include <vector>

namespace wsprobe {

// A load run over time, made from snapshots of its LoadSummary that whoever watches the run
// takes (the window's Load tab, on its timer): one point a second for a chart, and the message
// rates of the last few seconds. The summary only grows when iterations end, so the figures
// here are of what ended in each second, not of what was on the wire then.
class LoadTimeline
{
public:
    static constexpr qint64 PointNs = 1'000'000'000;       // one point a second
    static constexpr qint64 RateWindowNs = 5'000'000'000;  // "now" for a rate: the last 5 s

    struct Point
    {
        double seconds = 0;        // since the run's start, at the end of the point's second
        int users = 0;             // running at that moment
        qint64 roundTripP95Ns = -1;  // of the pairs measured in that second; -1: none
        double messagesPerSecond = 0;  // in and out, in that second
        qint64 iterations = 0;     // ended in that second
    };

    void clear();
    // A snapshot: the run's summary as it is now and its users running now. Snapshots come in
    // the order of their summary's elapsedNs; one taken less than a second after the last point
    // only moves the rates. last: the run's end, which closes a second begun, however short.
    void add(const LoadSummary &summary, int activeUsers, bool last = false);

    const std::vector<Point> &points() const { return m_points; }
    // Messages a second over the last RateWindowNs (or since the start, when shorter).
    double messagesInPerSecond() const;
    double messagesOutPerSecond() const;

private:
    struct Sample
    {
        qint64 elapsedNs = 0;
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
    };
    double rate(qint64 Sample::*count) const;

    std::vector<Point> m_points;
    std::deque<Sample> m_samples;  // the last RateWindowNs of snapshots, the start included
    // The summary at the last point: what a point adds is the difference to it.
    LatencyHistogram m_roundTripsAtPoint;
    qint64 m_messagesAtPoint = 0;
    qint64 m_iterationsAtPoint = 0;
    qint64 m_elapsedAtPointNs = 0;
};

// The nearest-rank percentile of the durations in `now` that are not in `before`, where `now`
// holds every duration `before` holds and more (the same run, later); -1 when none is new.
// Within the histogram's error, as LatencyHistogram::percentileNs.
qint64 percentileOfNew(const LatencyHistogram &before, const LatencyHistogram &now, double percent);

} // namespace wsprobe
