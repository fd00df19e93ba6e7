#include "savedmessagesmodel.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

SavedMessagesModel::SavedMessagesModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void SavedMessagesModel::setMessages(const QList<SavedMessage> &messages)
{
    beginResetModel();
    m_messages = messages;
    endResetModel();
    Q_EMIT messagesChanged();
}

int SavedMessagesModel::append(const SavedMessage &message)
{
    const int row = int(m_messages.size());
    beginInsertRows({}, row, row);
    m_messages.append(message);
    endInsertRows();
    Q_EMIT messagesChanged();
    return row;
}

void SavedMessagesModel::removeAt(int row)
{
    if (row < 0 || row >= m_messages.size())
        return;
    beginRemoveRows({}, row, row);
    m_messages.removeAt(row);
    endRemoveRows();
    Q_EMIT messagesChanged();
}

bool SavedMessagesModel::move(int from, int to)
{
    const int count = int(m_messages.size());
    if (from < 0 || from >= count || to < 0 || to >= count || from == to)
        return false;
    // beginMoveRows names the row the item goes before, in the order before the move.
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return false;
    m_messages.move(from, to);
    endMoveRows();
    Q_EMIT messagesChanged();
    return true;
}

int SavedMessagesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant SavedMessagesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    const SavedMessage &message = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return message.name;
    case Qt::ToolTipRole: {
        QString preview = message.body.left(400);
        if (preview.size() < message.body.size())
            preview += u'…';
        return tr("%1 · double-click or Enter to send").arg(displayName(message.mode))
            + u"\n\n"_s + preview;
    }
    case ModeRole:
        return int(message.mode);
    case BodyRole:
        return message.body;
    default:
        return {};
    }
}

bool SavedMessagesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole
        || !index.isValid() || index.model() != this) {
        return false;
    }
    const QString name = value.toString().trimmed();
    if (name.isEmpty())
        return false;
    SavedMessage &message = m_messages[index.row()];
    if (message.name == name)
        return true;
    message.name = name;
    Q_EMIT dataChanged(index, index);
    Q_EMIT messagesChanged();
    return true;
}

Qt::ItemFlags SavedMessagesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable
        | Qt::ItemNeverHasChildren;
}

} // namespace wsprobe
