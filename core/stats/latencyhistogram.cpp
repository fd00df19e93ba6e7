#include "latencyhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace wsprobe {
namespace {

constexpr int SignificantBits = 10;
constexpr qint64 Exact = qint64(1) << SignificantBits;  // below this, one bucket per µs
constexpr qint64 Half = Exact / 2;                      // buckets per power of two above it

// The 1-based rank of the percentile among count values.
qint64 rankOf(double percent, qint64 count)
{
    const double clamped = std::clamp(percent, 0.0, 100.0);
    // A small tolerance: 95 % of 20 is rank 19, not 19.000000000000004 rounded up to 20.
    const qint64 rank = qint64(std::ceil(clamped / 100.0 * double(count) - 1e-9));
    return std::clamp<qint64>(rank, 1, count);
}

} // namespace

int LatencyHistogram::indexOf(qint64 micros)
{
    if (micros < Exact)
        return int(qMax<qint64>(micros, 0));
    const int shift = int(std::bit_width(quint64(micros))) - SignificantBits;
    const qint64 top = micros >> shift;  // in [Half, Exact)
    return int(Exact + (shift - 1) * Half + (top - Half));
}

qint64 LatencyHistogram::lowestMicros(int index)
{
    if (index < Exact)
        return index;
    const int shift = int((index - Exact) / Half) + 1;
    const qint64 top = Half + (index - Exact) % Half;
    return top << shift;
}

void LatencyHistogram::record(qint64 ns)
{
    ns = qMax<qint64>(ns, 0);
    const auto index = std::size_t(indexOf(ns / 1000));
    if (index >= m_counts.size())
        m_counts.resize(index + 1, 0);
    ++m_counts[index];
    if (m_count == 0 || ns < m_minNs)
        m_minNs = ns;
    if (m_count == 0 || ns > m_maxNs)
        m_maxNs = ns;
    ++m_count;
    m_sumNs += double(ns);
}

void LatencyHistogram::clear()
{
    m_counts.clear();
    m_count = 0;
    m_minNs = m_maxNs = 0;
    m_sumNs = 0;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_count == 0)
        return;
    if (m_counts.size() < other.m_counts.size())
        m_counts.resize(other.m_counts.size(), 0);
    for (std::size_t i = 0; i < other.m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_minNs = m_count ? qMin(m_minNs, other.m_minNs) : other.m_minNs;
    m_maxNs = m_count ? qMax(m_maxNs, other.m_maxNs) : other.m_maxNs;
    m_count += other.m_count;
    m_sumNs += other.m_sumNs;
}

qint64 LatencyHistogram::percentileNs(double percent) const
{
    if (m_count == 0)
        return -1;
    const qint64 rank = rankOf(percent, m_count);
    qint64 seen = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank)
            return std::clamp(lowestMicros(int(i)) * 1000, m_minNs, m_maxNs);
    }
    return m_maxNs;
}

qint64 exactPercentile(std::vector<qint64> &values, double percent)
{
    if (values.empty())
        return -1;
    const auto nth = values.begin() + (rankOf(percent, qint64(values.size())) - 1);
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
}

} // namespace wsprobe
