#pragma once

#include <QJsonObject>
#include <QString>
#include <QtGlobal>

namespace wsprobe::bench {

// What one receiver measured in one run: the line a client process prints, in JSON.
struct ReceiverResult
{
    QString receiver;      // engine, bare or node
    bool ok = false;
    qint64 messages = 0;
    qint64 bytes = 0;      // payload bytes
    double seconds = 0;    // first message received to last
    qint64 peakRssKiB = 0;
    // What the engine's FrameLog keeps once the flood is in (the engine receiver only; -1 for
    // the others): its fixed records, its payload segments in RAM (counted whole) and on disk.
    qint64 logRecordBytes = -1;
    qint64 logPayloadBytesInMemory = -1;
    qint64 logPayloadBytesOnDisk = -1;
    QString error;

    bool hasLog() const { return logRecordBytes >= 0; }
    qint64 logBytes() const
    {
        return hasLog() ? logRecordBytes + logPayloadBytesInMemory + logPayloadBytesOnDisk : 0;
    }

    double messagesPerSecond() const { return seconds > 0 ? double(messages) / seconds : 0; }
    double megabytesPerSecond() const { return seconds > 0 ? double(bytes) / seconds / 1e6 : 0; }

    QJsonObject toJson() const;
    static ReceiverResult fromJson(const QJsonObject &object);
};

// VmHWM of this process, from /proc/self/status; 0 where there is no such file.
qint64 peakRssKiB();

} // namespace wsprobe::bench
