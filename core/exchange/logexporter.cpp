#include "logexporter.h"

#include "framelog.h"

#include <QElapsedTimer>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// An export writes for this long per event-loop turn (the window repaints between turns),
// reading the clock every so many events: payloads differ in size by orders of magnitude.
constexpr qint64 SliceNs = 20'000'000;
constexpr qint64 EventsBetweenClockReads = 256;
// Bytes gathered before they go to the file.
constexpr qsizetype WriteChunk = 1 << 20;

bool writeAll(QSaveFile &file, const QByteArray &bytes)
{
    return bytes.isEmpty() || file.write(bytes) == bytes.size();
}

} // namespace

LogExporter::LogExporter(QObject *parent) : QObject(parent)
{
    m_slices.setSingleShot(true);
    m_slices.setInterval(0);
    connect(&m_slices, &QTimer::timeout, this, &LogExporter::nextSlice);
}

LogExporter::~LogExporter()
{
    cancel();
}

bool LogExporter::start(const FrameLog *log, std::vector<qint64> sequences, const QString &path,
                        LogFormat format, const ExportOptions &options, QString *error)
{
    cancel();
    if (!log) {
        if (error)
            *error = u"%1: no log to export"_s.arg(path);
        return false;
    }
    auto file = std::make_unique<QSaveFile>(path);
    if (!file->open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file->errorString());
        return false;
    }
    m_file = std::move(file);
    m_log = log;
    m_formatter = LogFormatter::create(format, options);
    m_sequences = std::move(sequences);
    m_first = log->firstSequence();
    m_total = m_sequences.empty() ? log->size() : qint64(m_sequences.size());
    m_done = 0;
    if (!writeAll(*m_file, m_formatter->begin())) {
        const QString reason = m_file->errorString();
        cancel();
        if (error)
            *error = u"%1: %2"_s.arg(path, reason);
        return false;
    }
    m_slices.start();
    return true;
}

void LogExporter::cancel()
{
    m_slices.stop();
    if (m_file)
        m_file->cancelWriting();
    m_file.reset();  // without commit(): the temporary file is removed, the target untouched
    m_formatter.reset();
    m_sequences = {};
    m_log = nullptr;
}

qint64 LogExporter::sequenceAt(qint64 index) const
{
    return m_sequences.empty() ? m_first + index : m_sequences[size_t(index)];
}

void LogExporter::fail(const QString &error)
{
    cancel();
    Q_EMIT finished(false, error);
}

void LogExporter::nextSlice()
{
    if (!m_log)
        return fail(u"the session's log was closed during the export"_s);
    QElapsedTimer clock;
    clock.start();
    QByteArray bytes;
    while (m_done < m_total && clock.nsecsElapsed() < SliceNs) {
        const qint64 end = std::min(m_total, m_done + EventsBetweenClockReads);
        for (; m_done < end; ++m_done) {
            const qint64 sequence = sequenceAt(m_done);
            // Events dropped since (a capacity, a clear) are left out.
            if (m_log->contains(sequence))
                bytes += m_formatter->event(m_log->at(sequence), sequence);
        }
        if (bytes.size() >= WriteChunk) {
            if (!writeAll(*m_file, bytes))
                return fail(m_file->fileName() + u": "_s + m_file->errorString());
            bytes.clear();
        }
    }
    if (m_done == m_total)
        bytes += m_formatter->end();
    if (!writeAll(*m_file, bytes))
        return fail(m_file->fileName() + u": "_s + m_file->errorString());
    Q_EMIT progressed(m_done, m_total);
    if (m_done < m_total) {
        m_slices.start();
        return;
    }
    const bool committed = m_file->commit();
    const QString error = committed ? QString() : m_file->fileName() + u": "_s + m_file->errorString();
    m_file.reset();
    cancel();
    Q_EMIT finished(committed, error);
}

bool LogExporter::writeFile(const FrameLog &log, const QString &path, LogFormat format,
                            const ExportOptions &options, QString *error)
{
    QSaveFile file(path);
    const auto failed = [&] {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        file.cancelWriting();
        return false;
    };
    if (!file.open(QIODevice::WriteOnly))
        return failed();
    const std::unique_ptr<LogFormatter> formatter = LogFormatter::create(format, options);
    QByteArray bytes = formatter->begin();
    for (qint64 sequence = log.firstSequence(); sequence < log.endSequence(); ++sequence) {
        bytes += formatter->event(log.at(sequence), sequence);
        if (bytes.size() >= WriteChunk) {
            if (!writeAll(file, bytes))
                return failed();
            bytes.clear();
        }
    }
    bytes += formatter->end();
    if (!writeAll(file, bytes) || !file.commit())
        return failed();
    return true;
}

} // namespace wsprobe
