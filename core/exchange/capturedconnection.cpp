#include "capturedconnection.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace wsprobe {

void addCapturedHeader(SessionSettings &settings, const QString &name, const QString &value)
{
    static const QSet<QString> madeBySocket = {
        u"host"_s, u"upgrade"_s, u"connection"_s, u"sec-websocket-key"_s, u"sec-websocket-version"_s,
        u"sec-websocket-extensions"_s, u"sec-websocket-accept"_s, u"content-length"_s,
    };
    const QString lower = name.trimmed().toLower();
    if (lower.isEmpty() || lower.startsWith(u':') || madeBySocket.contains(lower))
        return;
    if (lower == "origin"_L1) {
        settings.origin = value;
    } else if (lower == "sec-websocket-protocol"_L1) {
        for (const QString &protocol : value.split(u',', Qt::SkipEmptyParts))
            settings.subprotocols.append(protocol.trimmed());
    } else {
        KeyValue header;
        header.key = name.trimmed();
        header.value = value;
        settings.headers.append(header);
    }
}

QUrl webSocketUrl(const QString &text)
{
    QUrl url(text);
    if (url.scheme() == "http"_L1)
        url.setScheme(u"ws"_s);
    else if (url.scheme() == "https"_L1)
        url.setScheme(u"wss"_s);
    return url;
}

} // namespace wsprobe
