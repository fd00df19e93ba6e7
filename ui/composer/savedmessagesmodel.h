#pragma once

#include "composedmessage.h"

#include <QAbstractListModel>

namespace wsprobe {

// The named messages a session keeps to send again, in the user's order. Owns every mutation
// (append, remove, move, rename), so the list view and the window's persistence stay in sync.
class SavedMessagesModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        ModeRole = Qt::UserRole + 1,  // int(SendMode)
        BodyRole,                     // QString
    };

    explicit SavedMessagesModel(QObject *parent = nullptr);

    const QList<SavedMessage> &messages() const { return m_messages; }
    void setMessages(const QList<SavedMessage> &messages);
    const SavedMessage &at(int row) const { return m_messages.at(row); }

    // Returns the new row.
    int append(const SavedMessage &message);
    void removeAt(int row);
    // Moves one message from row `from` so that it ends up at row `to`.
    bool move(int from, int to);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    // Any change of messages().
    void messagesChanged();

private:
    QList<SavedMessage> m_messages;
};

} // namespace wsprobe
