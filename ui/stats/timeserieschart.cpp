#include "timeserieschart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace wsprobe {

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
    m_timeAxis->setRange(0, std::max({last, m_minimumSeconds, 0.001}));
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
    const double top = std::max(line.highest * 1.1, line.minimumTop);
    line.axis->setRange(0, top > 0 ? top : 1.0);
}

} // namespace wsprobe
