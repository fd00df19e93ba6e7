#include "receiverresult.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {

QJsonObject ReceiverResult::toJson() const
{
    QJsonObject object{
        {u"receiver"_s, receiver},
        {u"ok"_s, ok},
        {u"messages"_s, messages},
        {u"bytes"_s, bytes},
        {u"seconds"_s, seconds},
        {u"peakRssKiB"_s, peakRssKiB},
    };
    if (hasLog()) {
        object.insert(u"logRecordBytes"_s, logRecordBytes);
        object.insert(u"logPayloadBytesInMemory"_s, logPayloadBytesInMemory);
        object.insert(u"logPayloadBytesOnDisk"_s, logPayloadBytesOnDisk);
    }
    if (!error.isEmpty())
        object.insert(u"error"_s, error);
    return object;
}

ReceiverResult ReceiverResult::fromJson(const QJsonObject &object)
{
    ReceiverResult result;
    result.receiver = object.value(u"receiver"_s).toString();
    result.ok = object.value(u"ok"_s).toBool();
    result.messages = object.value(u"messages"_s).toInteger();
    result.bytes = object.value(u"bytes"_s).toInteger();
    result.seconds = object.value(u"seconds"_s).toDouble();
    result.peakRssKiB = object.value(u"peakRssKiB"_s).toInteger();
    result.logRecordBytes = object.value(u"logRecordBytes"_s).toInteger(-1);
    result.logPayloadBytesInMemory = object.value(u"logPayloadBytesInMemory"_s).toInteger(-1);
    result.logPayloadBytesOnDisk = object.value(u"logPayloadBytesOnDisk"_s).toInteger(-1);
    result.error = object.value(u"error"_s).toString();
    return result;
}

qint64 peakRssKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return 0;
    // A /proc file has no size, so atEnd() cannot be trusted: read it whole.
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmHWM:")) {
            // "VmHWM:    123456 kB"
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return 0;
}

} // namespace wsprobe::bench
