#pragma once

#include "logexporter.h"

#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace wsprobe {

// One export of a frame log from the window: the LogExporter's slices with a progress dialog
// (shown only when the export takes more than a moment) whose Cancel leaves no file behind.
// Deletes itself once the export has ended, after finished().
class FrameLogExportTask : public QObject
{
    Q_OBJECT

public:
    // dialogParent: the window the progress dialog belongs to.
    explicit FrameLogExportTask(QWidget *dialogParent);
    ~FrameLogExportTask() override;

    // See LogExporter::start.
    bool start(const FrameLog *log, std::vector<qint64> sequences, const QString &path,
               LogFormat format, const ExportOptions &options, QString *error);
    LogExporter *exporter() { return &m_exporter; }
    void cancel();

    // "JSON Lines (*.jsonl);;CSV (*.csv);;HAR (*.har)" for a file dialog, and the format of the
    // filter picked (the file name's suffix wins when it names one).
    static QString fileFilters();
    static LogFormat formatFor(const QString &path, const QString &selectedFilter);

Q_SIGNALS:
    // ok: the file is written. Otherwise error says why, or is empty when the user cancelled.
    void finished(bool ok, const QString &error);

private:
    void onProgressed(qint64 done, qint64 total);
    void onFinished(bool ok, const QString &error);

    LogExporter m_exporter;
    QPointer<QProgressDialog> m_progress;  // Owned (deleted with the task).
};

} // namespace wsprobe
