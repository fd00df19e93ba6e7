#pragma once

#include <QWidget>

namespace wsprobe {

class SessionStats;
class TimeSeriesChart;

// Two charts of a session's round trips (Qt Charts): how they are spread (a histogram of all of
// them, in bins of equal width up to the max) and how they went over time (the last pairs kept,
// by when each message was sent). Redrawn by update(), only when there are new pairs.
class RoundTripCharts : public QWidget
{
    Q_OBJECT

public:
    static constexpr int Bins = 10;  // few enough that each bin's label fits under it

    explicit RoundTripCharts(QWidget *parent = nullptr);
    ~RoundTripCharts() override;

    void update(const SessionStats &stats);

    // What the charts show: counts per bin, and (seconds since the first pair, ms) points.
    const QList<qint64> &binCounts() const { return m_binCounts; }
    qsizetype pointCount() const;

private:
    struct Parts;
    std::unique_ptr<Parts> m_parts;  // Owned: the histogram's series and axes.
    TimeSeriesChart *m_overTime;     // Owned (child).
    QList<qint64> m_binCounts;
    qint64 m_shownPairs = -1;
    qint64 m_shownFirstSentNs = 0;
};

} // namespace wsprobe
