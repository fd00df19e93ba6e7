#include "flowlayout.h"

#include <QStyle>
#include <QWidget>

#include <algorithm>

namespace wsprobe {

FlowLayout::FlowLayout(QWidget *parent)
    : QLayout(parent)
{
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addWidget(QWidget *widget, int stretch)
{
    QLayout::addWidget(widget);  // calls addItem
    m_stretch.last() = stretch;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
    m_stretch.append(0);
    invalidate();
}

int FlowLayout::count() const
{
    return int(m_items.size());
}

QLayoutItem *FlowLayout::itemAt(int index) const
{
    return m_items.value(index);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    m_stretch.removeAt(index);
    QLayoutItem *item = m_items.takeAt(index);
    invalidate();
    return item;
}

Qt::Orientations FlowLayout::expandingDirections() const
{
    return Qt::Horizontal;
}

bool FlowLayout::hasHeightForWidth() const
{
    return true;
}

int FlowLayout::heightForWidth(int width) const
{
    return layOut(QRect(0, 0, width, 0), false);
}

int FlowLayout::hSpacing() const
{
    const int space = spacing();
    if (space >= 0)
        return space;
    const QWidget *widget = parentWidget();
    return widget ? widget->style()->pixelMetric(QStyle::PM_LayoutHorizontalSpacing, nullptr, widget) : 4;
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem *item : m_items) {
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    }
    const QMargins margins = contentsMargins();
    return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // All on one row.
    int width = 0;
    int height = 0;
    int shown = 0;
    for (const QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        width += hint.width();
        height = std::max(height, hint.height());
        ++shown;
    }
    width += std::max(0, shown - 1) * hSpacing();
    const QMargins margins = contentsMargins();
    return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom());
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    layOut(rect, true);
}

QList<FlowLayout::Row> FlowLayout::breakRows(int width, bool byPreferred) const
{
    QList<Row> rows;
    Row row;
    int used = 0;
    int shownInRow = 0;
    const int spacing = hSpacing();
    for (int i = 0; i < m_items.size(); ++i) {
        const QLayoutItem *item = m_items.at(i);
        if (item->isEmpty())
            continue;
        const int w = byPreferred ? item->sizeHint().width() : item->minimumSize().width();
        if (shownInRow > 0 && used + spacing + w > width) {
            row.end = i;
            rows.append(row);
            row = Row{i, i};
            used = 0;
            shownInRow = 0;
        }
        used += (shownInRow > 0 ? spacing : 0) + w;
        ++shownInRow;
    }
    row.end = int(m_items.size());
    if (shownInRow > 0 || rows.isEmpty())
        rows.append(row);
    return rows;
}

QList<FlowLayout::Row> FlowLayout::rowsFor(int width) const
{
    const QList<Row> preferred = breakRows(width, true);
    const QList<Row> tight = breakRows(width, false);
    return tight.size() < preferred.size() ? tight : preferred;
}

int FlowLayout::rowCount(int width) const
{
    const QMargins margins = contentsMargins();
    return int(rowsFor(width - margins.left() - margins.right()).size());
}

int FlowLayout::layOut(const QRect &rect, bool apply) const
{
    const QMargins margins = contentsMargins();
    const QRect area = rect.marginsRemoved(margins);
    const int spacing = hSpacing();
    const int vSpacing = spacing;
    int y = area.y();
    const QList<Row> rows = rowsFor(area.width());
    for (int r = 0; r < rows.size(); ++r) {
        const Row &row = rows.at(r);
        QList<int> widths;
        int minSum = 0;
        int hintSum = 0;
        int stretchSum = 0;
        int shown = 0;
        int height = 0;
        for (int i = row.first; i < row.end; ++i) {
            const QLayoutItem *item = m_items.at(i);
            if (item->isEmpty())
                continue;
            const int min = item->minimumSize().width();
            const int hint = std::max(min, item->sizeHint().width());
            minSum += min;
            hintSum += hint;
            stretchSum += m_stretch.at(i);
            ++shown;
        }
        const int room = area.width() - std::max(0, shown - 1) * spacing;
        // Between minimum and preferred, each item gets the same share of its own range; beyond
        // preferred, the rest goes by stretch.
        const double share = hintSum > minSum ? std::clamp(double(room - minSum) / (hintSum - minSum), 0.0, 1.0) : 1.0;
        int extra = std::max(0, room - hintSum);
        int given = 0;
        for (int i = row.first; i < row.end; ++i) {
            const QLayoutItem *item = m_items.at(i);
            if (item->isEmpty()) {
                widths.append(0);
                continue;
            }
            const int min = item->minimumSize().width();
            const int hint = std::max(min, item->sizeHint().width());
            int w = min + int((hint - min) * share);
            if (extra > 0 && stretchSum > 0)
                w += extra * m_stretch.at(i) / stretchSum;
            // A lone item gets the row (down to its minimum) if it stretches, else its preferred
            // width where the row has it.
            if (shown == 1)
                w = std::max(min, m_stretch.at(i) > 0 ? room : std::min(hint, room));
            widths.append(w);
            given += w;
        }
        // Rounding leaves a few pixels: the last stretching item takes them.
        if (extra > 0 && stretchSum > 0 && shown > 1) {
            for (int i = row.end - 1; i >= row.first; --i) {
                if (!m_items.at(i)->isEmpty() && m_stretch.at(i) > 0) {
                    widths[i - row.first] += std::max(0, room - given);
                    break;
                }
            }
        }
        for (int i = row.first; i < row.end; ++i) {
            const QLayoutItem *item = m_items.at(i);
            if (item->isEmpty())
                continue;
            const int w = widths.at(i - row.first);
            height = std::max(height, item->hasHeightForWidth() ? item->heightForWidth(w) : item->sizeHint().height());
        }
        if (apply) {
            int x = area.x();
            for (int i = row.first; i < row.end; ++i) {
                QLayoutItem *item = m_items.at(i);
                if (item->isEmpty())
                    continue;
                const int w = widths.at(i - row.first);
                // Centred in the row when it cannot grow to the row's height (a line edit
                // beside taller buttons).
                const int h = item->hasHeightForWidth() ? height : std::min(height, item->maximumSize().height());
                item->setGeometry(QRect(x, y + (height - h) / 2, w, h));
                x += w + spacing;
            }
        }
        y += height + (r + 1 < rows.size() ? vSpacing : 0);
    }
    return y - area.y() + margins.top() + margins.bottom();
}

} // namespace wsprobe
