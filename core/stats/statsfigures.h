#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace wsprobe {

// One figure as a table row, a CSV line or a JSON member shows it.
struct StatsFigure
{
    QString key;    // "roundTripP95Ms": for files
    QString label;  // "Round trip p95": for people
    double value = -1;  // -1: not known (yet)
    QString unit;   // "ms", "msg/s", "B/s", "" for counts
};

// The latency and throughput figures of one connection at one moment: what SessionStats
// computes and the Stats tab, the exports and the assertions read. Durations in ns, -1 unknown.
struct StatsFigures
{
    qint64 pairs = 0;          // sent messages paired with their answer
    qint64 awaiting = 0;       // sent messages still waiting for one
    qint64 roundTripMinNs = -1;
    qint64 roundTripP50Ns = -1;
    qint64 roundTripP90Ns = -1;
    qint64 roundTripP95Ns = -1;
    qint64 roundTripP99Ns = -1;
    qint64 roundTripMaxNs = -1;
    qint64 roundTripMeanNs = -1;
    qint64 connectNs = -1;     // the upgrade request to the server's 101

    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    qint64 elapsedNs = 0;      // since the connection opened, to now or its end
    double messagesInPerSecond = 0;   // over the connection
    double messagesOutPerSecond = 0;
    double bytesInPerSecond = 0;
    double bytesOutPerSecond = 0;
    qint64 windowNs = 0;              // the sliding window's length
    double windowMessagesInPerSecond = 0;
    double windowMessagesOutPerSecond = 0;
    double windowBytesInPerSecond = 0;
    double windowBytesOutPerSecond = 0;

    qint64 pings = 0;          // pongs with a round trip
    qint64 pingLastNs = -1;
    qint64 pingP50Ns = -1;
    qint64 pingMaxNs = -1;

    // Every figure, in the order the Stats tab shows them.
    QList<StatsFigure> rows() const;
    // {"roundTripP95Ms": 12.5, ...}: rows() by key; unknown figures are null.
    QJsonObject toJson() const;
    // "figure,value,unit" and one line per row; an unknown value is empty.
    QByteArray toCsv() const;
};

} // namespace wsprobe
