#pragma once

#include "logformatter.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <vector>

class QSaveFile;

namespace wsprobe {

class FrameLog;

// Writes a frame log (all of it, or the events picked) to a file in one of the export formats,
// a time-boxed slice per event-loop turn, so a million events never freeze the window. The file
// appears whole or not at all (QSaveFile): a cancelled or failed export leaves nothing behind,
// and an existing file is only replaced by a complete one.
class LogExporter : public QObject
{
    Q_OBJECT

public:
    explicit LogExporter(QObject *parent = nullptr);
    ~LogExporter() override;

    // Starts an export (one under way is cancelled). sequences: the events to write, in order;
    // empty for the whole log as it is now. log: Not owned; an export whose log goes away fails.
    // False, with the reason in *error, when the file cannot be opened.
    bool start(const FrameLog *log, std::vector<qint64> sequences, const QString &path,
               LogFormat format, const ExportOptions &options, QString *error);
    // Stops now; the file is not written. finished() is not emitted.
    void cancel();
    bool isBusy() const { return m_file != nullptr; }
    qint64 eventsDone() const { return m_done; }
    qint64 eventsTotal() const { return m_total; }

    // The whole log at once, for programs without an event loop to share (wsprobe-run).
    static bool writeFile(const FrameLog &log, const QString &path, LogFormat format,
                          const ExportOptions &options, QString *error);

Q_SIGNALS:
    void progressed(qint64 done, qint64 total);
    // ok: the file is in place. Otherwise error says why, and no file was written.
    void finished(bool ok, const QString &error);

private:
    void nextSlice();
    qint64 sequenceAt(qint64 index) const;
    void fail(const QString &error);

    QPointer<const FrameLog> m_log;
    std::unique_ptr<QSaveFile> m_file;  // Owned; set while an export is under way.
    std::unique_ptr<LogFormatter> m_formatter;  // Owned.
    std::vector<qint64> m_sequences;  // empty: the range [m_first, m_first + m_total)
    qint64 m_first = 0;
    qint64 m_total = 0;
    qint64 m_done = 0;
    QTimer m_slices;
};

} // namespace wsprobe
