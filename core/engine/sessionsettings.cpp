#include "sessionsettings.h"

#include <QUrlQuery>

namespace wsprobe {

QUrl SessionSettings::effectiveUrl() const
{
    QUrl result = url;
    bool any = false;
    QUrlQuery merged(url);
    for (const KeyValue &row : query) {
        if (!row.enabled || row.key.isEmpty())
            continue;
        merged.addQueryItem(row.key, row.value);
        any = true;
    }
    if (any)
        result.setQuery(merged);
    return result;
}

} // namespace wsprobe
