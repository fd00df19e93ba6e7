#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>

class QLineSeries;
class QValueAxis;

namespace wsprobe {

// A chart of values over time (Qt Charts): seconds along the bottom, one line a series, each
// series on a value axis of its own (the first on the left, the next on the right), every axis
// from 0 to a little above its highest value. The Stats tab's round trips over time and the
// Load tab's users and p95 are both drawn with it.
class TimeSeriesChart : public QChartView
{
    Q_OBJECT

public:
    // title: the chart's; timeFormat: printf format of the seconds' labels ("%.2g").
    explicit TimeSeriesChart(const QString &title, const QString &timeFormat = QStringLiteral("%.2g"),
                             QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    // Adds a line on an axis of its own, titled axisTitle (none when empty), its labels in
    // labelFormat ("%.3g"; "%d" makes a whole-number axis, ticks on whole numbers); returns the
    // series' index. The legend shows from the second series on.
    int addSeries(const QString &name, const QString &labelFormat, const QString &axisTitle = {});
    // The points of a series, (seconds, value); the axes follow.
    void setPoints(int series, const QList<QPointF> &points);
    qsizetype pointCount(int series) const;
    // The value axis of a series reaches at least top, and the time axis at least seconds: a
    // run's planned length and users, so the lines grow into a frame that stays put.
    void setMinimumTop(int series, double top);
    void setMinimumSeconds(double seconds);

private:
    struct Line
    {
        QLineSeries *series = nullptr;  // Not owned: the chart owns it.
        QValueAxis *axis = nullptr;     // Not owned: the chart owns it.
        double minimumTop = 0;
        double highest = 0;
        bool whole = false;  // counts: the top and the ticks on whole numbers
    };
    void fitTime();
    void fitValues(Line &line);

    QList<Line> m_lines;
    QValueAxis *m_timeAxis = nullptr;  // Not owned: the chart owns it.
    double m_minimumSeconds = 0;
};

} // namespace wsprobe
