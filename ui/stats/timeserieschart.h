#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>

class QLineSeries;
class QValueAxis;

namespace wsprobe {

// A chart of lines over time (Qt Charts): x in seconds, one or two value axes (left, right)
// that each fit their lines from 0 to the highest point. The Stats tab draws a session's round
// trips with it, the Load tab a run's users, throughput and percentiles.
class TimeSeriesChart : public QChartView
{
    Q_OBJECT

public:
    enum class Side { Left, Right };

    explicit TimeSeriesChart(const QString &title, QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    // A line named name (in the legend, shown once there are two lines) on the axis at side;
    // returns its index for setPoints().
    int addSeries(const QString &name, Side side = Side::Left);
    // Replaces the line's points ((seconds, value), x rising) and fits the axes.
    void setPoints(int series, const QList<QPointF> &points);
    void clear();

    int seriesCount() const { return int(m_series.size()); }
    qsizetype pointCount(int series) const;
    // The number format of an axis' labels ("%.3g" unless set).
    void setLabelFormat(Side side, const QString &format);

private:
    void fitAxes();

    struct Line
    {
        QLineSeries *series;  // Not owned: the chart owns it.
        Side side;
    };
    QList<Line> m_series;
    QValueAxis *m_time;   // Not owned: the chart owns its axes.
    QValueAxis *m_left;
    QValueAxis *m_right = nullptr;  // made for the first line on the right
};

} // namespace wsprobe
