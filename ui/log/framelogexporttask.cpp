#include "framelogexporttask.h"

#include <QFileInfo>
#include <QProgressDialog>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Exports quicker than this never show the dialog.
constexpr int ShowProgressAfterMs = 400;
constexpr int ProgressSteps = 1000;

} // namespace

FrameLogExportTask::FrameLogExportTask(QWidget *dialogParent)
    : QObject(dialogParent)
    , m_progress(new QProgressDialog(dialogParent))
{
    m_progress->setWindowTitle(tr("Export Log"));
    m_progress->setLabelText(tr("Writing the log…"));
    m_progress->setRange(0, ProgressSteps);
    m_progress->setMinimumDuration(ShowProgressAfterMs);
    m_progress->setAutoReset(false);
    m_progress->setAutoClose(false);
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->reset();  // a QProgressDialog shows itself after its minimum duration otherwise
    connect(m_progress, &QProgressDialog::canceled, this, &FrameLogExportTask::cancel);
    connect(&m_exporter, &LogExporter::progressed, this, &FrameLogExportTask::onProgressed);
    connect(&m_exporter, &LogExporter::finished, this, &FrameLogExportTask::onFinished);
}

FrameLogExportTask::~FrameLogExportTask()
{
    delete m_progress;
}

bool FrameLogExportTask::start(const FrameLog *log, std::vector<qint64> sequences, const QString &path,
                               LogFormat format, const ExportOptions &options, QString *error)
{
    if (!m_exporter.start(log, std::move(sequences), path, format, options, error))
        return false;
    m_progress->setLabelText(tr("Writing %1…").arg(QFileInfo(path).fileName()));
    m_progress->setValue(0);  // starts the dialog's minimum-duration clock
    return true;
}

void FrameLogExportTask::cancel()
{
    if (!m_exporter.isBusy())
        return;
    m_exporter.cancel();
    onFinished(false, {});
}

void FrameLogExportTask::onProgressed(qint64 done, qint64 total)
{
    if (m_progress && total > 0)
        m_progress->setValue(int(done * ProgressSteps / total));
}

void FrameLogExportTask::onFinished(bool ok, const QString &error)
{
    if (m_progress)
        m_progress->hide();
    Q_EMIT finished(ok, error);
    deleteLater();
}

QString FrameLogExportTask::fileFilters()
{
    return tr("JSON Lines (*.jsonl)") + u";;"_s + tr("CSV (*.csv)") + u";;"_s + tr("HAR (*.har)");
}

LogFormat FrameLogExportTask::formatFor(const QString &path, const QString &selectedFilter)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "jsonl"_L1 || suffix == "csv"_L1 || suffix == "har"_L1)
        return logFormatForPath(path);
    if (selectedFilter.contains(u"*.csv"_s))
        return LogFormat::Csv;
    if (selectedFilter.contains(u"*.har"_s))
        return LogFormat::Har;
    return LogFormat::Jsonl;
}

} // namespace wsprobe
