#pragma once

#include "frameevent.h"
#include "framefilterbar.h"

#include <QTimer>
#include <QWidget>

#include <vector>

class QLabel;
class QSplitter;
class QTableView;
class QToolButton;

namespace wsprobe {

class FrameDetailView;
class FrameFindBar;
class FrameLog;
class FrameLogFilter;
class FrameLogModel;
class FrameRowsCopier;
struct FrameMatcher;

// One session's frame log as people read it all day: a filter bar (direction, type, text or
// regular expression), a find box (F3 / Shift+F3), the table, and the selected event in full
// beside it. Built for floods: rows reach the table in batches, the filter tests each event once
// and rescans in time-boxed slices, and the table follows the tail only while it is scrolled to
// the bottom and not paused.
//
// Sub-widgets carry object names for the window and the tests: "filterText", "filterRegex",
// "filterOutgoing", "filterIncoming", "filterLocal", "filterTypes" (the FrameFilterBar,
// "frameFilterBar"), "searchText", "findPrevious", "findNext", "searchStatus" (the FrameFindBar,
// "frameFindBar"), "pauseFollow", "clearLog", "copyRows", "logStatus", "followNote" (why
// following paused), "logBar" (all of these, wrapping to more rows when narrow), "frameTable",
// "frameSplitter", "frameDetailView", "frameDetail" (the detail's text), "detailMode"; the Types
// menu's actions are "filterType_text", "_binary", "_fragment", "_ping", "_pong", "_close",
// "_handshake", "_error" and "_info".
class FrameLogView : public QWidget
{
    Q_OBJECT

public:
    // The groups of the Types menu (FrameFilterBar::Texts, ...).
    using TypeGroup = FrameFilterBar::TypeGroup;

    explicit FrameLogView(QWidget *parent = nullptr);
    ~FrameLogView() override;

    // Not owned; may be null. The log must outlive the view, or be deleted (the view notices).
    void setLog(FrameLog *log);
    FrameLog *log() const;

    FrameLogModel *model() const { return m_model; }      // every row of the log
    FrameLogFilter *filter() const { return m_filter; }   // the rows shown
    FrameLogFilter *searchMatches() const { return m_search; }  // shown rows the find box matches
    QTableView *table() const { return m_table; }
    FrameDetailView *detail() const { return m_detail; }
    FrameFilterBar *filterBar() const { return m_filterBar; }
    FrameFindBar *findBar() const { return m_findBar; }

    // The sequence number of the current row, -1 when none.
    qint64 currentSequence() const { return m_current; }

    // Paused, the table stays where it is while frames keep arriving; the log keeps recording.
    // End in the table unpauses.
    bool isPaused() const;
    void setPaused(bool paused);

    // The filter bar's state as a matcher (an invalid regular expression keeps the last valid one).
    FrameMatcher matcherFromFilterBar() const;
    void setTypeGroupShown(TypeGroup group, bool shown);
    void setDirectionShown(Direction direction, bool shown);

    // The selected rows, one line each: time, direction, type, size in bytes and the whole
    // payload, separated by tabs. A field with a tab, a double quote or a line break is put in
    // double quotes with its quotes doubled (RFC 4180's rule, with tabs for commas), so a
    // spreadsheet or a CSV reader set to tabs reads each row back as five fields.
    QString selectedRowsText() const;
    // The selected rows' sequence numbers, in log order; empty when no row is selected.
    std::vector<qint64> selectedSequences() const;

    // Beside the table (Horizontal) or under it. Until this is called, the detail goes under the
    // table where the view is narrower than 900 pixels (two sessions side by side), so the
    // payload column keeps room (the Δ and Size columns hide there too).
    void setDetailOrientation(Qt::Orientation orientation);

public Q_SLOTS:
    // Scrolls to the event and selects it. An event hidden by the filter is shown by relaxing the
    // filter as little as needed: its direction and type are switched on, and the filter text is
    // cleared only if the event does not contain it (what the user typed otherwise stays). A
    // jump also pauses following, so a flood does not scroll the frame away, and says so beside
    // the Pause button ("followNote"). Returns false when the log no longer holds the event.
    bool selectSequence(qint64 sequence);
    void findNext();
    void findPrevious();
    void focusSearch();
    void copySelection();
    void clearLog();
    // Applies the filter bar now rather than after the typing pause.
    void applyFilter();

Q_SIGNALS:
    // The current row changed; -1 when none.
    void currentEventChanged(qint64 sequence);
    // The clipboard holds the rows copied (a large selection is copied in slices, after the call).
    void rowsCopied(int count);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *createBar();
    QWidget *createTable();
    void onFilterBarChanged();
    void applySearch();
    void find(bool forward);
    void findPending();
    enum class Scroll { None, EnsureVisible, Center };
    void selectRow(int row, Scroll scroll);
    void onCurrentRowChanged();
    void showCurrentDetail();
    void onFilterAboutToReset();
    void onFilterReset();
    void onFilterRowsAboutToBeInserted();
    void onFilterRowsInserted();
    void onFilterRowsAboutToBeRemoved(int first, int last);
    void onFilterRowsRemoved();
    void onFilterScanningChanged(bool scanning);
    void tryPendingSelection();
    bool isAtBottom() const;
    bool shouldFollow() const;
    void queueScrollToBottom();
    void updateStatus();
    void updateSearchStatus();
    void updatePauseButton();
    void placeDetail(Qt::Orientation orientation);
    void sizeDetailBeside();

    FrameLogModel *m_model;   // Owned (child).
    FrameLogFilter *m_filter; // Owned (child).
    FrameLogFilter *m_search; // Owned (child); attached to the model only while there is text to find.

    FrameFilterBar *m_filterBar = nullptr;
    FrameFindBar *m_findBar = nullptr;
    QLabel *m_status = nullptr;
    QToolButton *m_pause = nullptr;
    QLabel *m_followNote = nullptr;
    QToolButton *m_clear = nullptr;
    QToolButton *m_copy = nullptr;
    QTableView *m_table = nullptr;
    QSplitter *m_splitter = nullptr;
    FrameDetailView *m_detail = nullptr;

    QTimer m_statusDelay;  // coalesces status updates during floods

    FrameRowsCopier *m_copier;  // Owned (child): a large copy, built in slices.

    qint64 m_current = -1;
    // A row to select once the filter shows it: the current row across a rescan, or a jump.
    qint64 m_pendingSequence = -1;
    Scroll m_pendingScroll = Scroll::None;
    bool m_followAfterInsert = false;
    bool m_followAfterReset = false;
    bool m_scrollQueued = false;
    int m_removedAbove = 0;        // rows leaving above the viewport, to keep it on its rows
    qint64 m_newWhilePaused = 0;
    int m_pendingFind = 0;  // 1 or -1: a find waiting for the search to get further
    bool m_splitterSized = false;
    bool m_orientationChosen = false;  // by setDetailOrientation: no longer follows the width
};

} // namespace wsprobe
