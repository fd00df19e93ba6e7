#pragma once

#include <QStyledItemDelegate>

namespace wsprobe {

class FrameLogFilter;

// Paints the frame log's rows with what they mean beyond their text: a tint on the rows the find
// box matches, and a bar in the failure colour on the rows a live assertion failed on. Each
// lookup is a binary search per painted cell.
class FrameRowDelegate : public QStyledItemDelegate
{
public:
    // rows: the rows shown; matches: those the find box matches. Not owned.
    FrameRowDelegate(const FrameLogFilter *rows, const FrameLogFilter *matches, QObject *parent);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const FrameLogFilter *m_rows;     // Not owned.
    const FrameLogFilter *m_matches;  // Not owned.
};

} // namespace wsprobe
