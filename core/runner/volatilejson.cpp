#include "volatilejson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe::VolatileJson {
namespace {

QString normalised(QStringView key)
{
    QString name;
    name.reserve(key.size());
    for (QChar c : key) {
        if (c.isLetterOrNumber())
            name += c.toLower();
    }
    return name;
}

} // namespace

bool isVolatileKey(QStringView key)
{
    static const QRegularExpression volatileName(
        u"^(id|uuid|guid|ts|t|time|timestamp|date|datetime|now|nonce|seq|sequence|seqno|serial"
        "|etag|traceid|spanid|elapsed|latency|duration|uptime|expires|expiry|exp|iat|nbf"
        "|.*(id|uuid|guid|timestamp|time|date|nonce|token)"
        "|(created|updated|modified|deleted|sent|received|issued|expires|started|ended)at)$"_s);
    // Keys that end like a volatile one but name something stable.
    static const QRegularExpression stableName(u"^(paid|valid|invalid|void|android|update|mandate)$"_s);
    const QString name = normalised(key);
    if (name.isEmpty() || stableName.match(name).hasMatch())
        return false;
    return volatileName.match(name).hasMatch();
}

bool isVolatileValue(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = std::abs(value.toDouble());
        return number >= 1e9 && number < 1e14 && std::floor(number) == number;
    }
    if (!value.isString())
        return false;
    static const QRegularExpression uuid(
        u"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"_s);
    static const QRegularExpression dateTime(u"^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?"_s);
    const QString text = value.toString();
    return uuid.match(text).hasMatch() || dateTime.match(text).hasMatch();
}

QJsonValue withoutVolatileFields(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray kept;
        for (const QJsonValue &element : value.toArray())
            kept.append(withoutVolatileFields(element));
        return kept;
    }
    if (!value.isObject())
        return value;
    const QJsonObject object = value.toObject();
    QJsonObject kept;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (isVolatileKey(it.key()) || isVolatileValue(it.value()))
            continue;
        kept.insert(it.key(), withoutVolatileFields(it.value()));
    }
    return kept;
}

} // namespace wsprobe::VolatileJson
