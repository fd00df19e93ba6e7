#include "logformatter.h"

#include "delimitedtext.h"
#include "eventjson.h"
#include "eventtext.h"
#include "harformatter.h"
#include "secretmasker.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>


using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

class JsonlFormatter : public LogFormatter
{
public:
    explicit JsonlFormatter(const ExportOptions &options)
        : m_mask(options.mask)
        , m_url(options.url.isEmpty() ? QString() : SecretMasker::maskUrl(options.url))
    {
    }

    QByteArray event(const FrameEvent &event, qint64 sequence) override
    {
        QByteArray line = QJsonDocument(EventJson::toJson(event, sequence, m_mask, m_url)).toJson(QJsonDocument::Compact);
        line += '\n';
        return line;
    }

private:
    EventJson::Mask m_mask;
    QString m_url;
};

// The frame table's columns (with the date, which a file needs and the table leaves out),
// RFC 4180: comma-separated, CRLF line ends, a header line.
class CsvFormatter : public LogFormatter
{
public:
    explicit CsvFormatter(const ExportOptions &options) : m_mask(options.mask) {}

    QByteArray begin() override { return "time,direction,type,size,payload\r\n"; }

    QByteArray event(const FrameEvent &event, qint64) override
    {
        const QString payload = m_mask ? m_mask(payloadText(event)) : payloadText(event);
        const QString line = field(QDateTime::fromMSecsSinceEpoch(event.wallMs, Qt::UTC).toString(Qt::ISODateWithMs))
            + u',' + field(displayName(event.direction)) + u',' + field(typeText(event)) + u','
            + QString::number(event.size) + u',' + field(payload) + u"\r\n"_s;
        return line.toUtf8();
    }

private:
    static QString field(const QString &text) { return DelimitedText::quoted(text, u','); }

    std::function<QString(QStringView)> m_mask;
};

} // namespace

std::unique_ptr<LogFormatter> LogFormatter::create(LogFormat format, const ExportOptions &options)
{
    switch (format) {
    case LogFormat::Jsonl: return std::make_unique<JsonlFormatter>(options);
    case LogFormat::Csv: return std::make_unique<CsvFormatter>(options);
    case LogFormat::Har: return std::make_unique<HarFormatter>(options);
    }
    return {};
}

LogFormat logFormatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "csv"_L1)
        return LogFormat::Csv;
    if (suffix == "har"_L1)
        return LogFormat::Har;
    return LogFormat::Jsonl;
}

QString fileSuffix(LogFormat format)
{
    switch (format) {
    case LogFormat::Jsonl: return u"jsonl"_s;
    case LogFormat::Csv: return u"csv"_s;
    case LogFormat::Har: return u"har"_s;
    }
    return {};
}

} // namespace wsprobe
