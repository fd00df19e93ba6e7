#include "loadtimeline.h"

#include <algorithm>
#include <cmath>

namespace wsprobe {
namespace {

std::vector<qint64> bucketCounts(const LatencyHistogram &histogram)
{
    std::vector<qint64> counts;
    histogram.forEachBucket([&](qint64 lowerNs, qint64, qint64 count) {
        const auto index = std::size_t(LatencyHistogram::indexOf(lowerNs / 1000));
        if (counts.size() <= index)
            counts.resize(index + 1, 0);
        counts[index] = count;
    });
    return counts;
}

// Nearest rank over the buckets' counts, as LatencyHistogram::percentileNs reads its own.
qint64 percentileOf(const std::vector<qint64> &counts, qint64 total, double percent)
{
    if (total <= 0)
        return -1;
    const qint64 rank = std::max<qint64>(1, qint64(std::ceil(percent / 100.0 * double(total))));
    qint64 seen = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        seen += counts[i];
        if (seen >= rank)
            return LatencyHistogram::lowestMicros(int(i)) * 1000;
    }
    return -1;
}

} // namespace

bool LoadTimeline::add(const LoadSummary &summary, int users)
{
    if (summary.elapsedNs <= m_last.elapsedNs)
        return false;
    const double seconds = double(summary.elapsedNs - m_last.elapsedNs) / 1e9;
    const auto perSecond = [seconds](qint64 now, qint64 before) { return double(now - before) / seconds; };

    LoadSample sample;
    sample.seconds = double(summary.elapsedNs) / 1e9;
    sample.users = users;
    sample.iterationsPerSecond = perSecond(summary.iterations, m_last.iterations);
    sample.errorsPerSecond = perSecond(summary.errors(), m_last.errors());
    sample.messagesInPerSecond = perSecond(summary.messagesIn, m_last.messagesIn);
    sample.messagesOutPerSecond = perSecond(summary.messagesOut, m_last.messagesOut);
    sample.bytesInPerSecond = perSecond(summary.bytesIn, m_last.bytesIn);
    sample.bytesOutPerSecond = perSecond(summary.bytesOut, m_last.bytesOut);

    // The interval's round trips: today's buckets less the last sample's.
    std::vector<qint64> buckets = bucketCounts(summary.roundTrips);
    std::vector<qint64> interval = buckets;
    for (std::size_t i = 0; i < std::min(interval.size(), m_lastBuckets.size()); ++i)
        interval[i] -= m_lastBuckets[i];
    const qint64 pairs = summary.roundTrips.count() - m_last.roundTrips.count();
    sample.p50Ns = percentileOf(interval, pairs, 50);
    sample.p95Ns = percentileOf(interval, pairs, 95);
    sample.p99Ns = percentileOf(interval, pairs, 99);

    m_last = summary;
    m_lastBuckets = std::move(buckets);
    if (m_samples.size() >= MaxSamples)
        m_samples.removeFirst();
    m_samples.append(sample);
    return true;
}

void LoadTimeline::clear()
{
    m_samples.clear();
    m_last = {};
    m_lastBuckets.clear();
}

} // namespace wsprobe
