#include "statsfigures.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

double ms(qint64 ns)
{
    return ns < 0 ? -1 : double(ns) / 1e6;
}

} // namespace

QList<StatsFigure> StatsFigures::rows() const
{
    const QString windowLabel = u" (last %1 s)"_s.arg(double(windowNs) / 1e9);
    return {
        {u"roundTripP50Ms"_s, u"Round trip p50"_s, ms(roundTripP50Ns), u"ms"_s},
        {u"roundTripP90Ms"_s, u"Round trip p90"_s, ms(roundTripP90Ns), u"ms"_s},
        {u"roundTripP95Ms"_s, u"Round trip p95"_s, ms(roundTripP95Ns), u"ms"_s},
        {u"roundTripP99Ms"_s, u"Round trip p99"_s, ms(roundTripP99Ns), u"ms"_s},
        {u"roundTripMaxMs"_s, u"Round trip max"_s, ms(roundTripMaxNs), u"ms"_s},
        {u"roundTripMinMs"_s, u"Round trip min"_s, ms(roundTripMinNs), u"ms"_s},
        {u"roundTripMeanMs"_s, u"Round trip mean"_s, ms(roundTripMeanNs), u"ms"_s},
        {u"pairs"_s, u"Pairs"_s, double(pairs), QString()},
        {u"awaiting"_s, u"Awaiting an answer"_s, double(awaiting), QString()},
        {u"connectMs"_s, u"Connect (handshake)"_s, ms(connectNs), u"ms"_s},
        {u"messagesIn"_s, u"Messages in"_s, double(messagesIn), QString()},
        {u"messagesOut"_s, u"Messages out"_s, double(messagesOut), QString()},
        {u"bytesIn"_s, u"Bytes in"_s, double(bytesIn), u"B"_s},
        {u"bytesOut"_s, u"Bytes out"_s, double(bytesOut), u"B"_s},
        {u"messagesInPerSecond"_s, u"Messages in per second"_s, messagesInPerSecond, u"msg/s"_s},
        {u"messagesOutPerSecond"_s, u"Messages out per second"_s, messagesOutPerSecond, u"msg/s"_s},
        {u"bytesInPerSecond"_s, u"Bytes in per second"_s, bytesInPerSecond, u"B/s"_s},
        {u"bytesOutPerSecond"_s, u"Bytes out per second"_s, bytesOutPerSecond, u"B/s"_s},
        {u"windowMessagesInPerSecond"_s, u"Messages in per second"_s + windowLabel,
         windowMessagesInPerSecond, u"msg/s"_s},
        {u"windowMessagesOutPerSecond"_s, u"Messages out per second"_s + windowLabel,
         windowMessagesOutPerSecond, u"msg/s"_s},
        {u"windowBytesInPerSecond"_s, u"Bytes in per second"_s + windowLabel,
         windowBytesInPerSecond, u"B/s"_s},
        {u"windowBytesOutPerSecond"_s, u"Bytes out per second"_s + windowLabel,
         windowBytesOutPerSecond, u"B/s"_s},
        {u"pings"_s, u"Pings answered"_s, double(pings), QString()},
        {u"pingLastMs"_s, u"Ping round trip (last)"_s, ms(pingLastNs), u"ms"_s},
        {u"pingP50Ms"_s, u"Ping round trip p50"_s, ms(pingP50Ns), u"ms"_s},
        {u"pingMaxMs"_s, u"Ping round trip max"_s, ms(pingMaxNs), u"ms"_s},
    };
}

QJsonObject StatsFigures::toJson() const
{
    QJsonObject object;
    for (const StatsFigure &row : rows())
        object.insert(row.key, row.value < 0 ? QJsonValue() : QJsonValue(row.value));
    return object;
}

QByteArray StatsFigures::toCsv() const
{
    QByteArray csv = "figure,value,unit\n";
    for (const StatsFigure &row : rows()) {
        csv += row.key.toUtf8() + ',';
        if (row.value >= 0)
            csv += QByteArray::number(row.value, 'g', 12);
        csv += ',' + row.unit.toUtf8() + '\n';
    }
    return csv;
}

} // namespace wsprobe
