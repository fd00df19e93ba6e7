#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace wsprobe {

class RoundTripCharts;
class SessionStats;
class StatsModel;

// A session's Stats tab: the figures of SessionStats as a table and the round trips as charts,
// refreshed by a timer (at most 10 times a second, never per event, so a flood costs the window
// nothing more), and the figures exported as CSV or JSON.
class StatsView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DefaultRefreshMs = 200;

    explicit StatsView(QWidget *parent = nullptr);
    ~StatsView() override;

    // Not owned. The view reads it on its timer.
    void setStats(SessionStats *stats);
    SessionStats *stats() const { return m_stats; }
    StatsModel *model() const { return m_model; }
    RoundTripCharts *charts() const { return m_charts; }

    // 100 ms at the least: the figures move no faster than a person reads them.
    void setRefreshInterval(int ms);
    int refreshInterval() const { return m_timer.interval(); }
    // How many times the figures were read: tests, and a check that refreshing is timed.
    qint64 refreshCount() const { return m_refreshes; }

    enum class Format { Csv, Json };
    // Writes the figures as they are now to path, atomically (QSaveFile); false with *error.
    bool exportTo(const QString &path, Format format, QString *error) const;

public Q_SLOTS:
    void refresh();

private:
    void exportWithDialog();

    SessionStats *m_stats = nullptr;  // Not owned.
    StatsModel *m_model;              // Owned (child).
    QTableView *m_table;
    RoundTripCharts *m_charts;
    QLabel *m_pairing;
    QPushButton *m_export;
    QTimer m_timer;
    qint64 m_refreshes = 0;
};

} // namespace wsprobe
