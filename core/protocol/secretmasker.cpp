#include "secretmasker.h"

#include <QUrlQuery>

#include <array>

using namespace Qt::StringLiterals;

namespace wsprobe::SecretMasker {
namespace {

constexpr std::array<QLatin1StringView, 4> SecretHeaders = {
    "authorization"_L1, "proxy-authorization"_L1, "cookie"_L1, "set-cookie"_L1,
};

// Substrings that make a header or parameter name look like it carries a credential.
constexpr std::array<QLatin1StringView, 10> SecretWords = {
    "token"_L1, "secret"_L1, "password"_L1, "passwd"_L1, "apikey"_L1,
    "api-key"_L1, "api_key"_L1, "sessionid"_L1, "session-id"_L1, "session_id"_L1,
};

bool containsSecretWord(QStringView name)
{
    for (QLatin1StringView word : SecretWords) {
        if (name.contains(word, Qt::CaseInsensitive))
            return true;
    }
    // "auth" alone or as a word ("x-auth", "auth_code"), not inside "author".
    const QString lower = name.toString().toLower();
    return lower == "auth"_L1 || lower.startsWith("auth-"_L1) || lower.startsWith("auth_"_L1)
        || lower.endsWith("-auth"_L1) || lower.endsWith("_auth"_L1) || lower.contains("-auth-"_L1);
}

} // namespace

bool isSecretHeader(QStringView name)
{
    for (QLatin1StringView header : SecretHeaders) {
        if (name.compare(header, Qt::CaseInsensitive) == 0)
            return true;
    }
    return containsSecretWord(name);
}

bool isSecretParameter(QStringView name)
{
    return containsSecretWord(name) || name.compare(u"key", Qt::CaseInsensitive) == 0
        || name.compare(u"sig", Qt::CaseInsensitive) == 0
        || name.compare(u"signature", Qt::CaseInsensitive) == 0;
}

QString maskHeaderValue(QStringView name, QStringView value)
{
    if (!isSecretHeader(name) || value.isEmpty())
        return value.toString();
    // Keep the scheme ("Bearer", "Basic") so a reader still sees which kind of credential went.
    const qsizetype space = value.indexOf(u' ');
    if (name.compare(u"authorization", Qt::CaseInsensitive) == 0
        || name.compare(u"proxy-authorization", Qt::CaseInsensitive) == 0) {
        if (space > 0)
            return value.left(space + 1).toString() + Mask.toString();
    }
    return Mask.toString();
}

QString maskUrl(const QUrl &url)
{
    QUrl masked = url;
    if (!masked.password().isEmpty())
        masked.setPassword(Mask.toString());
    if (masked.hasQuery()) {
        QUrlQuery query(masked);
        auto items = query.queryItems(QUrl::FullyDecoded);
        bool changed = false;
        for (auto &item : items) {
            if (isSecretParameter(item.first)) {
                item.second = Mask.toString();
                changed = true;
            }
        }
        if (changed) {
            QUrlQuery rebuilt;
            rebuilt.setQueryItems(items);
            masked.setQuery(rebuilt);
        }
    }
    return masked.toDisplayString();
}

} // namespace wsprobe::SecretMasker
