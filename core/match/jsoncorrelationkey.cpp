#include "jsoncorrelationkey.h"

#include "messageview.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace wsprobe {

std::unique_ptr<const CorrelationKey> JsonCorrelationKey::fromSetting(const QString &setting,
                                                                      QString *error)
{
    if (error)
        error->clear();
    if (setting.isEmpty())
        return nullptr;
    QString why;
    std::optional<JsonPointer> pointer = JsonPointer::parse(setting, &why);
    if (!pointer || pointer->isRoot()) {
        if (error)
            *error = pointer ? u"a correlation id is a field, such as \"/id\", not the whole message"_s
                             : u"not a JSON Pointer (such as \"/id\"): "_s + why;
        return nullptr;
    }
    return std::make_unique<JsonCorrelationKey>(std::move(*pointer));
}

QString JsonCorrelationKey::check(const QString &setting)
{
    QString error;
    fromSetting(setting, &error);
    return error;
}

std::optional<QString> JsonCorrelationKey::keyOf(const FrameEvent &event) const
{
    MessageView message(event);
    const QJsonValue *json = message.json();
    if (!json)
        return std::nullopt;
    const std::optional<QJsonValue> value = m_pointer.resolve(*json);
    if (!value)
        return std::nullopt;
    // In an array, so that a string and a number of the same digits stay apart.
    return QString::fromUtf8(QJsonDocument(QJsonArray{*value}).toJson(QJsonDocument::Compact));
}

} // namespace wsprobe
