#include "handshakerequest.h"

#include "secretmasker.h"
#include "sessionsettings.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsprobe {

QString handshakeRequestText(const SessionSettings &settings, const QUrl &url)
{
    QString path = url.path(QUrl::FullyEncoded);
    if (path.isEmpty())
        path = u"/"_s;
    QString lines;
    const QString maskedUrl = SecretMasker::maskUrl(url);
    const QUrl masked = QUrl(maskedUrl);
    const QString query = masked.query(QUrl::FullyDecoded);
    lines += u"GET "_s + path + (query.isEmpty() ? QString() : u'?' + query) + u" HTTP/1.1\n"_s;
    const int defaultPort = url.scheme() == "wss"_L1 ? 443 : 80;
    lines += u"Host: "_s + url.host()
        + (url.port(defaultPort) == defaultPort ? QString() : u':' + QString::number(url.port()))
        + u'\n';
    lines += u"Upgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Version: 13\n"_s;
    if (!settings.origin.isEmpty())
        lines += u"Origin: "_s + settings.origin + u'\n';
    if (!settings.subprotocols.isEmpty())
        lines += u"Sec-WebSocket-Protocol: "_s + settings.subprotocols.join(u", "_s) + u'\n';
    for (const KeyValue &header : std::as_const(settings.headers)) {
        if (header.enabled && !header.key.isEmpty())
            lines += header.key + u": "_s + SecretMasker::maskHeaderValue(header.key, header.value)
                + u'\n';
    }
    lines.chop(1);
    return lines;
}

} // namespace wsprobe
