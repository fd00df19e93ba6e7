#include "workspacepanel.h"

#include "environmenteditor.h"
#include "historymodel.h"
#include "workspacemodel.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Two lines per recent connection: the URL, and below it, muted, when and how it ended.
class HistoryDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString detail = index.data(HistoryModel::DetailRole).toString();
        opt.text.clear();
        QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

        const QRect area = opt.rect.adjusted(Margin, Margin, -Margin, -Margin);
        const bool selected = opt.state & QStyle::State_Selected;
        const QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
        painter->save();
        painter->setFont(opt.font);
        painter->setPen(opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
        const QFontMetrics metrics(opt.font);
        const QRect first(area.left(), area.top(), area.width(), metrics.height());
        painter->drawText(first, Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(index.data().toString(), Qt::ElideMiddle, first.width()));
        QFont small = opt.font;
        small.setPointSizeF(small.pointSizeF() * 0.9);
        const QFontMetrics smallMetrics(small);
        painter->setFont(small);
        QColor muted = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        muted.setAlphaF(0.65f);
        painter->setPen(muted);
        const QRect second(area.left(), first.bottom() + 1, area.width(), smallMetrics.height());
        painter->drawText(second, Qt::AlignLeft | Qt::AlignVCenter,
                          smallMetrics.elidedText(detail, Qt::ElideRight, second.width()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.9);
        const int height = QFontMetrics(option.font).height() + QFontMetrics(small).height() + 2 * Margin + 1;
        return {option.rect.width() > 0 ? option.rect.width() : 200, height};
    }

private:
    static constexpr int Margin = 3;
};

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

// A captioned section of the sidebar's splitter.
QWidget *section(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(caption(title, box));
    layout->addWidget(content, 1);
    return box;
}

} // namespace

WorkspacePanel::WorkspacePanel(QWidget *parent)
    : QWidget(parent)
    , m_scenarios(new WorkspaceModel(this))
    , m_history(new HistoryModel(this))
{
    m_title = new QLabel(this);
    m_title->setObjectName(u"workspaceName"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(u"workspaceTree"_s);
    m_tree->setModel(m_scenarios);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setExpandsOnDoubleClick(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(WorkspaceModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(WorkspaceModel::FileColumn, QHeaderView::ResizeToContents);

    m_environment = new EnvironmentEditor(this);

    m_historyList = new QListView(this);
    m_historyList->setObjectName(u"historyList"_s);
    m_historyList->setModel(m_history);
    m_historyList->setItemDelegate(new HistoryDelegate(m_historyList));
    m_historyList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyList->setUniformItemSizes(true);
    m_historyList->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *clearHistory = new QAction(u"Clear history"_s, m_historyList);
    m_historyList->addAction(clearHistory);
    connect(clearHistory, &QAction::triggered, m_history, &HistoryModel::clear);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(section(u"Scenarios"_s, m_tree, splitter));
    splitter->addWidget(section(u"Environment"_s, m_environment, splitter));
    splitter->addWidget(section(u"Recent connections"_s, m_historyList, splitter));
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(splitter, 1);

    connect(m_tree, &QTreeView::activated, this, &WorkspacePanel::onTreeActivated);
    connect(m_historyList, &QListView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT urlActivated(index.data(HistoryModel::UrlRole).toUrl());
    });
    connect(m_scenarios, &WorkspaceModel::aboutToRefresh, this, &WorkspacePanel::rememberCollapsed);
    connect(m_scenarios, &WorkspaceModel::refreshed, this, &WorkspacePanel::restoreExpansion);
    // A file created or removed in the folder may be an environment file too.
    connect(m_scenarios, &WorkspaceModel::refreshed, m_environment, &EnvironmentEditor::refresh);
    setWorkspace({});
}

void WorkspacePanel::setWorkspace(const QString &folder)
{
    m_collapsed.clear();
    m_currentPath.clear();
    m_scenarios->setFolder(folder);
    m_environment->setWorkspace(m_scenarios->folder());
    const QString shown = m_scenarios->folder();
    m_title->setText(shown.isEmpty() ? u"No workspace folder"_s
                                     : u"Workspace: %1"_s.arg(QFileInfo(shown).fileName()));
    m_title->setToolTip(QDir::toNativeSeparators(shown));
}

QString WorkspacePanel::workspace() const
{
    return m_scenarios->folder();
}

Variables WorkspacePanel::activeVariables() const
{
    return m_environment->activeVariables();
}

QString WorkspacePanel::selectedScenario() const
{
    const QModelIndex name = m_tree->currentIndex().siblingAtColumn(WorkspaceModel::NameColumn);
    if (!name.isValid() || name.data(WorkspaceModel::IsFolderRole).toBool())
        return {};
    return name.data(WorkspaceModel::FilePathRole).toString();
}

void WorkspacePanel::onTreeActivated(const QModelIndex &index)
{
    const QModelIndex name = index.siblingAtColumn(WorkspaceModel::NameColumn);
    if (name.data(WorkspaceModel::IsFolderRole).toBool())
        return;
    const QString path = name.data(WorkspaceModel::FilePathRole).toString();
    if (!path.isEmpty())
        Q_EMIT scenarioActivated(path);
}

void WorkspacePanel::rememberCollapsed()
{
    m_currentPath = m_tree->currentIndex().data(WorkspaceModel::FilePathRole).toString();
    // Only folders still shown count; the set keeps folders that went away and may come back.
    const std::function<void(const QModelIndex &)> visit = [&](const QModelIndex &parent) {
        for (int row = 0; row < m_scenarios->rowCount(parent); ++row) {
            const QModelIndex child = m_scenarios->index(row, WorkspaceModel::NameColumn, parent);
            if (!child.data(WorkspaceModel::IsFolderRole).toBool())
                continue;
            const QString path = child.data(WorkspaceModel::FilePathRole).toString();
            if (m_tree->isExpanded(child))
                m_collapsed.remove(path);
            else
                m_collapsed.insert(path);
            visit(child);
        }
    };
    visit({});
}

void WorkspacePanel::restoreExpansion()
{
    m_tree->expandAll();
    for (const QString &path : std::as_const(m_collapsed)) {
        const QModelIndex index = m_scenarios->indexOf(path);
        if (index.isValid())
            m_tree->collapse(index);
    }
    if (!m_currentPath.isEmpty()) {
        const QModelIndex current = m_scenarios->indexOf(m_currentPath);
        if (current.isValid())
            m_tree->setCurrentIndex(current);
    }
}

} // namespace wsprobe
