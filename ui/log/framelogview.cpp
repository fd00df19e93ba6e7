#include "framelogview.h"

#include "framedetailview.h"
#include "framefilterbar.h"
#include "framefindbar.h"
#include "framelog.h"
#include "framelogfilter.h"
#include "framelogmodel.h"
#include "framerowdelegate.h"
#include "framerowscopier.h"
#include "flowlayout.h"
#include "themecolors.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
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

// Narrower than this, the detail goes under the table (see setDetailOrientation) and the Δ and
// Size columns hide.
constexpr int NarrowWidth = 900;

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

    m_statusDelay.setSingleShot(true);
    m_statusDelay.setInterval(100);
    m_copier = new FrameRowsCopier(this);
    connect(m_copier, &FrameRowsCopier::progressed, this, &FrameLogView::updateStatus);
    connect(m_copier, &FrameRowsCopier::finished, this, [this](const QString &text, int rows) {
        if (!text.isEmpty())
            QGuiApplication::clipboard()->setText(text);
        updateStatus();
        Q_EMIT rowsCopied(rows);
    });
    connect(&m_statusDelay, &QTimer::timeout, this, [this] {
        updateStatus();
        updateSearchStatus();
    });

    QWidget *bar = createBar();
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
    // A find asked for before the search had got that far.
    connect(m_search, &QAbstractItemModel::rowsInserted, this, &FrameLogView::findPending, Qt::QueuedConnection);
    connect(m_search, &FrameLogFilter::scanningChanged, this, &FrameLogView::findPending, Qt::QueuedConnection);

    auto *findShortcut = new QShortcut(QKeySequence::Find, this, this, &FrameLogView::focusSearch);
    findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    auto *nextShortcut = new QShortcut(QKeySequence::FindNext, this, this, &FrameLogView::findNext);
    nextShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    auto *previousShortcut = new QShortcut(QKeySequence::FindPrevious, this, this, &FrameLogView::findPrevious);
    previousShortcut->setContext(Qt::WidgetWithChildrenShortcut);

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
    m_filterBar->disconnect(this);
    m_findBar->disconnect(this);
}

QWidget *FrameLogView::createBar()
{
    // One row where the pane is wide, more where it is not (two sessions side by side): the
    // bar's minimum width is its widest group's, not the sum of all.
    auto *bar = new QWidget(this);
    bar->setObjectName(u"logBar"_s);
    auto *layout = new FlowLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_filterBar = new FrameFilterBar(bar);
    m_filterBar->setObjectName(u"frameFilterBar"_s);
    connect(m_filterBar, &FrameFilterBar::filterChanged, this, &FrameLogView::onFilterBarChanged);
    connect(m_filterBar, &FrameFilterBar::errorChanged, this, &FrameLogView::updateStatus);
    // The room left over goes to the filter text first, then to the find text.
    layout->addWidget(m_filterBar, 3);

    m_findBar = new FrameFindBar(bar);
    m_findBar->setObjectName(u"frameFindBar"_s);
    connect(m_findBar, &FrameFindBar::searchChanged, this, &FrameLogView::applySearch);
    connect(m_findBar, &FrameFindBar::nextRequested, this, &FrameLogView::findNext);
    connect(m_findBar, &FrameFindBar::previousRequested, this, &FrameLogView::findPrevious);
    layout->addWidget(m_findBar, 2);

    // The counts get the width their text needs: "5 of 1,000,000 frames" is never cut.
    m_status = new QLabel(bar);
    m_status->setObjectName(u"logStatus"_s);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    layout->addWidget(m_status);

    auto *actions = new QWidget(bar);
    auto *actionsLayout = new QHBoxLayout(actions);
    actionsLayout->setContentsMargins(0, 0, 0, 0);
    actionsLayout->setSpacing(4);
    layout->addWidget(actions);

    m_pause = new QToolButton(actions);
    m_pause->setObjectName(u"pauseFollow"_s);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop scrolling to new frames as they arrive: the log keeps recording them, and "
                           "the button counts them. Pause again, or End in the table, follows the tail."));
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        m_newWhilePaused = 0;
        updatePauseButton();
        if (!paused) {
            m_followNote->hide();
            m_table->scrollToBottom();
        }
    });
    actionsLayout->addWidget(m_pause);

    m_clear = new QToolButton(actions);
    m_clear->setObjectName(u"clearLog"_s);
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Forget every frame logged so far"));
    connect(m_clear, &QToolButton::clicked, this, &FrameLogView::clearLog);
    actionsLayout->addWidget(m_clear);

    m_copy = new QToolButton(actions);
    m_copy->setObjectName(u"copyRows"_s);
    actionsLayout->addWidget(m_copy);

    // Says why the table stopped following when something other than the Pause button stopped
    // it (a jump to a frame from an assertion, say).
    m_followNote = new QLabel(bar);
    m_followNote->setObjectName(u"followNote"_s);
    m_followNote->setWordWrap(true);
    m_followNote->hide();
    layout->addWidget(m_followNote, 1);

    return bar;
}

QWidget *FrameLogView::createTable()
{
    m_table = new QTableView(this);
    m_table->setObjectName(u"frameTable"_s);
    m_table->setModel(m_filter);
    m_table->setItemDelegate(new FrameRowDelegate(m_filter, m_search, m_table));
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
    m_orientationChosen = true;
    m_splitter->setOrientation(orientation);
}

void FrameLogView::placeDetail(Qt::Orientation orientation)
{
    if (m_splitter->orientation() == orientation)
        return;
    m_splitter->setOrientation(orientation);
    if (orientation == Qt::Vertical) {
        const int total = m_splitter->height() - m_splitter->handleWidth();
        m_splitter->setSizes({total * 3 / 5, total - total * 3 / 5});
    } else {
        m_splitterSized = false;
        if (isVisible())
            sizeDetailBeside();
    }
}

void FrameLogView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const bool narrow = width() < NarrowWidth;
    if (!m_orientationChosen)
        placeDetail(narrow ? Qt::Vertical : Qt::Horizontal);
    // The payload matters more than the gap to the row above and the size (the detail's summary
    // has the time and the size).
    m_table->setColumnHidden(FrameLogModel::DeltaColumn, narrow);
    m_table->setColumnHidden(FrameLogModel::SizeColumn, narrow);
}

void FrameLogView::setTypeGroupShown(TypeGroup group, bool shown)
{
    m_filterBar->setTypeGroupShown(group, shown);
}

void FrameLogView::setDirectionShown(Direction direction, bool shown)
{
    m_filterBar->setDirectionShown(direction, shown);
}

FrameMatcher FrameLogView::matcherFromFilterBar() const
{
    return m_filterBar->matcher();
}

void FrameLogView::applyFilter()
{
    m_filterBar->apply();
}

void FrameLogView::onFilterBarChanged()
{
    m_filter->setMatcher(m_filterBar->matcher());
    // The find box looks only at the rows shown: it follows the filter, text waiting or not.
    m_findBar->applyNow();
    updateStatus();
}

void FrameLogView::applySearch()
{
    m_pendingFind = 0;
    const QString text = m_findBar->text();
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
    const std::optional<FrameEvent> event = m_current >= 0 ? m_model->eventFor(m_current) : std::nullopt;
    if (event)
        m_detail->setEvent(m_current, *event, m_model->messageNumber(m_current));
    else
        m_detail->clear();
}

bool FrameLogView::selectSequence(qint64 sequence)
{
    FrameLog *log = m_model->log();
    if (!log || !log->contains(sequence))
        return false;
    m_model->flush();  // it may have arrived since the last batch
    if (!isPaused()) {
        setPaused(true);
        m_followNote->setText(tr("Following paused: jumped to %1. Press End or Pause to follow again.")
                                  .arg(m_model->eventName(sequence)));
        m_followNote->show();
    }
    const FrameEvent &event = log->at(sequence);
    if (!m_filter->matcher().accepts(event)) {
        m_pendingSequence = sequence;
        m_pendingScroll = Scroll::Center;
        m_filterBar->relaxToShow(event);  // applied at once
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
    m_findBar->focusText();
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
    if (m_findBar->text().isEmpty()) {
        focusSearch();
        return;
    }
    if (m_findBar->isTyping())
        m_findBar->applyNow();
    m_pendingFind = 0;
    const int count = m_search->rowCount();
    const bool scanning = m_search->isScanning();
    int match;
    if (m_current < 0)
        match = forward ? 0 : count - 1;
    else if (forward)
        match = m_search->lowerBound(m_current + 1);
    else
        match = m_search->lowerBound(m_current) - 1;
    // Enter pressed while the search is still going through the log: the match it asks for may
    // be in the part not read yet. Go there once it is found rather than wrap or do nothing.
    if (scanning && (count == 0 || (forward && match >= count) || (!forward && match < 0 && m_current < 0))) {
        m_pendingFind = forward ? 1 : -1;
        updateSearchStatus();
        return;
    }
    if (count == 0) {
        updateSearchStatus();
        return;
    }
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

void FrameLogView::findPending()
{
    if (m_pendingFind != 0)
        find(m_pendingFind > 0);
}

void FrameLogView::updateSearchStatus()
{
    if (m_findBar->text().isEmpty() || !m_search->logModel()) {
        m_findBar->clearMatches();
        return;
    }
    const int position = m_current >= 0 ? m_search->rowOf(m_current) : -1;
    m_findBar->showMatches(position, m_search->rowCount(), m_search->isScanning(),
                           position >= 0 ? m_model->eventName(m_current) : QString());
}

// ------------------------------------------------------------------------------ copy and clear

std::vector<qint64> FrameLogView::selectedSequences() const
{
    std::vector<int> rows;
    const QItemSelection selection = m_table->selectionModel()->selection();
    for (const QItemSelectionRange &range : selection) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::vector<qint64> sequences;
    sequences.reserve(rows.size());
    for (int row : rows)
        sequences.push_back(m_filter->sequenceAt(row));
    return sequences;
}

QString FrameLogView::selectedRowsText() const
{
    const std::vector<qint64> sequences = selectedSequences();
    return FrameRowsCopier::rowsText(*m_model, sequences, 0, sequences.size());
}

void FrameLogView::copySelection()
{
    m_copier->start(m_model, selectedSequences());
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
    if (m_copier->isBusy())
        text += tr(" · copying %1%").arg(m_copier->percentDone());
    // Why the filter stopped following the typed expression, where the counts are read.
    const QString error = m_filterBar->errorString();
    m_status->setForegroundRole(error.isEmpty() ? QPalette::PlaceholderText : QPalette::Text);
    m_status->setText(error.isEmpty() ? text : u"⚠ "_s + error + u" · "_s + text);
    m_status->setToolTip(error);
}

void FrameLogView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_splitterSized)
        sizeDetailBeside();
}

void FrameLogView::sizeDetailBeside()
{
    if (m_splitter->orientation() != Qt::Horizontal)
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

bool FrameLogView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_table || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (key->matches(QKeySequence::Copy)) {
        copySelection();
        return true;
    }
    // End (or Ctrl+End) goes to the tail and follows it again.
    if (key->key() == Qt::Key_End) {
        setPaused(false);
        m_table->scrollToBottom();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace wsprobe
