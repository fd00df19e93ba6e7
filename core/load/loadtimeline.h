#pragma once

#include "loadsummary.h"

#include <QList>

#include <vector>

namespace wsprobe {

// One point of a load run's timeline: what happened between the sample before and this one.
struct LoadSample
{
    double seconds = 0;           // since the run started
    int users = 0;                // running an iteration at the moment of the sample
    double iterationsPerSecond = 0;
    double errorsPerSecond = 0;
    double messagesInPerSecond = 0;
    double messagesOutPerSecond = 0;
    double bytesInPerSecond = 0;
    double bytesOutPerSecond = 0;
    // The round trips measured in the interval (-1 when none were): the cumulative figures
    // hide a slow minute behind an hour of fast ones.
    qint64 p50Ns = -1;
    qint64 p95Ns = -1;
    qint64 p99Ns = -1;
};

// A load run's figures over time, sampled from the LoadRunner's cumulative LoadSummary (a
// window's timer calls add()): each sample is the difference to the one before. Holds at most
// MaxSamples: the oldest go first, so an hour-long run costs what ten minutes do.
class LoadTimeline
{
public:
    static constexpr qsizetype MaxSamples = 3000;

    // Adds the sample for summary (its elapsedNs is the time), with users running now; false,
    // adding nothing, for a summary no later than the last one added.
    bool add(const LoadSummary &summary, int users);
    void clear();

    const QList<LoadSample> &samples() const { return m_samples; }

private:
    QList<LoadSample> m_samples;
    LoadSummary m_last;  // the summary the last sample was taken from
    // The round-trip histogram's bucket counts at the last sample (by bucket index).
    std::vector<qint64> m_lastBuckets;
};

} // namespace wsprobe
