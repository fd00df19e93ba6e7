#pragma once

#include <QtGlobal>

#include <vector>

namespace wsprobe {

// Durations counted in logarithmic buckets, HdrHistogram-style, so a session of any length
// costs a few kilobytes. A duration is kept in whole microseconds to its 10 most significant
// bits: below 1024 µs exactly, above that in buckets 1/512 wide. A percentile read back is the
// lower edge of its bucket, so it is below the true value by less than 1 µs + 0.2 %, never
// above; the count, min, max and mean are exact.
class LatencyHistogram
{
public:
    void record(qint64 ns);
    void clear();
    // Adds other's durations, as if each had been recorded here (a load run's users together).
    void merge(const LatencyHistogram &other);

    qint64 count() const { return m_count; }
    qint64 minNs() const { return m_count ? m_minNs : -1; }
    qint64 maxNs() const { return m_count ? m_maxNs : -1; }
    qint64 meanNs() const { return m_count ? qint64(m_sumNs / double(m_count)) : -1; }
    // Nearest rank: the smallest recorded duration d such that at least `percent` % of them are
    // <= d (percent in (0, 100]); within the error above. -1 when nothing was recorded.
    qint64 percentileNs(double percent) const;

    // The buckets that hold something, for charts: f(lowerNs, upperNs, count), in order.
    template<typename F>
    void forEachBucket(F f) const
    {
        for (std::size_t i = 0; i < m_counts.size(); ++i) {
            if (m_counts[i])
                f(lowestMicros(int(i)) * 1000, lowestMicros(int(i) + 1) * 1000, m_counts[i]);
        }
    }

    static int indexOf(qint64 micros);
    static qint64 lowestMicros(int index);

private:
    std::vector<qint64> m_counts;  // grown to the largest bucket used
    qint64 m_count = 0;
    qint64 m_minNs = 0;
    qint64 m_maxNs = 0;
    double m_sumNs = 0;
};

// The exact nearest-rank percentile of values (reordered in place); -1 when empty.
qint64 exactPercentile(std::vector<qint64> &values, double percent);

} // namespace wsprobe
