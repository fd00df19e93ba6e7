#include "workspacemodel.h"

#include "scenarioloader.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QStyle>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int RefreshDelayMs = 250;
// A workspace is a folder of scenarios, not a source tree; past this many folders, changes
// deep inside are picked up at the next refresh only.
constexpr int MaxWatchedDirectories = 256;

// Folders before files at every level, then by name, ignoring case: how file managers sort.
bool treeOrder(const QString &a, const QString &b)
{
    const QStringList left = a.split(u'/');
    const QStringList right = b.split(u'/');
    for (qsizetype i = 0; i < left.size() && i < right.size(); ++i) {
        if (left[i] == right[i])
            continue;
        const bool leftIsFolder = i + 1 < left.size();
        const bool rightIsFolder = i + 1 < right.size();
        if (leftIsFolder != rightIsFolder)
            return leftIsFolder;
        const int byName = left[i].compare(right[i], Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : left[i] < right[i];
    }
    return left.size() < right.size();
}

} // namespace

WorkspaceModel::WorkspaceModel(QObject *parent)
    : QStandardItemModel(parent)
{
    setColumnCount(ColumnCount);
    setHorizontalHeaderLabels({u"Scenario"_s, u"File"_s});
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(RefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &WorkspaceModel::refresh);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, &m_refreshTimer,
            qOverload<>(&QTimer::start));
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, &m_refreshTimer,
            qOverload<>(&QTimer::start));
}

void WorkspaceModel::setFolder(const QString &folder)
{
    m_folder = folder.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    refresh();
}

void WorkspaceModel::refresh()
{
    m_refreshTimer.stop();
    Q_EMIT aboutToRefresh();
    removeRows(0, rowCount());
    m_scenarioCount = 0;
    m_brokenCount = 0;

    QStringList directories;
    QStringList relativeFiles;
    if (!m_folder.isEmpty() && QFileInfo(m_folder).isDir()) {
        QStringList problems;
        const QDir root(m_folder);
        for (const QString &file : ScenarioLoader::findFiles({m_folder}, &problems))
            relativeFiles.append(root.relativeFilePath(file));
        std::sort(relativeFiles.begin(), relativeFiles.end(), treeOrder);

        // Without QDir::Hidden the iterator skips hidden folders (.git), as findFiles does.
        directories.append(m_folder);
        QDirIterator it(m_folder, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext() && directories.size() < MaxWatchedDirectories)
            directories.append(it.next());
    }

    const QIcon fileIcon = QApplication::style()->standardIcon(QStyle::SP_FileIcon);
    const QIcon brokenIcon = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    QHash<QString, QStandardItem *> folders;
    QStringList absoluteFiles;
    for (const QString &relative : std::as_const(relativeFiles)) {
        const QString path = QDir(m_folder).filePath(relative);
        absoluteFiles.append(path);
        const QFileInfo info(path);
        const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);

        auto *nameItem = new QStandardItem;
        auto *fileItem = new QStandardItem(info.fileName());
        nameItem->setEditable(false);
        fileItem->setEditable(false);
        nameItem->setData(path, FilePathRole);
        fileItem->setData(path, FilePathRole);
        nameItem->setData(false, IsFolderRole);
        fileItem->setData(false, IsFolderRole);
        fileItem->setToolTip(path);
        if (loaded.scenario) {
            ++m_scenarioCount;
            const QString name = loaded.scenario->name;
            nameItem->setText(name.isEmpty() ? info.completeBaseName() : name);
            nameItem->setIcon(fileIcon);
            nameItem->setData(name, ScenarioNameRole);
            nameItem->setData(QString(), ErrorRole);
            nameItem->setToolTip(loaded.scenario->description.isEmpty()
                                     ? path
                                     : path + u"\n\n"_s + loaded.scenario->description);
        } else {
            ++m_brokenCount;
            const QString errors = loaded.errorText();
            nameItem->setText(info.fileName());
            nameItem->setIcon(brokenIcon);
            nameItem->setData(QString(), ScenarioNameRole);
            nameItem->setData(errors, ErrorRole);
            fileItem->setData(errors, ErrorRole);
            nameItem->setToolTip(errors);
            fileItem->setToolTip(errors);
        }

        QStandardItem *parent = folderItem(QFileInfo(relative).path(), &folders);
        parent->appendRow({nameItem, fileItem});
    }
    watch(directories, absoluteFiles);
    Q_EMIT refreshed();
}

QStandardItem *WorkspaceModel::folderItem(const QString &relativeDir,
                                          QHash<QString, QStandardItem *> *folders)
{
    if (relativeDir.isEmpty() || relativeDir == u"."_s)
        return invisibleRootItem();
    if (QStandardItem *known = folders->value(relativeDir))
        return known;
    const qsizetype slash = relativeDir.lastIndexOf(u'/');
    QStandardItem *parent = folderItem(slash < 0 ? QString() : relativeDir.left(slash), folders);
    const QString name = relativeDir.mid(slash + 1);
    const QString path = QDir(m_folder).filePath(relativeDir);
    auto *item = new QStandardItem(QApplication::style()->standardIcon(QStyle::SP_DirIcon), name);
    item->setEditable(false);
    item->setData(path, FilePathRole);
    item->setData(true, IsFolderRole);
    item->setToolTip(path);
    auto *fileColumn = new QStandardItem;
    fileColumn->setEditable(false);
    parent->appendRow({item, fileColumn});
    folders->insert(relativeDir, item);
    return item;
}

void WorkspaceModel::watch(const QStringList &directories, const QStringList &files)
{
    const QStringList watched = m_watcher.directories() + m_watcher.files();
    if (!watched.isEmpty())
        m_watcher.removePaths(watched);
    if (!directories.isEmpty())
        m_watcher.addPaths(directories);
    if (!files.isEmpty())
        m_watcher.addPaths(files);
}

QModelIndex WorkspaceModel::indexOf(const QString &path) const
{
    const QString wanted = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QModelIndexList found = match(index(0, NameColumn), FilePathRole, wanted, 1,
                                        Qt::MatchExactly | Qt::MatchRecursive);
    return found.isEmpty() ? QModelIndex() : found.first();
}

} // namespace wsprobe
