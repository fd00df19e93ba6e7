#include "proxylogfile.h"

#include "eventjson.h"
#include "proxyconnection.h"
#include "secretmasker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace wsprobe::ProxyLogFile {

bool write(const ProxyConnection &connection, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    const FrameLog &log = *connection.log();
    const QString url = SecretMasker::maskUrl(connection.upstreamUrl());
    for (qint64 sequence = log.firstSequence(); sequence < log.endSequence(); ++sequence) {
        QJsonObject object = EventJson::toJson(log.at(sequence), sequence, {}, url);
        if (const ProxyFate *fate = connection.fate(sequence)) {
            QJsonObject proxy{{u"receivedNs"_s, fate->receivedNs}};
            if (fate->forwardedNs >= 0)
                proxy.insert(u"forwardedNs"_s, fate->forwardedNs);
            if (!fate->actions.isEmpty())
                proxy.insert(u"actions"_s, QJsonArray::fromStringList(fate->actions));
            if (fate->forwardedText)
                proxy.insert(u"forwarded"_s, *fate->forwardedText);
            object.insert(u"proxy"_s, proxy);
        }
        file.write(QJsonDocument(object).toJson(QJsonDocument::Compact));
        file.write("\n");
    }
    if (!file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace wsprobe::ProxyLogFile
