#include "environmentsmodel.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace wsprobe {

EnvironmentsModel::EnvironmentsModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void EnvironmentsModel::setFolder(const QString &folder)
{
    m_folder = folder.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    refresh();
}

void EnvironmentsModel::refresh()
{
    QStringList files;
    if (!m_folder.isEmpty()) {
        // Hidden folders (.git) are skipped: the iterator lists them only with QDir::Hidden.
        QDirIterator it(m_folder, {u"*"_s + Suffix.toString()}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(QDir::cleanPath(it.next()));
        files.sort(Qt::CaseInsensitive);
    }
    if (files == m_files)
        return;
    beginResetModel();
    m_files = files;
    endResetModel();
}

QString EnvironmentsModel::filePath(int row) const
{
    return row >= 1 && row <= m_files.size() ? m_files[row - 1] : QString();
}

int EnvironmentsModel::rowOf(const QString &filePath) const
{
    if (filePath.isEmpty())
        return 0;
    const qsizetype found = m_files.indexOf(QDir::cleanPath(QFileInfo(filePath).absoluteFilePath()));
    return found < 0 ? 0 : int(found) + 1;
}

QString EnvironmentsModel::environmentName(const QString &filePath) const
{
    QString name = m_folder.isEmpty() ? QFileInfo(filePath).fileName()
                                      : QDir(m_folder).relativeFilePath(filePath);
    if (name.endsWith(Suffix))
        name.chop(Suffix.size());
    return name;
}

int EnvironmentsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_files.size()) + 1;
}

QVariant EnvironmentsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() > m_files.size())
        return {};
    const QString path = filePath(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return index.row() == 0 ? u"No environment"_s : environmentName(path);
    case Qt::ToolTipRole:
        return index.row() == 0 ? u"Only the scenario's own variables and the process environment"_s
                                : path;
    case FilePathRole:
        return path;
    }
    return {};
}

} // namespace wsprobe
