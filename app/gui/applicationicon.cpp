#include "applicationicon.h"

#include <QDir>

using namespace Qt::StringLiterals;

// The resources live in a static library: without this call the linker would drop them.
// Q_INIT_RESOURCE may not be used inside a namespace.
static void initIconResources()
{
    Q_INIT_RESOURCE(wsprobe);
}

namespace wsprobe {

QIcon applicationIcon()
{
    initIconResources();
    // Every size the build rendered (resources/CMakeLists.txt), each drawn for itself, so a
    // 16-pixel title bar gets the sharp one rather than a scaled-down 256. QIcon reads each
    // file's size from the file.
    const QDir theme(u":/icons/hicolor"_s);
    QIcon icon;
    for (const QString &size : theme.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        icon.addFile(theme.filePath(size + u"/apps/wsprobe.png"_s));
    return icon;
}

} // namespace wsprobe
