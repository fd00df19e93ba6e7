#include "peerfigures.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {
namespace {

// Two decimals are enough for a benchmark's table and keep the JSON line short.
double rounded(double value)
{
    return std::round(value * 100) / 100;
}

} // namespace

QJsonObject PeerFigures::toJson() const
{
    QJsonObject object{
        {u"peer"_s, peer},
        {u"ok"_s, ok},
        {u"sessions"_s, sessions},
        {u"connected"_s, connected},
        {u"failed"_s, failed},
        {u"dropped"_s, dropped},
        {u"connectSeconds"_s, rounded(connectSeconds)},
        {u"connectionsPerSecond"_s, rounded(connectionsPerSecond())},
        {u"rssBeforeKiB"_s, rssBeforeKiB},
        {u"rssAfterKiB"_s, rssAfterKiB},
        {u"rssAfterHoldKiB"_s, rssAfterHoldKiB},
        {u"rssPerSessionKiB"_s, rounded(rssPerSessionKiB())},
        {u"messages"_s, messages},
        {u"echoes"_s, echoes},
        {u"messageSeconds"_s, rounded(messageSeconds)},
        {u"messageCpuSeconds"_s, rounded(messageCpuSeconds)},
        {u"messagesPerSecond"_s, std::round(messagesPerSecond())},
        {u"messagesPerCpuSecond"_s, std::round(messagesPerCpuSecond())},
    };
    if (baselineCpuSeconds >= 0)
        object.insert(u"baselineCpuSeconds"_s, rounded(baselineCpuSeconds));
    if (skipped)
        object.insert(u"skipped"_s, true);
    if (!note.isEmpty())
        object.insert(u"note"_s, note);
    return object;
}

PeerFigures PeerFigures::fromJson(const QJsonObject &object)
{
    PeerFigures figures;
    figures.peer = object.value(u"peer"_s).toString();
    figures.ok = object.value(u"ok"_s).toBool();
    figures.sessions = object.value(u"sessions"_s).toInteger();
    figures.connected = object.value(u"connected"_s).toInteger();
    figures.failed = object.value(u"failed"_s).toInteger();
    figures.dropped = object.value(u"dropped"_s).toInteger();
    figures.connectSeconds = object.value(u"connectSeconds"_s).toDouble(-1);
    figures.rssBeforeKiB = object.value(u"rssBeforeKiB"_s).toInteger(-1);
    figures.rssAfterKiB = object.value(u"rssAfterKiB"_s).toInteger(-1);
    figures.rssAfterHoldKiB = object.value(u"rssAfterHoldKiB"_s).toInteger(-1);
    figures.messages = object.value(u"messages"_s).toInteger();
    figures.echoes = object.value(u"echoes"_s).toInteger();
    figures.messageSeconds = object.value(u"messageSeconds"_s).toDouble(-1);
    figures.messageCpuSeconds = object.value(u"messageCpuSeconds"_s).toDouble(-1);
    figures.note = object.value(u"error"_s).toString(object.value(u"note"_s).toString());
    return figures;
}

} // namespace wsprobe::bench
