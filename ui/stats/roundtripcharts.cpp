#include "roundtripcharts.h"

#include "sessionstats.h"
#include "timeserieschart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {

struct RoundTripCharts::Parts
{
    QBarSet *bins = nullptr;            // Not owned: the series owns it.
    QBarCategoryAxis *binAxis = nullptr;
    QValueAxis *countAxis = nullptr;
};

namespace {

QChartView *chartView(QChart *chart, const QString &name, QWidget *parent)
{
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *view = new QChartView(chart, parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(160);
    return view;
}

} // namespace

RoundTripCharts::RoundTripCharts(QWidget *parent)
    : QWidget(parent), m_parts(std::make_unique<Parts>()),
      m_overTime(new TimeSeriesChart(tr("Round trip over time (ms, by seconds since the first pair)"),
                                     u"%.2g"_s, this))
{
    auto *histogram = new QChart;
    histogram->setTitle(tr("Round trips: pairs by ms (bins up to the max)"));
    m_parts->bins = new QBarSet(tr("pairs"));
    auto *bars = new QBarSeries;
    bars->append(m_parts->bins);
    bars->setBarWidth(1.0);
    histogram->addSeries(bars);
    m_parts->binAxis = new QBarCategoryAxis;
    m_parts->countAxis = new QValueAxis;
    m_parts->countAxis->setLabelFormat(u"%d"_s);
    histogram->addAxis(m_parts->binAxis, Qt::AlignBottom);
    histogram->addAxis(m_parts->countAxis, Qt::AlignLeft);
    bars->attachAxis(m_parts->binAxis);
    bars->attachAxis(m_parts->countAxis);

    m_overTime->setObjectName(u"roundTripsOverTime"_s);
    m_overTime->addSeries(tr("round trip"), u"%.3g"_s);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(chartView(histogram, u"roundTripHistogram"_s, this));
    layout->addWidget(m_overTime);
}

RoundTripCharts::~RoundTripCharts() = default;

qsizetype RoundTripCharts::pointCount() const
{
    return m_overTime->pointCount(0);
}

void RoundTripCharts::update(const SessionStats &stats)
{
    const std::deque<RoundTripPair> &pairs = stats.recentPairs();
    const qint64 firstSentNs = pairs.empty() ? 0 : pairs.front().sentNs;
    if (stats.pairCount() == m_shownPairs && firstSentNs == m_shownFirstSentNs)
        return;  // nothing new: no redraw
    m_shownPairs = stats.pairCount();
    m_shownFirstSentNs = firstSentNs;

    // The histogram: Bins bins of equal width from 0 to the max, from the bounded-error buckets.
    const LatencyHistogram &histogram = stats.roundTrips();
    m_binCounts = QList<qint64>(Bins, 0);
    const double maxMs = histogram.count() ? double(histogram.maxNs()) / 1e6 : 1.0;
    const double widthMs = maxMs / Bins;
    histogram.forEachBucket([&](qint64 lowerNs, qint64, qint64 count) {
        const int bin = widthMs > 0 ? int(double(lowerNs) / 1e6 / widthMs) : 0;
        m_binCounts[qBound(0, bin, Bins - 1)] += count;
    });
    QStringList labels;
    QList<qreal> values;
    qint64 tallest = 0;
    for (int i = 0; i < Bins; ++i) {
        labels.append(QString::number((i + 1) * widthMs, 'g', 2));
        values.append(qreal(m_binCounts[i]));
        tallest = qMax(tallest, m_binCounts[i]);
    }
    m_parts->bins->remove(0, m_parts->bins->count());
    m_parts->bins->append(values);
    m_parts->binAxis->setCategories(labels);
    // Whole counts on the ticks: up to 10 the axis ends at the tallest bin, above at the next ten.
    const qint64 top = tallest <= 10 ? qMax<qint64>(tallest, 1) : (tallest + 9) / 10 * 10;
    m_parts->countAxis->setRange(0, double(top));
    m_parts->countAxis->setTickCount(int(top <= 10 ? top : 10) + 1);

    // Over time: the pairs kept, in the order sent.
    QList<QPointF> points;
    points.reserve(qsizetype(pairs.size()));
    for (const RoundTripPair &pair : pairs)
        points.append({double(pair.sentNs - firstSentNs) / 1e9, double(pair.roundTripNs) / 1e6});
    m_overTime->setPoints(0, points);
}

} // namespace wsprobe
