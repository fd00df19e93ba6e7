#pragma once

#include <QFileSystemWatcher>
#include <QStandardItemModel>
#include <QTimer>

namespace wsprobe {

// The scenario files of a workspace folder as a tree of folders and files, each file shown by
// the name written inside it. The files are the ones wsprobe-run would run
// (ScenarioLoader::findFiles: *.json, without *.env.json and names starting with '_' or '.').
// A file that does not load is still listed, with a warning icon and its errors as tooltip.
// The tree follows the folder: files added, removed or edited show up by themselves.
class WorkspaceModel : public QStandardItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, FileColumn, ColumnCount };
    enum Role {
        FilePathRole = Qt::UserRole + 1,  // QString: absolute path of the file or folder
        IsFolderRole,                     // bool
        ErrorRole,                        // QString: why the file does not load; "" when it does
        ScenarioNameRole,                 // QString: the "name" inside; "" for broken files
    };

    explicit WorkspaceModel(QObject *parent = nullptr);

    // "" empties the model.
    void setFolder(const QString &folder);
    QString folder() const { return m_folder; }
    // Reads the folder again now (also done, debounced, whenever it changes on disk).
    void refresh();

    // The item for a file or folder path, or an invalid index.
    QModelIndex indexOf(const QString &path) const;
    int scenarioCount() const { return m_scenarioCount; }
    int brokenCount() const { return m_brokenCount; }

Q_SIGNALS:
    // Before and after the tree is rebuilt, so a view can keep its expanded folders.
    void aboutToRefresh();
    void refreshed();

private:
    QStandardItem *folderItem(const QString &relativeDir, QHash<QString, QStandardItem *> *folders);
    void watch(const QStringList &directories, const QStringList &files);

    QString m_folder;
    QFileSystemWatcher m_watcher;
    QTimer m_refreshTimer;  // folds a burst of changes (an editor saving) into one refresh
    int m_scenarioCount = 0;
    int m_brokenCount = 0;
};

} // namespace wsprobe
