#pragma once

#include <QJsonObject>
#include <QString>
#include <QtGlobal>

namespace wsprobe::bench {

// What one peer (the engine, the Node client, Artillery) measured; -1: not measured.
struct PeerFigures
{
    QString peer;
    bool ok = false;
    bool skipped = false;
    qint64 sessions = 0;       // asked for
    qint64 connected = 0;
    qint64 failed = 0;         // never opened
    qint64 dropped = 0;        // opened, then closed before the messages were done
    double connectSeconds = -1;
    qint64 rssBeforeKiB = -1;
    qint64 rssAfterKiB = -1;       // all connected
    qint64 rssAfterHoldKiB = -1;   // after the hold
    qint64 messages = 0;           // sent, each echoed
    qint64 echoes = 0;             // received
    double messageSeconds = -1;    // first send to last echo (Artillery: its whole run)
    double messageCpuSeconds = -1;
    double baselineCpuSeconds = -1;  // Artillery: a run of one user and one message
    QString note;  // how it was measured where it differs, or why it was skipped or failed

    double connectionsPerSecond() const
    {
        return connectSeconds > 0 ? double(connected) / connectSeconds : -1;
    }
    double rssPerSessionKiB() const
    {
        return connected > 0 && rssAfterKiB >= 0 && rssBeforeKiB >= 0
            ? double(rssAfterKiB - rssBeforeKiB) / double(connected) : -1;
    }
    double messagesPerSecond() const
    {
        return messageSeconds > 0 ? double(messages) / messageSeconds : -1;
    }
    double messagesPerCpuSecond() const
    {
        return messageCpuSeconds > 0 ? double(messages) / messageCpuSeconds : -1;
    }

    QJsonObject toJson() const;
    static PeerFigures fromJson(const QJsonObject &object);
};

} // namespace wsprobe::bench
