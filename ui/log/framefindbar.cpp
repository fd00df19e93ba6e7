#include "framelogview.h"

#include "framedetailview.h"
#include "framelog.h"
#include "framelogfilter.h"
#include "framelogmodel.h"
#include "themecolors.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int TypingPauseMs = 150;

constexpr quint32 kindBit(EventKind kind)
{
    return 1u << int(kind);
}

struct TypeGroupInfo
{
    const char *name;   // object name suffix
    const char *label;
    quint32 kinds;
};

constexpr TypeGroupInfo TypeGroups[FrameLogView::TypeGroupCount] = {
    {"text", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Text"), kindBit(EventKind::Text)},
    {"binary", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Binary"), kindBit(EventKind::Binary)},
    {"fragment", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Fragments (continuation frames)"),
     kindBit(EventKind::TextFrame) | kindBit(EventKind::BinaryFrame)},
    {"ping", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Ping"), kindBit(EventKind::Ping)},
    {"pong", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Pong"), kindBit(EventKind::Pong)},
    {"close", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Close"), kindBit(EventKind::Close)},
    {"handshake", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Handshake"), kindBit(EventKind::Handshake)},
    {"error", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Error"), kindBit(EventKind::Error)},
    {"info", QT_TRANSLATE_NOOP("wsprobe::FrameLogView", "Info (state notes)"), kindBit(EventKind::Info)},
};

constexpr Direction Directions[3] = {Direction::Outgoing, Direction::Incoming, Direction::Local};

FrameLogView::TypeGroup groupOf(EventKind kind)
{
    for (int group = 0; group < FrameLogView::TypeGroupCount; ++group) {
        if (TypeGroups[group].kinds & kindBit(kind))
            return FrameLogView::TypeGroup(group);
    }
    return FrameLogView::Infos;
}

// Tints the rows the find box matches; the lookup is a binary search per painted cell.
class SearchHighlightDelegate : public QStyledItemDelegate
{
public:
    SearchHighlightDelegate(const FrameLogFilter *rows, const FrameLogFilter *matches, QObject *parent)
        : QStyledItemDelegate(parent), m_rows(rows), m_matches(matches)
    {
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (m_matches->logModel() && m_matches->rowOf(m_rows->sequenceAt(index.row())) >= 0)
            option->backgroundBrush = ThemeColors::searchMatch(option->palette);
    }

private:
    const FrameLogFilter *m_rows;     // Not owned.
    const FrameLogFilter *m_matches;  // Not owned.
};

// A label that gives up its width first and then shows "…" rather than half a word.
class ElidingLabel : public QLabel
{
public:
    using QLabel::QLabel;

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.setPen(palette().color(foregroundRole()));
        painter.drawText(contentsRect(), int(alignment()),
                         fontMetrics().elidedText(text(), Qt::ElideRight, contentsRect().width()));
    }
};

QFrame *separator(QWidget *parent)
{
    auto *line = new QFrame(parent);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

} // namespace

FrameLogView::FrameLogView(QWidget *parent)
    : QWidget(parent)
    , m_model(new FrameLogModel(this))
    , m_filter(new FrameLogFilter(this))
    , m_search(new FrameLogFilter(this))
{
    m_filter->setObjectName(u"frameLogFilter"_s);
    m_search->setObjectName(u"frameLogSearch"_s);
    m_filter->setLogModel(m_model);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(TypingPauseMs);
    connect(&m_filterDelay, &QTimer::timeout, this, &FrameLogView::applyFilter);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(TypingPauseMs);
    connect(&m_searchDelay, &QTimer::timeout, this, &FrameLogView::applySearch);
    m_statusDelay.setSingleShot(true);
    m_statusDelay.setInterval(100);
    connect(&m_statusDelay, &QTimer::timeout, this, [this] {
        updateStatus();
        updateSearchStatus();
    });

    QWidget *bar = createFilterBar();
    QWidget *table = createTable();

    m_detail = new FrameDetailView(this);
    m_detail->setObjectName(u"frameDetailView"_s);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(u"frameSplitter"_s);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(bar);
    layout->addWidget(m_splitter, 1);

    connect(m_filter, &QAbstractItemModel::modelAboutToBeReset, this, &FrameLogView::onFilterAboutToReset);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &FrameLogView::onFilterReset);
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, &FrameLogView::onFilterRowsAboutToBeInserted);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &FrameLogView::onFilterRowsInserted);
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { onFilterRowsAboutToBeRemoved(first, last); });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &FrameLogView::onFilterRowsRemoved);
    connect(m_filter, &FrameLogFilter::scanningChanged, this, &FrameLogView::onFilterScanningChanged);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        if (isPaused()) {
            m_newWhilePaused += last - first + 1;
            updatePauseButton();
        }
        if (!m_statusDelay.isActive())
            m_statusDelay.start();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &FrameLogView::updateStatus);

    const auto searchChanged = [this] {
        if (!m_statusDelay.isActive())
            m_statusDelay.start();
        m_table->viewport()->update();
    };
    connect(m_search, &QAbstractItemModel::modelReset, this, searchChanged);
    connect(m_search, &QAbstractItemModel::rowsInserted, this, searchChanged);
    connect(m_search, &QAbstractItemModel::rowsRemoved, this, searchChanged);
    connect(m_search, &FrameLogFilter::scanningChanged, this, &FrameLogView::updateSearchStatus);

    auto *findShortcut = new QShortcut(QKeySequence::Find, this, this, &FrameLogView::focusSearch);
    findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    auto *nextShortcut = new QShortcut(QKeySequence::FindNext, this, this, &FrameLogView::findNext);
    nextShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    auto *previousShortcut = new QShortcut(QKeySequence::FindPrevious, this, this, &FrameLogView::findPrevious);
    previousShortcut->setContext(Qt::WidgetWithChildrenShortcut);

    updateTypeButton();
    updatePauseButton();
    updateStatus();
    updateSearchStatus();
}

FrameLogView::~FrameLogView()
{
    // The models are children and go after the widgets; keep their signals from reaching a
    // half-destroyed view.
    m_model->disconnect(this);
    m_filter->disconnect(this);
    m_search->disconnect(this);
}

QWidget *FrameLogView::createFilterBar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    static const char *const directionNames[3] = {"filterOutgoing", "filterIncoming", "filterLocal"};
    const QString directionTips[3] = {tr("Show what we sent"), tr("Show what the server sent"),
                                      tr("Show what happened here: errors, handshakes, state notes")};
    for (int i = 0; i < 3; ++i) {
        auto *button = new QToolButton(bar);
        button->setObjectName(QString::fromLatin1(directionNames[i]));
        button->setText(directionText(Directions[i]));
        button->setToolTip(directionTips[i]);
        button->setCheckable(true);
        button->setChecked(true);
        connect(button, &QToolButton::toggled, this, &FrameLogView::applyFilter);
        m_directionButtons[i] = button;
        layout->addWidget(button);
    }

    m_typeButton = new QToolButton(bar);
    m_typeButton->setObjectName(u"filterTypes"_s);
    m_typeButton->setPopupMode(QToolButton::InstantPopup);
    m_typeButton->setToolTip(tr("Which kinds of event to show"));
    auto *menu = new QMenu(m_typeButton);
    menu->addAction(tr("Show all types"), this, [this] {
        for (QAction *action : m_typeActions)
            action->setChecked(true);
    });
    menu->addAction(tr("Messages only"), this, [this] {
        for (int group = 0; group < TypeGroupCount; ++group)
            m_typeActions[group]->setChecked(group == Texts || group == Binaries);
    });
    menu->addSeparator();
    for (int group = 0; group < TypeGroupCount; ++group) {
        QAction *action = menu->addAction(tr(TypeGroups[group].label));
        action->setObjectName(u"filterType_"_s + QString::fromLatin1(TypeGroups[group].name));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, [this] {
            updateTypeButton();
            applyFilter();
        });
        m_typeActions[group] = action;
    }
    m_typeButton->setMenu(menu);
    layout->addWidget(m_typeButton);

    m_filterText = new QLineEdit(bar);
    m_filterText->setObjectName(u"filterText"_s);
    m_filterText->setPlaceholderText(tr("Filter by payload text"));
    m_filterText->setClearButtonEnabled(true);
    m_filterText->setMinimumWidth(140);
    connect(m_filterText, &QLineEdit::textChanged, this, [this] {
        validateFilterText();
        m_filterDelay.start();
    });
    connect(m_filterText, &QLineEdit::returnPressed, this, &FrameLogView::applyFilter);
    layout->addWidget(m_filterText, 3);

    m_filterRegex = new QToolButton(bar);
    m_filterRegex->setObjectName(u"filterRegex"_s);
    m_filterRegex->setText(u".*"_s);
    m_filterRegex->setCheckable(true);
    m_filterRegex->setToolTip(tr("Filter with a regular expression (case-insensitive)"));
    connect(m_filterRegex, &QToolButton::toggled, this, [this] {
        validateFilterText();
        applyFilter();
    });
    layout->addWidget(m_filterRegex);

    layout->addWidget(separator(bar));

    m_searchText = new QLineEdit(bar);
    m_searchText->setObjectName(u"searchText"_s);
    m_searchText->setPlaceholderText(tr("Find (Ctrl+F)"));
    m_searchText->setToolTip(tr("Find text in the rows shown: Enter or F3 for the next, Shift+F3 for the previous"));
    m_searchText->setClearButtonEnabled(true);
    m_searchText->setMinimumWidth(110);
    m_searchText->installEventFilter(this);
    connect(m_searchText, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_searchText, &QLineEdit::returnPressed, this, [this] {
        if (QGuiApplication::keyboardModifiers() & Qt::ShiftModifier)
            findPrevious();
        else
            findNext();
    });
    layout->addWidget(m_searchText, 2);

    auto *previous = new QToolButton(bar);
    previous->setObjectName(u"findPrevious"_s);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+F3)"));
    previous->setAutoRaise(true);
    connect(previous, &QToolButton::clicked, this, &FrameLogView::findPrevious);
    layout->addWidget(previous);
    auto *next = new QToolButton(bar);
    next->setObjectName(u"findNext"_s);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (F3)"));
    next->setAutoRaise(true);
    connect(next, &QToolButton::clicked, this, &FrameLogView::findNext);
    layout->addWidget(next);

    m_searchStatus = new QLabel(bar);
    m_searchStatus->setObjectName(u"searchStatus"_s);
    m_searchStatus->setMinimumWidth(fontMetrics().horizontalAdvance(u"99999 of 99999…"_s));
    layout->addWidget(m_searchStatus);

    // The counts take what room is left, and give it up first when the bar is narrow.
    m_status = new ElidingLabel(bar);
    m_status->setObjectName(u"logStatus"_s);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_status, 1);

    m_pause = new QToolButton(bar);
    m_pause->setObjectName(u"pauseFollow"_s);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop following new frames; the log keeps recording"));
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        m_newWhilePaused = 0;
        updatePauseButton();
        if (!paused)
            m_table->scrollToBottom();
    });
    layout->addWidget(m_pause);

    m_clear = new QToolButton(bar);
    m_clear->setObjectName(u"clearLog"_s);
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Forget every frame logged so far"));
    connect(m_clear, &QToolButton::clicked, this, &FrameLogView::clearLog);
    layout->addWidget(m_clear);

    m_copy = new QToolButton(bar);
    m_copy->setObjectName(u"copyRows"_s);
    layout->addWidget(m_copy);

    return bar;
}

QWidget *FrameLogView::createTable()
{
    m_table = new QTableView(this);
    m_table->setObjectName(u"frameTable"_s);
    m_table->setModel(m_filter);
    m_table->setItemDelegate(new SearchHighlightDelegate(m_filter, m_search, m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setCornerButtonEnabled(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->verticalHeader()->setVisible(false);
    // Uniform row heights: the view never measures a million rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setMinimumSectionSize(1);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    const QFontMetrics metrics = fontMetrics();
    const auto width = [&metrics](const QString &sample) { return metrics.horizontalAdvance(sample) + 20; };
    header->resizeSection(FrameLogModel::TimeColumn, width(u"00:00:00.000"_s));
    header->resizeSection(FrameLogModel::DeltaColumn, width(u"+0000.000 ms"_s));
    header->resizeSection(FrameLogModel::DirectionColumn, width(u"• local"_s));
    header->resizeSection(FrameLogModel::TypeColumn, width(u"binary frame"_s));
    header->resizeSection(FrameLogModel::SizeColumn, width(u"1023.9 KiB"_s));

    auto *copy = new QAction(tr("Copy"), this);
    copy->setObjectName(u"copyRowsAction"_s);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    copy->setToolTip(tr("Copy the selected rows with their whole payloads (Ctrl+C)"));
    copy->setEnabled(false);
    connect(copy, &QAction::triggered, this, &FrameLogView::copySelection);
    m_copy->setDefaultAction(copy);
    // The view's own Ctrl+F shortcut serves; a second one here would make it ambiguous.
    auto *findAction = new QAction(tr("Find…") + u'\t' + QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText), this);
    connect(findAction, &QAction::triggered, this, &FrameLogView::focusSearch);
    m_table->addAction(copy);
    m_table->addAction(findAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->installEventFilter(this);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &FrameLogView::onCurrentRowChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this, copy] { copy->setEnabled(m_table->selectionModel()->hasSelection()); });
    return m_table;
}

void FrameLogView::setLog(FrameLog *log)
{
    m_model->setLog(log);
    m_clear->setEnabled(log);
    updateStatus();
}

FrameLog *FrameLogView::log() const
{
    return m_model->log();
}

bool FrameLogView::isPaused() const
{
    return m_pause->isChecked();
}

void FrameLogView::setPaused(bool paused)
{
    m_pause->setChecked(paused);
}

void FrameLogView::setDetailOrientation(Qt::Orientation orientation)
{
    m_splitter->setOrientation(orientation);
}

void FrameLogView::setTypeGroupShown(TypeGroup group, bool shown)
{
    m_typeActions[group]->setChecked(shown);
}

void FrameLogView::setDirectionShown(Direction direction, bool shown)
{
    m_directionButtons[int(std::find(std::begin(Directions), std::end(Directions), direction) - Directions)]->setChecked(shown);
}

FrameMatcher FrameLogView::matcherFromFilterBar() const
{
    FrameMatcher matcher;
    for (int i = 0; i < 3; ++i)
        matcher.setDirection(Directions[i], m_directionButtons[i]->isChecked());
    matcher.kinds = 0;
    for (int group = 0; group < TypeGroupCount; ++group) {
        if (m_typeActions[group]->isChecked())
            matcher.kinds |= TypeGroups[group].kinds;
    }
    const QString text = m_filterText->text();
    const TextPattern pattern = m_filterRegex->isChecked() ? TextPattern::regularExpression(text)
                                                           : TextPattern::substring(text);
    if (pattern.isValid()) {
        if (!pattern.isEmpty())
            matcher.patterns.append(pattern);
    } else {
        // Half-typed expressions are invalid all the time: keep showing what the last valid
        // one showed rather than flashing the whole log.
        matcher.patterns = m_filter->matcher().patterns;
    }
    return matcher;
}

void FrameLogView::validateFilterText()
{
    const TextPattern pattern = m_filterRegex->isChecked() ? TextPattern::regularExpression(m_filterText->text())
                                                           : TextPattern::substring(m_filterText->text());
    const bool invalid = !pattern.isValid();
    m_filterText->setToolTip(invalid ? tr("Invalid regular expression: %1").arg(pattern.errorString()) : QString());
    if (m_filterText->property("invalid").toBool() == invalid)
        return;
    m_filterText->setProperty("invalid", invalid);
    m_filterText->setStyleSheet(invalid ? u"QLineEdit { border: 1px solid %1; border-radius: 3px; padding: 1px 2px; }"_s
                                              .arg(ThemeColors::failure(palette()).name())
                                        : QString());
}

void FrameLogView::applyFilter()
{
    m_filterDelay.stop();
    validateFilterText();
    m_filterText->setPlaceholderText(m_filterRegex->isChecked() ? tr("Filter by regular expression")
                                                                : tr("Filter by payload text"));
    const FrameMatcher matcher = matcherFromFilterBar();
    m_filter->setMatcher(matcher);
    applySearch();
    updateStatus();
}

void FrameLogView::applySearch()
{
    m_searchDelay.stop();
    const QString text = m_searchText->text();
    if (text.isEmpty()) {
        m_search->setLogModel(nullptr);
    } else {
        FrameMatcher matcher = m_filter->matcher();
        matcher.patterns.append(TextPattern::substring(text));
        m_search->setMatcher(matcher);
        m_search->setLogModel(m_model);
    }
    m_table->viewport()->update();
    updateSearchStatus();
}

void FrameLogView::updateTypeButton()
{
    QStringList shown;
    for (int group = 0; group < TypeGroupCount; ++group) {
        if (m_typeActions[group]->isChecked())
            shown << QString::fromLatin1(TypeGroups[group].name);
    }
    QString text;
    if (shown.size() == TypeGroupCount)
        text = tr("All types");
    else if (shown.isEmpty())
        text = tr("No types");
    else if (shown.size() <= 2)
        text = shown.join(u", "_s);
    else
        text = tr("%1 types").arg(shown.size());
    m_typeButton->setText(text);
}

// ------------------------------------------------------------------------------------ following

bool FrameLogView::isAtBottom() const
{
    const QScrollBar *bar = m_table->verticalScrollBar();
    return bar->value() >= bar->maximum() - 1;
}

bool FrameLogView::shouldFollow() const
{
    return !isPaused() && (m_scrollQueued || isAtBottom());
}

void FrameLogView::queueScrollToBottom()
{
    if (m_scrollQueued)
        return;
    m_scrollQueued = true;
    // After the view has taken the new rows in: scrolling inside rowsInserted would measure a
    // layout that is not done yet.
    QMetaObject::invokeMethod(this, [this] {
        m_scrollQueued = false;
        if (!isPaused())
            m_table->scrollToBottom();
    }, Qt::QueuedConnection);
}

void FrameLogView::onFilterRowsAboutToBeInserted()
{
    m_followAfterInsert = shouldFollow();
}

void FrameLogView::onFilterRowsInserted()
{
    if (m_followAfterInsert)
        queueScrollToBottom();
    tryPendingSelection();
    if (!m_statusDelay.isActive())
        m_statusDelay.start();
}

void FrameLogView::onFilterRowsAboutToBeRemoved(int first, int last)
{
    // Discarded rows leave from the top; keep a reader's viewport on the rows it shows.
    m_removedAbove = 0;
    if (first == 0 && !shouldFollow())
        m_removedAbove = last - first + 1;
}

void FrameLogView::onFilterRowsRemoved()
{
    if (m_removedAbove > 0) {
        QScrollBar *bar = m_table->verticalScrollBar();
        bar->setValue(std::max(0, bar->value() - m_removedAbove));
        m_removedAbove = 0;
    }
    if (m_current >= 0 && m_filter->rowOf(m_current) < 0 && m_pendingSequence < 0)
        onCurrentRowChanged();
    if (!m_statusDelay.isActive())
        m_statusDelay.start();
}

void FrameLogView::onFilterAboutToReset()
{
    m_followAfterReset = shouldFollow();
    if (m_pendingSequence < 0 && m_current >= 0) {
        m_pendingSequence = m_current;
        // Following wins over keeping the current row in sight.
        m_pendingScroll = m_followAfterReset ? Scroll::None : Scroll::Center;
    }
}

void FrameLogView::onFilterReset()
{
    if (m_followAfterReset)
        queueScrollToBottom();
    tryPendingSelection();
    if (m_pendingSequence >= 0 && !m_filter->isScanning()) {
        // The current row is filtered out now: nothing is current.
        m_pendingSequence = -1;
        onCurrentRowChanged();
    }
    updateStatus();
}

void FrameLogView::onFilterScanningChanged(bool scanning)
{
    if (!scanning && m_pendingSequence >= 0) {
        tryPendingSelection();
        if (m_pendingSequence >= 0) {
            m_pendingSequence = -1;
            onCurrentRowChanged();
        }
    }
    updateStatus();
}

void FrameLogView::tryPendingSelection()
{
    if (m_pendingSequence < 0)
        return;
    const int row = m_filter->rowOf(m_pendingSequence);
    if (row < 0)
        return;
    const Scroll scroll = m_pendingScroll;
    m_pendingSequence = -1;
    selectRow(row, scroll);
}

void FrameLogView::updatePauseButton()
{
    if (!isPaused()) {
        m_pause->setText(tr("Pause"));
    } else if (m_newWhilePaused > 0) {
        m_pause->setText(tr("Paused (+%1)").arg(QLocale().toString(m_newWhilePaused)));
    } else {
        m_pause->setText(tr("Paused"));
    }
}

// ------------------------------------------------------------------------------------ selection

void FrameLogView::selectRow(int row, Scroll scroll)
{
    const QModelIndex index = m_filter->index(row, FrameLogModel::TimeColumn);
    if (!index.isValid())
        return;
    // A new current index scrolls to itself (autoScroll); the caller decides instead.
    const bool autoScroll = m_table->hasAutoScroll();
    m_table->setAutoScroll(false);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->setAutoScroll(autoScroll);
    if (scroll != Scroll::None)
        m_table->scrollTo(index, scroll == Scroll::Center ? QAbstractItemView::PositionAtCenter : QAbstractItemView::EnsureVisible);
}

void FrameLogView::onCurrentRowChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const qint64 sequence = current.isValid() ? m_filter->sequenceAt(current.row()) : -1;
    // Across a rescan the current row vanishes and comes back: not a change.
    if (sequence < 0 && m_pendingSequence >= 0)
        return;
    if (sequence == m_current)
        return;
    m_current = sequence;
    showCurrentDetail();
    Q_EMIT currentEventChanged(sequence);
    updateSearchStatus();
}

void FrameLogView::showCurrentDetail()
{
    const FrameEvent *event = m_current >= 0 ? m_model->eventFor(m_current) : nullptr;
    if (event)
        m_detail->setEvent(m_current, *event);
    else
        m_detail->clear();
}

bool FrameLogView::selectSequence(qint64 sequence)
{
    FrameLog *log = m_model->log();
    if (!log || !log->contains(sequence))
        return false;
    m_model->flush();  // it may have arrived since the last batch
    setPaused(true);
    const FrameEvent &event = log->at(sequence);
    const FrameMatcher matcher = m_filter->matcher();
    if (!matcher.accepts(event)) {
        // Relax the filter as little as needed (see the header), then apply it once.
        for (int i = 0; i < 3; ++i) {
            if (Directions[i] == event.direction) {
                const QSignalBlocker blocker(m_directionButtons[i]);
                m_directionButtons[i]->setChecked(true);
            }
        }
        {
            const QSignalBlocker blocker(m_typeActions[groupOf(event.kind)]);
            m_typeActions[groupOf(event.kind)]->setChecked(true);
            updateTypeButton();
        }
        const bool textMatches = std::all_of(matcher.patterns.cbegin(), matcher.patterns.cend(),
                                             [&event](const TextPattern &p) { return p.matches(event); });
        if (!textMatches) {
            const QSignalBlocker blocker(m_filterText);
            m_filterText->clear();
            validateFilterText();
        }
        m_pendingSequence = sequence;
        m_pendingScroll = Scroll::Center;
        applyFilter();
    }
    m_pendingSequence = sequence;
    m_pendingScroll = Scroll::Center;
    tryPendingSelection();
    if (m_pendingSequence >= 0 && !m_filter->isScanning()) {
        // Not shown although it matches: the table has not caught up; give up quietly.
        m_pendingSequence = -1;
        return false;
    }
    return true;
}

// --------------------------------------------------------------------------------------- search

void FrameLogView::focusSearch()
{
    m_searchText->setFocus(Qt::ShortcutFocusReason);
    m_searchText->selectAll();
}

void FrameLogView::findNext()
{
    find(true);
}

void FrameLogView::findPrevious()
{
    find(false);
}

void FrameLogView::find(bool forward)
{
    if (m_searchText->text().isEmpty()) {
        focusSearch();
        return;
    }
    if (m_searchDelay.isActive())
        applySearch();
    const int count = m_search->rowCount();
    if (count == 0) {
        updateSearchStatus();
        return;
    }
    int match;
    if (m_current < 0)
        match = forward ? 0 : count - 1;
    else if (forward)
        match = m_search->lowerBound(m_current + 1);
    else
        match = m_search->lowerBound(m_current) - 1;
    // Wrap around; a match the table has not taken in yet (both models scan on their own) is
    // passed over.
    for (int tries = 0; tries < count; ++tries) {
        match = (match % count + count) % count;
        const int row = m_filter->rowOf(m_search->sequenceAt(match));
        if (row >= 0) {
            m_pendingSequence = -1;
            selectRow(row, Scroll::EnsureVisible);
            break;
        }
        match += forward ? 1 : -1;
    }
    updateSearchStatus();
}

void FrameLogView::updateSearchStatus()
{
    if (m_searchText->text().isEmpty() || !m_search->logModel()) {
        m_searchStatus->clear();
        return;
    }
    const QString more = m_search->isScanning() ? u"…"_s : QString();
    const int count = m_search->rowCount();
    const QLocale locale;
    if (count == 0) {
        m_searchStatus->setText(m_search->isScanning() ? tr("searching…") : tr("no matches"));
        return;
    }
    const int position = m_current >= 0 ? m_search->rowOf(m_current) : -1;
    if (position >= 0)
        m_searchStatus->setText(tr("%1 of %2").arg(locale.toString(position + 1), locale.toString(count)) + more);
    else
        m_searchStatus->setText((count == 1 ? tr("1 match") : tr("%1 matches").arg(locale.toString(count))) + more);
}

// ------------------------------------------------------------------------------ copy and clear

QString FrameLogView::selectedRowsText() const
{
    std::vector<int> rows;
    const QItemSelection selection = m_table->selectionModel()->selection();
    for (const QItemSelectionRange &range : selection) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QString text;
    for (int row : rows) {
        const FrameEvent *event = m_model->eventFor(m_filter->sequenceAt(row));
        if (!event)
            continue;
        text += timeText(*event) + u'\t' + displayName(event->direction) + u'\t' + typeText(*event) + u'\t'
              + QString::number(event->size) + u" B\t"_s + payloadText(*event) + u'\n';
    }
    return text;
}

void FrameLogView::copySelection()
{
    const QString text = selectedRowsText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void FrameLogView::clearLog()
{
    if (FrameLog *log = m_model->log())
        log->clear();
    m_pendingSequence = -1;
    m_detail->clear();
    if (m_current != -1) {
        m_current = -1;
        Q_EMIT currentEventChanged(-1);
    }
}

// --------------------------------------------------------------------------------------- status

void FrameLogView::updateStatus()
{
    const QLocale locale;
    const int all = m_model->rowCount();
    const int shown = m_filter->rowCount();
    QString text = shown != all ? tr("%1 of %2 frames").arg(locale.toString(shown), locale.toString(all))
                 : all == 1     ? tr("1 frame")
                                : tr("%1 frames").arg(locale.toString(all));
    if (m_filter->isScanning())
        text += tr(" · filtering %1%").arg(int(m_filter->scanProgress() * 100));
    m_status->setText(text);
}

void FrameLogView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_splitterSized || m_splitter->orientation() != Qt::Horizontal)
        return;
    m_splitterSized = true;
    // Wide enough for a line of hex dump where the window allows, but the log comes first: at
    // most 2/5 of the width, so its payload column stays readable in a 1280-pixel window.
    const int total = m_splitter->width() - m_splitter->handleWidth();
    const QFontMetrics fixed(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const int hexLine = fixed.horizontalAdvance(QString(70, u'0')) + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 16;
    const int detail = std::clamp(hexLine, total / 3, total * 2 / 5);
    m_splitter->setSizes({total - detail, detail});
}

void FrameLogView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // An invalid filter's border is in a style sheet: redraw it in the new theme's shade.
    if (event->type() == QEvent::PaletteChange && m_filterText->property("invalid").toBool()) {
        m_filterText->setProperty("invalid", false);
        validateFilterText();
    }
}

bool FrameLogView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        copySelection();
        return true;
    }
    if (watched == m_searchText && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && !m_searchText->text().isEmpty()) {
        m_searchText->clear();
        applySearch();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace wsprobe
