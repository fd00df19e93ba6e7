#pragma once

#include <QString>
#include <QStringView>
#include <QUrl>

namespace wsprobe {

// Decides what is a secret (Authorization, cookies, tokens, keys, passwords) and hides its value
// in everything we show or write: the log, reports, exports.
namespace SecretMasker {

inline constexpr QStringView Mask = u"••••••";

bool isSecretHeader(QStringView name);
bool isSecretParameter(QStringView name);
// "Bearer abc.def" -> "Bearer ••••••"; "s3cr3t" -> "••••••".
QString maskHeaderValue(QStringView name, QStringView value);
// Query parameters whose names look secret get masked values; userinfo passwords too.
QString maskUrl(const QUrl &url);

} // namespace SecretMasker
} // namespace wsprobe
