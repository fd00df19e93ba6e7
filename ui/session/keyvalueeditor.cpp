#include "keyvalueeditor.h"

#include "themecolors.h"
#include "variables.h"
#include "variablesyntax.h"

#include <QApplication>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QStyledItemDelegate>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

struct Piece
{
    QString text;   // as written
    VariableSyntax::Segment::Kind kind = VariableSyntax::Segment::Literal;
    QString name;   // Reference
};

// The text as written, cut into literal runs and references. Literal segments of split() have
// their escapes resolved, so the runs between references are taken from the text itself.
QList<Piece> piecesOf(const QString &text)
{
    QList<Piece> pieces;
    qsizetype cursor = 0;
    const QList<VariableSyntax::Segment> segments = VariableSyntax::split(text);
    for (const VariableSyntax::Segment &segment : segments) {
        if (segment.kind == VariableSyntax::Segment::Literal)
            continue;
        const qsizetype at = text.indexOf(segment.source, cursor);
        if (at < 0)
            continue;
        if (at > cursor)
            pieces.append({text.mid(cursor, at - cursor), VariableSyntax::Segment::Literal, {}});
        pieces.append({segment.source, segment.kind, segment.text});
        cursor = at + segment.source.size();
    }
    if (cursor < text.size())
        pieces.append({text.mid(cursor), VariableSyntax::Segment::Literal, {}});
    return pieces;
}

// Draws placeholders, dimmed disabled rows and coloured {{references}}; edits with a frameless
// line edit that echoes secrets as a password field does.
class KeyValueDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QString keyPlaceholder;
    QString valuePlaceholder;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        if (index.column() == KeyValueModel::EnabledColumn) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem opt(option);
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        const QWidget *widget = opt.widget;
        const QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget)
                         .adjusted(margin, 0, -margin, 0);
        const bool selected = opt.state & QStyle::State_Selected;
        const auto *model = qobject_cast<const KeyValueModel *>(index.model());
        const bool placeholder = index.data(KeyValueModel::IsPlaceholderRole).toBool();
        const bool rowEnabled = placeholder
            || index.siblingAtColumn(KeyValueModel::EnabledColumn).data(Qt::CheckStateRole)
                   .toInt() == Qt::Checked;

        painter->save();
        painter->setFont(opt.font);
        const QFontMetrics metrics(opt.font);
        const int flags = Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine;
        if (placeholder) {
            painter->setPen(opt.palette.color(QPalette::PlaceholderText));
            const QString hint = index.column() == KeyValueModel::KeyColumn ? keyPlaceholder
                                                                            : valuePlaceholder;
            painter->drawText(rect, flags, metrics.elidedText(hint, Qt::ElideRight, rect.width()));
            painter->restore();
            return;
        }

        const QColor plain = selected ? opt.palette.color(QPalette::HighlightedText)
            : rowEnabled              ? opt.palette.color(QPalette::Text)
                                      : opt.palette.color(QPalette::Disabled, QPalette::Text);
        const bool masked = index.data(KeyValueModel::IsSecretRole).toBool();
        const Variables *variables = model ? model->variables() : nullptr;
        QFont strike = opt.font;
        strike.setStrikeOut(!rowEnabled);
        painter->setFont(strike);
        int x = rect.left();
        const QList<Piece> pieces = masked ? QList<Piece>{{text, {}, {}}} : piecesOf(text);
        for (const Piece &piece : pieces) {
            QColor color = plain;
            if (!selected && rowEnabled && piece.kind != VariableSyntax::Segment::Literal) {
                // Orange like Postman's; red when there is no value for them.
                const bool known = piece.kind == VariableSyntax::Segment::Reference
                    && (!variables || variables->value(piece.name).has_value());
                color = known ? ThemeColors::reference(opt.palette) : ThemeColors::failure(opt.palette);
            }
            painter->setPen(color);
            const int width = metrics.horizontalAdvance(piece.text);
            const int room = rect.right() - x + 1;
            if (width > room) {
                painter->drawText(QRect(x, rect.top(), room, rect.height()), flags,
                                  metrics.elidedText(piece.text, Qt::ElideRight, room));
                break;
            }
            painter->drawText(QRect(x, rect.top(), width, rect.height()), flags, piece.text);
            x += width;
        }
        painter->restore();
    }

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &index) const override
    {
        if (index.column() == KeyValueModel::EnabledColumn)
            return nullptr;
        auto *editor = new QLineEdit(parent);
        editor->setFrame(false);
        editor->setObjectName(index.column() == KeyValueModel::KeyColumn ? u"keyEditor"_s
                                                                         : u"valueEditor"_s);
        editor->setPlaceholderText(index.column() == KeyValueModel::KeyColumn ? keyPlaceholder
                                                                              : valuePlaceholder);
        if (index.data(KeyValueModel::IsSecretRole).toBool())
            editor->setEchoMode(QLineEdit::Password);
        return editor;
    }
};

// A table that asks for the height of its rows, a few at most (then it scrolls), instead of a
// scroll area's fixed 192 px: an empty Params table took 180 px of the log's height.
class RowsTableView : public QTableView
{
public:
    using QTableView::QTableView;

    QSize sizeHint() const override { return sizeForRows(std::clamp(rowCountShown(), 1, MaxRowsShown)); }
    QSize minimumSizeHint() const override { return sizeForRows(1); }

private:
    static constexpr int MaxRowsShown = 4;

    int rowCountShown() const { return model() ? model()->rowCount() : 0; }
    QSize sizeForRows(int rows) const
    {
        const int header = horizontalHeader()->isVisible() ? horizontalHeader()->sizeHint().height() : 0;
        const int height = 2 * frameWidth() + header + rows * verticalHeader()->defaultSectionSize()
            + (horizontalScrollBar()->isVisible() ? horizontalScrollBar()->sizeHint().height() : 0);
        return {QTableView::sizeHint().width(), height};
    }
};

} // namespace

KeyValueEditor::KeyValueEditor(QWidget *parent)
    : QWidget(parent)
    , m_model(new KeyValueModel(this))
    , m_view(new RowsTableView(this))
    , m_removeButton(new QPushButton(tr("Remove"), this))
    , m_showSecrets(new QCheckBox(tr("Show secrets"), this))
{
    auto *delegate = new KeyValueDelegate(m_view);
    delegate->keyPlaceholder = tr("Key");
    delegate->valuePlaceholder = tr("Value");

    m_view->setObjectName(u"table"_s);
    m_view->setModel(m_model);
    m_view->setItemDelegate(delegate);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked
                            | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(true);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(KeyValueModel::EnabledColumn, QHeaderView::Fixed);
    header->resizeSection(KeyValueModel::EnabledColumn, 28);
    header->resizeSection(KeyValueModel::KeyColumn, 220);
    header->setStretchLastSection(true);

    // The empty row takes typing at once, as a form field would.
    connect(m_view, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        if (m_model->isPlaceholder(index.row()) && index.column() != KeyValueModel::EnabledColumn)
            m_view->edit(index);
    });
    // WidgetShortcut: Delete inside a cell editor deletes a character, not the row. The Delete
    // key alone, not QKeySequence::Delete: on Linux that also binds Ctrl+D, which would take the
    // window's Connect / Disconnect from a focused table (and delete rows instead).
    auto *deleteShortcut = new QShortcut(QKeySequence(Qt::Key_Delete), m_view);
    deleteShortcut->setContext(Qt::WidgetShortcut);
    connect(deleteShortcut, &QShortcut::activated, this, &KeyValueEditor::removeSelected);

    m_removeButton->setObjectName(u"removeButton"_s);
    m_removeButton->setToolTip(tr("Remove the selected rows (Delete)"));
    connect(m_removeButton, &QPushButton::clicked, this, &KeyValueEditor::removeSelected);
    m_showSecrets->setObjectName(u"showSecrets"_s);
    m_showSecrets->setToolTip(tr("Show the values of Authorization, Cookie, tokens and keys"));
    m_showSecrets->setVisible(false);
    connect(m_showSecrets, &QCheckBox::toggled, m_model, &KeyValueModel::setShowSecrets);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_removeButton);
    bar->addStretch(1);
    bar->addWidget(m_showSecrets);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(bar);

    connect(m_model, &KeyValueModel::rowsEdited, this, &KeyValueEditor::edited);
    connect(m_model, &KeyValueModel::modelReset, this, &KeyValueEditor::updateButtons);
    // The height it asks for follows the rows.
    connect(m_model, &KeyValueModel::rowsInserted, m_view, [this] { m_view->updateGeometry(); });
    connect(m_model, &KeyValueModel::rowsRemoved, m_view, [this] { m_view->updateGeometry(); });
    connect(m_model, &KeyValueModel::modelReset, m_view, [this] { m_view->updateGeometry(); });
    connect(m_model, &KeyValueModel::rowsRemoved, this, &KeyValueEditor::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &KeyValueEditor::updateButtons);
    updateButtons();
}

void KeyValueEditor::setSecrets(KeyValueModel::Secrets secrets)
{
    m_model->setSecrets(secrets);
    m_showSecrets->setVisible(secrets != KeyValueModel::Secrets::None);
}

void KeyValueEditor::setShowSecrets(bool show)
{
    m_showSecrets->setChecked(show);
}

void KeyValueEditor::setPlaceholders(const QString &key, const QString &value)
{
    auto *delegate = static_cast<KeyValueDelegate *>(m_view->itemDelegate());
    delegate->keyPlaceholder = key;
    delegate->valuePlaceholder = value;
    m_view->viewport()->update();
}

void KeyValueEditor::removeSelected()
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    if (rows.isEmpty() && m_view->currentIndex().isValid())
        rows.append(m_view->currentIndex().row());
    if (rows.isEmpty())
        return;
    const int next = *std::min_element(rows.cbegin(), rows.cend());
    m_model->removeRowsAt(rows);
    // Keep a row selected so that Delete can be pressed again.
    const int row = std::min(next, m_model->rowCount() - 1);
    m_view->selectionModel()->setCurrentIndex(
        m_model->index(row, KeyValueModel::KeyColumn),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void KeyValueEditor::updateButtons()
{
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    const bool any = std::any_of(selected.cbegin(), selected.cend(), [this](const QModelIndex &i) {
        return !m_model->isPlaceholder(i.row());
    });
    m_removeButton->setEnabled(any);
}

} // namespace wsprobe
