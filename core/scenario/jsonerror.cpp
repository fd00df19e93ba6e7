#include "jsonerror.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

QString JsonError::toString() const
{
    if (!where.isValid())
        return u"%1: %2"_s.arg(file, message);
    // One multi-argument arg(): a file name or message containing "%1" must not be substituted.
    return u"%1:%2:%3: %4"_s.arg(file, QString::number(where.line), QString::number(where.column),
                                 message);
}

} // namespace wsprobe
