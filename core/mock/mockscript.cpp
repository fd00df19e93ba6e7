#include "mockscript.h"

namespace wsprobe {

const MockRoute *MockScript::route(QStringView path) const
{
    for (const MockRoute &candidate : routes)
        if (candidate.path == path)
            return &candidate;
    return nullptr;
}

} // namespace wsprobe
