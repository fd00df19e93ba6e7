#include "stringlisteditor.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QListView>
#include <QShortcut>
#include <QStringListModel>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QToolButton *button(const QString &text, const QString &objectName, const QString &toolTip,
                    QWidget *parent)
{
    auto *result = new QToolButton(parent);
    result->setText(text);
    result->setObjectName(objectName);
    result->setToolTip(toolTip);
    return result;
}

} // namespace

StringListEditor::StringListEditor(QWidget *parent)
    : QWidget(parent)
    , m_model(new QStringListModel(this))
    , m_input(new QLineEdit(this))
    , m_view(new QListView(this))
    , m_addButton(button(tr("Add"), u"addButton"_s, tr("Add to the end of the list"), this))
    , m_upButton(button(u"↑"_s, u"moveUpButton"_s, tr("Move up: offered earlier"), this))
    , m_downButton(button(u"↓"_s, u"moveDownButton"_s, tr("Move down: offered later"), this))
    , m_removeButton(button(tr("Remove"), u"removeButton"_s,
                            tr("Remove the selected entry (Delete)"), this))
{
    m_input->setObjectName(u"input"_s);
    m_input->setClearButtonEnabled(true);
    connect(m_input, &QLineEdit::returnPressed, this, [this] {
        if (addItem(m_input->text()))
            m_input->clear();
    });
    connect(m_addButton, &QToolButton::clicked, this, [this] {
        if (addItem(m_input->text()))
            m_input->clear();
    });
    connect(m_input, &QLineEdit::textChanged, this, &StringListEditor::updateButtons);

    m_view->setObjectName(u"list"_s);
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->setUniformItemSizes(true);
    m_view->setSpacing(2);
    auto *deleteShortcut = new QShortcut(QKeySequence::Delete, m_view);
    deleteShortcut->setContext(Qt::WidgetShortcut);
    connect(deleteShortcut, &QShortcut::activated, this, &StringListEditor::removeSelected);
    connect(m_upButton, &QToolButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_downButton, &QToolButton::clicked, this, [this] { moveSelected(1); });
    connect(m_removeButton, &QToolButton::clicked, this, &StringListEditor::removeSelected);

    // An item edited to nothing goes away, as if removed.
    connect(m_model, &QStringListModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        if (topLeft.data().toString().trimmed().isEmpty())
            m_model->removeRow(topLeft.row());
        Q_EMIT edited();
    });
    connect(m_model, &QStringListModel::rowsRemoved, this, &StringListEditor::edited);
    // No rowsInserted: addItem() inserts an empty row, then fills it (dataChanged).
    connect(m_model, &QStringListModel::rowsMoved, this, &StringListEditor::edited);
    connect(m_model, &QStringListModel::modelReset, this, &StringListEditor::edited);
    connect(m_model, &QStringListModel::rowsRemoved, this, &StringListEditor::updateButtons);
    connect(m_model, &QStringListModel::modelReset, this, &StringListEditor::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &StringListEditor::updateButtons);

    auto *addRow = new QHBoxLayout;
    addRow->setContentsMargins(0, 0, 0, 0);
    addRow->addWidget(m_input, 1);
    addRow->addWidget(m_addButton);

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    // As in the key/value tables: Remove first, at the left.
    buttons->addWidget(m_removeButton);
    buttons->addWidget(m_upButton);
    buttons->addWidget(m_downButton);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(addRow);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    updateButtons();
}

QStringList StringListEditor::items() const
{
    return m_model->stringList();
}

void StringListEditor::setItems(const QStringList &items)
{
    m_model->setStringList(items);
}

void StringListEditor::setPlaceholderText(const QString &text)
{
    m_input->setPlaceholderText(text);
}

bool StringListEditor::addItem(const QString &text)
{
    const QString item = text.trimmed();
    if (item.isEmpty() || m_model->stringList().contains(item))
        return false;
    const int row = m_model->rowCount();
    m_model->insertRow(row);
    m_model->setData(m_model->index(row), item);
    m_view->setCurrentIndex(m_model->index(row));
    return true;
}

void StringListEditor::removeSelected()
{
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid())
        m_model->removeRow(current.row());
}

void StringListEditor::moveSelected(int delta)
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const int row = current.row();
    const int to = row + delta;
    if (to < 0 || to >= m_model->rowCount())
        return;
    // QStringListModel::moveRows takes the destination before the move: one past for downward.
    m_model->moveRows({}, row, 1, {}, delta > 0 ? to + 1 : to);
    m_view->setCurrentIndex(m_model->index(to));
}

void StringListEditor::updateButtons()
{
    const QModelIndex current = m_view->currentIndex();
    const int row = current.isValid() ? current.row() : -1;
    m_addButton->setEnabled(!m_input->text().trimmed().isEmpty());
    m_upButton->setEnabled(row > 0);
    m_downButton->setEnabled(row >= 0 && row + 1 < m_model->rowCount());
    m_removeButton->setEnabled(row >= 0);
}

} // namespace wsprobe
