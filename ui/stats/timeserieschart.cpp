#include "timeserieschart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace wsprobe {

TimeSeriesChart::TimeSeriesChart(const QString &title, QWidget *parent)
    : QChartView(new QChart, parent), m_time(new QValueAxis), m_left(new QValueAxis)
{
    chart()->setTitle(title);
    chart()->legend()->hide();
    chart()->setMargins(QMargins(4, 4, 4, 4));
    m_time->setLabelFormat(u"%.2g"_s);
    m_left->setLabelFormat(u"%.3g"_s);
    chart()->addAxis(m_time, Qt::AlignBottom);
    chart()->addAxis(m_left, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    fitAxes();
}

TimeSeriesChart::~TimeSeriesChart() = default;

int TimeSeriesChart::addSeries(const QString &name, Side side)
{
    auto *series = new QLineSeries;
    series->setName(name);
    chart()->addSeries(series);
    series->attachAxis(m_time);
    if (side == Side::Right && !m_right) {
        m_right = new QValueAxis;
        m_right->setLabelFormat(u"%.3g"_s);
        chart()->addAxis(m_right, Qt::AlignRight);
    }
    series->attachAxis(side == Side::Right ? m_right : m_left);
    m_series.append({series, side});
    chart()->legend()->setVisible(m_series.size() > 1);
    fitAxes();
    return int(m_series.size() - 1);
}

void TimeSeriesChart::setPoints(int series, const QList<QPointF> &points)
{
    if (series < 0 || series >= m_series.size())
        return;
    m_series[series].series->replace(points);
    fitAxes();
}

void TimeSeriesChart::clear()
{
    for (const Line &line : std::as_const(m_series))
        line.series->clear();
    fitAxes();
}

qsizetype TimeSeriesChart::pointCount(int series) const
{
    return series >= 0 && series < m_series.size() ? m_series[series].series->count() : 0;
}

void TimeSeriesChart::setLabelFormat(Side side, const QString &format)
{
    if (QValueAxis *axis = side == Side::Right ? m_right : m_left)
        axis->setLabelFormat(format);
}

void TimeSeriesChart::fitAxes()
{
    double first = 0;
    double last = 0;
    double highest[2] = {0, 0};
    bool any = false;
    for (const Line &line : std::as_const(m_series)) {
        const QList<QPointF> points = line.series->points();
        if (points.isEmpty())
            continue;
        first = any ? qMin(first, points.first().x()) : points.first().x();
        last = any ? qMax(last, points.last().x()) : points.last().x();
        any = true;
        for (const QPointF &point : points)
            highest[int(line.side)] = qMax(highest[int(line.side)], point.y());
    }
    m_time->setRange(first, any && last > first ? last : first + 1.0);
    m_left->setRange(0, highest[0] > 0 ? highest[0] * 1.1 : 1.0);
    if (m_right)
        m_right->setRange(0, highest[1] > 0 ? highest[1] * 1.1 : 1.0);
}

} // namespace wsprobe
