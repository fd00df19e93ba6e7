#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <vector>

namespace wsprobe {

class FrameLogModel;

// Builds the text of a copy of log rows (time, direction, type, size, payload; tab-separated,
// fields quoted as RFC 4180 quotes comma-separated ones) a time-boxed slice per event-loop turn,
// so that copying a million rows never freezes the window.
class FrameRowsCopier : public QObject
{
    Q_OBJECT

public:
    explicit FrameRowsCopier(QObject *parent = nullptr);

    // Starts over with these events (a copy under way is dropped). model: Not owned; it must
    // outlive the copy or the copy must be cancelled first.
    void start(const FrameLogModel *model, std::vector<qint64> sequences);
    void cancel();
    bool isBusy() const { return !m_sequences.empty(); }
    // 0 to 100 while busy.
    int percentDone() const;

    // The text of events first to end at once (events the log no longer holds are left out).
    static QString rowsText(const FrameLogModel &model, const std::vector<qint64> &sequences,
                            size_t first, size_t end);
    static QString quotedField(const QString &field);

Q_SIGNALS:
    void progressed();
    void finished(const QString &text, int rows);

private:
    void nextSlice();

    const FrameLogModel *m_model = nullptr;  // Not owned.
    QTimer m_slices;
    std::vector<qint64> m_sequences;
    size_t m_next = 0;
    QString m_text;
};

} // namespace wsprobe
