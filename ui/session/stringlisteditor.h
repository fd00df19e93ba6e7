#pragma once

#include <QStringList>
#include <QWidget>

class QLineEdit;
class QListView;
class QStringListModel;
class QToolButton;

namespace wsprobe {

// An ordered list of short strings the user edits (the subprotocols offered, in order of
// preference): a field to add one, the list (double-click to edit), move up/down and remove.
class StringListEditor : public QWidget
{
    Q_OBJECT

public:
    explicit StringListEditor(QWidget *parent = nullptr);

    QStringList items() const;
    void setItems(const QStringList &items);
    void setPlaceholderText(const QString &text);

    // Adds text (trimmed) at the end unless it is empty or already there; returns whether it did.
    bool addItem(const QString &text);
    void removeSelected();

Q_SIGNALS:
    // The user (or setItems) changed the items.
    void edited();

private:
    void moveSelected(int delta);
    void updateButtons();

    QStringListModel *m_model;  // Owned (child).
    QLineEdit *m_input;
    QListView *m_view;
    QToolButton *m_addButton;
    QToolButton *m_upButton;
    QToolButton *m_downButton;
    QToolButton *m_removeButton;
};

} // namespace wsprobe
