#include "framerowdelegate.h"

#include "framelogfilter.h"
#include "framelogmodel.h"
#include "themecolors.h"

#include <QPainter>

namespace wsprobe {
namespace {

constexpr int FailedMarkWidth = 3;

} // namespace

FrameRowDelegate::FrameRowDelegate(const FrameLogFilter *rows, const FrameLogFilter *matches, QObject *parent)
    : QStyledItemDelegate(parent), m_rows(rows), m_matches(matches)
{
}

void FrameRowDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (m_matches->logModel() && m_matches->rowOf(m_rows->sequenceAt(index.row())) >= 0)
        option->backgroundBrush = ThemeColors::searchMatch(option->palette);
}

void FrameRowDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    if (index.column() == FrameLogModel::TimeColumn && index.data(FrameLogModel::FailedRole).toBool())
        painter->fillRect(QRect(option.rect.left(), option.rect.top(), FailedMarkWidth, option.rect.height()),
                          ThemeColors::failure(option.palette));
}

} // namespace wsprobe
