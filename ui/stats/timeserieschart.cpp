#include "timeserieschart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace wsprobe {
namespace {

// Ticks from 0 every 1, 2 or 5 times a power of ten, about `ticks` of them up to top: labels
// that read as round numbers, whatever the range (0.5 ms, 20 s).
void placeTicks(QValueAxis *axis, double top, int ticks)
{
    const double raw = top / ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude;
    const double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
}

} // namespace

TimeSeriesChart::TimeSeriesChart(const QString &title, const QString &timeFormat, QWidget *parent)
    : QChartView(new QChart, parent)
{
    QChart *chart = this->chart();
    chart->setTitle(title);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_timeAxis = new QValueAxis;
    m_timeAxis->setLabelFormat(timeFormat);
    m_timeAxis->setRange(0, 1);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

TimeSeriesChart::~TimeSeriesChart() = default;

int TimeSeriesChart::addSeries(const QString &name, const QString &labelFormat, const QString &axisTitle)
{
    Line line;
    line.series = new QLineSeries;
    line.series->setName(name);
    chart()->addSeries(line.series);
    line.axis = new QValueAxis;
    line.axis->setLabelFormat(labelFormat);
    line.whole = labelFormat == QStringLiteral("%d");
    line.axis->setRange(0, 1);
    if (!axisTitle.isEmpty())
        line.axis->setTitleText(axisTitle);
    chart()->addAxis(line.axis, m_lines.isEmpty() ? Qt::AlignLeft : Qt::AlignRight);
    line.series->attachAxis(m_timeAxis);
    line.series->attachAxis(line.axis);
    // The axis takes the line's colour, so which scale is whose needs no legend to read.
    const QColor color = line.series->pen().color();
    line.axis->setLinePenColor(color);
    line.axis->setLabelsColor(color);
    m_lines.append(line);
    if (m_lines.size() > 1) {
        chart()->legend()->setAlignment(Qt::AlignTop);
        chart()->legend()->show();
    }
    return int(m_lines.size() - 1);
}

void TimeSeriesChart::setPoints(int series, const QList<QPointF> &points)
{
    Line &line = m_lines[series];
    line.series->replace(points);
    line.highest = 0;
    for (const QPointF &point : points)
        line.highest = std::max(line.highest, point.y());
    fitValues(line);
    fitTime();
}

qsizetype TimeSeriesChart::pointCount(int series) const
{
    return m_lines.at(series).series->count();
}

void TimeSeriesChart::setMinimumTop(int series, double top)
{
    m_lines[series].minimumTop = top;
    fitValues(m_lines[series]);
}

void TimeSeriesChart::setMinimumSeconds(double seconds)
{
    m_minimumSeconds = seconds;
    fitTime();
}

void TimeSeriesChart::fitTime()
{
    double last = 0;
    for (const Line &line : std::as_const(m_lines)) {
        if (line.series->count() > 0)
            last = std::max(last, line.series->at(line.series->count() - 1).x());
    }
    const double top = std::max({last, m_minimumSeconds, 0.001});
    m_timeAxis->setRange(0, top);
    placeTicks(m_timeAxis, top, 6);
}

void TimeSeriesChart::fitValues(Line &line)
{
    if (line.whole) {
        // Up to 10 the axis ends at the top value with a tick each, above at the next ten.
        const auto top = qint64(std::ceil(std::max({line.highest, line.minimumTop, 1.0})));
        const qint64 end = top <= 10 ? top : (top + 9) / 10 * 10;
        line.axis->setRange(0, double(end));
        line.axis->setTickCount(int(end <= 10 ? end : 10) + 1);
        return;
    }
    double top = std::max(line.highest * 1.1, line.minimumTop);
    if (top <= 0)
        top = 1.0;
    line.axis->setRange(0, top);
    placeTicks(line.axis, top, 5);
}

} // namespace wsprobe
