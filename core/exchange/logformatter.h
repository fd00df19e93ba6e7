#pragma once

#include "frameevent.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace wsprobe {

enum class LogFormat { Jsonl, Csv, Har };

// What an export needs to know beyond the events.
struct ExportOptions
{
    // Where the session connects: the scheme and address of the upgrade request (HAR's request
    // URL, JSONL's "url"). Masked before it is written.
    QUrl url;
    // Applied to every text written (on top of the log's own masking, which the upgrade request
    // already had): a run's secret variables, say.
    std::function<QString(QStringView)> mask;
};

// Writes events in one export format as a stream of bytes: begin(), event() for each event in
// order, end(). Memory stays flat however many events go through.
class LogFormatter
{
public:
    virtual ~LogFormatter() = default;
    virtual QByteArray begin() { return {}; }
    virtual QByteArray event(const FrameEvent &event, qint64 sequence) = 0;
    virtual QByteArray end() { return {}; }

    static std::unique_ptr<LogFormatter> create(LogFormat format, const ExportOptions &options);
};

// "jsonl" / "csv" / "har" from a file name's suffix (case ignored); Jsonl for any other.
LogFormat logFormatForPath(const QString &path);
QString fileSuffix(LogFormat format);

} // namespace wsprobe
