#pragma once

#include <QWidget>

class QLabel;

namespace wsprobe {

struct LoadSummary;

// The figures of a load run while it goes on, compact: users, iterations, errors, messages a
// second, connect time and round trip (p50 / p95 / p99), elapsed time, each a caption over a
// value. It shows what it is given; the Load tab gives it a snapshot on its timer.
class LoadFigures : public QWidget
{
    Q_OBJECT

public:
    explicit LoadFigures(QWidget *parent = nullptr);

    struct Snapshot
    {
        int activeUsers = 0;
        int plannedUsers = 0;
        double messagesInPerSecond = 0;
        double messagesOutPerSecond = 0;
        qint64 plannedMs = 0;  // ramp-up plus duration
    };
    void setFigures(const LoadSummary &summary, const Snapshot &snapshot);
    // Dashes everywhere: no run yet.
    void clear();

    // The value shown under a caption: "users", "iterations", "errors", "messages/s",
    // "connect", "round trip", "elapsed". For tests.
    QString value(const QString &caption) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    QLabel *addFigure(const QString &caption, const QString &name, int row, int column);

    QLabel *m_users;
    QLabel *m_iterations;
    QLabel *m_errors;
    QLabel *m_messages;
    QLabel *m_connect;
    QLabel *m_roundTrip;
    QLabel *m_elapsed;
    QList<QLabel *> m_captions;
    bool m_hasErrors = false;
    void recolor();
};

} // namespace wsprobe
