#include "loadtimeline.h"

#include <algorithm>
#include <cmath>

namespace wsprobe {
namespace {

// Counts per bucket index, for a difference of two histograms.
std::vector<qint64> bucketCounts(const LatencyHistogram &histogram)
{
    std::vector<qint64> counts;
    histogram.forEachBucket([&counts](qint64 lowerNs, qint64, qint64 count) {
        const auto index = std::size_t(LatencyHistogram::indexOf(lowerNs / 1000));
        if (counts.size() <= index)
            counts.resize(index + 1, 0);
        counts[index] += count;
    });
    return counts;
}

} // namespace

qint64 percentileOfNew(const LatencyHistogram &before, const LatencyHistogram &now, double percent)
{
    const qint64 added = now.count() - before.count();
    if (added <= 0)
        return -1;
    std::vector<qint64> counts = bucketCounts(now);
    const std::vector<qint64> old = bucketCounts(before);
    for (std::size_t i = 0; i < std::min(counts.size(), old.size()); ++i)
        counts[i] = std::max<qint64>(0, counts[i] - old[i]);
    const auto rank = qint64(std::ceil(percent / 100.0 * double(added) - 1e-9));
    qint64 seen = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        seen += counts[i];
        if (seen >= std::max<qint64>(rank, 1))
            return LatencyHistogram::lowestMicros(int(i)) * 1000;
    }
    return -1;
}

void LoadTimeline::clear()
{
    *this = LoadTimeline();
}

void LoadTimeline::add(const LoadSummary &summary, int activeUsers, bool last)
{
    if (m_samples.empty())
        m_samples.push_back({});  // the start: nothing yet
    m_samples.push_back({summary.elapsedNs, summary.messagesIn, summary.messagesOut});
    // Keep one sample at or before the window's start, so the window is covered whole.
    while (m_samples.size() > 2 && m_samples[1].elapsedNs <= summary.elapsedNs - RateWindowNs)
        m_samples.pop_front();

    const qint64 sinceNs = summary.elapsedNs - m_elapsedAtPointNs;
    if (sinceNs < PointNs && !(last && sinceNs > 0))
        return;
    Point point;
    point.seconds = double(summary.elapsedNs) / 1e9;
    point.users = activeUsers;
    point.roundTripP95Ns = percentileOfNew(m_roundTripsAtPoint, summary.roundTrips, 95);
    const qint64 messages = summary.messagesIn + summary.messagesOut;
    point.messagesPerSecond = double(messages - m_messagesAtPoint) / (double(sinceNs) / 1e9);
    point.iterations = summary.iterations - m_iterationsAtPoint;
    m_points.push_back(point);
    m_roundTripsAtPoint = summary.roundTrips;
    m_messagesAtPoint = messages;
    m_iterationsAtPoint = summary.iterations;
    m_elapsedAtPointNs = summary.elapsedNs;
}

double LoadTimeline::rate(qint64 Sample::*count) const
{
    if (m_samples.size() < 2)
        return 0;
    const Sample &first = m_samples.front();
    const Sample &latest = m_samples.back();
    const qint64 spanNs = latest.elapsedNs - first.elapsedNs;
    return spanNs > 0 ? double(latest.*count - first.*count) / (double(spanNs) / 1e9) : 0;
}

double LoadTimeline::messagesInPerSecond() const
{
    return rate(&Sample::messagesIn);
}

double LoadTimeline::messagesOutPerSecond() const
{
    return rate(&Sample::messagesOut);
}

} // namespace wsprobe
